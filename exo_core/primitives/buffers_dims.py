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

from exo_verify import conj, substitute_formula, substitute_term

import exo_core.ir as ir
from exo_core.analysis.buffer_uses import buffer_uses
from exo_core.analysis.logic import fresh_var, sym_var
from exo_core.analysis.logic_partial import ctrl_term
from exo_core.analysis.obligations import must_hold
from exo_core.cursors.base import lift
from exo_core.cursors.paths import BlockLoc, resolve
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.ir.printer import expr_to_str
from exo_core.ir.prelude import Sym
from exo_core.ir.types import INDEX, INT, TensorType
from exo_core.procedure import Procedure
from exo_core.primitives.arguments import Alloc, Bool, ControlExpr, Int, ListOf, err
from exo_core.primitives.signature import primitive
from exo_core.primitives.buffer_common import redirect_uses
from exo_core.primitives.ir_build import c_op, int_of
from exo_core.primitives.loop_common import check, facts_at

__all__ = ["expand_dim", "resize_dim", "rearrange_dim", "divide_dim", "mult_dim",
           "unroll_buffer"]


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


def _tensor_alloc(P, a, dim_idx=None, what="dimension"):
    if not isinstance(a.type, TensorType):
        raise err(P, f"{a.name.name} is a scalar; it has no dimensions")
    nd = a.type.ndim()
    if dim_idx is not None and not 0 <= dim_idx < nd:
        raise err(P, f"{what} index {dim_idx} is out of range: {a.name.name} has {nd} "
                     f"dimension{'s' if nd != 1 else ''}")
    return nd


def _dim_bounds(u, d):
    """The range ``[lo, hi)`` a use covers in dimension ``d`` (terms)."""
    x = u.dims[d]
    return (x[1], x[1] + 1) if x[0] == "pt" else (x[1], x[2])


def _check_index_terms(P, a, uses):
    for u in uses:
        if u.dims is None:
            raise err(P, f"an index of {a.name.name}{_line(u.stmt)} is not an expression the "
                         "verifier can reason about")


def _shifted(a, off, si):
    """``a - off`` (an index, or a `WAccess`)."""
    if isinstance(a, ir.Interval):
        return ir.Interval(c_op("-", a.lo, off, si), c_op("-", a.hi, off, si),
                           a.srcinfo)
    if isinstance(a, ir.Point):
        return ir.Point(c_op("-", a.pt, off, si), a.srcinfo)
    return c_op("-", a, off, si)


def _modded(a, size, si):
    if isinstance(a, (ir.Interval, ir.Point)):
        raise err("resize_dim", "folding a dimension that a window spans is not supported yet")
    return c_op("%", a, size, si)


def _loop_vars_in(stmts, out=None) -> dict:
    out = {} if out is None else out
    for s in stmts:
        if isinstance(s, ir.For):
            out[sym_var(s.iter)] = fresh_var(s.iter)
        for f in s.block_fields:
            _loop_vars_in(getattr(s, f), out)
    return out


@primitive(buf_cursor=Alloc(), dim_idx=Int(min=0), size=ControlExpr(at="buf_cursor"),
           offset=ControlExpr(at="buf_cursor"), fold=Bool())
