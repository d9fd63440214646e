"""Loop primitives that change a loop's iteration space: divide_loop,
divide_with_recompute, mult_loops, join_loops, cut_loop, shift_loop,
unroll_loop. (Loop order and loop removal/insertion: `loop_order`.)

Each resolves its location with `exo_core.cursors.location`, states its proof
obligations as `exo_core.analysis` records, and rewrites with `ProcEditor`
edits so cursors forward: the divided/shifted/cut loop's cursor stays on the
(outer/first) loop, cursors into its body follow the body.
"""

from __future__ import annotations

from exo_verify import conj

import exo_core.ir as ir
from exo_core.ir.equal import stmt_equal
from exo_core.analysis.logic_partial import loop_range
from exo_core.analysis.obligations import must_hold
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.procedure import Procedure
from exo_core.analysis import block_idempotent, ctrl_term, iterations_independent, sym_var
from exo_core.primitives.ir_build import c_add, c_cmp, c_div, c_mod, c_mul, c_sub, cint, int_of, read_iter
from exo_core.primitives.arguments import (Bool, ControlExpr, Int, Loop, NestedLoops, NewName,
                                           NewNames, OneOf, err)
from exo_core.primitives.loop_common import (check, facts_at, reject_bound_changed_by,
                          reject_iter_in_alloc_shapes, windows_of)
from exo_core.primitives.signature import primitive
from exo_core.primitives.sym_substitution import subst_block, subst_expr

__all__ = ["divide_loop", "divide_with_recompute", "mult_loops", "join_loops", "cut_loop",
           "shift_loop", "unroll_loop"]

_TAILS = ("guard", "cut", "cut_and_guard")
_REINDEXED = "the rewritten index would evaluate it again in every iteration"


def _term(primitive: str, e, what: str):
    t = ctrl_term(e)
    if t is None:
        raise err(primitive, f"could not prove the rewrite safe: {what} is not an "
                             "expression the verifier can reason about")
    return t


@primitive(loop_cursor=Loop(), div_const=Int(min=1),
           new_iters=NewNames(2, near="loop_cursor", replaces_loops=1), tail=OneOf(*_TAILS),
           perfect=Bool())
def divide_loop(proc: Procedure, loop_cursor, div_const: int, new_iters, tail: str = "guard",
                perfect: bool = False) -> Procedure:
    """Split a loop into an outer and an inner loop of ``div_const`` iterations::

        for i in seq(0, n):          divide_loop(p, "i", 4, ["io", "ii"])
            s                  -->   for io in seq(0, (n + 3) / 4):
                                         for ii in seq(0, 4):
                                             if 4 * io + ii < n:
                                                 s[i -> 4 * io + ii]

    ``tail="cut"`` runs the remainder in a second loop, ``"cut_and_guard"``
    also guards it with ``if n % 4 > 0``; ``perfect=True`` asserts (and the
    verifier must prove) that there is no remainder. The rewritten code
    evaluates the bounds again (in the index, the guard, the tail), so a bound
    that reads a configuration field the body may write is refused.
    """
    P = "divide_loop"
    loop_c, q, (io, ii) = loop_cursor, div_const, new_iters
    loop = loop_c._node()
    reject_iter_in_alloc_shapes(P, loop)
    reject_bound_changed_by(P, loop, ("lo",), loop.body, _REINDEXED)
    if not perfect:
        reject_bound_changed_by(P, loop, ("hi",), loop.body,
                                "the guard would evaluate it again in every iteration"
                                if tail == "guard" else
                                "the tail loop would evaluate it again after the loop ran")
    si = loop.srcinfo
    lo, hi = loop.lo, loop.hi
    n = c_sub(hi, lo, si)
    if perfect:
        nt = _term(P, n, "the trip count")
        check(must_hold(P, f"the trip count must be divisible by {q}",
                        (nt % q).eq(0), facts_at(proc, loop_c), (si,)))
    idx = c_add(c_add(c_mul(cint(q, si), read_iter(io, si), si), read_iter(ii, si), si), lo, si)

    ed = ProcEditor(proc)
    L = ed.stmt(loop_c)
    if perfect or tail != "guard":
        outer_hi = c_div(n, q, si)
    else:
        outer_hi = c_div(c_add(n, cint(q - 1, si), si), q, si)
        guard = c_cmp("<", c_add(c_mul(cint(q, si), read_iter(io, si), si),
                                 read_iter(ii, si), si), n, si)
        ed.wrap(ed.stmt(L).body(), lambda b: ir.If(guard, b, [], si))
    ed.wrap(ed.stmt(L).body(), lambda b: ir.For(ii, cint(0, si), cint(q, si), b, "seq", si))
    L = ed.update(L, iter=io, lo=cint(0, si), hi=outer_hi)
    ed.map_exprs(L.body(), lambda e: subst_expr(e, {loop.iter: idx}))
    if not perfect and tail != "guard":
        tail_hi = c_mod(n, q, si)
        if int_of(tail_hi) != 0:
            it = ii.copy()
            # Exo's order: ii + n / q * q (then + lo), folded when constant.
            base = c_add(c_mul(c_div(n, q, si), cint(q, si), si), lo, si)
            first = (c_add(base, read_iter(it, si), si) if int_of(base) is not None
                     else c_add(read_iter(it, si), base, si))
            body = subst_block(loop.body, {loop.iter: first}, fresh=True)
            tail_loop = ir.For(it, cint(0, si), tail_hi, body, "seq", si)
            if tail == "cut_and_guard" and int_of(tail_hi) is None:
                tail_loop = ir.If(c_cmp(">", tail_hi, cint(0, si), si), [tail_loop], [], si)
            ed.insert(L.after(), [tail_loop])
    return ed.finish()


