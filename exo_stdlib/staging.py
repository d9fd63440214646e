"""Staging helpers (Exo's ``exo.stdlib.stdlib`` family): moving values into
temporaries and temporaries into registers.

Written only with public primitives and cursors::

    t : f32[2]                          t_0 : f32
    t[0] = x[0]                 -->     t_1 : f32
    t[1] = x[1]                         t_0 = x[0]
                                        t_1 = x[1]
    # unroll_buffers(p)
"""

from __future__ import annotations

from typing import NamedTuple

from exo_core.cursors.base import Cursor, ExoType, InvalidCursor
from exo_core.cursors.expr_cursors import ExprCursor, ReadCursor
from exo_core.cursors.stmt_cursors import (AllocCursor, AssignCursor, BlockCursor, ForCursor,
                                           IfCursor, ReduceCursor, StmtCursor)
from exo_core.errors import InvalidCursorError, SchedulingError
from exo_core.ir.memory import DRAM
from exo_core.procedure import Procedure
from exo_core.primitives.buffers_alloc import delete_buffer, lift_alloc
from exo_core.primitives.buffers_dims import unroll_buffer
from exo_core.primitives.buffers_memory import set_memory, set_precision
from exo_core.primitives.buffers_staging import stage_mem
from exo_core.primitives.expr_binding import bind_expr, inline_assign
from exo_core.primitives.loop_order import fission, remove_loop
from exo_core.primitives.writes import fold_into_reduce, merge_writes
from exo_core.user_frame import scheduling_error, user_entry
from exo_stdlib.cursor_walk import (data_reads, declaration, fresh_name, mentions,
                                  numeric_children, stmt_of, stmts_in)
from exo_stdlib.higher_order import attempt, make_pass
from exo_stdlib.parallel_allocs import parallelize_and_lift_alloc

__all__ = ["unroll_buffers", "bind_and_set_expr", "bind_and_set_expr_cursors",
           "stage_expr_into_memory", "dealias", "ordered_stage_expr", "cse", "unfold_reduce",
           "stage_compute", "dealiasing_pass", "inline_copies"]


@user_entry
def unroll_buffers(proc: Procedure, block=InvalidCursor(), mem=None) -> Procedure:
    """Unroll every buffer allocated in ``block`` (the whole procedure when
    ``block`` is not given) into scalars, one per constant index used::

        t : f32[2, 8] @ AVX2                t_0 : f32[8] @ AVX2
        t[0, i] = ...               -->     t_1 : f32[8] @ AVX2
        t[1, i] = ...                       t_0[i] = ...
                                            t_1[i] = ...
        # unroll_buffers(p, mem=AVX2)

    A buffer in memory ``mem`` keeps its last dimension (a vector register
    holds a row); any other buffer loses all its dimensions. Each step is
    `unroll_buffer` of dimension 0, so an index that is not a constant
    raises its error (unroll the loop first). Buffers are taken in program
    order, the buffers a step creates after the ones already there.
    """
    work = [a for a in stmts_in(proc, block, 'unroll_buffers') if isinstance(a, AllocCursor)]
    while work:
        alloc = proc.forward(work.pop(0))
        keep = 1 if mem is not None and alloc.mem() is mem else 0
        if len(alloc.shape()) <= keep:
            continue
        proc = unroll_buffer(proc, alloc, 0)
        try:
            parts = proc.forward(alloc.as_block())
        except InvalidCursorError:
            parts = InvalidCursor()
        if isinstance(parts, InvalidCursor):  # no index was used: the buffer is gone
            continue
        work.extend(s for s in parts if isinstance(s, AllocCursor))
    return proc


class bind_and_set_expr_cursors(NamedTuple):
    """What `bind_and_set_expr(..., rc=True)` returns besides the procedure:
    the new allocation, the read of the new buffer where the (first) bound
    expression was, and the bound expression (the right-hand side of the new
    assignment)."""

    alloc: AllocCursor
    bound_expr: ExprCursor
    expr_reads: ExprCursor


@user_entry
def bind_and_set_expr(proc: Procedure, exprs, precision, memory, new_name=None, rc=False):
    """`bind_expr` the expression(s) ``exprs`` to a new scalar of the given
    precision and memory (named ``new_name``, or the first free ``varN``)::

        y[i] = x[i] * z[i] + c      -->     var0 : f32 @ AVX2
                                            var0 = x[i] * z[i]
                                            y[i] = var0 + c

    With ``rc=True`` returns ``(proc, bind_and_set_expr_cursors(...))``.
    """
    exprs = _expr_list(proc, exprs, "bind_and_set_expr")
    name = fresh_name(proc) if new_name is None else new_name
    proc = bind_expr(proc, exprs, name)
    bound = proc.forward(exprs[0])
    alloc = declaration(proc, bound)
    user = stmt_of(bound)
    at = _position(bound, user)
    proc = set_precision(proc, alloc, precision)
    proc = set_memory(proc, alloc, memory)
    if not rc:
        return proc
    alloc = proc.forward(alloc)
    # set_precision may rebuild the expressions around the read: find it again
    bound = data_reads(proc.forward(user).rhs())[at] if at is not None else proc.forward(bound)
    return proc, bind_and_set_expr_cursors(alloc, bound, alloc.next().rhs())


