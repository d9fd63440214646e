"""Changing the dimensions of an allocated buffer: expand_dim, resize_dim,
rearrange_dim, divide_dim, mult_dim, unroll_buffer.

Each rewrites the allocation's type and every use of the buffer after it
(element accesses, window expressions) with `ProcEditor` edits, so cursors
to the allocation and to the statements stay valid. A buffer passed whole to
a call, or named in ``stride(...)``, is refused ("not supported yet"): its
type would change under the callee.

Checks (obligations the verifier discharges at each use): `expand_dim`'s new
size is positive and its index within it; `resize_dim`'s size is positive and
every access stays within the new extent; `divide_dim` needs a constant
dimension the quotient divides; `mult_dim` a constant lower dimension;
`unroll_buffer` a constant dimension indexed only by constants.
"""

from __future__ import annotations

from exo_verify import conj

import exo_core.ir as ir
from exo_core.analysis.buffer_uses import buffer_uses
from exo_core.analysis.logic_partial import ctrl_term
from exo_core.analysis.obligations import must_hold
from exo_core.cursors.base import lift
from exo_core.cursors.paths import BlockLoc, resolve
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import INDEX, TensorType
from exo_core.procedure import Procedure
from exo_core.primitives.arguments import Alloc, ControlExpr, err
from exo_core.primitives.signature import primitive
from exo_core.primitives.buffer_common import redirect_uses
from exo_core.primitives.loop_common import check, facts_at

__all__ = ["expand_dim"]


def _line(s) -> str:
    si = getattr(s, "srcinfo", None)
    return f" (line {si.lineno})" if si is not None and si.lineno else ""


def _alloc_and_uses(P: str, proc: Procedure, c):
    """The allocation cursor, its node, and the uses of the buffer after it
    (refusing uses whose type would change under a callee)."""
    a = c._node()
    root = proc._root
    steps = c._loc.steps
    owner, (field, k) = steps[:-1], steps[-1]
    n = len(getattr(resolve(root, owner), field))
    rest = BlockLoc(owner, field, k + 1, n)
    uses = buffer_uses(root, rest, a.name) if k + 1 < n else []
    for u in uses:
        if u.role == "whole":
            raise err(P, f"{a.name.name} is passed whole to a call{_line(u.stmt)}; changing its "
                         "dimensions there is not supported yet")
        if u.role == "stride":
            raise err(P, f"stride({a.name.name}, ...) is used{_line(u.stmt)}; changing the "
                         "dimensions of a buffer whose strides are read is not supported yet")
    return c, a, rest, uses


def _block_cursor(proc, rest: BlockLoc):
    return lift(proc, rest)


@primitive(buf_cursor=Alloc(), alloc_dim=ControlExpr(at="buf_cursor"),
           indexing_expr=ControlExpr(at="buf_cursor"))
def expand_dim(proc: Procedure, buf_cursor, alloc_dim, indexing_expr) -> Procedure:
    """Add a new leading dimension of size ``alloc_dim`` to a buffer; every
    existing use takes the index ``indexing_expr`` in it::

        x : T[...]          -->     x : T[alloc_dim, ...]
        s                           s[ x[...] -> x[indexing_expr, ...] ]

    ``alloc_dim`` must be positive, and ``indexing_expr`` (read where the
    allocation is) within ``[0, alloc_dim)`` at every use.
    """
    P = "expand_dim"
    c, a, rest, uses = _alloc_and_uses(P, proc, buf_cursor)
    size, idx = alloc_dim, indexing_expr
    st, it = ctrl_term(size), ctrl_term(idx)
    if st is None or it is None:
        raise err(P, "the size and the index must be expressions the verifier can reason about")
    si = a.srcinfo
    check(must_hold(P, f"the new dimension's size {_text(size)} must be positive", st >= 1,
                    facts_at(proc, c), (si,)))
    for u in uses:
        check(must_hold(P, f"the index {_text(idx)} of {a.name.name} must be within "
                           f"[0, {_text(size)}) where {a.name.name} is used{_line(u.stmt)}",
                        conj(it >= 0, it < st), u.context, (u.srcinfo,)))
    old = a.type
    shape = (size,) + (tuple(old.shape_exprs) if isinstance(old, TensorType) else ())
    elem = old.elem if isinstance(old, TensorType) else old
    new_type = TensorType(elem, shape)
    idx_e = idx if idx.type is not None else idx.update(type=INDEX)

    def index_map(old_idx, u):
        if u.role == "window":
            return (ir.Point(idx_e, idx_e.srcinfo),) + tuple(old_idx)
        return (idx_e,) + tuple(old_idx)

    ed = ProcEditor(proc)
    if uses:
        redirect_uses(P, ed, _block_cursor(proc, rest), uses, a.name, index_map)
    ed.update(c, type=new_type)
    return ed.finish()


def _text(e) -> str:
    return expr_to_str(e)
