"""Moving and removing allocations: lift_alloc, sink_alloc, delete_buffer,
reuse_buffer.

    for i in _:                      buf : T
        buf : T       lift_alloc     for i in _:
        s             ------->           s

    buf : T                          for i in _:
    for i in _:       sink_alloc         buf : T
        s             ------->           s

Checks: `lift_alloc` refuses to lift past a loop whose iterator the shape
uses (every use stays in the widened scope); `sink_alloc` needs the scope
right after the allocation and no use after it, and, for a loop, that no
iteration can read a value an earlier iteration left in the buffer (a read
not preceded in its iteration by writes that certainly cover it -- directly,
through a window statement, or inside a call -- must not meet a write of an
earlier iteration); `delete_buffer` needs an unused buffer;
`reuse_buffer` needs the first buffer dead where the second is allocated.

Forwarding: the allocation's cursor follows it to its new place.
"""

from __future__ import annotations

from exo_verify import TRUE, conj, substitute_formula
from exo_verify.formulas import Compare

import exo_core.ir as ir
from exo_core.analysis.buffer_uses import READ, block_facts, buffer_uses
from exo_core.analysis.effects import collect_accesses
from exo_core.analysis.exposed_reads import block_exposure
from exo_core.analysis.logic import fresh_var, sym_var
from exo_core.analysis.logic_partial import ctrl_term
from exo_core.analysis.obligations import must_hold, must_not_happen
from exo_core.cursors.base import lift
from exo_core.cursors.paths import BlockLoc, GapLoc, NodeLoc, resolve
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.ir.prelude import Sym
from exo_core.ir.equal import expr_equal
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import TensorType
from exo_core.procedure import Procedure
from exo_core.primitives.arguments import Alloc, Int, err
from exo_core.primitives.signature import primitive
from exo_core.primitives.buffer_common import redirect_uses
from exo_core.primitives.ir_build import expr_syms
from exo_core.primitives.loop_common import check, facts_at

__all__ = ["lift_alloc", "sink_alloc", "delete_buffer", "reuse_buffer"]


def _line(s) -> str:
    si = getattr(s, "srcinfo", None)
    return f" (line {si.lineno})" if si is not None and si.lineno else ""


_KIND = {ir.Assign: "an assignment", ir.Reduce: "a reduction", ir.Alloc: "an allocation",
         ir.Call: "a call", ir.WindowStmt: "a window statement", ir.Pass: "pass",
         ir.WriteConfig: "a configuration write"}


def _shape_syms(a: ir.Alloc) -> set:
    out: set = set()
    if isinstance(a.type, TensorType):
        for e in a.type.shape_exprs:
            expr_syms(e, out)
    return out


def _rest_of_block(root, steps) -> BlockLoc:
    owner, (field, k) = steps[:-1], steps[-1]
    n = len(getattr(resolve(root, owner), field))
    return BlockLoc(owner, field, k + 1, n)


@primitive(alloc_cursor=Alloc(), n_lifts=Int(min=1))
def lift_alloc(proc: Procedure, alloc_cursor, n_lifts: int = 1) -> Procedure:
    """Move an allocation out of ``n_lifts`` enclosing loops and ifs, to just
    before the outermost of them::

        for i in _:                 buf : T
            buf : T        -->      for i in _:
            s                           s
    """
    P = "lift_alloc"
    c, n = alloc_cursor, n_lifts
    steps = c._loc.steps
    depth = len(steps) - 1
    if n > depth:
        raise err(P, f"specified lift level {n} is more than {depth}, the number of loops and "
                     "ifs above the allocation")
    a = c._node()
    shape = _shape_syms(a)
    root = proc._root
    for k in range(1, n + 1):
        scope = resolve(root, steps[:-k])
        if isinstance(scope, ir.For) and scope.iter in shape:
            raise err(P, f"cannot lift the allocation of {a.name.name} past loop "
                         f"{scope.iter.name}: its size depends on {scope.iter.name}")
    dest = steps[:-n]
    # out of an if (or a loop that may not run) the size must still be positive
    if isinstance(a.type, TensorType):
        ctx = facts_at(proc, lift(proc, NodeLoc(dest)))
        for e in a.type.shape_exprs:
            st = ctrl_term(e)
            if st is None:
                raise err(P, f"the size {expr_to_str(e)} of {a.name.name} is not an expression "
                             "the verifier can reason about")
            check(must_hold(P, f"the size {expr_to_str(e)} of {a.name.name} must be positive "
                               "where the allocation is lifted to", st >= 1, ctx, (a.srcinfo,)))
    ed = ProcEditor(proc)
    ed.move(c, lift(proc, GapLoc(dest[:-1], dest[-1][0], dest[-1][1], "before")))
    return ed.finish()


