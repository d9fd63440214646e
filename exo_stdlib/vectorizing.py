"""Vectorisation helpers (Exo's ``exo.stdlib.stdlib`` family): splitting a
loop into vector-wide chunks whose every operation has a register of its own,
ready for `replace` by vector instructions. Written only with public
primitives and cursors::

    for i in seq(0, n):                 for io in seq(0, n / 8):
        z[i] = x[i] + y[i]      -->         var1 : f32[8] @ AVX2
                                            for ii in seq(0, 8):
                                                var1[ii] = x[8 * io + ii]
                                            ...
    # vectorize(p, p.find_loop("i"), 8, "f32", AVX2, tail="cut")

The staging rules `fma_rule` and `abs_rule` tell `stage_compute` which
operands to stage for a fused multiply-add or an absolute value.
"""

from __future__ import annotations

from typing import NamedTuple

from exo_core.cursors.base import Cursor, InvalidCursor
from exo_core.cursors.expr_cursors import (BinOpCursor, BuiltInFunctionCursor, LiteralCursor,
                                           UnaryMinusCursor)
from exo_core.cursors.stmt_cursors import ForCursor, IfCursor, ReduceCursor, StmtCursor
from exo_core.errors import SchedulingError
from exo_core.ir.memory import DRAM
from exo_core.procedure import Procedure
from exo_core.primitives.buffers_memory import set_memory
from exo_core.primitives.loop_order import fission, reorder_loops
from exo_core.primitives.loops import cut_loop, divide_loop, mult_loops, unroll_loop
from exo_core.primitives.simplify import eliminate_dead_code, simplify
from exo_core.user_frame import scheduling_error, user_entry
from exo_stdlib.auto_staging import auto_stage_mem
from exo_stdlib.cursor_walk import declaration, fresh_name, mentions, stmts_in
from exo_stdlib.loop_bounds import undo_divide_and_guard_loop
from exo_stdlib.loop_helpers import fission_into_singles
from exo_stdlib.parallel_allocs import parallelize_allocs, parallelize_and_lift_alloc
from exo_stdlib.replacing import replace_all_stmts
from exo_stdlib.staging import stage_compute

__all__ = ["vectorize", "vectorize_predicate_tail", "vectorize_cursors",
           "parallelize_reduction", "parallelize_all_reductions", "parallelize_and_lift_alloc",
           "parallelize_allocs", "fma_rule", "abs_rule"]

_DIVIDE_TAILS = ("cut", "guard", "cut_and_guard", "perfect")
_PREDICATE_TAILS = ("predicate", "cut_and_predicate")


class vectorize_cursors(NamedTuple):
    """What `vectorize(..., rc=True)` returns besides the procedure: the loop
    over vectors (the outer loop of the division)."""

    loop: ForCursor


