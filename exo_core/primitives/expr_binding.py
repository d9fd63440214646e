"""Binding data expressions to scalars and back: `bind_expr`.

    bind_expr(p, p.find("32.0 * x[i]", many=True), "b")

        a[i] = 32.0 * x[i] + 4.0          b: f32 @ DRAM
        y[i] = 32.0 * x[i] + a[i]   -->   b = 32.0 * x[i]
                                          a[i] = b + 4.0
                                          y[i] = b + a[i]

The binding goes just before the statement, in the innermost block holding
every bound occurrence, that contains the first cursor. It is sound when the
expression's value at each occurrence is the value it had at the binding:
no statement on the way writes (or reduces into) a buffer or a configuration
field the expression reads (windows and callees included), and a loop on the
way does not write one anywhere in its body (a later iteration would see the
write). Reads the binding moves out of a loop or an ``if`` must stay within
their buffers there; this is proven with the definition checks.
"""

from __future__ import annotations

import attrs

import exo_core.ir as ir
from exo_core.analysis.effects import READ, expr_effects, param_kinds, stmt_effects, windows_in_scope
from exo_core.cursors.base import lift
from exo_core.cursors.paths import GapLoc, field_value, resolve, stmt_prefix_len
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.errors import ArgumentTypeError, ArgumentValueError
from exo_core.ir.equal import expr_equal
from exo_core.ir.memory import DRAM
from exo_core.ir.prelude import Sym
from exo_core.ir.printer import expr_to_str, stmt_to_str
from exo_core.ir.types import ScalarType
from exo_core.procedure import Procedure
from exo_core.primitives.arguments import Exprs, Text, err, is_valid_identifier
from exo_core.primitives.control_strings import visible_names
from exo_core.primitives.ir_build import expr_syms, stmt_syms
from exo_core.primitives.signature import primitive
from exo_core.primitives.subprocs import new_call_failures
from exo_core.user_frame import caller_srcinfo

__all__ = ["bind_expr"]


def _line(s: ir.Stmt) -> str:
    """``line 7 (x[i] = 2.0)``: where a statement is, for messages."""
    text = stmt_to_str(s).strip().splitlines()[0]
    si = s.srcinfo
    return f"line {si.lineno} ({text})" if si is not None and si.lineno else f"({text})"


class _Buffers:
    """The buffers and configuration fields an expression reads (windows
    resolved to the buffers they view), and which statements write them."""

    def __init__(self, root: ir.ProcIR, e: ir.Expr):
        self._windows = windows_in_scope(root)
        self.read = {self._base(a.buffer) for a in expr_effects(e).accesses if a.kind == READ}

    def _base(self, buf):
        view = self._windows.get(buf)
        return view.base if view is not None else buf

    def written_by(self, s: ir.Stmt):
        """The name of a buffer of the expression that ``s`` writes or
        reduces into (``x (through xw)`` for a window), or None."""
        for a in stmt_effects(s).accesses:
            base = self._base(a.buffer)
            if a.kind != READ and base in self.read:
                via = "" if base is a.buffer else f" (through {a.buffer.name})"
                return f"{base.name}{via}"
        return None


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

    buffers = _Buffers(root, e)
    todo = {o[0] for o in occurrences}

    def has_occurrence(path) -> bool:
        n = len(path)
        return any(p[:n] == path for p in todo)

    def walk(stmts, prefix, fld, start) -> None:
        clobbered = None
        for k in range(start, len(stmts)):
            s, path = stmts[k], prefix + ((fld, k),)
            if has_occurrence(path):
                if clobbered is not None:
                    raise err(P, f"cannot bind every occurrence of {shown}: {clobbered}")
                if isinstance(s, ir.For):
                    buf = next((b for b in map(buffers.written_by, s.body) if b), None)
                    if buf is not None:
                        raise err(P, f"cannot bind every occurrence of {shown}: the loop over "
                                     f"{s.iter.name} at {_line(s)} writes {buf}, so a later "
                                     "iteration may see a different value")
                elif isinstance(s, ir.If):
                    walk(s.body, path, "body", 0)
                    walk(s.orelse, path, "orelse", 0)
            buf = buffers.written_by(s)
            if buf is not None and clobbered is None:
                clobbered = f"{buf} is written at {_line(s)} before a later occurrence"

    walk(block, owner, field, pos)
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