@primitive(loop_cursor=Loop(), outer_hi=ControlExpr(at="loop_cursor"), outer_stride=Int(min=1),
           new_iters=NewNames(2, near="loop_cursor", replaces_loops=1))
def divide_with_recompute(proc: Procedure, loop_cursor, outer_hi, outer_stride: int,
                          new_iters) -> Procedure:
    """Divide a loop into overlapping chunks that cover its range::

        for i in seq(0, n):       -->  for io in seq(0, outer_hi):
            s                              for ii in seq(0, outer_stride + (n - outer_hi * outer_stride)):
                                               s[i -> outer_stride * io + ii]

    Some iterations run more than once, so the iterations must be
    independent and the body idempotent; ``outer_hi >= 1`` and
    ``outer_hi * outer_stride <= n`` make the chunks cover the range.
    """
    P = "divide_with_recompute"
    loop_c, stride, (io, ii), o_hi = loop_cursor, outer_stride, new_iters, outer_hi
    loop = loop_c._node()
    reject_iter_in_alloc_shapes(P, loop)
    reject_bound_changed_by(P, loop, ("lo", "hi"), loop.body,
                            "the new loops would evaluate it again in every iteration")
    si = loop.srcinfo
    n = c_sub(loop.hi, loop.lo, si)
    ctx = facts_at(proc, loop_c)
    nt, ot = _term(P, n, "the trip count"), _term(P, o_hi, "outer_hi")
    check(must_hold(P, "the chunks must cover the loop's range (outer_hi >= 1 and "
                       "outer_hi * outer_stride <= the trip count)",
                    conj(ot >= 1, ot * stride <= nt), ctx, (si,)))
    check(iterations_independent(P, loop, ctx, windows_of(proc)))
    body_ctx = conj(ctx, loop_range(loop, sym_var(loop.iter)))
    check(block_idempotent(P, list(loop.body), body_ctx, windows_of(proc)))

    inner_hi = c_add(cint(stride, si), c_sub(n, c_mul(o_hi, cint(stride, si), si), si), si)
    idx = c_add(c_add(c_mul(cint(stride, si), read_iter(io, si), si), read_iter(ii, si), si),
                loop.lo, si)
    ed = ProcEditor(proc)
    L = ed.stmt(loop_c)
    ed.wrap(ed.stmt(L).body(), lambda b: ir.For(ii, cint(0, si), inner_hi, b, "seq", si))
    L = ed.update(L, iter=io, lo=cint(0, si), hi=o_hi)
    ed.map_exprs(L.body(), lambda e: subst_expr(e, {loop.iter: idx}))
    return ed.finish()