def _no_carried_values(P: str, root, loop_steps, loop: ir.For, alloc: ir.Alloc) -> None:
    """No iteration of ``loop`` reads a value of the buffer that an earlier
    iteration wrote: every read that the iteration has not certainly
    written before (an exposed read, `exo_core.analysis.exposed_reads`:
    through window statements, and into callees by what each callee reads
    of its parameter before writing it) must miss every write and
    reduction (the effect model's, calls included) of every earlier
    iteration."""
    buf = alloc.name
    ctx = block_facts(root, BlockLoc(loop_steps, "body", 0, len(loop.body)))
    reads = block_exposure(loop.body, buf, ctx).reads
    if not reads:
        return
    it, other = sym_var(loop.iter), fresh_var(loop.iter, "o")
    writes = [w for w in collect_accesses(loop.body, rename={loop.iter: other}).accesses
              if w.buffer == buf and w.kind != READ]
    ctx_other = substitute_formula(ctx, {it: other})
    situations = []
    for r in reads:
        for w in writes:
            meet = TRUE if r.index is None or w.index is None else conj(
                *(Compare("==", x, y) for x, y in zip(r.index, w.index)
                  if x is not None and y is not None))
            f = conj(r.domain, ctx_other, w.domain, meet, other < it)

            def say(vals, r=r, w=w):
                return (f"iteration {loop.iter.name} = {vals.get(it, '?')} reads {buf.name}"
                        f"{_line(r.stmt)}, which iteration {vals.get(other, '?')} wrote"
                        f"{_line(w.stmt)}; in the loop each iteration would get a new buffer")
            situations.append((f, say))
    check(must_not_happen(P, f"no iteration may read a value of {buf.name} left by an earlier "
                             "iteration", situations, (loop.srcinfo,)))


@primitive(alloc_cursor=Alloc())
def sink_alloc(proc: Procedure, alloc_cursor) -> Procedure:
    """Move an allocation into the loop or ``if`` right after it (into both
    branches of an ``if`` with an ``else``)::

        buf : T                     for i in _:
        for i in _:        -->          buf : T
            s                           s
    """
    P = "sink_alloc"
    c = alloc_cursor
    root = proc._root
    steps = c._loc.steps
    a = c._node()
    owner, (field, k) = steps[:-1], steps[-1]
    block = getattr(resolve(root, owner), field)
    if k + 1 >= len(block) or not isinstance(block[k + 1], (ir.For, ir.If)):
        what = "nothing" if k + 1 >= len(block) else _KIND.get(type(block[k + 1]), "a statement")
        raise err(P, f"the statement after the allocation of {a.name.name} must be a loop or "
                     f"an if, but it is {what}")
    scope = block[k + 1]
    scope_steps = owner + ((field, k + 1),)
    after = BlockLoc(owner, field, k + 2, len(block))
    later = [u for u in buffer_uses(root, after, a.name)] if k + 2 < len(block) else []
    if later:
        raise err(P, f"{a.name.name} is used after the scope{_line(later[0].stmt)}; sinking "
                     "the allocation would end its scope before that use")
    if isinstance(scope, ir.For):
        _no_carried_values(P, root, scope_steps, scope, a)
    ed = ProcEditor(proc)
    s = ed.stmt(lift(proc, NodeLoc(scope_steps)))
    if isinstance(scope, ir.If) and len(scope.orelse):
        other = Sym(a.name.name)
        uses = buffer_uses(root, BlockLoc(scope_steps, "orelse", 0, len(scope.orelse)), a.name)
        redirect_uses(P, ed, s.orelse(), uses, other, lambda idx, u: idx)
        ed.insert(ed.stmt(s).orelse()[0].before(), [a.update(name=other)])
    ed.move(c, ed.stmt(s).body()[0].before())
    return ed.finish()


