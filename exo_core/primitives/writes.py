"""Write primitives: `merge_writes`, `split_write`, `fold_into_reduce`,
`lift_reduce_constant`.

    merge_writes(p, p.find("y[i] = _").expand(0, 1))   # y[i] = b; y[i] += c  ->  y[i] = b + c
    split_write(p, p.find("y[i] = _"))                  # y[i] = b + c  ->  y[i] = b; y[i] += c
    fold_into_reduce(p, p.find("y[i] = _"))             # y[i] = y[i] + c  ->  y[i] += c
    lift_reduce_constant(p, p.find("s = 0.0").expand(0, 1))
        # s = 0.0; for i: s += 2.0 * x[i]  ->  s = 0.0; for i: s += x[i]; s = 2.0 * s

Checks (all refusals are SchedulingErrors naming the statement):

- merge_writes: two assignments/reductions of the same buffer at indices
  proven equal under the context, and the second right-hand side does not
  read that buffer (it would see the first write);
- split_write: the right-hand side is an addition whose right operand does
  not read the buffer written (it would see the first half);
- fold_into_reduce: the shape ``x[idx] = x[idx] + e`` (the same indices);
- lift_reduce_constant: ``x[idx] = 0`` (a zero literal) followed by a loop
  whose only accesses to ``x`` are reductions ``x[idx] += c * e`` with one
  constant ``c`` -- a literal, or a read not depending on the loop's
  variables of a buffer the loop does not write.
"""

from __future__ import annotations

import attrs
from exo_verify import conj

import exo_core.ir as ir
from exo_core.analysis.effects import READ, stmt_effects
from exo_core.analysis.logic_partial import context_at, ctrl_term
from exo_core.analysis.obligations import must_hold, require
from exo_core.cursors.base import lift
from exo_core.cursors.paths import NodeLoc
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.cursors.stmt_cursors import AssignCursor
from exo_core.errors import ArgumentTypeError, ArgumentValueError
from exo_core.ir.equal import expr_equal
from exo_core.ir.printer import expr_to_str, stmt_to_str
from exo_core.ir.types import data_result_type
from exo_core.procedure import Procedure
from exo_core.primitives.arguments import Block, Stmt, err
from exo_core.primitives.control_strings import visible_names
from exo_core.primitives.expr_values import ExprBuffers, stmt_line
from exo_core.primitives.ir_build import expr_syms
from exo_core.primitives.signature import primitive
from exo_core.primitives.subprocs import new_call_failures
from exo_core.user_frame import caller_srcinfo

__all__ = ["merge_writes", "split_write", "fold_into_reduce", "lift_reduce_constant"]

_WRITES = (ir.Assign, ir.Reduce)


def _pair(P: str, block_cursor, what: str) -> list:
    stmts = list(block_cursor._node())
    if len(stmts) != 2:
        raise ArgumentValueError(f"{P}: block_cursor: expected a block of {what} (2 "
                                 f"statements), but got a block of size {len(stmts)}",
                                 caller_srcinfo())
    return stmts


def _reads_buffer(root: ir.ProcIR, e: ir.Expr, s: ir.Stmt) -> bool:
    """Does ``e`` read the buffer that the write ``s`` writes (windows resolved)?"""
    return ExprBuffers(root, e).written_by(s) is not None


def _same_indices(a, b) -> bool:
    return len(a) == len(b) and all(expr_equal(x, y) for x, y in zip(a, b))


def _plus(b: ir.Expr, c: ir.Expr, si) -> ir.BinOp:
    return ir.BinOp("+", b, c, data_result_type(b.type, c.type), si)