@user_entry
def stage_expr_into_memory(proc: Procedure, exprs, precision, memory):
    """Bind ``exprs`` into a new scalar in ``memory`` (as `bind_and_set_expr`)
    unless the (first) expression already is a read of a buffer in
    ``memory``. Returns ``(proc, cursor)``: the read that now stands where
    the expression was (the expression itself when nothing was staged)."""
    exprs = _expr_list(proc, exprs, "stage_expr_into_memory")
    first = exprs[0]
    if isinstance(first, ReadCursor) and declaration(proc, first).mem() is memory:
        return proc, first
    proc, cs = bind_and_set_expr(proc, exprs, precision, memory, rc=True)
    return proc, cs.bound_expr


@user_entry
def dealias(proc: Procedure, stmt) -> Procedure:
    """Give every read of a buffer that the statement ``stmt`` reads more than
    once, except the last, a scalar of its own; when the statement also
    writes a buffer it reads, bind its whole right-hand side too, so no two
    operands (and no operand and the destination) name the same buffer::

        y[i] = y[i] * x[i] * x[i]   -->     var0 : f32 @ DRAM
                                            var0 = x[i]
                                            var1 : f32 @ DRAM
                                            var1 = y[i] * x[i] * var0
                                            y[i] = var1

    The reads are taken buffer by buffer (in the order each buffer is first
    read), left to right within a buffer; each new scalar is in the memory of
    the buffer it copies (of the destination, for the right-hand side).
    """
    stmt = _forward(proc, stmt)
    if not isinstance(stmt, (AssignCursor, ReduceCursor)):
        raise scheduling_error(f"dealias: expected an assignment or a reduction, got "
                               f"{type(stmt).__name__}")
    groups: dict = {}  # buffer -> positions of its reads in data_reads(rhs)
    for k, r in enumerate(data_reads(stmt.rhs())):
        groups.setdefault(r.name(), []).append(k)
    for positions in groups.values():
        for k in positions[:-1]:
            # a bound read becomes a read of the new scalar: positions stay
            r = data_reads(proc.forward(stmt).rhs())[k]
            proc = bind_and_set_expr(proc, r, _precision(r), declaration(proc, r).mem())
    if stmt.name() in groups:
        stmt = proc.forward(stmt)
        rhs = stmt.rhs()
        proc = bind_and_set_expr(proc, rhs, _precision(rhs), declaration(proc, stmt).mem())
    return proc


@user_entry
def ordered_stage_expr(proc: Procedure, expr_cursors, new_buff_name: str, precision,
                       n_lifts: int = 1) -> Procedure:
    """Bind ``expr_cursors`` to a new buffer and compute it in loops of its
    own, before the loops that use it, ``n_lifts`` loops up. Each loop the
    expression depends on adds a dimension (`parallelize_and_lift_alloc`);
    a loop it does not depend on is removed from around the new loop::

        for i in seq(0, n):                 for i in seq(0, n):
            for j in seq(0, 8):                 t : f32[8]
                y[i, j] = x[i, j] * z[j]        for j in seq(0, 8):
                                                    t[j] = x[i, j]
                                                for j in seq(0, 8):
                                                    y[i, j] = t[j] * z[j]
        # ordered_stage_expr(p, [p.find("x[_]")], "t", "f32")
    """
    P = "ordered_stage_expr"
    exprs = _expr_list(proc, expr_cursors, P)
    if isinstance(n_lifts, bool) or not isinstance(n_lifts, int) or n_lifts < 0:
        raise scheduling_error(f"{P}: n_lifts must be a non-negative int, got {n_lifts!r}")
    proc = bind_expr(proc, exprs, new_buff_name)
    alloc = declaration(proc, proc.forward(exprs[0]))
    assign = alloc.next()
    removable = []  # the levels (0: innermost) the expression does not depend on
    for level in range(n_lifts):
        alloc, assign = proc.forward(alloc), proc.forward(assign)
        scope = alloc.parent()
        if not isinstance(scope, ForCursor):
            raise scheduling_error(f"{P}: lifting the staged computation out of "
                                   f"{'an if' if isinstance(scope, IfCursor) else 'the procedure'}"
                                   " is not supported yet")
        if mentions(assign.rhs(), scope.name()):
            proc = parallelize_and_lift_alloc(proc, alloc)
        else:
            proc = lift_alloc(proc, alloc)
            removable.append(level)
        part = proc.forward(assign)
        while part.parent() != proc.forward(scope):
            part = part.parent()
        proc = fission(proc, part.after())
    for level in reversed(removable):  # outer loops first: inner depths stay put
        loop = proc.forward(assign)
        for _ in range(level + 1):
            loop = loop.parent()
        try:
            proc = remove_loop(proc, loop)
        except SchedulingError:
            pass
    return set_precision(proc, proc.forward(alloc), precision)