@user_entry
def vectorize(proc: Procedure, loop, vec_width: int, precision, mem_type, instructions=(),
              rules=(), tail: str = "cut_and_predicate", rc: bool = False):
    """Divide ``loop`` by ``vec_width`` and compute the inner loop's every
    operation in a ``vec_width``-wide buffer of ``mem_type`` (`stage_compute`
    with ``rules``, `parallelize_allocs`, `fission_into_singles`), then
    replace each resulting loop by the first of ``instructions`` it matches
    (`replace_all_stmts`)::

        for i in seq(0, n):                 for io in seq(0, n / 8):
            z[i] = x[i] + y[i]                  var0 : f32[8] @ AVX2
                                                var1 : f32[8] @ AVX2
                                                var2 : f32[8] @ AVX2
                                                for ii in seq(0, 8):
                                                    var1[ii] = x[8 * io + ii]
                                                ...  (var2 = y, var0 = var1 + var2)
                                                for ii in seq(0, 8):
                                                    z[8 * io + ii] = var0[ii]
                                            for ii in seq(0, n % 8):
                                                z[ii + n / 8 * 8] = x[...] + y[...]
        # vectorize(p, p.find_loop("i"), 8, "f32", AVX2, tail="cut")

    ``tail`` is how the iterations past the last full vector run:
    ``"cut"``, ``"guard"``, ``"cut_and_guard"``, ``"perfect"`` (as
    `divide_loop`), ``"predicate"`` (every vector guarded) or
    ``"cut_and_predicate"`` (only the last vector guarded; see
    `vectorize_predicate_tail`). With ``rc=True`` returns
    ``(proc, vectorize_cursors(loop))``.
    """
    loop = _loop(proc, loop, "vectorize")
    if tail in _PREDICATE_TAILS:
        return vectorize_predicate_tail(proc, loop, vec_width, precision, mem_type,
                                        instructions, rules, tail, rc)
    if tail not in _DIVIDE_TAILS:
        raise scheduling_error(f"vectorize: tail must be one of "
                               f"{', '.join(_DIVIDE_TAILS + _PREDICATE_TAILS)}; got {tail!r}")
    name = loop.name()
    if tail == "perfect":
        proc = divide_loop(proc, loop, vec_width, [name + "o", name + "i"], perfect=True)
    else:
        proc = divide_loop(proc, loop, vec_width, [name + "o", name + "i"], tail=tail)
    outer = proc.forward(loop)
    proc, outer = _vectorize_inner(proc, outer, precision, mem_type, rules)
    if instructions:
        proc = replace_all_stmts(proc, list(instructions))
    return (proc, vectorize_cursors(proc.forward(outer))) if rc else proc


@user_entry
def vectorize_predicate_tail(proc: Procedure, loop, vec_width: int, precision, mem_type,
                             instructions=(), rules=(), tail: str = "cut_and_predicate",
                             rc: bool = False):
    """`vectorize` with the iterations past ``n`` masked off by a guard in
    every vector loop (``tail="predicate"``), or, with
    ``tail="cut_and_predicate"``, in the last vector only: the loop over
    vectors is cut before its last iteration and the guards of the full
    vectors, always true there, are removed::

        for i in seq(0, n):                 for io in seq(0, (n + 7) / 8 - 1):
            z[i] = x[i] + y[i]                  ...   (full vectors, no guard)
                                            for io in seq((n + 7) / 8 - 1, (n + 7) / 8):
                                                ...
                                                for ii in seq(0, 8):
                                                    if ii + 8 * io < n:
                                                        z[ii + 8 * io] = var0[ii]
    """
    loop = _loop(proc, loop, "vectorize_predicate_tail")
    if tail not in _PREDICATE_TAILS:
        raise scheduling_error(f"vectorize_predicate_tail: tail must be one of "
                               f"{', '.join(_PREDICATE_TAILS)}; got {tail!r}")
    name = loop.name()
    last_vector = f"({loop.hi()} + {vec_width - 1}) / {vec_width} - 1"
    proc = divide_loop(proc, loop, vec_width, [name + "o", name + "i"], tail="guard")
    proc = simplify(proc)
    outer = proc.forward(loop)
    proc, outer = _vectorize_inner(proc, outer, precision, mem_type, rules)
    outer = proc.forward(outer)
    if tail == "cut_and_predicate":
        proc = cut_loop(proc, outer, last_vector)
        full = proc.forward(outer)
        for s in stmts_in(proc, full.body(), "vectorize_predicate_tail"):
            if isinstance(proc.forward(s), IfCursor):
                proc = eliminate_dead_code(proc, proc.forward(s))
        outer = proc.forward(outer)
    if instructions:
        proc = replace_all_stmts(proc, list(instructions))
    return (proc, vectorize_cursors(proc.forward(outer))) if rc else proc


