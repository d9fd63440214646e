"""Substituting terms for variables in terms and formulas.

A substitution maps variables to terms::

    i, io, ii = Var("i"), Var("io"), Var("ii")
    substitute_term(i + 1, {i: 4 * io + ii})          # 4 * io + ii + 1
    substitute_formula(i < 8, {i: 4 * io + ii})      # 4 * io + ii < 8

Quantified variables are bound: a substitution never replaces a variable
inside the quantifier that binds it, and a bound variable that would capture
a free variable of a substituted term is renamed apart first (to a fresh
variable with the same display name).
"""

from __future__ import annotations

from typing import Mapping

from exo_verify.formulas import (
    And,
    BoolConst,
    Compare,
    Exists,
    Forall,
    Formula,
    Implies,
    Not,
    Or,
)
from exo_verify.terms import (
    Add,
    Const,
    FloorDiv,
    Mod,
    Mul,
    Neg,
    Sub,
    Term,
    TermLike,
    Var,
    as_term,
    term_vars,
)

Substitution = Mapping[Var, TermLike]


def substitute_term(term: Term, mapping: Substitution) -> Term:
    """``term`` with every variable in ``mapping`` replaced by its term."""
    if not mapping:
        return term
    return _term(term, {v: as_term(t) for v, t in mapping.items()})


def _term(term: Term, mapping: Mapping[Var, Term]) -> Term:
    # A term none of whose variables is substituted comes back as itself
    # (no copy is built), which is the common case.
    kind = type(term)
    if kind is Var:
        return mapping.get(term, term)
    if kind is Const:
        return term
    if kind is Add or kind is Sub or kind is Mul:
        lhs, rhs = _term(term.lhs, mapping), _term(term.rhs, mapping)
        return term if lhs is term.lhs and rhs is term.rhs else kind(lhs, rhs)
    if kind is Neg:
        arg = _term(term.arg, mapping)
        return term if arg is term.arg else Neg(arg)
    if kind is FloorDiv or kind is Mod:
        num = _term(term.num, mapping)
        return term if num is term.num else kind(num, term.den)
    raise TypeError(f"not a term: {term!r}")  # pragma: no cover - closed hierarchy


def substitute_formula(formula: Formula, mapping: Substitution) -> Formula:
    """``formula`` with every free variable in ``mapping`` replaced by its term."""
    if not mapping:
        return formula
    return _formula(formula, {v: as_term(t) for v, t in mapping.items()})


def _formula(f: Formula, mapping: Mapping[Var, Term]) -> Formula:
    if isinstance(f, BoolConst):
        return f
    if isinstance(f, Compare):
        lhs, rhs = _term(f.lhs, mapping), _term(f.rhs, mapping)
        return f if lhs is f.lhs and rhs is f.rhs else Compare(f.op, lhs, rhs)
    if isinstance(f, (And, Or)):
        args = tuple([_formula(a, mapping) for a in f.args])
        return f if all(x is y for x, y in zip(args, f.args)) else type(f)(args)
    if isinstance(f, Not):
        arg = _formula(f.arg, mapping)
        return f if arg is f.arg else Not(arg)
    if isinstance(f, Implies):
        lhs, rhs = _formula(f.lhs, mapping), _formula(f.rhs, mapping)
        return f if lhs is f.lhs and rhs is f.rhs else Implies(lhs, rhs)
    if isinstance(f, (Exists, Forall)):
        lo = None if f.lo is None else _term(f.lo, mapping)
        hi = None if f.hi is None else _term(f.hi, mapping)
        inner = {v: t for v, t in mapping.items() if v != f.var}
        var, body = f.var, f.body
        captured = any(f.var in term_vars(t) for t in inner.values())
        if captured:
            var = Var.fresh(f.var.label)
            body = _formula(body, {f.var: var})
        return type(f)(var, lo, hi, _formula(body, inner) if inner else body)
    raise TypeError(f"not a formula: {f!r}")  # pragma: no cover - closed hierarchy