@user_entry
def cse(proc: Procedure, block, precision) -> Procedure:
    """Common subexpression elimination of the reads in ``block``: every
    distinct read (same buffer, same indices) of a buffer the block does not
    write gets one scalar of ``precision``, bound before its first use; a
    buffer the block reads and writes is staged (`stage_mem`) into a scalar
    for the whole block::

        y[i] = x[i] * z[i] + x[i] * y[i]    -->     var0 : f32 @ DRAM
                                                    var0 = x[i]
                                                    var1 : f32 @ DRAM
                                                    var1 = y[i]
                                                    var1 = var0 * z[i] + var0 * var1
                                                    y[i] = var1
    """
    P = "cse"
    stmts = [s for s in stmts_in(proc, block, P) if isinstance(s, (AssignCursor, ReduceCursor))]
    written = {s.name() for s in stmts}
    names: dict = {}  # the text of each distinct read -> its buffer
    for s in stmts:
        for r in data_reads(s.rhs()):
            names.setdefault(str(r), r.name())
    staged: dict = {}
    for text, name in names.items():
        if name in written:
            staged.setdefault(name, set()).add(text)
            continue
        # found afresh each time: set_precision may rebuild the expressions around a read
        reads = [r for s in stmts for r in data_reads(proc.forward(s).rhs()) if str(r) == text]
        proc = bind_and_set_expr(proc, reads, precision, DRAM)
    for name, points in staged.items():
        writes = {_write_text(s) for s in stmts if s.name() == name}
        if len(points | writes) != 1:
            raise scheduling_error(f"{P}: {name} is read and written at several places in the "
                                   "block; staging it is not supported yet")
        blk = _forward(proc, block)
        blk = blk.as_block() if isinstance(blk, StmtCursor) else blk
        proc = stage_mem(proc, blk, points.pop(), fresh_name(proc))
    return proc


@user_entry
def unfold_reduce(proc: Procedure, reduce) -> Procedure:
    """Turn a reduction into an assignment of the sum::

        y[i] += e       -->     y[i] = y[i] + (e)

    (staging ``y[i]`` into a scalar, merging the two writes and inlining the
    scalar back, as the reference does).
    """
    return _unfold(proc, reduce)[0]


def _unfold(proc: Procedure, reduce):
    """`unfold_reduce`, and a cursor to the new assignment."""
    reduce = _forward(proc, reduce)
    if not isinstance(reduce, ReduceCursor):
        raise scheduling_error(f"unfold_reduce: expected a reduction, got "
                               f"{type(reduce).__name__}")
    tmp = fresh_name(proc, "tmp")
    proc = stage_mem(proc, reduce.as_block(), _write_text(reduce), tmp)
    load = proc.forward(reduce).prev()  # tmp = y[i]
    alloc = load.prev()
    proc = merge_writes(proc, load.as_block().expand(0, 1))
    proc = inline_assign(proc, proc.forward(alloc).next())  # tmp = y[i] + (e)
    assign = proc.forward(alloc).next()  # y[i] = y[i] + (e)
    proc = delete_buffer(proc, proc.forward(alloc))
    return proc, proc.forward(assign)


@user_entry
def stage_compute(proc: Procedure, block=InvalidCursor(), precision="R", memory=DRAM,
                  children_ops=()) -> Procedure:
    """Compute every operation of the assignments in ``block`` (the whole
    procedure by default) in a scalar of its own, of ``precision`` and in
    ``memory``, one operation per statement, operands first::

        y[i] = x[i] * 2.0 + x[i]    -->     var0 : f32 @ DRAM
                                            var1 : f32 @ DRAM
                                            var1 = 2.0
                                            var0 = x[i] * var1
                                            y[i] = var0 + x[i]
        # stage_compute(p, p.find("y[_] = _"), "f32")

    Reductions are unfolded first (``y += e`` becomes ``y = y + (e)``) and
    folded back at the end. The whole right-hand side is staged unless the
    destination is in ``memory``; a read of a buffer already in ``memory``
    is not staged. ``children_ops`` are rules ``rule(proc, expr)`` that may
    return the operands to stage instead of the expression's own (see
    `fma_rule`, `abs_rule`); the first that returns some wins. Finally every
    statement is `dealias`-ed where it can be.
    """
    block = proc.body() if isinstance(block, InvalidCursor) else _forward(proc, block)
    block = block.as_block() if isinstance(block, StmtCursor) else block
    stmts = stmts_in(proc, block, "stage_compute")
    for k, s in enumerate(stmts):
        if isinstance(proc.forward(s), ReduceCursor):
            proc, stmts[k] = _unfold(proc, s)
            if len(block) == 1 and block[0] == s:  # the block was the reduction
                block = stmts[k].as_block()
    for s in stmts:
        s = proc.forward(s)
        if not isinstance(s, AssignCursor):
            continue
        if declaration(proc, s).mem() is memory:
            proc = _stage_operands(proc, s, precision, memory, children_ops)
        else:
            proc = _stage(proc, s.rhs(), precision, memory, children_ops)
    block = proc.forward(block)
    for s in stmts_in(proc, block, "stage_compute"):
        if isinstance(proc.forward(s), AssignCursor):
            try:
                proc = fold_into_reduce(proc, proc.forward(s))
            except SchedulingError:
                pass
    for s in stmts_in(proc, proc.forward(block), "stage_compute"):
        if isinstance(proc.forward(s), (AssignCursor, ReduceCursor)):
            proc = dealias(proc, s)
    return proc


