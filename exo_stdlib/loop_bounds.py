"""Loop helpers that reshape loop bounds: cutting, rounding, dividing
recursively, specializing on values, unrolling and cleaning up (Exo's
``exo.stdlib.stdlib``), built only from public primitives and cursors::

    p = bound_loop_by_if(p, p.find_loop("i"))        # for i < 16: if i < n  ->  for i < n
    p = divide_loop_recursive(p, p.find_loop("i"), 8) # 8, then 4, 2 for the tails
    p = cut_loop_and_unroll(p, p.find_loop("i"), 1)   # peel the first iteration
"""

from __future__ import annotations

from dataclasses import dataclass

from exo_core.cursors import (BinOpCursor, Cursor, ExprCursor, ForCursor, IfCursor, InvalidCursor,
                              ReadCursor, StmtCursor)
from exo_core.errors import SchedulingError
from exo_core.procedure import Procedure
from exo_core.primitives.exprs import rewrite_expr
from exo_core.primitives.loops import cut_loop, divide_loop, mult_loops, shift_loop, unroll_loop
from exo_core.primitives.scopes import specialize
from exo_core.primitives.simplify import eliminate_dead_code, simplify
from exo_core.primitives.stmts import delete_pass
from exo_core.user_frame import user_entry
from exo_stdlib.cursor_walk import expr_text, follow, relative_steps
from exo_stdlib.traversals import stmts_preorder
from exo_stdlib.loop_helpers import as_loop, as_stmt, check_factor, err, fwd, is_literal_int

__all__ = [
    "bound_loop_by_if", "undo_divide_and_guard_loop", "round_loop", "cut_loop_and_unroll",
    "cut_loop_and_unroll_cursors", "divide_loop_recursive", "divide_loop_recursive_cursors",
    "binary_specialize", "binary_specialize_cursors", "unroll_loops", "cleanup",
]

_GUARD_SHAPE = "Expected loop to be of the following structure:\nfor iter in seq(lo, hi):\n\t if iter < e:"


@dataclass
class cut_loop_and_unroll_cursors:
    """What `cut_loop_and_unroll` left: the loop over the iterations not peeled."""

    loop: ForCursor


@dataclass
class divide_loop_recursive_cursors:
    """What `divide_loop_recursive` made: the outer and inner loop of each
    division (largest factor first) and the last tail loop."""

    outer_loops: list
    inner_loops: list
    tail_loop: ForCursor


@dataclass
class binary_specialize_cursors:
    """What `binary_specialize` made: one copy of the statement per value, in order."""

    stmts: list


def _guarding_if(loop: ForCursor):
    """The ``if`` that is ``loop``'s whole body, when its condition is
    ``iter < e`` and it has no else (None otherwise)."""
    body = loop.body()
    if len(body) != 1 or not isinstance(body[0], IfCursor):
        return None
    guard = body[0]
    cond = guard.cond()
    if not isinstance(guard.orelse(), InvalidCursor) or not isinstance(cond, BinOpCursor):
        return None
    if cond.op() != "<":
        return None
    return guard


@user_entry
def bound_loop_by_if(proc: Procedure, loop) -> Procedure:
    """Turn a loop whose body is ``if iter < e:`` into a loop up to ``e`` (the
    iterations from ``e`` on become an empty loop, as in Exo)::

        for i in seq(0, 16):          for i in seq(0, n):
            if i < n:          ->         x[i] = 1.0
                x[i] = 1.0            for i in seq(n, 16):
                                          pass
    """
    loop = as_loop(proc, loop, "bound_loop_by_if")
    guard = _guarding_if(loop)
    lhs = guard.cond().lhs() if guard is not None else None
    if guard is None or not (isinstance(lhs, ReadCursor) and lhs.name() == loop.name()
                             and len(lhs.idx()) == 0):
        raise err("bound_loop_by_if", _GUARD_SHAPE)
    proc = cut_loop(proc, loop, expr_text(guard.cond().rhs()))
    first = proc.forward(loop)
    second = first.next()
    proc = eliminate_dead_code(proc, first.body()[0])
    proc = eliminate_dead_code(proc, proc.forward(second).body()[0])
    return proc


@user_entry
def undo_divide_and_guard_loop(proc: Procedure, loop) -> Procedure:
    """Undo ``divide_loop(..., tail="guard")``: join the two loops again
    (`mult_loops`, the iterator named as the outer one without its last
    letter) and bound the result by its guard (`bound_loop_by_if`)::

        for io in seq(0, (n + 3) / 4):        for i in seq(0, n):
            for ii in seq(0, 4):        ->        x[i] = 1.0
                if 4 * io + ii < n:           for i in seq(n, (n + 3) / 4 * 4):
                    x[4 * io + ii] = 1.0          pass
    """
    loop = as_loop(proc, loop, "undo_divide_and_guard_loop")
    name = loop.name()
    new_name = name[:-1] if len(name) > 1 else name + "0"
    proc = mult_loops(proc, loop, new_name)
    joined = proc.forward(loop)
    if not isinstance(joined, ForCursor):
        joined = proc.find_loop(new_name)
    guard = _guarding_if(joined)
    if guard is None:
        raise err("undo_divide_and_guard_loop", _GUARD_SHAPE)
    # mult_loops writes the old iterators as ``4 * (i / 4) + i % 4``: that is ``i``
    for e in proc.forward(guard).cond().lhs(), *_index_reads(proc.forward(guard)):
        try:
            proc = rewrite_expr(proc, proc.forward(e), new_name)
        except SchedulingError:
            pass
    return bound_loop_by_if(proc, proc.forward(joined))


