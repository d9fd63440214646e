"""Deciding formulas isl cannot express (products of variables) with z3.

z3 is imported lazily: only questions that need it pay for it.  Integer ``div``
and ``mod`` in z3 are Euclidean, which coincides with floor semantics for the
positive constant divisors that terms allow.  Non-linear integer arithmetic is
undecidable in general, so z3 may answer ``unknown``; every query runs under a
timeout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Mapping, Sequence

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
from exo_verify.terms import Add, Const, FloorDiv, Mod, Mul, Neg, Sub, Term, Var

if TYPE_CHECKING:  # pragma: no cover - typing only
    import z3

#: Default z3 timeout per query, in milliseconds.
DEFAULT_TIMEOUT_MS = 2000


def _z3() -> Any:
    import z3

    return z3


class _Translator:
    def __init__(self, names: Mapping[Var, "z3.ArithRef"]) -> None:
        self.z3 = _z3()
        self.names: dict[Var, Any] = dict(names)
        self.bound_count = 0

    def term(self, t: Term) -> Any:
        z3 = self.z3
        if isinstance(t, Var):
            return self.names[t]
        if isinstance(t, Const):
            return z3.IntVal(t.value)
        if isinstance(t, Add):
            return self.term(t.lhs) + self.term(t.rhs)
        if isinstance(t, Sub):
            return self.term(t.lhs) - self.term(t.rhs)
        if isinstance(t, Neg):
            return -self.term(t.arg)
        if isinstance(t, Mul):
            return self.term(t.lhs) * self.term(t.rhs)
        if isinstance(t, FloorDiv):
            return self.term(t.num) / z3.IntVal(t.den)
        if isinstance(t, Mod):
            return self.term(t.num) % z3.IntVal(t.den)
        raise TypeError(f"not a term: {t!r}")  # pragma: no cover - closed hierarchy

    def formula(self, f: Formula) -> Any:
        z3 = self.z3
        if isinstance(f, BoolConst):
            return z3.BoolVal(f.value)
        if isinstance(f, Compare):
            a, b = self.term(f.lhs), self.term(f.rhs)
            return {
                "<": lambda: a < b,
                "<=": lambda: a <= b,
                "==": lambda: a == b,
                "!=": lambda: a != b,
                ">=": lambda: a >= b,
                ">": lambda: a > b,
            }[f.op]()
        if isinstance(f, And):
            return z3.And(*[self.formula(a) for a in f.args])
        if isinstance(f, Or):
            return z3.Or(*[self.formula(a) for a in f.args])
        if isinstance(f, Not):
            return z3.Not(self.formula(f.arg))
        if isinstance(f, Implies):
            return z3.Implies(self.formula(f.lhs), self.formula(f.rhs))
        if isinstance(f, (Exists, Forall)):
            q = z3.Int(f"q{self.bound_count}")
            self.bound_count += 1
            bounds = []
            if f.lo is not None:
                bounds.append(self.term(f.lo) <= q)
            if f.hi is not None:
                bounds.append(q < self.term(f.hi))
            outer = self.names
            self.names = {**outer, f.var: q}
            try:
                body = self.formula(f.body)
            finally:
                self.names = outer
            if isinstance(f, Exists):
                return z3.Exists([q], z3.And(*bounds, body))
            return z3.ForAll([q], z3.Implies(z3.And(*bounds), body))
        raise TypeError(f"not a formula: {f!r}")  # pragma: no cover - closed hierarchy


Outcome = tuple[Literal["sat", "unsat", "unknown"], "tuple[int, ...] | str | None"]


def z3_check(formula: Formula, variables: Sequence[Var], timeout_ms: int) -> Outcome:
    """Check satisfiability of ``formula`` whose free variables are ``variables``.

    Returns ``("sat", values)`` with one int per variable, ``("unsat", None)``
    or ``("unknown", reason)``.
    """
    z3 = _z3()
    symbols = [z3.Int(f"v{i}") for i in range(len(variables))]
    translator = _Translator(dict(zip(variables, symbols)))
    solver = z3.Solver()
    solver.set("timeout", int(timeout_ms))
    solver.add(translator.formula(formula))
    status = solver.check()
    if status == z3.sat:
        model = solver.model()
        values = tuple(model.eval(s, model_completion=True).as_long() for s in symbols)
        return ("sat", values)
    if status == z3.unsat:
        return ("unsat", None)
    return ("unknown", solver.reason_unknown() or "z3 gave up")