@user_entry
def parallelize_reduction(proc: Procedure, reduce_stmt, factor=None, memory=DRAM,
                          nth_loop: int = 1, unroll: bool = False) -> Procedure:
    """Give a reduction into a value that the ``nth_loop``-th loop around it
    does not index one partial sum per iteration of the loop inside that
    one, added up after the loops::

        for io in seq(0, 8):                var0 : f32[8] @ memory
            for ii in seq(0, 8):            for ii in seq(0, 8):
                s += x[8 * io + ii]     -->     var0[ii] = 0.0
                                            for io in seq(0, 8):
                                                for ii in seq(0, 8):
                                                    var0[ii] += x[ii + 8 * io]
                                            for ii in seq(0, 8):
                                                s += var0[ii]
        # parallelize_reduction(p, p.find("s += _"), nth_loop=2)

    With a ``factor``, the ``nth_loop``-th loop is first divided by it (and
    put back together afterwards, `undo_divide_and_guard_loop`); with
    ``unroll=True`` the loops that zero and add up the partial sums are
    unrolled. The loop inside the ``nth_loop``-th one must be all of its body
    (they are reordered around the staging).
    """
    P = "parallelize_reduction"
    reduce = proc.find(reduce_stmt) if isinstance(reduce_stmt, str) else \
        proc.forward(reduce_stmt)
    if not isinstance(reduce, ReduceCursor):
        raise scheduling_error(f"{P}: expected a reduction, got {type(reduce).__name__}")
    if isinstance(nth_loop, bool) or not isinstance(nth_loop, int) or nth_loop < 1:
        raise scheduling_error(f"{P}: nth_loop must be a positive int, got {nth_loop!r}")
    loop = _enclosing_loop(reduce, nth_loop, P)
    divided = False
    loop_name = loop.name()
    if factor is not None:
        proc = divide_loop(proc, loop, factor, [loop_name + "o", loop_name + "i"], tail="guard")
        proc = simplify(proc)
        divided = True
    loop = proc.forward(loop)
    proc = reorder_loops(proc, loop)
    staged = proc.forward(loop)  # the loop that was outer (its cursor follows it inside)
    acc = fresh_name(proc)
    proc = auto_stage_mem(proc, staged, reduce.name(), acc, accum=True)
    proc = simplify(proc)
    init = proc.forward(staged).prev()  # acc = 0.0
    alloc = init.prev()
    proc = set_memory(proc, alloc, memory)
    proc = parallelize_and_lift_alloc(proc, proc.forward(alloc))
    proc = fission(proc, proc.forward(init).after())
    proc = fission(proc, proc.forward(staged).after())
    proc = reorder_loops(proc, proc.forward(staged).parent())
    nest = proc.forward(staged)  # the reduction's loops, in their first order again
    if unroll:
        zero, add_up = proc.forward(init).parent(), nest.next()
        proc = unroll_loop(proc, zero)
        proc = unroll_loop(proc, proc.forward(add_up))
    if divided:
        nest = proc.forward(nest)
        if isinstance(nest.body()[0].body()[0], IfCursor):
            proc = undo_divide_and_guard_loop(proc, nest)
        else:  # the factor divides the trip count: divide_loop made no guard
            proc = mult_loops(proc, nest, loop_name)
    return proc


@user_entry
def parallelize_all_reductions(proc: Procedure, loop, factor=None, memory=DRAM,
                               unroll: bool = False) -> Procedure:
    """`parallelize_reduction` of every reduction in ``loop`` that ``loop``
    runs over (``nth_loop`` its depth below ``loop``), where it applies;
    the others are left alone."""
    loop = _loop(proc, loop, "parallelize_all_reductions")
    for s in stmts_in(proc, loop.body(), "parallelize_all_reductions"):
        s = proc.forward(s)
        if not isinstance(s, ReduceCursor):
            continue
        depth, c = 0, s
        while c != proc.forward(loop):
            c = c.parent()
            depth += isinstance(c, ForCursor)
        try:
            proc = parallelize_reduction(proc, s, factor, memory, depth, unroll)
        except SchedulingError:
            pass
    return proc


