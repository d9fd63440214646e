"""Binding data expressions to scalars and back: `bind_expr`, `inline_assign`.

    bind_expr(p, p.find("32.0 * x[i]", many=True), "b")

        a[i] = 32.0 * x[i] + 4.0          b: f32 @ DRAM
        y[i] = 32.0 * x[i] + a[i]   -->   b = 32.0 * x[i]
                                          a[i] = b + 4.0
                                          y[i] = b + a[i]

    inline_assign(p, p.find("a = _"))

        a = x[i] * 2.0                    y[i] = x[i] * 2.0 + 1.0
        y[i] = a + 1.0              -->

`bind_expr`: the binding goes just before the statement, in the innermost block holding
every bound occurrence, that contains the first cursor. It is sound when the
expression's value at each occurrence is the value it had at the binding:
no statement on the way writes (or reduces into) a buffer or a configuration
field the expression reads (windows and callees included), and a loop on the
way does not write one anywhere in its body (a later iteration would see the
write). Reads the binding moves out of a loop or an ``if`` must stay within
their buffers there; this is proven with the definition checks.
`inline_assign` is the converse and needs the same: the right-hand side
keeps its value down to every use it replaces, the buffer assigned is not
written again, and no other read can see the deleted assignment.
"""

from __future__ import annotations

import attrs

import exo_core.ir as ir
from exo_core.analysis.effects import READ, param_kinds
from exo_core.cursors.base import lift
from exo_core.cursors.paths import GapLoc, NodeLoc, field_value, resolve, stmt_prefix_len
from exo_core.cursors.stmt_cursors import AssignCursor
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.errors import ArgumentTypeError, ArgumentValueError
from exo_core.ir.equal import expr_equal
from exo_core.ir.memory import DRAM
from exo_core.ir.prelude import Sym
from exo_core.ir.printer import expr_to_str, stmt_to_str
from exo_core.ir.types import ScalarType
from exo_core.procedure import Procedure
from exo_core.primitives.arguments import Exprs, Stmt, Text, err, is_valid_identifier
from exo_core.primitives.control_strings import visible_names
from exo_core.primitives.expr_values import ExprBuffers, stmt_line, value_kept
from exo_core.primitives.ir_build import expr_syms, stmt_syms
from exo_core.primitives.signature import primitive
from exo_core.primitives.subprocs import new_call_failures
from exo_core.user_frame import caller_srcinfo

__all__ = ["bind_expr", "inline_assign"]


def _binding_block(paths: list) -> tuple:
    """(owner, field, position) of the statement before which the binding
    goes: in the innermost block holding every occurrence's statement (the
    paths, first cursor first), the statement containing the first one."""
    first = paths[0]
    d = 0
    while d < len(first) and all(len(p) > d and p[d] == first[d] for p in paths):
        d += 1
    if d == len(first):  # every occurrence is in the first cursor's statement
        d -= 1
    elif any(len(p) > d and p[d][0] != first[d][0] for p in paths):
        d -= 1  # the body and the else branch of the same ``if``: bind before it
    return first[:d], first[d][0], first[d][1]


@primitive(expr_cursors=Exprs(patterns="first"), new_name=Text("new_name"))
def bind_expr(proc: Procedure, expr_cursors, new_name: str) -> Procedure:
    """Bind a data expression to a new scalar buffer, reusing it for every
    given occurrence (common subexpression elimination); occurrences of
    other expressions in ``expr_cursors`` are left alone. A pattern string
    selects its first match::

        a = 32.0 * x[i] + 4.0     -- bind_expr(p, "32.0 * x[i]", "b") -->
                                        b: f32 @ DRAM
                                        b = 32.0 * x[i]
                                        a = b + 4.0

    Refused when an occurrence may see a different value than the binding
    (a buffer the expression reads is written in between, or by a loop
    around the occurrence), when the binding would read out of bounds, or
    when an occurrence is a call argument the callee writes.
    """
    P = "bind_expr"
    if not expr_cursors:
        raise ArgumentValueError(f"{P}: expr_cursors must hold at least one expression",
                                 caller_srcinfo())
    if not is_valid_identifier(new_name):
        raise ArgumentTypeError(f"{P}: {new_name!r} is not a valid variable name",
                                caller_srcinfo())
    e = expr_cursors[0]._node()
    if not (isinstance(e.type, ScalarType) and e.type.is_numeric()):
        raise ArgumentTypeError(f"{P}: only numeric (not index or size) expressions can be "
                                f"bound by bind_expr(), got {expr_to_str(e)}", caller_srcinfo())
    root = proc.INTERNAL_proc()
    occurrences, seen = [], set()
    for c in expr_cursors:
        steps = c._loc.steps
        if steps not in seen and expr_equal(c._node(), e):
            seen.add(steps)
            occurrences.append((steps[:stmt_prefix_len(steps)], steps, c))
    owner, field, pos = _binding_block([o[0] for o in occurrences])
    shown = expr_to_str(e)
    depth = len(owner)
    for stmt_path, _, _ in occurrences:
        if stmt_path[depth][1] < pos and stmt_path[depth][0] == field:
            raise err(P, f"cannot bind every occurrence of {shown}: an occurrence comes "
                         "before the first cursor's")

    # the expression's names must be defined where the binding goes
    env = visible_names(root, owner + ((field, pos),))
    for sym in expr_syms(e, set()):
        if env.get(sym.name, (None,))[0] is not sym:
            raise err(P, f"cannot bind every occurrence of {shown}: {sym.name} is not "
                         "defined where the binding would go (before the statement holding "
                         "all of them)")
    block = field_value(resolve(root, owner), field)
    taken = set(env) | {s.name for s in stmt_syms(block[pos:])}
    if new_name in taken:
        raise ArgumentValueError(f"{P}: the name {new_name} is already used here; choose "
                                 "another name", caller_srcinfo())

    value_kept(P, f"cannot bind every occurrence of {shown}", ExprBuffers(root, e), block,
               owner, field, pos, {o[0] for o in occurrences})
    for stmt_path, steps, _ in occurrences:
        if len(steps) == len(stmt_path) + 1 and steps[-1][0] == "args":
            call = resolve(root, stmt_path)
            if any(k != READ for k in param_kinds(call.f)[steps[-1][1]]):
                raise err(P, f"cannot bind {shown}: it is an argument of {call.f.name}, "
                             "which writes it")

    sym = Sym(new_name)
    si = attrs.evolve(e.srcinfo)
    ed = ProcEditor(proc)
    ed.insert(lift(proc, GapLoc(owner, field, pos, "before")),
              [ir.Alloc(sym, e.type, DRAM, si), ir.Assign(sym, e.type, (), e, si)])
    for _, _, c in occurrences:
        ed.replace_expr(c, ir.Read(sym, (), e.type, c._node().srcinfo), keep_cursor=True)
    new = ed.finish()
    if occurrences[0][0] != owner + ((field, pos),):
        # the binding moved reads out of a loop or an ``if``: still in bounds?
        failures = new_call_failures(proc, new)
        if failures:
            raise err(P, f"binding {shown} before the statement holding every occurrence "
                         f"would read out of bounds: {failures[0]}")
    return new