@primitive(nested_loops=NestedLoops(),
           new_iter_name=NewName(near="nested_loops", replaces_loops=2))
def mult_loops(proc: Procedure, nested_loops, new_iter_name: str) -> Procedure:
    """Merge two nested loops (the inner with a literal bound) into one::

        for i in seq(0, e):             for k in seq(0, e * c):
            for j in seq(0, c):   -->       s[i -> k / c, j -> k % c]
                s
    """
    P = "mult_loops"
    outer_c, k = nested_loops, new_iter_name
    outer = outer_c._node()
    inner = outer.body[0]
    reject_iter_in_alloc_shapes(P, outer)
    reject_iter_in_alloc_shapes(P, inner)
    if int_of(outer.lo) != 0 or int_of(inner.lo) != 0:
        raise err(P, "both loops must start at 0")
    c = int_of(inner.hi)
    if c is None or c < 1:
        raise err(P, f"the inner loop {inner.iter.name} must have a literal positive bound")
    si = outer.srcinfo
    kk = read_iter(k, si)
    mapping = {outer.iter: c_div(kk, c, si), inner.iter: c_mod(kk, c, si)}
    ed = ProcEditor(proc)
    L = ed.stmt(outer_c)
    inner_c = L.body()[0]
    L = ed.update(L, iter=k, hi=c_mul(outer.hi, cint(c, si), si))
    ed.map_exprs(inner_c.body(), lambda e: subst_expr(e, mapping))
    ed.unwrap(inner_c)
    return ed.finish()


@primitive(loop1_cursor=Loop(), loop2_cursor=Loop())
def join_loops(proc: Procedure, loop1_cursor, loop2_cursor) -> Procedure:
    """Join two consecutive loops with the same body over adjacent ranges::

        for i in seq(lo, mid): s
        for i in seq(mid, hi): s   -->   for i in seq(lo, hi): s

    The verifier must prove ``lo <= mid``, that the second loop starts where
    the first ends, and that it is not empty-by-reversal (``mid <= hi``).
    """
    P = "join_loops"
    c1, c2 = loop1_cursor, loop2_cursor
    s1, s2 = c1._loc.steps, c2._loc.steps
    if not (s1[:-1] == s2[:-1] and s1[-1][0] == s2[-1][0] and s2[-1][1] == s1[-1][1] + 1):
        raise err(P, "the second loop must come right after the first in the same block")
    l1, l2 = c1._node(), c2._node()
    z = cint(0)
    if l1.loop_mode != l2.loop_mode or not stmt_equal(l1.update(lo=z, hi=z),
                                                      l2.update(lo=z, hi=z)):
        raise err(P, "the two loops must have the same body (up to the iterator's name)")
    lo1, hi1 = _term(P, l1.lo, "the first loop's bound"), _term(P, l1.hi, "the first loop's bound")
    lo2, hi2 = _term(P, l2.lo, "the second loop's bound"), _term(P, l2.hi, "the second loop's bound")
    check(must_hold(P, "the second loop must start where the first ends (and neither range "
                       "may be reversed)", conj(lo1 <= hi1, hi1.eq(lo2), lo2 <= hi2),
                    facts_at(proc, c1), (l1.srcinfo, l2.srcinfo)))
    ed = ProcEditor(proc)
    L = ed.stmt(c1)
    ed.delete(c2)
    ed.update(L, hi=l2.hi)
    return ed.finish()