def resize_dim(proc: Procedure, buf_cursor, dim_idx: int, size, offset,
               fold: bool = False) -> Procedure:
    """Resize dimension ``dim_idx`` of a buffer to ``size``; accesses shift by
    ``offset``, or with ``fold=True`` wrap around (a circular buffer)::

        x : T[n, ...]       -->     x : T[size, ...]
        s                           s[ x[i, ...] -> x[i - offset, ...] ]
                                    (fold: x[i % size, ...])

    The size must be positive. Without ``fold`` every access must lie in
    ``[offset, offset + size)``; with ``fold`` (``offset`` is ignored) any two
    indices the code uses in that dimension must be less than ``size`` apart,
    so that wrapping never makes two locations one.
    """
    P = "resize_dim"
    c, a, rest, uses = _alloc_and_uses(P, proc, buf_cursor)
    _tensor_alloc(P, a, dim_idx)
    _check_index_terms(P, a, uses)
    st, ot = ctrl_term(size), ctrl_term(offset)
    if st is None or ot is None:
        raise err(P, "the size and offset must be expressions the verifier can reason about")
    si = a.srcinfo
    check(must_hold(P, f"the new size {_text(size)} must be positive", st >= 1,
                    facts_at(proc, c), (si,)))
    if not fold:
        for u in uses:
            lo, hi = _dim_bounds(u, dim_idx)
            check(must_hold(P, f"the access to {a.name.name}{_line(u.stmt)} must stay within "
                               f"[{_text(offset)}, {_text(offset)} + {_text(size)}) in "
                               f"dimension {dim_idx}",
                            conj(ot <= lo, hi <= ot + st) if u.dims[dim_idx][0] == "pt" else
                            conj(ot <= lo, hi <= ot + st) | (hi <= lo), u.context, (u.srcinfo,)))
    else:
        block = list(getattr(resolve(proc._root, rest.owner), rest.field)[rest.lo:rest.hi])
        ren = _loop_vars_in(block)
        for k, u in enumerate(uses):
            for v in uses[k:]:
                ulo, uhi = _dim_bounds(u, dim_idx)
                vlo, vhi = (substitute_term(t, ren) for t in _dim_bounds(v, dim_idx))
                check(must_hold(P, f"the indices of {a.name.name} in dimension {dim_idx} must be "
                                   f"less than {_text(size)} apart (lines "
                                   f"{u.srcinfo.lineno} and {v.srcinfo.lineno})",
                                conj(uhi - vlo <= st, vhi - ulo <= st),
                                conj(u.context, substitute_formula(v.context, ren)),
                                (u.srcinfo, v.srcinfo)))
    shape = list(a.type.shape_exprs)
    shape[dim_idx] = size

    def index_map(old_idx, u):
        new = list(old_idx)
        new[dim_idx] = _modded(new[dim_idx], size, si) if fold else _shifted(new[dim_idx],
                                                                              offset, si)
        return tuple(new)

    return _rewrite(P, proc, c, a, rest, uses, TensorType(a.type.elem, shape), index_map)


def _rewrite(P, proc, c, a, rest, uses, new_type, index_map):
    ed = ProcEditor(proc)
    if uses:
        redirect_uses(P, ed, _block_cursor(proc, rest), uses, a.name, index_map)
    ed.update(c, type=new_type)
    return ed.finish()


def _refuse_windows(P, a, uses, why):
    for u in uses:
        if u.role == "window":
            raise err(P, f"cannot {why} {a.name.name} because it is windowed{_line(u.stmt)}")


@primitive(buf_cursor=Alloc(), permute_vector=ListOf(Int(min=0)))
def rearrange_dim(proc: Procedure, buf_cursor, permute_vector) -> Procedure:
    """Permute the dimensions of a buffer (``permute_vector[k]`` is the old
    dimension that becomes dimension ``k``)::

        x : T[N, M, K]      -->     x : T[K, N, M]       ([2, 0, 1])
        x[i, j, k]                  x[k, i, j]

    A window of the buffer may be rearranged only if the order of the
    dimensions it spans is kept (its own shape must not change).
    """
    P = "rearrange_dim"
    c, a, rest, uses = _alloc_and_uses(P, proc, buf_cursor)
    nd = _tensor_alloc(P, a)
    perm = list(permute_vector)
    if sorted(perm) != list(range(nd)):
        raise err(P, f"permute_vector {perm} is not a permutation of "
                     f"{{{', '.join(str(k) for k in range(nd))}}}")
    for u in uses:
        if u.role == "window":
            spans = [d for d in perm if isinstance(u.node.idx[d], ir.Interval)]
            if spans != sorted(spans):
                raise err(P, f"the window of {a.name.name}{_line(u.stmt)} spans dimensions "
                             "whose order would change; not supported")
    shape = [a.type.shape_exprs[d] for d in perm]
    return _rewrite(P, proc, c, a, rest, uses, TensorType(a.type.elem, shape),
                    lambda old, u: tuple(old[d] for d in perm))