def _reads_of(node, sym, path: tuple, out: list) -> list:
    """(path, node) of every read and window of ``sym`` below ``node``."""
    for step in ir.child_steps(node):
        c = getattr(node, step[0]) if step[1] is None else getattr(node, step[0])[step[1]]
        p = path + (step,)
        if isinstance(c, (ir.Read, ir.WindowExpr)) and c.name is sym:
            out.append((p, c))
        _reads_of(c, sym, p, out)
    return out


def _in_block_after(stmt_path: tuple, owner: tuple, field: str, k: int) -> bool:
    n = len(owner)
    return (len(stmt_path) > n and stmt_path[:n] == owner and stmt_path[n][0] == field
            and stmt_path[n][1] > k)


@primitive(alloc_cursor=Stmt(AssignCursor))
def inline_assign(proc: Procedure, alloc_cursor) -> Procedure:
    """Delete an assignment ``x = e`` and replace the reads of ``x`` after it
    (in the rest of its block) by ``e``::

        a = x[i] * 2.0                  y[i] = x[i] * 2.0 + 1.0
        y[i] = a + 1.0      -->         z[i] = x[i] * 2.0 * (x[i] * 2.0)
        z[i] = a * a

    Refused when ``x`` is an argument, is written again after the
    assignment, is read elsewhere where the assignment's value may be seen
    (another element, a later iteration, a window or a call), or when a
    buffer ``e`` reads is written before one of the uses.
    """
    P = "inline_assign"
    root = proc.INTERNAL_proc()
    assign = alloc_cursor._node()
    steps = alloc_cursor._loc.steps
    owner, (field, k) = steps[:-1], steps[-1]
    block = field_value(resolve(root, owner), field)
    x, shown = assign.name, stmt_to_str(assign).strip()
    refusal = f"cannot inline {shown}"
    if any(a.name is x for a in root.args):
        raise err(P, f"{refusal}: {x.name} is an argument of {root.name}, whose value stays "
                     "visible after the procedure returns")
    mine = ExprBuffers(root, ir.Read(x, (), assign.type))
    if mine.base(x) is not x:
        raise err(P, f"{refusal}: {x.name} is a window; only a buffer can be inlined")
    written = mine.written_in(block[k + 1:])
    if written is not None:
        later = next(s for s in block[k + 1:] if mine.written_by(s))
        raise err(P, f"{refusal}: {written} is written afterwards, at {stmt_line(later)}")
    allocated_here = any(isinstance(s, ir.Alloc) and s.name is x for s in block[:k])
    targets = []
    for path, node in _reads_of(root, x, (), []):
        sp = path[:stmt_prefix_len(path)]
        where = stmt_line(resolve(root, sp))
        if isinstance(node, ir.WindowExpr):
            raise err(P, f"{refusal}: a window of {x.name} is taken at {where}")
        if not _in_block_after(sp, owner, field, k):
            if allocated_here:
                continue  # before the assignment in the same block: it cannot see it
            raise err(P, f"{refusal}: {x.name} is also read at {where}, which may see the "
                         "assignment (for example in a later iteration)")
        if len(path) == len(sp) + 1 and path[-1][0] == "args":
            raise err(P, f"{refusal}: {x.name} is passed to a call at {where}")
        if len(node.idx) != len(assign.idx) or not all(
                expr_equal(a, b) for a, b in zip(node.idx, assign.idx)):
            raise err(P, f"{refusal}: {x.name} is read at another index "
                         f"({expr_to_str(node)}) at {where}")
        targets.append((sp, path))
    value_kept(P, refusal, ExprBuffers(root, assign.rhs), block, owner, field, k + 1,
               {sp for sp, _ in targets})
    free = expr_syms(assign.rhs, set())
    for sp, _ in targets:
        env = visible_names(root, sp)
        for sym in free:
            if env.get(sym.name, (None,))[0] is not sym:
                raise err(P, f"{refusal}: {sym.name} means another variable at "
                             f"{stmt_line(resolve(root, sp))}")
    ed = ProcEditor(proc)
    for _, path in targets:
        ed.replace_expr(lift(proc, NodeLoc(path)), assign.rhs, keep_cursor=True)
    ed.delete(alloc_cursor)
    return ed.finish()