@primitive(block_cursor=Block())
def merge_writes(proc: Procedure, block_cursor) -> Procedure:
    """Merge two consecutive writes of the same location into one::

        a = b ; a = c    -->  a = c          a = b ; a += c   -->  a = b + c
        a += b ; a = c   -->  a = c          a += b ; a += c  -->  a += b + c

    The indices must be equal under the context (proven), and ``c`` must not
    read the buffer (it would see the first write).
    """
    P = "merge_writes"
    s1, s2 = _pair(P, block_cursor, "two consecutive assignments or reductions")
    for s in (s1, s2):
        if not isinstance(s, _WRITES):
            raise err(P, f"expected assignments or reductions, got {stmt_line(s)}")
    if s1.name is not s2.name or s1.type is not s2.type:
        raise err(P, "expected the two statements' left hand sides to have the same name "
                     f"& type, got {s1.name.name} and {s2.name.name}")
    root = proc.INTERNAL_proc()
    steps = block_cursor[0]._loc.steps
    if not _same_indices(s1.idx, s2.idx):
        terms = [(ctrl_term(a), ctrl_term(b)) for a, b in zip(s1.idx, s2.idx)]
        if any(a is None or b is None for a, b in terms):
            raise err(P, "expected the left hand side's indices to be the same")
        context, _ = context_at(root, steps)
        shown = ", ".join(expr_to_str(e) for e in s1.idx)
        other = ", ".join(expr_to_str(e) for e in s2.idx)
        require(must_hold(P, f"the indices [{other}] of the second write must equal "
                             f"[{shown}] of the first",
                          conj(*(a.eq(b) for a, b in terms)), context), caller_srcinfo())
    if _reads_buffer(root, s2.rhs, s1):
        raise err(P, f"the right hand side of the second statement ({expr_to_str(s2.rhs)}) "
                     f"reads {s1.name.name}, which the first statement writes")
    ed = ProcEditor(proc)
    if isinstance(s2, ir.Assign):
        ed.delete(block_cursor[0])  # the second write overwrites the first
    else:
        rhs = _plus(s1.rhs, s2.rhs, s2.rhs.srcinfo)
        merged = type(s1)(s2.name, s2.type, s2.idx, rhs, s2.srcinfo)
        ed.replace_block(block_cursor, [merged])
    return ed.finish()


@primitive(stmt=Stmt())
def split_write(proc: Procedure, stmt) -> Procedure:
    """Split a write whose right-hand side is an addition into two::

        a = b + c    -->   a = b ; a += c
        a += b + c   -->   a += b ; a += c

    ``c`` must not read the buffer written (it would see ``b``).
    """
    P = "split_write"
    s = stmt._node()
    if not isinstance(s, _WRITES):
        raise ArgumentTypeError(f"{P}: stmt: expected an assignment or a reduction, got "
                                f"{stmt_line(s)}", caller_srcinfo())
    if not (isinstance(s.rhs, ir.BinOp) and s.rhs.op == "+"):
        raise err(P, "Expected the rhs of the statement to be an addition, got "
                     f"{expr_to_str(s.rhs)}")
    b, c = s.rhs.lhs, s.rhs.rhs
    if _reads_buffer(proc.INTERNAL_proc(), c, s):
        raise err(P, f"the right operand {expr_to_str(c)} reads {s.name.name}, which the "
                     "first half would already have written")
    first = type(s)(s.name, s.type, s.idx, b, s.srcinfo)
    second = ir.Reduce(s.name, s.type, s.idx, c, attrs.evolve(s.srcinfo))
    ed = ProcEditor(proc)
    ed.replace_stmt(stmt, [first, second])
    return ed.finish()


@primitive(assign=Stmt(AssignCursor))
def fold_into_reduce(proc: Procedure, assign) -> Procedure:
    """Fold an assignment that adds to the value it overwrites into a
    reduction::

        a[i] = a[i] + e    -->   a[i] += e
    """
    P = "fold_into_reduce"
    s = assign._node()
    if not (isinstance(s.rhs, ir.BinOp) and s.rhs.op == "+"):
        raise err(P, f"The rhs of the assignment must be an add, got {expr_to_str(s.rhs)}")
    lhs = s.rhs.lhs
    if not (isinstance(lhs, ir.Read) and lhs.name is s.name and _same_indices(lhs.idx, s.idx)):
        raise err(P, f"The lhs of the addition is not a read to the lhs of the assignment "
                     f"({expr_to_str(lhs)} is not {stmt_to_str(s).split(' = ')[0].strip()})")
    ed = ProcEditor(proc)
    ed.replace_stmt(assign, [ir.Reduce(s.name, s.type, s.idx, s.rhs.rhs, s.srcinfo)])
    return ed.finish()


def _loop_iters(loop: ir.For) -> set:
    return {loop.iter} | {s.iter for s in ir.walk_stmts(loop.body) if isinstance(s, ir.For)}


def _check_constant(P: str, root: ir.ProcIR, c: ir.Expr, loop: ir.For, loop_steps: tuple) -> None:
    shown = expr_to_str(c)
    if isinstance(c, ir.Const):
        return
    if not isinstance(c, ir.Read):
        raise err(P, f"cannot lift constant {shown}: the factor must be a literal or a read "
                     "of a buffer")
    inner = _loop_iters(loop) & expr_syms(c, set())
    if inner:
        name = sorted(s.name for s in inner)[0]
        raise err(P, f"{shown} depends on the variable {name} which is defined within the loop")
    if ExprBuffers(root, c).written_in([loop]) is not None:
        raise err(P, f"cannot lift constant {shown} because it is a buffer that is written in "
                     "the loop body")
    env = visible_names(root, loop_steps)
    for sym in expr_syms(c, set()):
        if env.get(sym.name, (None,))[0] is not sym:
            raise err(P, f"cannot lift constant {shown}: {sym.name} is not defined after the loop")