@primitive(alloc_cursor=Alloc(), dim_idx=Int(min=0), quotient=Int(min=1))
def divide_dim(proc: Procedure, alloc_cursor, dim_idx: int, quotient: int) -> Procedure:
    """Split dimension ``dim_idx`` (a constant divisible by ``quotient``) into
    an outer and an inner dimension of size ``quotient``::

        x : R[n, 12, m]     -->     x : R[n, 3, 4, m]      (dim 1, quotient 4)
        x[i, j, k]                  x[i, j / 4, j % 4, k]
    """
    P = "divide_dim"
    c, a, rest, uses = _alloc_and_uses(P, proc, alloc_cursor)
    _tensor_alloc(P, a, dim_idx)
    d = a.type.shape_exprs[dim_idx]
    v = int_of(d)
    if v is None or v % quotient != 0:
        raise err(P, f"cannot perfectly divide '{_text(d)}' by {quotient}")
    _refuse_windows(P, a, uses, "divide")
    si = a.srcinfo
    q = ir.Const(quotient, INT, si)
    shape = list(a.type.shape_exprs)
    shape[dim_idx:dim_idx + 1] = [ir.Const(v // quotient, INT, si), q]

    def index_map(old, u):
        e = old[dim_idx]
        return tuple(old[:dim_idx]) + (c_op("/", e, q, si),
                                       c_op("%", e, q, si)) + tuple(old[dim_idx + 1:])

    return _rewrite(P, proc, c, a, rest, uses, TensorType(a.type.elem, shape), index_map)


@primitive(alloc_cursor=Alloc(), hi_dim_idx=Int(min=0), lo_dim_idx=Int(min=0))
def mult_dim(proc: Procedure, alloc_cursor, hi_dim_idx: int, lo_dim_idx: int) -> Procedure:
    """Merge two dimensions of a buffer into one (the lower one a constant)::

        x : R[n, m, 4]      -->     x : R[4 * n, m]        (hi 0, lo 2)
        x[i, j, k]                  x[4 * i + k, j]
    """
    P = "mult_dim"
    c, a, rest, uses = _alloc_and_uses(P, proc, alloc_cursor)
    _tensor_alloc(P, a, hi_dim_idx, "hi_dim_idx")
    _tensor_alloc(P, a, lo_dim_idx, "lo_dim_idx")
    if hi_dim_idx == lo_dim_idx:
        raise err(P, f"cannot multiply dimension {hi_dim_idx} by itself")
    lo = a.type.shape_exprs[lo_dim_idx]
    if int_of(lo) is None:
        raise err(P, f"cannot multiply with a non-literal lower dimension: {_text(lo)}")
    _refuse_windows(P, a, uses, "multiply the dimensions of")
    si = a.srcinfo
    hi = a.type.shape_exprs[hi_dim_idx]
    shape = list(a.type.shape_exprs)
    shape[hi_dim_idx] = c_op("*", lo, hi, si)
    del shape[lo_dim_idx]

    def index_map(old, u):
        new = list(old)
        new[hi_dim_idx] = c_op("+", c_op("*", lo, old[hi_dim_idx], si), old[lo_dim_idx], si)
        del new[lo_dim_idx]
        return tuple(new)

    return _rewrite(P, proc, c, a, rest, uses, TensorType(a.type.elem, shape), index_map)


@primitive(alloc_cursor=Alloc(), dimension=Int(min=0))
def unroll_buffer(proc: Procedure, alloc_cursor, dimension: int) -> Procedure:
    """Replace a buffer by one buffer per index of a constant dimension,
    which every access indexes with a literal::

        buf : T[2, n]       -->     buf_0 : T[n]
        buf[1, i] = ...             buf_1 : T[n]
                                    buf_1[i] = ...
    """
    P = "unroll_buffer"
    c, a, rest, uses = _alloc_and_uses(P, proc, alloc_cursor)
    _tensor_alloc(P, a, dimension)
    n = int_of(a.type.shape_exprs[dimension])
    if n is None:
        raise err(P, f"dimension {dimension} of {a.name.name} must be a constant, got "
                     f"{_text(a.type.shape_exprs[dimension])}")
    picks = []
    for u in uses:
        idx = u.node.idx if u.role == "window" else (u.node.idx if u.role == "read" else
                                                      u.stmt.idx)
        e = idx[dimension]
        if isinstance(e, ir.Interval):
            raise err(P, f"cannot unroll {a.name.name} at a dimension a window spans"
                         f"{_line(u.stmt)}")
        k = int_of(e.pt if isinstance(e, ir.Point) else e)
        if k is None:
            raise err(P, f"expected a constant index of {a.name.name} in dimension {dimension}, "
                         f"got {_text(e.pt if isinstance(e, ir.Point) else e)}{_line(u.stmt)}; "
                         "try unrolling the loop first")
        if not 0 <= k < n:
            raise err(P, f"the index {k} of {a.name.name}{_line(u.stmt)} is outside [0, {n})")
        picks.append(k)
    shape = [e for d, e in enumerate(a.type.shape_exprs) if d != dimension]
    elem_type = TensorType(a.type.elem, shape) if shape else a.type.elem
    # one buffer per index used, in increasing order (as the reference does)
    parts = {k: a.update(name=Sym(f"{a.name.name}_{k}"), type=elem_type)
             for k in sorted(set(picks))}
    ed = ProcEditor(proc)
    by_part: dict = {}
    for u, k in zip(uses, picks):
        by_part.setdefault(k, []).append(u)
    for k, group in by_part.items():
        redirect_uses(P, ed, _block_cursor(proc, rest), group, parts[k].name,
                      lambda old, u: tuple(x for d, x in enumerate(old) if d != dimension),
                      [v for v in uses if v not in group])
    ed.replace_stmt(c, list(parts.values()))
    return ed.finish()
