"""Configuration writes inside loops must not depend on the iteration.

A configuration field is state that outlives a loop. As in Exo, a procedure
is refused (a ``TypeError``: `ConfigWriteInLoopError`) when a loop writes a
field with a value, or under a condition, that depends on which iteration
runs: on the loop's iterator (or an inner loop's), directly or through data
the loop computed from it::

    for i in seq(0, n):
        CFG.j = i            # refused: depends on i
        CFG.k = 3            # fine
        CFG.m = CFG.m + 1    # fine (the same update in every iteration)
        if i == 0:
            CFG.k = 2        # refused: whether it runs depends on i

"Depends" is a taint analysis over the loop's body, to a fixed point (so a
value carried from one iteration to the next counts): loop iterators are
tainted; a buffer (or window of it), or a configuration field, becomes tainted
when the loop writes it with a tainted value, at a tainted index, or under a
tainted condition; an expression is tainted when it reads anything tainted.
Calls are not looked into (their configuration writes are not checked here).
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.errors import ExoTypeError


class ConfigWriteInLoopError(ExoTypeError):
    """A loop writes a configuration field with an iteration-dependent value."""


class _Taint:
    def __init__(self, loop: ir.For):
        self.syms: set = {loop.iter}
        self.configs: set = set()
        self.changed = True
        self.violation: ir.WriteConfig | None = None

    def expr(self, e) -> bool:
        if isinstance(e, (ir.Read, ir.WindowExpr)) and e.name in self.syms:
            return True
        if isinstance(e, ir.ReadConfig) and (id(e.config), e.field) in self.configs:
            return True
        return any(self.expr(c) for c in ir.expr_children(e))

    def _mark_sym(self, name):
        if name not in self.syms:
            self.syms.add(name)
            self.changed = True

    def block(self, block, cond: bool):
        for s in block:
            if isinstance(s, (ir.Assign, ir.Reduce)):
                if cond or self.expr(s.rhs) or any(self.expr(i) for i in s.idx):
                    self._mark_sym(s.name)
            elif isinstance(s, ir.WriteConfig):
                if cond or self.expr(s.rhs):
                    key = (id(s.config), s.field)
                    if key not in self.configs:
                        self.configs.add(key)
                        self.changed = True
                    if self.violation is None:
                        self.violation = s
            elif isinstance(s, ir.WindowStmt):
                if self.expr(s.rhs):
                    self._mark_sym(s.name)
            elif isinstance(s, ir.If):
                c = cond or self.expr(s.cond)
                self.block(s.body, c)
                self.block(s.orelse, c)
            elif isinstance(s, ir.For):
                self._mark_sym(s.iter)
                self.block(s.body, cond or self.expr(s.lo) or self.expr(s.hi))


def _first_violation(loop: ir.For):
    taint = _Taint(loop)
    while taint.changed:
        taint.changed = False
        taint.block(loop.body, False)
    return taint.violation


def _config_name(cfg) -> str:
    name = getattr(cfg, "name", None)
    name = name() if callable(name) else name
    return name if isinstance(name, str) else type(cfg).__name__


def _loops(block):
    """The outermost loops of ``block`` (the analysis of a loop covers the
    loops inside it)."""
    for s in block:
        if isinstance(s, ir.For):
            yield s
        else:
            for f in type(s).block_fields:
                yield from _loops(getattr(s, f))


def check_config_writes_in_loops(p: ir.ProcIR) -> None:
    """Raise `ConfigWriteInLoopError` for the first outermost loop of ``p``
    that writes a configuration field with an iteration-dependent value."""
    for loop in _loops(p.body):
        w = _first_violation(loop)
        if w is not None:
            where = f" (loop at line {loop.srcinfo.lineno})" if loop.srcinfo and \
                loop.srcinfo.lineno else ""
            raise ConfigWriteInLoopError(
                f"the value written to configuration field {_config_name(w.config)}.{w.field} "
                f"depends on the iteration of loop {loop.iter.name}{where}; a configuration "
                f"outlives the loop, so every iteration must write the same value",
                w.srcinfo)
