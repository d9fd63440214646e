"""Proof obligations: a question for the verifier plus how to explain a failure.

An `Obligation` is stated as data -- a goal formula, the facts it may assume,
the user's source position and a short description -- and `discharge` asks
`exo_verify` to settle it. A failed obligation turns its counterexample into
a plain sentence in the user's variable names::

    index i + 1 of x may be out of bounds [0, 10): it is 10 when i = 9

`ProcReport` gathers the outcomes of all the obligations of one procedure
(what the exo-verify CLI prints) and turns failures into a
`VerificationError`.
"""

from __future__ import annotations

from typing import Callable

import time

from attrs import field, frozen

from exo_verify import (
    And,
    Assignment,
    BoolConst,
    Compare,
    Const,
    Not,
    Or,
    Var,
    Counterexample,
    Formula,
    Proof,
    Unsatisfiable,
    Witness,
    conj,
    prove,
    satisfiable,
)

from .errors import VerificationError
from .logic import named_values, variables_of
from .prelude import SrcInfo

Explain = Callable[[Assignment, str], str]


@frozen(eq=False)
class Obligation:
    """One fact to establish.

    ``question`` is ``"prove"`` (``goal`` holds wherever ``assumptions``
    hold) or ``"satisfiable"`` (``goal`` can hold together with them).
    ``explain(values, where)`` builds the failure sentence from the
    counterexample's values and their rendering ``where`` ("i = 9, n = 10").
    ``may_propagate`` marks a callee precondition that may instead become a
    requirement on the caller's own callers (see `exo_core.definition_checks`).
    """

    kind: str
    what: str
    goal: Formula
    assumptions: Formula
    srcinfo: SrcInfo | None
    explain: Explain = field(repr=False)
    question: str = "prove"
    may_propagate: bool = False
    origin: str | None = None


@frozen(eq=False)
class Outcome:
    """How an obligation fared.

    ``status``: ``"proved"``, ``"failed"``, ``"unknown"`` (the solver gave up:
    reported as a failure) or ``"propagated"`` (became a requirement of the
    procedure's callers). ``solver`` is ``"isl"``, ``"z3"``, ``"normaliser"``
    (the engine's constant folding settled it), ``"constant"`` (the goal has
    no variables and was evaluated) or ``"assumption"`` (every part of the
    goal is literally one of the facts, e.g. ``0 <= i < n`` inside
    ``for i in seq(0, n)``).
    """

    obligation: Obligation
    status: str
    solver: str
    seconds: float
    message: str | None = None
    counterexample: dict | None = None

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "unknown")

    def error_line(self) -> str:
        """``file:line:col: message``."""
        where = self.obligation.srcinfo
        return f"{where}: {self.message}" if where is not None else str(self.message)


def relevant_facts(goal: Formula, assumptions: Formula) -> Formula:
    """The conjuncts of ``assumptions`` linked to ``goal`` through shared
    variables (directly or through other such conjuncts).

    Dropping the others is sound -- fewer assumptions can only turn a proof
    into a counterexample, never the reverse -- and keeps solver questions
    small (a bounds check in one loop nest does not see every other loop).
    """
    facts = assumptions.args if isinstance(assumptions, And) else (assumptions,)
    if len(facts) <= 1:
        return assumptions
    reached = set(goal.free_vars())
    pending = [(f, set(f.free_vars())) for f in facts]
    kept: list = []
    changed = True
    while changed:
        changed = False
        rest = []
        for f, vs in pending:
            if not vs or vs & reached:
                kept.append(f)
                reached |= vs
                changed = True
            else:
                rest.append((f, vs))
        pending = rest
    order = {id(f): k for k, f in enumerate(facts)}
    kept.sort(key=lambda f: order[id(f)])
    return conj(*kept)


