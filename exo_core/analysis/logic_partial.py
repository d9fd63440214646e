"""Partial translation of IR control facts: what cannot be stated is dropped.

The scheduling primitives reason with facts they may legitimately lose: a data
value, a bool variable or a config field (which code may change) says nothing
the verifier can use, and dropping an assumption can only prevent a rewrite,
never allow an unsound one. `PartialScope` is the `exo_core.analysis.logic.Scope` whose
``term``/``formula`` answer None for such expressions instead of raising;
`ctrl_term`, `cond_formula`, `loop_range`, `partial_scope_at` and
`context_at` are the entry points the primitives and their safety checks use.
The definition checks use the raising `Scope` itself.
"""

from __future__ import annotations

from attrs import evolve, field, frozen
from pyrsistent import pmap

from exo_verify import Formula, Term, Var, conj

import exo_core.ir as ir
from exo_core.errors import VerificationError
from exo_core.analysis.logic import Scope, condition, control_error, control_term, show, stride_var, sym_var
from exo_core.cursors.paths import resolve
from exo_core.ir.types import BOOL, SIZE, ScalarType

def is_control_expr(e: ir.Expr) -> bool:
    """True for an integer control expression (index, size, int, stride)."""
    t = getattr(e, "type", None)
    return isinstance(t, ScalarType) and t.kind == "ctrl" and t is not BOOL


@frozen
class PartialScope(Scope):
    """A `Scope` whose `term`/`formula` answer None for what they cannot state.

    Data values, bool variables and config fields do not translate;
    the stride of a buffer not declared in the scope is an unknown
    (`stride_var`). With an ``atoms`` dict, each variable made for a control
    read or a stride is recorded with the IR expression it stands for.
    """

    atoms: dict | None = field(default=None, eq=False)

    def _record(self, v: Var, e: ir.Expr) -> Var:
        if self.atoms is not None and v not in self.atoms:
            self.atoms[v] = e
        return v

    def read_term(self, e: ir.Read) -> Term:
        if e.idx or not is_control_expr(e):
            raise control_error(f"{show(e)} is not an integer control value", e)
        bound = self.bindings.get(e.name)
        if bound is not None:
            return bound
        return self._record(sym_var(e.name), ir.Read(e.name, (), e.type))

    def flag_formula(self, e: ir.Read) -> Formula:
        bound = self.bool_bindings.get(e.name)
        if bound is None:
            raise control_error(f"the bool {show(e)} is not modelled here", e)
        return bound

    def stride_term(self, e: ir.StrideExpr) -> Term:
        if e.name in self.strides:
            return super().stride_term(e)
        return self._record(stride_var(e.name, e.dim), ir.StrideExpr(e.name, e.dim, e.type))

    def config_term(self, config, fld: str) -> Term:
        raise VerificationError(f"{config.name()}.{fld} is a config field, which code may "
                                "change")

    def term(self, e: ir.Expr) -> Term | None:
        """The term of an integer control expression, or None."""
        try:
            return control_term(e, self)
        except VerificationError:
            return None

    def formula(self, e: ir.Expr) -> Formula | None:
        """The formula of a condition, or None."""
        try:
            return condition(e, self)
        except VerificationError:
            return None

    def enter_loop(self, s: ir.For) -> "PartialScope":
        """Inside the loop: the bounds that translate."""
        i = sym_var(s.iter)
        return evolve(self, iters=self.iters + (i,)).assuming(loop_range(s, i, self))

    def enter_branch(self, s: ir.If, taken: bool) -> "PartialScope":
        """Inside a branch: its condition, when it translates."""
        cond = self.formula(s.cond)
        if cond is None:
            return self
        return self.assuming(cond if taken else ~cond)


_NO_RENAME = PartialScope()


def _renaming(rename) -> PartialScope:
    return PartialScope(bindings=pmap(rename)) if rename else _NO_RENAME


def ctrl_term(e: ir.Expr, rename: dict | None = None) -> Term | None:
    """The term of a control expression, None when it cannot be stated;
    ``rename`` maps symbols to the terms that stand for them."""
    return _renaming(rename).term(e)


def cond_formula(e: ir.Expr, rename: dict | None = None) -> Formula | None:
    """The formula of a condition, None when it cannot be stated."""
    return _renaming(rename).formula(e)


def loop_range(loop: ir.For, var: Term, scope: PartialScope | None = None) -> Formula:
    """``lo <= var < hi`` for a loop (a bound that cannot be stated is left
    out, which only weakens what is known)."""
    scope = scope if scope is not None else _NO_RENAME
    lo, hi = scope.term(loop.lo), scope.term(loop.hi)
    return conj(*([lo <= var] if lo is not None else []),
                *([var < hi] if hi is not None else []))


def partial_proc_scope(p: ir.ProcIR, atoms: dict | None = None) -> PartialScope:
    """The facts everywhere in ``p``: sizes positive and the ``assert``
    lines that translate (buffers are not declared: strides stay unknowns)."""
    scope = PartialScope(atoms=atoms)
    for a in p.args:
        if a.type is SIZE:
            scope = scope.assuming(scope._record(sym_var(a.name), ir.Read(a.name, (), SIZE))
                                   >= 1)
    return scope.assuming(*(f for f in map(scope.formula, p.preds) if f is not None))


def partial_scope_at(root: ir.ProcIR, steps: tuple,
                     atoms: dict | None = None) -> tuple[PartialScope, list]:
    """The facts holding at the node ``steps`` leads to (not including the
    node's own loop bounds or condition) and the enclosing loops."""
    scope = partial_proc_scope(root, atoms)
    loops = []
    node = root
    for k in range(len(steps) - 1):
        node = resolve(node, steps[k:k + 1])
        inner = steps[k + 1][0]
        if isinstance(node, ir.For) and inner == "body":
            scope = scope.enter_loop(node)
            loops.append(node)
        elif isinstance(node, ir.If) and inner in ("body", "orelse"):
            scope = scope.enter_branch(node, inner == "body")
    return scope, loops


def context_at(root: ir.ProcIR, steps: tuple) -> tuple[Formula, list]:
    """`partial_scope_at` as one formula, with the enclosing loops."""
    scope, loops = partial_scope_at(root, steps)
    return scope.assumptions(), loops


__all__ = [
    "PartialScope", "is_control_expr", "ctrl_term", "cond_formula", "loop_range",
    "partial_proc_scope", "partial_scope_at", "context_at",
]