@primitive(block_cursor=Block())
def lift_reduce_constant(proc: Procedure, block_cursor) -> Procedure:
    """Lift a constant factor of the reductions of a loop out of it::

        x = 0.0                          x = 0.0
        for i in seq(0, n):      -->     for i in seq(0, n):
            x += c * y[i]                    x += y[i]
                                         x = c * x

    The assignment must set ``x`` to zero; every access to ``x`` in the loop
    must be such a reduction of the same element, all with the same
    constant ``c`` (a literal, or a read independent of the loop of a buffer
    the loop does not write).
    """
    P = "lift_reduce_constant"
    init, loop = _pair(P, block_cursor, "the zero assignment and the loop")
    if not isinstance(init, ir.Assign):
        raise err(P, f"expected the block to start with an assignment, got {stmt_line(init)}")
    if not isinstance(loop, ir.For):
        raise err(P, f"expected the second statement to be a loop, got {stmt_line(loop)}")
    x = init.name
    if not (isinstance(init.rhs, ir.Const) and init.rhs.val == 0
            and not isinstance(init.rhs.val, bool)):
        raise err(P, f"the assignment before the loop must set {x.name} to zero, got "
                     f"{expr_to_str(init.rhs)} (the lifted factor would scale it too)")
    root = proc.INTERNAL_proc()
    base = ExprBuffers(root, ir.Read(x, (), init.type)).base
    form = f"`{x.name} += c * expr`"
    reductions: list = []
    const = None

    def kinds_on_x(s) -> set:
        return {a.kind for a in stmt_effects(s).accesses if base(a.buffer) is x}

    def visit(stmts, owner: tuple, field: str) -> None:
        nonlocal const
        for k, s in enumerate(stmts):
            path = owner + ((field, k),)
            if isinstance(s, ir.For):
                visit(s.body, path, "body")
                continue
            if isinstance(s, ir.If):
                visit(s.body, path, "body")
                visit(s.orelse, path, "orelse")
                continue
            kinds = kinds_on_x(s)
            if READ in kinds:
                raise err(P, "cannot lift constant because the buffer is read in the loop "
                             f"body, at {stmt_line(s)}")
            if not kinds:
                continue
            if not (isinstance(s, ir.Reduce) and s.name is x and _same_indices(s.idx, init.idx)):
                raise err(P, "cannot lift constant because there are other operations on the "
                             f"same buffer that may interfere, at {stmt_line(s)}")
            if not (isinstance(s.rhs, ir.BinOp) and s.rhs.op == "*"):
                raise err(P, "cannot lift constant because did not find a reduce in the loop "
                             f"body of the form {form}, at {stmt_line(s)}")
            if const is None:
                const = s.rhs.lhs
            elif not expr_equal(const, s.rhs.lhs):
                raise err(P, f"cannot lift constant because the reduces to buffer {x.name} in "
                             f"the loop body have different constants ({expr_to_str(const)} "
                             f"and {expr_to_str(s.rhs.lhs)})")
            reductions.append((path, s))

    loop_c = block_cursor[1]
    loop_steps = loop_c._loc.steps
    visit(loop.body, loop_steps, "body")
    if const is None:
        raise err(P, "cannot lift constant because did not find a reduce in the loop body of "
                     f"the form {form}")
    _check_constant(P, root, const, loop, loop_steps)
    ed = ProcEditor(proc)
    for path, s in reductions:
        ed.update(lift(proc, NodeLoc(path)), rhs=s.rhs.rhs)
    si = attrs.evolve(init.srcinfo)
    scaled = ir.BinOp("*", const, ir.Read(x, init.idx, init.type, si),
                      data_result_type(const.type, init.type), si)
    ed.insert(loop_c.after(), [ir.Assign(x, init.type, init.idx, scaled, si)])
    new = ed.finish()
    if isinstance(const, ir.Read) and const.idx:
        failures = new_call_failures(proc, new)
        if failures:
            raise err(P, f"reading the constant {expr_to_str(const)} after the loop would be "
                         f"out of bounds: {failures[0]}")
    return new