def _inline_copy(proc: Procedure, stmt) -> Procedure:
    """`inline_assign` of ``stmt`` when it copies a buffer into a scalar."""
    stmt = proc.forward(stmt)
    if not (isinstance(stmt, AssignCursor) and isinstance(stmt.rhs(), ReadCursor)
            and stmt.rhs().type().is_numeric() and not list(stmt.idx())):
        return proc
    return inline_assign(proc, stmt)


dealiasing_pass = make_pass(attempt(dealias))
dealiasing_pass.__name__ = dealiasing_pass.__qualname__ = "dealiasing_pass"
dealiasing_pass.__doc__ = """`dealias` every assignment and reduction in
``block`` (the whole procedure by default) where it applies::

    y[i] = x[i] * x[i]      -->     var0 : f32 @ DRAM
                                    var0 = x[i]
                                    y[i] = var0 * x[i]
"""

inline_copies = make_pass(attempt(_inline_copy))
inline_copies.__name__ = inline_copies.__qualname__ = "inline_copies"
inline_copies.__doc__ = """`inline_assign` every copy of a buffer into a
scalar (``t = y[i]``) in ``block`` (the whole procedure by default) where
it applies::

    t = y[i]                -->     y[i] = y[i] + y[i]
    y[i] = t + t
"""


def _children(proc: Procedure, e, rules) -> list:
    for rule in rules:
        found = rule(proc, e)
        if found:
            return list(found)
    return numeric_children(e)


def _stage(proc: Procedure, exprs, precision, memory, rules) -> Procedure:
    """Stage ``exprs`` into ``memory``, then the operands of what was staged."""
    before = proc
    proc, bound = stage_expr_into_memory(proc, exprs, precision, memory)
    if proc is before:  # a read already in memory
        return proc
    assign = declaration(proc, bound).next()  # var = the staged expression
    return _stage_operands(proc, assign, precision, memory, rules)


def _stage_operands(proc: Procedure, assign, precision, memory, rules) -> Procedure:
    """Stage the operands of ``assign``'s right-hand side, left to right. Each
    operand is found afresh by its position: set_precision may rebuild the
    expressions around a staged one."""
    n = len(_children(proc, assign.rhs(), rules))
    for k in range(n):
        operand = _children(proc, proc.forward(assign).rhs(), rules)[k]
        proc = _stage(proc, operand, precision, memory, rules)
    return proc


def _position(read, stmt):
    """Where ``read`` is among the data reads of ``stmt``'s right-hand side
    (None when it is elsewhere)."""
    if isinstance(stmt, (AssignCursor, ReduceCursor)):
        for k, r in enumerate(data_reads(stmt.rhs())):
            if r == read:
                return k
    return None


def _write_text(s) -> str:
    idx = [str(e) for e in s.idx()]
    return f"{s.name()}[{', '.join(idx)}]" if idx else s.name()


def _forward(proc: Procedure, c):
    if isinstance(c, str):
        return proc.find(c)
    if not isinstance(c, Cursor):
        raise scheduling_error(f"expected a cursor, got {type(c).__name__}")
    return proc.forward(c)


def _expr_list(proc: Procedure, exprs, what: str) -> list:
    items = list(exprs) if isinstance(exprs, (list, tuple)) else [exprs]
    if not items:
        raise scheduling_error(f"{what}: expected at least one expression")
    out = [_forward(proc, e) for e in items]
    for e in out:
        if not isinstance(e, ExprCursor):
            raise scheduling_error(f"{what}: expected expression cursors, got "
                                   f"{type(e).__name__}")
    return out


def _precision(e: ExprCursor) -> str:
    t = e.type()
    return "R" if t is ExoType.R else t.name.lower()