@primitive(loop_cursor=Loop(), cut_point=ControlExpr(at="loop_cursor"))
def cut_loop(proc: Procedure, loop_cursor, cut_point) -> Procedure:
    """Cut a loop's range in two at ``cut_point`` (``lo <= cut_point <= hi``)::

        for i in seq(lo, hi): s   -->   for i in seq(lo, cut): s
                                        for i in seq(cut, hi): s
    """
    P = "cut_loop"
    loop_c, cut = loop_cursor, cut_point
    loop = loop_c._node()
    reject_bound_changed_by(P, loop, ("hi",), loop.body,
                            "the second loop would evaluate it again after the first ran")
    si = loop.srcinfo
    ct = _term(P, cut, "the cut point")
    lo, hi = _term(P, loop.lo, "the loop's bound"), _term(P, loop.hi, "the loop's bound")
    check(must_hold(P, "the cut point must lie within the loop's range (lo <= cut <= hi)",
                    conj(lo <= ct, ct <= hi), facts_at(proc, loop_c), (si,)))
    it = loop.iter.copy()
    second = ir.For(it, cut, loop.hi,
                    subst_block(loop.body, {loop.iter: read_iter(it, si)}, fresh=True),
                    loop.loop_mode, si)
    ed = ProcEditor(proc)
    L = ed.stmt(loop_c)
    ed.update(L, hi=cut)
    ed.insert(L.after(), [second])
    return ed.finish()


@primitive(loop_cursor=Loop(), new_lo=ControlExpr(at="loop_cursor"))
def shift_loop(proc: Procedure, loop_cursor, new_lo) -> Procedure:
    """Shift a loop's range to start at ``new_lo`` (``new_lo >= 0``)::

        for i in seq(m, n): s(i)   -->   for i in seq(new_lo, new_lo + n - m):
                                             s(i + (m - new_lo))

    ``m`` is evaluated again in every iteration, so it must not read a
    configuration field the body may write.
    """
    P = "shift_loop"
    loop_c, nl = loop_cursor, new_lo
    loop = loop_c._node()
    si = loop.srcinfo
    reject_iter_in_alloc_shapes(P, loop)
    reject_bound_changed_by(P, loop, ("lo",), loop.body, _REINDEXED)
    nlt = _term(P, nl, "new_lo")
    check(must_hold(P, "the new lower bound must be non-negative",
                    nlt >= 0, facts_at(proc, loop_c), (si,)))
    new_hi = c_add(nl, c_sub(loop.hi, loop.lo, si), si)
    shifted = c_add(read_iter(loop.iter, si), c_sub(loop.lo, nl, si), si)
    ed = ProcEditor(proc)
    L = ed.stmt(loop_c)
    L = ed.update(L, lo=nl, hi=new_hi)
    if not (isinstance(shifted, ir.Read) and shifted.name is loop.iter):
        ed.map_exprs(L.body(), lambda e: subst_expr(e, {loop.iter: shifted}))
    return ed.finish()


@primitive(loop_cursor=Loop())
def unroll_loop(proc: Procedure, loop_cursor) -> Procedure:
    """Replace a loop with literal bounds by copies of its body::

        for i in seq(0, 3): s   -->   s[i -> 0]; s[i -> 1]; s[i -> 2]

    Cursors into the body forward to the first copy.
    """
    P = "unroll_loop"
    loop_c = loop_cursor
    loop = loop_c._node()
    lo, hi = int_of(loop.lo), int_of(loop.hi)
    if lo is None or hi is None:
        raise err(P, f"the bounds of loop {loop.iter.name} must be literal integers")
    reject_iter_in_alloc_shapes(P, loop)
    si = loop.srcinfo
    ed = ProcEditor(proc)
    L = ed.stmt(loop_c)
    if hi <= lo:
        ed.delete(L)
        return ed.finish()
    ed.map_exprs(L.body(), lambda e: subst_expr(e, {loop.iter: cint(lo, si)}))
    copies = []
    for v in range(lo + 1, hi):
        copies.extend(subst_block(loop.body, {loop.iter: cint(v, si)}, fresh=True))
    if copies:
        ed.insert(L.after(), copies)
    ed.unwrap(L)
    return ed.finish()