def _index_reads(guard: IfCursor) -> list:
    """The index expressions of the accesses in ``guard``'s body that are sums
    (candidates to rewrite as the joined iterator)."""
    out = []
    for s in stmts_preorder(guard.body()):
        for e in getattr(s, "idx", lambda: [])():
            if isinstance(e, BinOpCursor):
                out.append(e)
    return out


@user_entry
def round_loop(proc: Procedure, loop, factor: int, up: bool = True) -> Procedure:
    """Make ``loop`` run a multiple of ``factor`` times: rounded up with a guard
    (``up=True``), or rounded down with the remainder in a tail loop::

        for i in seq(0, n):         for i in seq(0, (n + 3) / 4 * 4):
            x[i] = 1.0        ->        if 4 * (i / 4) + i % 4 < n:
                                            x[4 * (i / 4) + i % 4] = 1.0
    """
    loop = as_loop(proc, loop, "round_loop")
    check_factor(factor, "round_loop")
    name = loop.name()
    proc = divide_loop(proc, loop, factor, [name + "o", name + "i"], tail="guard" if up else "cut")
    return mult_loops(proc, proc.forward(loop), name)


@user_entry
def cut_loop_and_unroll(proc: Procedure, loop, const: int, front: bool = True, rc: bool = False):
    """Peel ``const`` iterations off the front (or, ``front=False``, the back)
    of ``loop`` and unroll them; the remaining loop is shifted to start at 0::

        for i in seq(0, 37):          x[0] = 1.0
            x[i] = 1.0         ->     for i in seq(0, 36):
                                          x[i + 1] = 1.0
    """
    loop = as_loop(proc, loop, "cut_loop_and_unroll")
    check_factor(const, "cut_loop_and_unroll", "const")
    if front:
        lo = loop.lo()
        cut = str(lo.value() + const) if is_literal_int(lo) else f"{expr_text(lo)} + {const}"
    else:
        hi = loop.hi()
        cut = str(hi.value() - const) if is_literal_int(hi) else f"{expr_text(hi)} - {const}"
    proc = cut_loop(proc, loop, cut)
    first = proc.forward(loop)
    second = first.next()
    peeled, rest = (first, second) if front else (second, first)
    proc = shift_loop(proc, proc.forward(peeled), 0)
    if not is_literal_int(proc.forward(peeled).hi()):
        proc = rewrite_expr(proc, proc.forward(peeled).hi(), str(const))
    proc = unroll_loop(proc, proc.forward(peeled))
    proc = shift_loop(proc, proc.forward(rest), 0)
    if not rc:
        return proc
    return proc, cut_loop_and_unroll_cursors(proc.forward(rest))


@user_entry
def divide_loop_recursive(proc: Procedure, loop, factor: int, tail: str = "cut", rc: bool = False):
    """Divide ``loop`` by ``factor``, then its tail loop by ``factor // 2``, and
    so on down to a factor of 2 (the last tail stays a loop)::

        for i in seq(0, n):           for io in seq(0, n / 4):
            x[i] = 1.0         ->         for ii in seq(0, 4): ...
                                      for iio in seq(0, n % 4 / 2):
                                          for iii in seq(0, 2): ...
                                      for iii in seq(0, n % 4 % 2): ...
    """
    loop = as_loop(proc, loop, "divide_loop_recursive")
    check_factor(factor, "divide_loop_recursive")
    if tail not in ("cut", "cut_and_guard"):
        raise err("divide_loop_recursive", "tail strategy must be cut or cut_and_guard")
    outer_loops, inner_loops = [], []
    cur = loop
    while factor > 1:
        name = cur.name()
        proc = divide_loop(proc, cur, factor, [name + "o", name + "i"], tail=tail)
        outer = proc.forward(cur)
        outer_loops.append(outer)
        inner_loops.append(outer.body()[0])
        nxt = outer.next()
        if isinstance(nxt, IfCursor) and tail == "cut_and_guard":
            nxt = nxt.body()[0]
        if not isinstance(nxt, ForCursor) or nxt.name() != name + "i":
            cur = InvalidCursor()  # no remainder: the factor divides the trip count
            break
        cur = nxt
        factor //= 2
    if not rc:
        return proc
    return proc, divide_loop_recursive_cursors(fwd(proc, outer_loops), fwd(proc, inner_loops),
                                               fwd(proc, cur))