@primitive(buf_cursor=Alloc())
def delete_buffer(proc: Procedure, buf_cursor) -> Procedure:
    """Delete the allocation of a buffer nothing uses::

        buf : T            -->      s
        s
    """
    P = "delete_buffer"
    c = buf_cursor
    root = proc._root
    a = c._node()
    rest = _rest_of_block(root, c._loc.steps)
    uses = buffer_uses(root, rest, a.name) if rest.lo < rest.hi else []
    if uses:
        raise err(P, f"{a.name.name} is used{_line(uses[0].stmt)}; only an unused buffer can "
                     "be deleted")
    ed = ProcEditor(proc)
    ed.delete(c)
    return ed.finish()


def _same_type(a, b) -> bool:
    if isinstance(a, TensorType) and isinstance(b, TensorType):
        return a.elem is b.elem and a.ndim() == b.ndim() and all(
            expr_equal(x, y) for x, y in zip(a.shape_exprs, b.shape_exprs))
    return a is b


def _uses_from_first_use(root, xs, ys, y_rest: BlockLoc, x, y) -> list:
    """The uses of ``x`` that run after the first statement using ``y`` (at
    ``ys``, in the scope of ``x`` at ``xs``) has started: that statement and
    the rest of its block, the rest of each enclosing block up to ``x``'s,
    and the whole body of each loop in between."""
    first = next(k for k in range(y_rest.lo, y_rest.hi)
                 if buffer_uses(root, BlockLoc(y_rest.owner, y_rest.field, k, k + 1), y))
    found = []
    for d in range(len(ys), len(xs) - 1, -1):
        owner, (field, k) = ys[:d - 1], ys[d - 1]
        n = len(getattr(resolve(root, owner), field))
        start = first if d == len(ys) else k + 1
        if start < n:
            found += buffer_uses(root, BlockLoc(owner, field, start, n), x)
        if d - 1 >= len(xs) and isinstance(resolve(root, owner), ir.For):
            found += buffer_uses(root, BlockLoc(owner, field, 0, n), x)
    return found


@primitive(buf_cursor=Alloc(), replace_cursor=Alloc())
def reuse_buffer(proc: Procedure, buf_cursor, replace_cursor) -> Procedure:
    """Use the buffer of ``buf_cursor`` instead of allocating the one of
    ``replace_cursor`` (same type), which must come later in its scope::

        x : T ; ... ; y : T ; s     -->     x : T ; ... ; s[ y -> x ]

    ``x`` must be dead from the first statement that uses ``y`` on: that
    statement and everything after it in ``x``'s scope do not use ``x``, nor
    does any statement of a loop around it inside ``x``'s scope (a later
    iteration would read what ``y`` left there). So no value of ``x`` is read
    after ``y`` starts using its storage.
    """
    P = "reuse_buffer"
    root = proc._root
    xa, ya = buf_cursor._node(), replace_cursor._node()
    xs, ys = buf_cursor._loc.steps, replace_cursor._loc.steps
    if xa is ya:
        raise err(P, "the two allocations must be different")
    if not _same_type(xa.type, ya.type):
        raise err(P, f"{xa.name.name} and {ya.name.name} must have the same type, but they are "
                     f"{xa.type} and {ya.type}")
    x_owner, (x_field, x_k) = xs[:-1], xs[-1]
    inside = len(ys) > len(xs) - 1 and ys[:len(xs) - 1] == x_owner and \
        ys[len(xs) - 1][0] == x_field and ys[len(xs) - 1][1] > x_k
    if not inside:
        raise err(P, f"the allocation of {ya.name.name} must come after the allocation of "
                     f"{xa.name.name}, in its scope")
    y_rest = _rest_of_block(root, ys)
    uses = buffer_uses(root, y_rest, ya.name) if y_rest.lo < y_rest.hi else []
    if uses:
        later = _uses_from_first_use(root, xs, ys, y_rest, xa.name, ya.name)
        if later:
            raise err(P, f"{xa.name.name} is not dead where {ya.name.name} is first used: "
                         f"{xa.name.name} is used after that{_line(later[0].stmt)}")
    ed = ProcEditor(proc)
    if uses:
        redirect_uses(P, ed, lift(proc, y_rest), uses, xa.name, lambda idx, u: idx)
    ed.delete(replace_cursor)
    return ed.finish()
