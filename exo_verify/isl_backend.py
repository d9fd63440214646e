"""Deciding Presburger questions with isl.

:func:`isl_check` answers the satisfiability of a formula whose free variables
are numbered positionally (the set dimensions of a parameter-free space) and
returns a sample point when there is one.  Answers are memoised on the
formula (formulas are immutable and hash in O(1) after the first time).
"""

from __future__ import annotations

from typing import Sequence

from exo_verify.isl_loader import isl

from exo_verify.formulas import Formula
from exo_verify.memo import MISSING, Memo
from exo_verify.isl_build import SetBuilder, plain_set_space, point_coordinates
from exo_verify.terms import Var

_decisions = Memo(16384)

#: (status, decider, variables, payload): status is "sat", "unsat" or "unknown";
#: the decider "isl" or "normaliser" (the formula folded to a constant); the
#: payload a sample (sat), None (unsat) or isl's error message (unknown).
IslOutcome = tuple[str, str, tuple[Var, ...], "tuple[int, ...] | str | None"]


def positional_builder(variables: Sequence[Var]) -> SetBuilder:
    """A builder whose set dimension ``i`` is ``variables[i]``."""
    space = plain_set_space(len(variables))
    return SetBuilder(space, {v: (isl.dim_type.set, i) for i, v in enumerate(variables)})


def isl_check(query: Formula) -> tuple[IslOutcome, bool]:
    """Satisfiability of ``query``.

    Returns ((status, decider, variables, payload), cached) where ``variables``
    are the free variables of ``query`` in order of first occurrence and
    ``payload`` gives one value per variable when satisfiable.  Raises
    NotPresburgerError when isl cannot express the formula.  Should isl itself
    fail, the status is "unknown" and the payload is isl's message (not memoised).
    """
    found = _decisions.get(query)
    if found is not MISSING:
        return found, True  # type: ignore[return-value]
    variables = query.free_vars()
    outcome: IslOutcome
    try:
        compiled = positional_builder(variables).compile(query)
        if compiled is True:
            outcome = ("sat", "normaliser", variables, (0,) * len(variables))
        elif compiled is False:
            outcome = ("unsat", "normaliser", variables, None)
        elif compiled.is_empty():
            outcome = ("unsat", "isl", variables, None)
        else:
            point = compiled.sample_point()
            sample = tuple(point_coordinates(point, isl.dim_type.set, len(variables)))
            outcome = ("sat", "isl", variables, sample)
    except isl.Error as err:
        return ("unknown", "isl", variables, f"isl failed: {err}"), False
    _decisions.put(query, outcome)
    return outcome, False


def cache_info() -> dict[str, int]:
    """Statistics of the decision memo (for benchmarks)."""
    return {
        "entries": len(_decisions.table),
        "hits": _decisions.hits,
        "misses": _decisions.misses,
    }


def clear_caches() -> None:
    """Forget every memoised answer."""
    _decisions.clear()