def _closed(f: Formula) -> bool:
    """True when ``f`` has no variables (checked without hashing new nodes)."""
    if isinstance(f, Compare):
        return _closed_term(f.lhs) and _closed_term(f.rhs)
    if isinstance(f, (And, Or)):
        return all(_closed(a) for a in f.args)
    if isinstance(f, Not):
        return _closed(f.arg)
    if isinstance(f, BoolConst):
        return True
    return False


def _closed_term(t) -> bool:
    if isinstance(t, Const):
        return True
    if isinstance(t, Var):
        return False
    return all(_closed_term(c) for c in t.children())


def _settled_without_solver(ob: Obligation) -> Outcome | None:
    """A goal with no variables is evaluated; a goal whose conjuncts are all
    among the assumptions holds by them."""
    if ob.question != "prove":
        return None
    start = time.perf_counter()
    if _closed(ob.goal):
        if ob.goal.evaluate({}):
            return Outcome(ob, "proved", "constant", time.perf_counter() - start)
        return Outcome(ob, "failed", "constant", time.perf_counter() - start,
                       ob.explain(Assignment(), ""), {})
    facts = ob.assumptions.args if isinstance(ob.assumptions, And) else (ob.assumptions,)
    parts = ob.goal.args if isinstance(ob.goal, And) else (ob.goal,)
    if all(any(p == f for f in facts) for p in parts):
        return Outcome(ob, "proved", "assumption", time.perf_counter() - start)
    return None


def discharge(ob: Obligation) -> Outcome:
    """Settle ``ob``: directly when it is constant or assumed verbatim,
    otherwise with the verifier (on the relevant assumptions only)."""
    quick = _settled_without_solver(ob)
    if quick is not None:
        return quick
    assumptions = relevant_facts(ob.goal, ob.assumptions)
    if ob.question == "satisfiable":
        res = satisfiable(ob.goal, assumptions)
        if isinstance(res, Witness):
            return Outcome(ob, "proved", res.solver, res.seconds)
        if isinstance(res, Unsatisfiable):
            return Outcome(ob, "failed", res.solver, res.seconds,
                           ob.explain(Assignment(), ""), None)
        return Outcome(ob, "unknown", res.solver, res.seconds,
                       f"{ob.what}: could not be decided ({res.reason})")
    res = prove(ob.goal, assumptions)
    if isinstance(res, Proof):
        return Outcome(ob, "proved", res.solver, res.seconds)
    if isinstance(res, Counterexample):
        pairs = named_values(res.values, variables_of([ob.goal]))
        where = ", ".join(f"{name} = {value}" for name, value in pairs)
        cex = dict(pairs)
        return Outcome(ob, "failed", res.solver, res.seconds, ob.explain(res.values, where), cex)
    return Outcome(ob, "unknown", res.solver, res.seconds,
                   f"{ob.what}: could not be proven (the solver gave up: {res.reason})")


@frozen(eq=False)
class ProcReport:
    """The outcomes of every definition-time obligation of one procedure.

    ``implied`` are the stride requirements the procedure passes on to its
    callers (formulas over its window arguments' strides), with the sentence
    explaining where each comes from.
    """

    name: str
    srcinfo: SrcInfo | None
    outcomes: tuple
    implied: tuple = ()
    seconds: float = 0.0

    @property
    def failures(self) -> tuple:
        return tuple(o for o in self.outcomes if o.failed)

    @property
    def ok(self) -> bool:
        return not self.failures

    def error(self) -> VerificationError | None:
        """The first failure as an error (the others listed after it)."""
        failures = self.failures
        if not failures:
            return None
        first = failures[0]
        msg = first.message
        if len(failures) > 1:
            more = "\n".join(f"  {o.error_line()}" for o in failures[1:])
            msg = f"{msg}\n{len(failures) - 1} more problem{'s' if len(failures) > 2 else ''} " \
                  f"in {self.name}:\n{more}"
        err = VerificationError(msg, first.obligation.srcinfo)
        err.failures = failures
        return err


__all__ = ["Obligation", "Outcome", "ProcReport", "discharge"]
