"""Loop primitives that change the order of execution or the number of
times code runs: reorder_loops, fission, autofission, remove_loop, add_loop.

Their soundness checks are dependence questions (`exo_core.analysis`):
interchange must keep every pair of conflicting accesses in order; fission
must not let a later iteration of the first half run before an earlier
iteration of the second half it conflicts with; removing or adding a loop
needs an idempotent body and a loop that runs at least once.
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.cursors.base import lift
from exo_core.cursors.paths import BlockLoc, GapLoc, NodeLoc, resolve
from exo_core.analysis.obligations import discharge, must_hold
from exo_core.errors import SchedulingError
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.procedure import Procedure
from exo_core.analysis import block_idempotent, block_untouched_by, ctrl_term, loop_fissionable
from exo_core.analysis.binding import check_block_closes_scope, escaping_binding
from exo_core.user_frame import caller_srcinfo
from exo_core.primitives.ir_build import c_cmp, cint, config_reads, read_iter, uses_sym
from exo_core.primitives.arguments import Block, Bool, ControlExpr, Gap, Int, Loop, NestedLoops, NewName, err
from exo_core.primitives.loop_common import (check, check_interchange, configs_written,
                          facts_at, reject_bound_changed_by, windows_of)
from exo_core.primitives.signature import primitive

__all__ = ["reorder_loops", "fission", "autofission", "remove_loop", "add_loop"]


@primitive(nested_loops=NestedLoops())
def reorder_loops(proc: Procedure, nested_loops) -> Procedure:
    """Interchange two directly nested loops::

        for i in _:              for j in _:
            for j in _:   -->        for i in _:
                s                        s

    ``nested_loops`` is the outer loop (a cursor or pattern) or the shorthand
    ``"i j"``. Rejected when the inner bounds depend on ``i``, or when some
    iteration (i, j) conflicts with a later one (i', j') with i < i' and
    j > j' (their order would flip). A cursor to either loop follows that
    loop: one to the outer loop ``i`` points to the inner loop afterwards.
    """
    P = "reorder_loops"
    outer_c = nested_loops
    outer = outer_c._node()
    inner = outer.body[0]
    check_interchange(P, proc, outer_c, outer, inner)
    ed = ProcEditor(proc)
    ed.swap_nest(ed.stmt(outer_c))
    return ed.finish()


# --------------------------------------------------------------------------
# fission


def _check_loop_fission(P: str, loop: ir.For, pre: list, post: list, ctx, windows) -> None:
    """Splitting ``loop`` at ``pre | post`` is safe when no iteration of
    ``post`` conflicts with a later iteration of ``pre``; or else when
    ``pre`` does not use the iterator, is idempotent, and ``post`` writes
    nothing ``pre`` accesses (every run of ``pre`` writes the same values, so
    running them all first changes nothing ``post`` reads)."""
    try:
        check(loop_fissionable(P, loop, pre, post, ctx, windows))
    except SchedulingError as conflict:
        if uses_sym(pre, loop.iter):
            raise
        try:
            check(block_idempotent(P, pre, ctx, windows))
            check(block_untouched_by(P, loop, pre, post, ctx, windows))
        except SchedulingError:
            raise conflict from None


def _fission(proc: Procedure, gap, n_lifts, checks: bool, P: str):
    """Fission ``n_lifts`` levels up from a gap (a resolved cursor). Returns
    the new procedure and, per split loop, cursors to its two halves (of
    intermediate versions: ``new.forward`` them)."""
    g = gap._loc
    if not 0 < g.pos < len(getattr(resolve(proc._root, g.owner), g.field)):
        raise err(P, "expected the gap to be between two statements, not at the edge of a block")
    ed = ProcEditor(proc)
    split_loops = []
    renaming: dict = {}  # iterator of a split loop -> that of its second copy
    for level in range(n_lifts):
        cur = ed.current()
        owner_steps, field, pos = g.owner, g.field, g.pos
        if not owner_steps:
            raise err(P, f"cannot lift {n_lifts} levels: level {level + 1} would lift past "
                         "the procedure body")
        owner = resolve(cur._root, owner_steps)
        block = list(getattr(owner, field))
        pre, post = block[:pos], block[pos:]
        escaping = escaping_binding(block, 0, pos)
        if escaping is not None:
            raise err(P, f"{escaping[0].name} is defined before the cut and used after it; "
                         "lift its definition out first")
        owner_c = lift(cur, NodeLoc(owner_steps))
        post_loc = BlockLoc(owner_steps, field, pos, len(block))
        if isinstance(owner, ir.For):
            reject_bound_changed_by(P, owner, ("lo", "hi"), pre,
                                    "the second loop would evaluate it again after the "
                                    "statements before the cut ran")
            if checks:
                _check_loop_fission(P, owner, pre, post, facts_at(cur, owner_c), windows_of(cur))

            # The second loop binds an iterator of its own (a symbol is bound
            # once): renamed in one pass over the second copies at the end,
            # so that the checks of the levels above see the statements after
            # the cut as they were (their effects are cached by node).
            renaming[owner.iter] = owner.iter.copy()

            def make(b, o=owner):
                return ir.For(o.iter, o.lo, o.hi, b, o.loop_mode, o.srcinfo)
        else:
            # the second if evaluates the condition again, after whichever
            # branch's statements before the cut ran
            first_part = pre + list(owner.orelse) if field == "body" else list(owner.body) + pre
            if config_reads(owner.cond) & configs_written(first_part).keys():
                raise err(P, "the if condition reads a configuration field that the "
                             "statements before the cut write")

            def make(b, o=owner):
                return ir.If(o.cond, b, [], o.srcinfo)
        second = ed.wrap(lift(ed.current(), post_loc), make)
        moved = ed.move(second, ed.stmt(owner_c).after())
        if isinstance(owner, ir.If) and field == "orelse":
            # a cut in the else branch: as in Exo, the then branch stays with
            # the first part and the second if gets `if p: pass else: post`
            ed.move(ed.stmt(moved[0]).body(),
                    lift(ed.current(), GapLoc(ed.cursor(moved[0])._loc.steps, "orelse", 0,
                                              "before")))
            moved = ed.cursor(moved)
        elif isinstance(owner, ir.If) and len(owner.orelse):
            # as in Exo, the else branch goes with the part after the cut
            ed.move(ed.stmt(owner_c).orelse(),
                    lift(ed.current(), GapLoc(ed.cursor(moved[0])._loc.steps, "orelse", 0,
                                              "before")))
            moved = ed.cursor(moved)
        k = moved._loc.lo
        g = GapLoc(moved._loc.owner, moved._loc.field, k, "before")
        if isinstance(owner, ir.For):
            split_loops.append((ed.cursor(owner_c), moved[0]))
    if renaming:
        # The last level's second statement holds every second copy (each
        # level's post block starts with the level below's second copy), and
        # a split loop's iterator occurs in no other code after the cut.
        ed.rename(moved[0], renaming)
    return ed.finish(), split_loops


@primitive(gap_cursor=Gap(), n_lifts=Int(min=1), unsafe_disable_checks=Bool())
def fission(proc: Procedure, gap_cursor, n_lifts: int = 1,
            unsafe_disable_checks: bool = False) -> Procedure:
    """Split the loops and ifs around a gap into two copies, ``n_lifts``
    levels up::

        for i in _:            for i in _:
            s1                     s1
              <- gap    -->    for i in _:
            s2                     s2

    Rejected when an iteration of ``s2`` conflicts with a later iteration of
    ``s1`` (fission would run that ``s1`` first).
    """
    new, _ = _fission(proc, gap_cursor, n_lifts, not unsafe_disable_checks, "fission")
    return new


@primitive(gap_cursor=Gap(), n_lifts=Int(min=1))
def autofission(proc: Procedure, gap_cursor, n_lifts: int = 1) -> Procedure:
    """`fission`, then remove each resulting loop whose body no longer uses
    its iterator, when that is provably safe (the loop runs at least once and
    its body is idempotent); other loops are kept."""
    new, halves = _fission(proc, gap_cursor, n_lifts, True, "autofission")
    for pair in halves:
        for c in pair:
            c = new.forward(c)
            if c and isinstance(c._node(), ir.For):
                new = _try_remove(new, c)
    return new


def _try_remove(proc: Procedure, loop_c) -> Procedure:
    loop = loop_c._node()
    if uses_sym(loop.body, loop.iter):
        return proc
    try:
        return _remove_loop(proc, loop_c, False, "autofission", guard_if_maybe_empty=False)
    except SchedulingError:
        return proc


# --------------------------------------------------------------------------
# remove_loop / add_loop


def _remove_loop(proc, loop_c, unsafe, P, guard_if_maybe_empty):
    loop = loop_c._node()
    if uses_sym(loop.body, loop.iter):
        raise err(P, f"the loop body uses the iterator {loop.iter.name}; the loop cannot "
                     "be removed")
    ctx = facts_at(proc, loop_c)
    lo, hi = ctrl_term(loop.lo), ctrl_term(loop.hi)
    # Whether to guard is a choice, not a check: made with unsafe_disable_check too.
    runs = must_hold(P, f"loop {loop.iter.name} must run at least once", hi > lo, ctx,
                     (loop.srcinfo,)) if lo is not None and hi is not None else None
    guard = False
    if guard_if_maybe_empty:
        guard = runs is None or discharge(runs).status != "proved"
    elif not unsafe:
        if runs is None:
            raise err(P, "could not prove the loop runs at least once: its bounds are "
                         "not expressions the verifier can reason about")
        check(runs)
    if not unsafe:
        check(block_idempotent(P, list(loop.body), ctx, windows_of(proc)))
    ed = ProcEditor(proc)
    if guard:
        si = loop.srcinfo
        ed.wrap(ed.stmt(loop_c).body(), lambda b: ir.If(c_cmp(">", loop.hi, loop.lo, si), b, [], si))
    ed.unwrap(ed.stmt(loop_c))
    return ed.finish()


@primitive(loop_cursor=Loop(), unsafe_disable_check=Bool())
def remove_loop(proc: Procedure, loop_cursor, unsafe_disable_check: bool = False) -> Procedure:
    """Replace a loop by its body::

        for i in _:       -->   s
            s

    The body must not use ``i`` and must be idempotent (running it twice =
    running it once). When the loop is not proven to run at least once, the
    body is guarded by the loop's condition, as in Exo::

        for k in seq(0, K / 4):     -->   if K / 4 > 0:
            s                                 s
    """
    return _remove_loop(proc, loop_cursor, unsafe_disable_check, "remove_loop",
                        guard_if_maybe_empty=True)


@primitive(block_cursor=Block(), iter_name=NewName(near="block_cursor"),
           hi_expr=ControlExpr(at="block_cursor"), guard=Bool(), unsafe_disable_check=Bool())
def add_loop(proc: Procedure, block_cursor, iter_name: str, hi_expr, guard: bool = False,
             unsafe_disable_check: bool = False) -> Procedure:
    """Wrap a block in a loop ``for iter_name in seq(0, hi_expr)``::

        s   -->   for k in seq(0, hi):        (guard=True:  for k in seq(0, hi):
                      s                                         if k == 0:
                                                                    s)

    The loop must run at least once; without ``guard`` the block must be
    idempotent.
    """
    P = "add_loop"
    blk, it, hi = block_cursor, iter_name, hi_expr
    stmts = list(blk._node())
    check_block_closes_scope(P, proc._root, blk._loc, caller_srcinfo())
    si = stmts[0].srcinfo
    if not unsafe_disable_check:
        ctx = facts_at(proc, blk)
        ht = ctrl_term(hi)
        if ht is None:
            raise err(P, "could not prove the new loop runs at least once: its bound is not "
                         "an expression the verifier can reason about")
        check(must_hold(P, f"the new loop {it.name} must run at least once",
                        ht >= 1, ctx, (si,)))
        if not guard:
            check(block_idempotent(P, stmts, ctx, windows_of(proc)))
    ed = ProcEditor(proc)
    target = blk
    if guard:
        target = ed.wrap(blk, lambda b: ir.If(c_cmp("==", read_iter(it, si), cint(0, si), si),
                                              b, [], si))
    ed.wrap(target, lambda b: ir.For(it, cint(0, si), hi, b, "seq", si))
    return ed.finish()