@user_entry
def binary_specialize(proc: Procedure, stmt, expr, values, rc: bool = False):
    """Specialize ``stmt`` on each of ``values`` of the control expression
    ``expr`` (a cursor inside ``stmt``) by a binary search of ifs; in each
    copy ``expr`` is rewritten as its value. The values must cover every value
    ``expr`` can take::

        assert n <= 2                      if n < 2:
        for i in seq(0, n):        ->          for i in seq(0, 1): ...
            ...                            else:
                                               for i in seq(0, 2): ...
    """
    stmt = as_stmt(proc, stmt, "binary_specialize")
    if not isinstance(expr, ExprCursor):
        raise err("binary_specialize", f"expr must be an expression cursor inside the statement, "
                                       f"got {type(expr).__name__}")
    expr = proc.forward(expr)
    values = list(values) if isinstance(values, (list, tuple)) else values
    if not isinstance(values, list) or not all(isinstance(v, int) and not isinstance(v, bool)
                                               for v in values):
        raise err("binary_specialize", f"values must be a list of integers, got {values!r}")
    if len(values) == 0:
        raise err("binary_specialize", "needs at least two values, got none")
    if len(values) == 1:
        raise err("binary_specialize", "Cannot specialize given one value!")
    values = sorted(set(values))
    steps = relative_steps(stmt, expr)
    text = expr_text(expr)
    leaves: list = []
    proc = _specialize_on(proc, stmt, steps, text, values, leaves)
    if not rc:
        return proc
    return proc, binary_specialize_cursors(fwd(proc, leaves))


def _specialize_on(proc, stmt, steps, text, values, leaves):
    if len(values) == 1:
        target = follow(proc.forward(stmt), steps)
        try:
            proc = rewrite_expr(proc, target, str(values[0]))
        except SchedulingError:
            raise err("binary_specialize", f"cannot show {text} == {values[0]} in its branch: the "
                                           f"values must cover every value {text} can take") from None
        leaves.append(proc.forward(stmt))
        return proc
    mid = len(values) // 2
    before = stmt.parent() if not isinstance(stmt.parent(), InvalidCursor) else None
    proc = specialize(proc, stmt, f"{text} < {values[mid]}")
    branch = _new_if(proc, stmt, before)
    proc = _specialize_on(proc, branch.body()[0], steps, text, values[:mid], leaves)
    branch = proc.forward(branch)
    return _specialize_on(proc, branch.orelse()[0], steps, text, values[mid:], leaves)


def _new_if(proc: Procedure, stmt: StmtCursor, parent) -> IfCursor:
    """The if that `specialize` put where ``stmt`` was."""
    c = proc.forward(stmt)
    if isinstance(c, IfCursor) and not isinstance(c.orelse(), InvalidCursor) and c.parent() == fwd(proc, parent or InvalidCursor()):
        return c
    while not isinstance(c, InvalidCursor) and not isinstance(c, IfCursor):
        c = c.parent()
    return c


@user_entry
def unroll_loops(proc: Procedure, block=InvalidCursor(), threshold=None) -> Procedure:
    """Unroll every loop in ``block`` (the whole body by default) whose bounds
    are constants, and, with a ``threshold``, that runs at most that many times
    (inner loops first)::

        for i in seq(0, 8):                 for i in seq(0, 8):
            for j in seq(0, 2):      ->         x[i, 0] = 1.0
                x[i, j] = 1.0                   x[i, 1] = 1.0     # threshold=2
    """
    if threshold is not None and (not isinstance(threshold, int) or isinstance(threshold, bool)):
        raise err("unroll_loops", f"threshold must be None or an integer, got {threshold!r}")
    if isinstance(block, InvalidCursor) or block is None:
        block = proc.body()
    elif isinstance(block, Cursor):
        block = proc.forward(block)
    else:
        raise err("unroll_loops", f"expected a block or statement cursor, got {type(block).__name__}")
    loops = [s for s in stmts_preorder(block) if isinstance(s, ForCursor)]
    for loop in reversed(loops):  # inner loops first
        loop = proc.forward(loop)
        if isinstance(loop, InvalidCursor):
            continue
        lo, hi = loop.lo(), loop.hi()
        if not (is_literal_int(lo) and is_literal_int(hi)):
            continue
        if threshold is None or hi.value() - lo.value() <= threshold:
            proc = unroll_loop(proc, loop)
    return proc


@user_entry
def cleanup(proc: Procedure) -> Procedure:
    """Simplify, drop code that never runs (`eliminate_dead_code` on every loop
    and if where it applies) and ``pass`` statements::

        for i in seq(0, n):
            pass                      ->    x[0] = 2.0
        if n < 0:
            x[0] = 1.0
        x[0] = 2.0
    """
    proc = simplify(proc)
    for s in list(stmts_preorder(proc.body())):
        s = proc.forward(s)
        if isinstance(s, (ForCursor, IfCursor)):
            try:
                proc = eliminate_dead_code(proc, s)
            except SchedulingError:
                pass
    proc = delete_pass(proc)
    return simplify(proc)
