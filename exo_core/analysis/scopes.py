"""The `Scope` at a point of a procedure, for the definition-time checks.

`exo_core.analysis.logic.Scope` holds what is known at one point (loops,
path conditions, buffers, windows, config versions); this module walks
statements to build it, using the effect model for what a statement may
change::

    scope = scope_at(p, (("body", 0), ("body", 2)))  # right before that statement
    scope = scope_after(scope, s)                     # after executing s

A loop, a branch or a call that may write a configuration field leaves that
field with an unknown value (`Scope.forget_configs`), as does entering a
loop whose body writes it.
"""

from __future__ import annotations

from typing import Sequence

from attrs import evolve

import exo_core.ir as ir
from exo_core.analysis.effects import block_effects, stmt_effects
from exo_core.analysis.logic import Scope, proc_scope
from exo_core.ir.prelude import Sym
from exo_core.ir.types import BOOL, TensorType


def scope_after(scope: Scope, s: ir.Stmt) -> Scope:
    """The scope after executing ``s`` (allocations, windows, config writes)."""
    if isinstance(s, ir.Alloc):
        if isinstance(s.type, TensorType):
            return scope.bind_buffer(s.name, s.type)
        return bind_scalar(scope, s.name)
    if isinstance(s, ir.WindowStmt):
        return scope.bind_window(s)
    if isinstance(s, ir.WriteConfig):
        t = s.config.lookup_type(s.field)
        if t is BOOL:
            return scope.after_config_write(s.config, s.field, scope.formula(s.rhs))
        if getattr(t, "kind", None) == "ctrl":
            return scope.after_config_write(s.config, s.field, scope.term(s.rhs))
        return scope.after_config_write(s.config, s.field, None)
    if isinstance(s, (ir.For, ir.If, ir.Call)):
        written = stmt_effects(s).written_configs()
        return scope.forget_configs(written) if written else scope
    return scope


def enter_loop_body(scope: Scope, s: ir.For) -> Scope:
    """Inside the body of ``s``: the config fields the body writes are
    unknown (they may differ between iterations), then ``lo <= i < hi``."""
    written = block_effects(s.body).written_configs()
    inner = scope.forget_configs(written) if written else scope
    return inner.enter_loop(s)


def bind_scalar(scope: Scope, name: Sym) -> Scope:
    """Declare a numeric scalar (argument or allocation): no extent, no strides."""
    return evolve(scope, shapes=scope.shapes.set(name, ()), strides=scope.strides.set(name, ()))


def scope_at(p: ir.ProcIR, steps: Sequence[tuple]) -> Scope:
    """The scope right before the statement at ``steps`` (``("body", k)`` /
    ``("orelse", k)`` steps from the procedure root, as in `exo_core.cursors.paths`)."""
    scope = proc_scope(p)
    for a in p.args:
        if not isinstance(a.type, TensorType) and a.type.is_numeric():
            scope = bind_scalar(scope, a.name)
    owner = p
    for fld, k in steps:
        if fld not in ("body", "orelse"):
            raise ValueError(f"scope_at follows statement steps only, not {fld!r}")
        if isinstance(owner, ir.For):
            scope = enter_loop_body(scope, owner)
        elif isinstance(owner, ir.If):
            scope = scope.enter_branch(owner, fld == "body")
        block = getattr(owner, fld)
        for s in block[:k]:
            scope = scope_after(scope, s)
        owner = block[k]
    return scope


__all__ = ["scope_after", "scope_at", "bind_scalar", "enter_loop_body"]