def _enclosing_loop(c, n: int, what: str) -> ForCursor:
    k = 0
    while True:
        c = c.parent()
        if isinstance(c, InvalidCursor):
            raise scheduling_error(f"{what}: the statement is inside fewer than {n} loops")
        if isinstance(c, ForCursor):
            k += 1
            if k == n:
                return c


@user_entry
def fma_rule(proc: Procedure, expr):
    """A staging rule for `stage_compute` / `vectorize`: the operands of a
    fused multiply-add ``a * b + c`` (or ``c + a * b``), so the product is
    not staged on its own; None for any other expression::

        fma_rule(p, <x[i] * z[i] + y[i]>)    -->     [x[i], z[i], y[i]]
    """
    e = _forward_expr(proc, expr, "fma_rule")
    if not (isinstance(e, BinOpCursor) and e.op() == "+"):
        return None
    lhs, rhs = e.lhs(), e.rhs()
    if isinstance(lhs, BinOpCursor) and lhs.op() == "*":
        return [lhs.lhs(), lhs.rhs(), rhs]
    if isinstance(rhs, BinOpCursor) and rhs.op() == "*":
        return [lhs, rhs.lhs(), rhs.rhs()]
    return None


@user_entry
def abs_rule(proc: Procedure, expr):
    """A staging rule for `stage_compute` / `vectorize`: an absolute value
    written ``select(0.0, a, a, -a)`` stages its three occurrences of ``a``
    as one expression (a list of the three cursors, in a list); None for
    any other expression::

        abs_rule(p, <select(0.0, x[i], x[i], -x[i])>)  -->  [[x[i], x[i], x[i]]]
    """
    e = _forward_expr(proc, expr, "abs_rule")
    if not (isinstance(e, BuiltInFunctionCursor) and e.name() == "select"):
        return None
    zero, a, b, neg = e.args()
    if not (isinstance(zero, LiteralCursor) and zero.value() == 0.0
            and isinstance(neg, UnaryMinusCursor)):
        return None
    c = neg.arg()
    if not str(a) == str(b) == str(c):
        return None
    return [[a, b, c]]


def _forward_expr(proc: Procedure, expr, what: str):
    if not isinstance(expr, Cursor):
        raise scheduling_error(f"{what}: expected an expression cursor, got "
                               f"{type(expr).__name__}")
    return proc.forward(expr)


def _loop(proc: Procedure, loop, what: str) -> ForCursor:
    if isinstance(loop, str):
        loop = proc.find_loop(loop)
    elif isinstance(loop, Cursor):
        loop = proc.forward(loop)
    if not isinstance(loop, ForCursor):
        raise scheduling_error(f"{what}: expected a loop cursor, got {type(loop).__name__}")
    return loop


def _vectorize_inner(proc: Procedure, outer: ForCursor, precision, mem_type, rules):
    """Give the reductions of the vector loop (the one in ``outer``) partial
    sums per lane, then stage every operation of it into its own vector,
    one loop per operation. Returns the procedure and the loop over vectors."""
    name = outer.name()
    anchor = outer.body()[0].body()[0]
    proc = parallelize_all_reductions(proc, outer, memory=mem_type)
    outer = proc.forward(anchor)  # the reordering moved the loops: find them again
    while not (isinstance(outer, ForCursor) and outer.name() == name):
        outer = outer.parent()
    inner = outer.body()[0]
    for s in stmts_in(proc, inner.body(), "vectorize"):
        if isinstance(s, ReduceCursor) and not _indexed_by(s, inner.name()):
            raise scheduling_error(f"vectorize: the reduction into {s.name()} adds up several "
                                   f"iterations of {inner.name()} and could not be given "
                                   "partial sums (parallelize_reduction)")
    proc = stage_compute(proc, inner, precision, mem_type, children_ops=list(rules))
    proc = parallelize_allocs(proc, proc.forward(inner))
    return fission_into_singles(proc, proc.forward(inner)), outer


def _indexed_by(s: ReduceCursor, name: str) -> bool:
    return any(mentions(i, name) for i in s.idx())
