"""Configuration state at a point of a procedure: is the value a field holds
there still observable, and does it already hold a given value?

A configuration field is global state. Inserting a write ``Config.f = v`` at
a gap, or deleting one, changes what later code reads from the field; the
rewrite keeps the procedure's meaning (up to the field's final value, which
the procedure then leaves differently: see `exo_core.ir.provenance`) when
one of these holds:

- the value is *dead* there: no later read can observe it, because every
  path from the gap to a read of the field passes a write of it first
  (`field_observer`, which returns the first statement that may observe it);
- the field *already holds* the value: every write of the field in the
  procedure writes the same invariant value (a literal, a stride, an
  argument the procedure never writes), and one of them runs before the gap
  on every path (`field_holds`).

::

    CFG.f = a          <- deleting this write: the loop reads CFG.f first
    for i in seq(0, n):    (field_observer names `x[i] = CFG.f`)
        x[i] = CFG.f
        CFG.f = a      <- deleting this one: CFG.f already holds a here

Reads are the effect model's (`exo_core.analysis.effects`): a read of the
field anywhere in a statement, a callee's included, counts. A loop kills the
field only when its body does and it provably runs at least once; the next
iteration of an enclosing loop runs its body again from the start.
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.analysis.effects import READ, WRITE, ConfigField, expr_effects, proc_effects, \
    stmt_effects
from exo_core.analysis.logic_partial import context_at, ctrl_term
from exo_core.analysis.obligations import discharge, must_hold
from exo_core.cursors.paths import block_of, resolve
from exo_core.ir.equal import expr_equal

_LIVE, _KILLED, _OPEN = "live", "killed", "open"

# A field, as ``(config, field_name)``.
FieldKey = tuple


def _reads(effects, key: FieldKey) -> bool:
    cf = ConfigField(*key)
    return any(a.kind == READ and a.buffer == cf for a in effects.configs)


def _writes_here(s: ir.Stmt, key: FieldKey) -> bool:
    return isinstance(s, ir.WriteConfig) and s.config is key[0] and s.field == key[1]


def _runs_at_least_once(root: ir.ProcIR, steps: tuple, loop: ir.For) -> bool:
    lo, hi = ctrl_term(loop.lo), ctrl_term(loop.hi)
    if lo is None or hi is None:
        return False
    facts, _ = context_at(root, steps)
    ob = must_hold("config", "the loop runs at least once", hi > lo, facts)
    return discharge(ob).status == "proved"


def _stmt(root: ir.ProcIR, steps: tuple, s: ir.Stmt, key: FieldKey):
    if _writes_here(s, key):
        return (_LIVE, s) if _reads(expr_effects(s.rhs, s), key) else (_KILLED, s)
    if isinstance(s, ir.For):
        if _reads(expr_effects(s.lo, s), key) or _reads(expr_effects(s.hi, s), key):
            return _LIVE, s
        st, who = _scan(root, steps, "body", 0, key)
        if st == _LIVE:
            return st, who
        if st == _KILLED and _runs_at_least_once(root, steps, s):
            return _KILLED, who
        return _OPEN, None
    if isinstance(s, ir.If):
        if _reads(expr_effects(s.cond, s), key):
            return _LIVE, s
        a, who_a = _scan(root, steps, "body", 0, key)
        b, who_b = _scan(root, steps, "orelse", 0, key)
        if _LIVE in (a, b):
            return _LIVE, who_a if a == _LIVE else who_b
        return (_KILLED, who_a) if a == b == _KILLED else (_OPEN, None)
    return (_LIVE, s) if _reads(stmt_effects(s), key) else (_OPEN, None)


def _scan(root: ir.ProcIR, owner: tuple, fld: str, start: int, key: FieldKey):
    block = block_of(root, owner, fld)
    for k in range(start, len(block)):
        st, who = _stmt(root, owner + ((fld, k),), block[k], key)
        if st != _OPEN:
            return st, who
    return _OPEN, None


def field_observer(root: ir.ProcIR, owner: tuple, fld: str, index: int,
                   key: FieldKey) -> ir.Stmt | None:
    """The first statement that may read the value ``key`` holds at the gap
    before ``block[index]`` of the block ``fld`` of the statement at
    ``owner`` (``()`` and ``"body"``: the procedure body), or None when that
    value is dead (overwritten on every path before any read, or never read
    again in the procedure)."""
    while True:
        st, who = _scan(root, owner, fld, index, key)
        if st == _LIVE:
            return who
        if st == _KILLED or not owner:
            return None
        parent = resolve(root, owner)
        if isinstance(parent, ir.For):  # the next iteration runs the body again
            st, who = _scan(root, owner, "body", 0, key)
            if st == _LIVE:
                return who
        owner, (fld, index) = owner[:-1], (owner[-1][0], owner[-1][1] + 1)


def _invariant(root: ir.ProcIR, e: ir.Expr) -> bool:
    """A value the procedure cannot change: a literal, a stride, or an
    argument it never writes."""
    if isinstance(e, (ir.Const, ir.StrideExpr)):
        return True
    if isinstance(e, ir.Read) and not e.idx and any(a.name is e.name for a in root.args):
        return not any(a.buffer is e.name for a in proc_effects(root).accesses
                       if a.kind != READ)
    return False


def field_holds(root: ir.ProcIR, owner: tuple, fld: str, index: int, key: FieldKey,
                value: ir.Expr) -> bool:
    """Whether ``key`` surely holds ``value`` at the gap (see the module
    docstring for the rule)."""
    if not _invariant(root, value):
        return False
    cf = ConfigField(*key)
    for a in proc_effects(root).configs:
        if a.buffer == cf and a.kind == WRITE and not (
                isinstance(a.stmt, ir.WriteConfig) and expr_equal(a.stmt.rhs, value)):
            return False
    # one of them runs first on every path: a write directly before the gap
    # in its block, or before one of the enclosing statements in theirs
    steps = owner + ((fld, index),)
    for n in range(len(steps), 0, -1):
        o, (f, k) = steps[:n - 1], steps[n - 1]
        if any(_writes_here(s, key) for s in list(block_of(root, o, f))[:k]):
            return True
    return False


__all__ = ["field_observer", "field_holds", "FieldKey"]
