"""The decision entry points: :func:`prove`, :func:`satisfiable`, :func:`is_valid`.

Every question goes to isl when it is Presburger (affine terms with floor
division and modulo by constants, any connectives and quantifiers); only a
question isl cannot state -- one that still has a product of variables after
normalisation -- goes to z3.  Questions that constant folding settles are
answered by the ``"normaliser"`` without calling a solver.

``prove(goal, assumptions)`` looks for a value of the free variables that
satisfies the assumptions but not the goal: none means a :class:`Proof`; one
is returned as a :class:`Counterexample`.  Unsatisfiable assumptions make every
goal (vacuously) proved.
"""

from __future__ import annotations

import time
from typing import Iterable, Literal

from exo_verify.errors import NotPresburgerError, TermError
from exo_verify.formulas import TRUE, Formula, Not, conj, formula_vars
from exo_verify.isl_backend import clear_caches as isl_clear_caches
from exo_verify.isl_backend import isl_check
from exo_verify.isl_build import comparison_poly
from exo_verify.memo import MISSING, Memo
from exo_verify.results import (
    Counterexample,
    Proof,
    ProveResult,
    SatResult,
    SolverName,
    Unknown,
    Unsatisfiable,
    Witness,
    make_assignment,
)
from exo_verify.terms import Var, term_vars
from exo_verify.z3_backend import DEFAULT_TIMEOUT_MS, z3_check

Assumptions = Formula | Iterable[Formula]


def assumption_formula(assumptions: Assumptions) -> Formula:
    """One formula from a formula or an iterable of formulas (their conjunction)."""
    if isinstance(assumptions, Formula):
        return assumptions
    try:
        parts = list(assumptions)
    except TypeError:
        raise TermError(
            f"assumptions must be a formula or an iterable of formulas, not {assumptions!r}"
        ) from None
    for p in parts:
        if not isinstance(p, Formula):
            raise TermError(f"an assumption must be a formula, not {p!r}")
    return conj(*parts)


_Status = Literal["sat", "unsat", "unknown"]

_z3_answers = Memo(1024)


def clear_caches() -> None:
    """Forget every memoised result: isl and z3 answers, normalised comparisons
    and free-variable lists (for benchmarks; results never go stale)."""
    isl_clear_caches()
    _z3_answers.clear()
    comparison_poly.cache_clear()
    formula_vars.cache_clear()
    term_vars.cache_clear()


def _check(
    query: Formula, timeout_ms: int
) -> tuple[_Status, SolverName, tuple[Var, ...], "tuple[int, ...] | str | None", bool]:
    """Satisfiability of ``query``: (status, solver, variables, values/reason, cached)."""
    try:
        (status, solver, variables, sample), cached = isl_check(query)
    except NotPresburgerError:
        key = (query, timeout_ms)
        found = _z3_answers.get(key)
        if found is not MISSING:
            z3_status, variables, payload = found  # type: ignore[misc]
            return z3_status, "z3", variables, payload, True
        variables = query.free_vars()
        z3_status, payload = z3_check(query, variables, timeout_ms)
        _z3_answers.put(key, (z3_status, variables, payload))
        return z3_status, "z3", variables, payload, False
    return status, solver, variables, sample, cached  # type: ignore[return-value]


def prove(
    goal: Formula, assumptions: Assumptions = TRUE, *, timeout_ms: int = DEFAULT_TIMEOUT_MS
) -> ProveResult:
    """Prove ``goal`` for every value of its free variables satisfying ``assumptions``.

    >>> i, n = Var("i"), Var("n")
    >>> bool(prove(i < n, [0 <= i, i + 1 <= n]))
    True
    >>> prove(i < n - 1, [0 <= i, i < n]).assignment
    {'i': 0, 'n': 1}

    ``assumptions`` is a formula or an iterable of formulas (a conjunction).
    ``timeout_ms`` bounds z3 when the question is not Presburger.
    """
    if not isinstance(goal, Formula):
        raise TermError(f"prove() needs a formula, not {goal!r}")
    start = time.perf_counter()
    query = conj(assumption_formula(assumptions), Not(goal))
    status, solver, variables, payload, cached = _check(query, timeout_ms)
    seconds = time.perf_counter() - start
    if status == "unsat":
        return Proof(solver, seconds, cached=cached)
    if status == "sat":
        assert isinstance(payload, tuple)
        return Counterexample(
            solver, seconds, cached=cached, values=make_assignment(variables, payload)
        )
    return Unknown(solver, seconds, reason=str(payload), question="prove")


def satisfiable(
    formula: Formula, assumptions: Assumptions = TRUE, *, timeout_ms: int = DEFAULT_TIMEOUT_MS
) -> SatResult:
    """Find values of the free variables satisfying ``formula`` and ``assumptions``."""
    if not isinstance(formula, Formula):
        raise TermError(f"satisfiable() needs a formula, not {formula!r}")
    start = time.perf_counter()
    query = conj(assumption_formula(assumptions), formula)
    status, solver, variables, payload, cached = _check(query, timeout_ms)
    seconds = time.perf_counter() - start
    if status == "unsat":
        return Unsatisfiable(solver, seconds, cached=cached)
    if status == "sat":
        assert isinstance(payload, tuple)
        return Witness(solver, seconds, cached=cached, values=make_assignment(variables, payload))
    return Unknown(solver, seconds, reason=str(payload), question="satisfiable")


def is_valid(
    goal: Formula, assumptions: Assumptions = TRUE, *, timeout_ms: int = DEFAULT_TIMEOUT_MS
) -> bool:
    """True exactly when :func:`prove` finds a proof."""
    return isinstance(prove(goal, assumptions, timeout_ms=timeout_ms), Proof)
