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
not preceded in its iteration by a write that covers it must not meet a write
of another iteration); `delete_buffer` needs an unused buffer;
`reuse_buffer` needs the first buffer dead where the second is allocated.

Forwarding: the allocation's cursor follows it to its new place.
"""

from __future__ import annotations

from exo_verify import Exists, conj, disj, substitute_formula, substitute_term
from exo_verify.formulas import Compare

import exo_core.ir as ir
from exo_core.analysis.buffer_uses import (READ, REDUCE, WRITE, buffer_uses, holds)
from exo_core.analysis.logic import fresh_var, sym_var
from exo_core.analysis.logic_partial import ctrl_term
from exo_core.analysis.obligations import must_hold, must_not_happen
from exo_core.cursors.base import lift
from exo_core.cursors.paths import BlockLoc, GapLoc, NodeLoc, resolve
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.ir.prelude import Sym
from exo_core.ir.equal import expr_equal
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import INT, TensorType
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


def _covered(buf: Sym, read, box, writes_before) -> bool:
    """Is every location of ``read`` (its ``box``: entries ``("pt", t)`` or
    ``("iv", lo, hi)``) certainly written earlier in the same iteration, by
    one of the statements ``writes_before`` (an assignment, possibly in a
    perfect loop nest, not under a condition)?"""
    if box is None:
        return False
    # a kept dimension of a window: every index of its interval
    point, facts = [], [read.context]
    for d, entry in enumerate(box):
        if entry[0] == "pt":
            point.append(entry[1])
        else:
            v = fresh_var(buf, f"@{d}")
            point.append(v)
            facts += [entry[1] <= v, v < entry[2]]
    for stmt in writes_before:
        loops, s = [], stmt
        while isinstance(s, ir.For) and len(s.body) == 1:
            loops.append(s)
            s = s.body[0]
        if not isinstance(s, ir.Assign) or s.name is not buf or len(s.idx) != len(point):
            continue
        renamed = {lp.iter: fresh_var(lp.iter, "c") for lp in loops}
        idx = [ctrl_term(e, renamed) for e in s.idx]
        bounds = [(ctrl_term(lp.lo), ctrl_term(lp.hi)) for lp in loops]
        if any(t is None for t in idx) or any(t is None for b in bounds for t in b):
            continue
        goal = conj(*(t.eq(p) for t, p in zip(idx, point)))
        for lp, (lo, hi) in reversed(list(zip(loops, bounds))):
            goal = Exists(renamed[lp.iter], lo, hi, goal)
        if holds("sink_alloc", "the read is covered", goal, conj(*facts)):
            return True
    return False


def _may_meet(r: tuple, w: tuple) -> object:
    """The two boxes (one entry per dimension) share a location."""
    parts = []
    for x, y in zip(r, w):
        if x[0] == "pt" and y[0] == "pt":
            parts.append(Compare("==", x[1], y[1]))
        elif x[0] == "pt":
            parts += [y[1] <= x[1], x[1] < y[2]]
        elif y[0] == "pt":
            parts += [x[1] <= y[1], y[1] < x[2]]
        else:
            parts += [x[1] < y[2], y[1] < x[2]]
    return conj(*parts)


def _renamed_box(box: tuple, ren: dict) -> tuple:
    return tuple((e[0],) + tuple(substitute_term(t, ren) for t in e[1:]) for e in box)


def _whole_box(a: ir.Alloc) -> tuple | None:
    """The box of every location of the allocated buffer."""
    if not isinstance(a.type, TensorType):
        return ()
    zero = ctrl_term(ir.Const(0, INT, a.srcinfo))
    his = [ctrl_term(e) for e in a.type.shape_exprs]
    return None if any(h is None for h in his) else tuple(("iv", zero, h) for h in his)


def _executed_before(root, loop_steps, steps) -> list:
    """The statements an iteration of the loop at ``loop_steps`` certainly
    runs before the statement at ``steps`` (when that one runs): the earlier
    statements of each enclosing block, from the loop body down."""
    out = []
    for d in range(len(loop_steps), len(steps)):
        owner, (field, k) = steps[:d], steps[d]
        out.extend(getattr(resolve(root, owner), field)[:k])
    return out


def _no_carried_values(P: str, root, loop_steps, loop: ir.For, alloc: ir.Alloc) -> None:
    """No iteration of ``loop`` reads a value of the buffer that another
    iteration wrote (a read covered by an earlier write of its own iteration
    is fine). A window of the buffer, or the buffer passed to a call, is a
    use of the whole window with the callee's kinds (a read in the callee
    counts as a read of every element, covered only by assignments before
    the call); a window statement of it is refused."""
    buf = alloc.name
    uses = [u for u in buffer_uses(root, BlockLoc(loop_steps, "body", 0, len(loop.body)), buf)
            if u.role != "stride"]
    for u in uses:
        if isinstance(u.stmt, ir.WindowStmt):
            raise err(P, f"{buf.name} is used through a window statement{_line(u.stmt)}; "
                         "sinking it into a loop is not supported yet")
    whole = _whole_box(alloc)
    box = {id(u): whole if u.role == "whole" else u.dims for u in uses}
    writes = [u for u in uses if WRITE in u.kinds or REDUCE in u.kinds]
    it, other = sym_var(loop.iter), fresh_var(loop.iter, "o")
    lo, hi = ctrl_term(loop.lo), ctrl_term(loop.hi)
    rng = conj(*([lo <= other] if lo is not None else []),
               *([other < hi] if hi is not None else []))
    situations = []
    for r in uses:
        if not (READ in r.kinds or REDUCE in r.kinds):
            continue
        if _covered(buf, r, box[id(r)], _executed_before(root, loop_steps, r.steps)):
            continue
        for w in writes:
            # r in iteration `it`, w in another iteration `other`
            ren = {it: other}
            rb, wb = box[id(r)], box[id(w)]
            same = conj() if rb is None or wb is None else _may_meet(rb, _renamed_box(wb, ren))
            f = conj(r.context, substitute_formula(w.context, ren), rng, same,
                     disj(it < other, other < it))

            def say(vals, r=r, w=w):
                return (f"iteration {loop.iter.name} = {vals.get(it, '?')} reads {buf.name}"
                        f"{_line(r.stmt)}, which iteration {vals.get(other, '?')} wrote"
                        f"{_line(w.stmt)}; in the loop each iteration would get a new buffer")
            situations.append((f, say))
    check(must_not_happen(P, f"no iteration may read a value of {buf.name} left by another "
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
