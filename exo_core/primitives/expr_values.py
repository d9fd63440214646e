"""Where a data expression keeps its value: the check shared by the
primitives that move an expression's evaluation (`bind_expr` evaluates it
earlier, `inline_assign` later, `lift_reduce_constant` after a loop).

An expression evaluated at one point has the same value at a later point
when no statement on the way writes (or reduces into) a buffer or a
configuration field it reads -- windows resolved to the buffers they view,
callees by their effects -- and no loop on the way writes one anywhere in
its body (a later iteration would see the write)::

    value_kept("bind_expr", "cannot bind every occurrence of 2.0 * x[i]",
               ExprBuffers(root, e), block, owner, "body", start, targets)
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.analysis.effects import READ, expr_effects, stmt_effects, windows_in_scope
from exo_core.ir.printer import stmt_to_str
from exo_core.primitives.arguments import err

__all__ = ["ExprBuffers", "stmt_line", "value_kept"]


def stmt_line(s: ir.Stmt) -> str:
    """``line 7 (x[i] = 2.0)``: where a statement is, for messages."""
    text = stmt_to_str(s).strip().splitlines()[0]
    si = s.srcinfo
    return f"line {si.lineno} ({text})" if si is not None and si.lineno else f"({text})"


class ExprBuffers:
    """The buffers and configuration fields an expression reads (windows
    resolved to the buffers they view), and which statements write them."""

    def __init__(self, root: ir.ProcIR, e: ir.Expr):
        self._windows = windows_in_scope(root)
        self.read = {self.base(a.buffer) for a in expr_effects(e).accesses if a.kind == READ}

    def base(self, buf):
        """The buffer that ``buf`` (a buffer or a window) finally views."""
        view = self._windows.get(buf)
        return view.base if view is not None else buf

    def written_by(self, s: ir.Stmt) -> str | None:
        """The name of a buffer of the expression that ``s`` writes or
        reduces into (``x (through xw)`` for a window), or None."""
        for a in stmt_effects(s).accesses:
            base = self.base(a.buffer)
            if a.kind != READ and base in self.read:
                via = "" if base is a.buffer else f" (through {a.buffer.name})"
                return f"{base.name}{via}"
        return None

    def written_in(self, stmts) -> str | None:
        """`written_by` for the first statement of ``stmts`` that writes one."""
        return next((b for b in map(self.written_by, stmts) if b), None)


def value_kept(primitive: str, refusal: str, buffers: ExprBuffers, block, owner: tuple,
               field: str, start: int, targets: set) -> None:
    """Raise ``"<primitive>: <refusal>: <reason>"`` unless the expression
    whose ``buffers`` are given, evaluated just before statement ``start``
    of ``block`` (the block ``field`` of the node at ``owner``), has the
    same value at every statement whose path is in ``targets`` (statements
    of ``block[start:]`` or nested in them)."""

    def has_target(path) -> bool:
        n = len(path)
        return any(p[:n] == path for p in targets)

    def walk(stmts, prefix, fld, lo) -> None:
        clobbered = None
        for k in range(lo, len(stmts)):
            s, path = stmts[k], prefix + ((fld, k),)
            if has_target(path):
                if clobbered is not None:
                    raise err(primitive, f"{refusal}: {clobbered}")
                if isinstance(s, ir.For):
                    buf = buffers.written_in(s.body)
                    if buf is not None:
                        raise err(primitive, f"{refusal}: the loop over {s.iter.name} at "
                                             f"{stmt_line(s)} writes {buf}, so a later "
                                             "iteration may see a different value")
                elif isinstance(s, ir.If):
                    walk(s.body, path, "body", 0)
                    walk(s.orelse, path, "orelse", 0)
            if clobbered is None:
                buf = buffers.written_by(s)
                if buf is not None:
                    clobbered = f"{buf} is written at {stmt_line(s)} before a later use"

    walk(block, owner, field, start)
