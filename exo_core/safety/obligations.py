"""Proof obligations of scheduling primitives, as data, and their discharge.

A primitive states what must hold for its rewrite to be sound as
`Obligation` records, then calls `discharge`. Two kinds of question:

- `MustHold`: a formula that must be valid under assumptions (a loop runs
  at least once, a cut point lies within the loop's range). A
  counterexample is reported in the user's names.
- `MustNotHappen`: situations that must be impossible, each a formula with a
  function turning a witness into a sentence ("iteration (i=1, j=0) writes
  x[1] which iteration (i=0, j=1) reads"). Dependence checks are of this kind:
  one situation per pair of accesses that could conflict.

When the verifier cannot decide (z3 gives up), the rewrite is rejected
with a "could not prove" message: an unproven rewrite is never applied.
"""

from __future__ import annotations

from typing import Callable

from attrs import field, frozen

from exo_verify import TRUE, Counterexample, Formula, Proof, Unknown, prove, satisfiable
from exo_verify.errors import VerifyError

from ..errors import SchedulingError
from ..prelude import SrcInfo


@frozen(eq=False)
class MustHold:
    """``goal`` must hold whenever ``assumptions`` do."""

    goal: Formula
    assumptions: Formula = TRUE


@frozen(eq=False)
class Situation:
    """A situation that must be impossible: ``formula`` must be unsatisfiable;
    ``explain(values)`` describes a witness (values keyed by `Var`)."""

    formula: Formula
    explain: Callable


@frozen(eq=False)
class MustNotHappen:
    """None of the situations may be possible."""

    situations: tuple = field(converter=tuple)


@frozen(eq=False)
class Obligation:
    """One thing a primitive must establish before rewriting.

    ``primitive`` names the primitive, ``claim`` is the requirement as a
    sentence ("the trip count must be divisible by 4", used in messages), ``query`` the question for the verifier and
    ``srcinfos`` the positions of the statements involved."""

    primitive: str
    claim: str
    query: MustHold | MustNotHappen
    srcinfos: tuple = field(converter=tuple, factory=tuple)


def _where(ob: Obligation) -> str:
    places = [str(s) for s in ob.srcinfos if isinstance(s, SrcInfo) and s.lineno]
    return f" (code at {', '.join(dict.fromkeys(places))})" if places else ""


def discharge(ob: Obligation, srcinfo: SrcInfo | None = None) -> None:
    """Prove ``ob`` or raise SchedulingError (located at ``srcinfo``, the
    user's call) with a counterexample in the user's names."""
    q = ob.query
    try:
        if isinstance(q, MustHold):
            res = prove(q.goal, q.assumptions)
            if isinstance(res, Proof):
                return
            if isinstance(res, Counterexample):
                vals = res.values.by_label()
                shown = ", ".join(f"{k} = {v}" for k, v in vals.items())
                why = f"this fails when {shown}" if shown else "this never holds"
                raise SchedulingError(f"{ob.primitive}: {ob.claim}, but {why}"
                                      f"{_where(ob)}", srcinfo)
            raise SchedulingError(f"{ob.primitive}: {ob.claim}, and the verifier could not "
                                  f"prove it ({res.reason}){_where(ob)}", srcinfo)
        for sit in q.situations:
            res = satisfiable(sit.formula)
            if isinstance(res, Unknown):
                raise SchedulingError(f"{ob.primitive}: {ob.claim}, and the verifier could "
                                      f"not prove it ({res.reason}){_where(ob)}", srcinfo)
            if res:
                raise SchedulingError(f"{ob.primitive}: {sit.explain(res.values)}"
                                      f"{_where(ob)}", srcinfo)
    except VerifyError as e:
        raise SchedulingError(f"{ob.primitive}: {ob.claim}, and the verifier could not "
                              f"prove it (it cannot state the question: {e})", srcinfo) from None


def discharge_all(obligations, srcinfo: SrcInfo | None = None) -> None:
    """Discharge every obligation in order."""
    for ob in obligations:
        discharge(ob, srcinfo)
