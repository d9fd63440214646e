"""Proof obligations: a question for the verifier plus how to explain a failure.

An `Obligation` is stated as data -- a goal formula, the facts it may assume,
the user's source position and a short description -- and `discharge` asks
`exo_verify` to settle it. A failed obligation turns its counterexample into
a plain sentence in the user's variable names::

    index i + 1 of x may be out of bounds [0, 10): it is 10 when i = 9

Definition checks and scheduling primitives share this record. Three
questions: ``"prove"`` (the goal holds wherever the assumptions do: a bounds
check, "the cut point lies within the loop"), ``"satisfiable"`` (the goal
can hold) and ``"impossible"`` (the goal, a situation such as "iteration i
writes x[i + 1] which iteration i' > i reads", can never happen; its witness
is explained). `must_hold` and `must_not_happen` state a primitive's
obligations and `require` discharges them, raising `SchedulingError` with
the counterexample; `ProcReport` gathers the outcomes of all the definition
obligations of one procedure (what the exo-verify CLI prints) and turns
failures into a `VerificationError`. An obligation the solver cannot decide
is a failure (an unproven rewrite is never applied).
"""

from __future__ import annotations

import time
from typing import Callable, Iterable

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
    TRUE,
    Unsatisfiable,
    Witness,
    conj,
    prove,
    satisfiable,
)
from exo_verify.errors import VerifyError

from exo_core.errors import SchedulingError, VerificationError
from exo_core.analysis.logic import named_values, variables_of
from exo_core.ir.prelude import SrcInfo

Explain = Callable[[Assignment, str], str]


@frozen(eq=False)
class Obligation:
    """One fact to establish.

    ``kind`` names the check (``"bounds"``) or the primitive
    (``"divide_loop"``); ``what`` is the requirement as a phrase.
    ``question`` is ``"prove"`` (``goal`` holds wherever ``assumptions``
    hold), ``"satisfiable"`` (``goal`` can hold together with them) or
    ``"impossible"`` (``goal`` can never hold with them).
    ``explain(values, where)`` builds the failure sentence from the
    counterexample's values and their rendering ``where`` ("i = 9, n = 10").
    ``may_propagate`` marks a callee precondition that may instead become a
    requirement on the caller's own callers (see `exo_core.analysis.definition_checks`).
    ``related`` are the positions of the statements involved (shown by
    `require` after the message).
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
    related: tuple = field(converter=tuple, factory=tuple)


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
    reason: str | None = None

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "unknown")

    def error_line(self) -> str:
        """``file:line:col: message``."""
        where = self.obligation.srcinfo
        return f"{where}: {self.message}" if where is not None else str(self.message)

    def settled(self) -> "Outcome":
        """This outcome as a report keeps it: a proved (or propagated)
        obligation without its formulas, which nothing reads once it holds
        and which would otherwise stay alive as long as the procedure."""
        if self.failed:
            return self
        ob = self.obligation
        return Outcome(Obligation(ob.kind, ob.what, TRUE, TRUE, ob.srcinfo, _settled_explain,
                                  ob.question, ob.may_propagate, ob.origin),
                       self.status, self.solver, self.seconds, self.message, None, self.reason)


def _settled_explain(values, where) -> str:
    return "(the obligation held)"


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
    try:
        return _ask_solver(ob)
    except VerifyError as e:
        reason = f"it cannot state the question: {e}"
        return Outcome(ob, "unknown", "none", 0.0, f"{ob.what}: could not be decided ({reason})",
                       reason=reason)


def _ask_solver(ob: Obligation) -> Outcome:
    assumptions = relevant_facts(ob.goal, ob.assumptions)
    if ob.question == "impossible":
        res = satisfiable(ob.goal, assumptions)
        if isinstance(res, Unsatisfiable):
            return Outcome(ob, "proved", res.solver, res.seconds)
        if isinstance(res, Witness):
            pairs = named_values(res.values, variables_of([ob.goal]))
            where = ", ".join(f"{name} = {value}" for name, value in pairs)
            return Outcome(ob, "failed", res.solver, res.seconds, ob.explain(res.values, where),
                           dict(pairs))
        return Outcome(ob, "unknown", res.solver, res.seconds,
                       f"{ob.what}: could not be decided ({res.reason})", reason=res.reason)
    if ob.question == "satisfiable":
        res = satisfiable(ob.goal, assumptions)
        if isinstance(res, Witness):
            return Outcome(ob, "proved", res.solver, res.seconds)
        if isinstance(res, Unsatisfiable):
            return Outcome(ob, "failed", res.solver, res.seconds,
                           ob.explain(Assignment(), ""), None)
        return Outcome(ob, "unknown", res.solver, res.seconds,
                       f"{ob.what}: could not be decided ({res.reason})", reason=res.reason)
    res = prove(ob.goal, assumptions)
    if isinstance(res, Proof):
        return Outcome(ob, "proved", res.solver, res.seconds)
    if isinstance(res, Counterexample):
        pairs = named_values(res.values, variables_of([ob.goal]))
        where = ", ".join(f"{name} = {value}" for name, value in pairs)
        cex = dict(pairs)
        return Outcome(ob, "failed", res.solver, res.seconds, ob.explain(res.values, where), cex)
    return Outcome(ob, "unknown", res.solver, res.seconds,
                   f"{ob.what}: could not be proven (the solver gave up: {res.reason})",
                   reason=res.reason)


# ----------------------------------------------------------------------------
# Obligations of scheduling primitives


def must_hold(primitive: str, claim: str, goal: Formula, assumptions: Formula = TRUE,
              related: Iterable = ()) -> Obligation:
    """``goal`` must hold under ``assumptions``; a failure reads
    ``"divide_loop: the trip count must be divisible by 4, but this fails
    when n = 5"``."""

    def explain(values: Assignment, where: str) -> str:
        why = f"this fails when {where}" if where else "this fails whatever the values"
        return f"{claim}, but {why}"

    return Obligation(primitive, claim, goal, assumptions, None, explain, related=related)


def must_not_happen(primitive: str, claim: str, situations: Iterable[tuple],
                    related: Iterable = ()) -> tuple:
    """Each ``(formula, explain)`` situation must be impossible;
    ``explain(values)`` describes a witness (values keyed by variable)."""
    related = tuple(related)
    return tuple(
        Obligation(primitive, claim, f, TRUE, None,
                   (lambda values, where, say=say: say(values)),
                   question="impossible", related=related)
        for f, say in situations)


def _code_at(ob: Obligation) -> str:
    places = [str(s) for s in ob.related if isinstance(s, SrcInfo) and s.lineno]
    return f" (code at {', '.join(dict.fromkeys(places))})" if places else ""


def require(obligations,
            srcinfo: SrcInfo | Callable[[], SrcInfo | None] | None = None) -> None:
    """Discharge a primitive's obligation(s) in order; the first one not
    proven raises SchedulingError located at ``srcinfo`` (the user's call),
    which may be given as a function computing it (called only then)."""
    if isinstance(obligations, Obligation):
        obligations = (obligations,)
    for ob in obligations:
        out = discharge(ob)
        if out.status == "failed":
            raise SchedulingError(f"{ob.kind}: {out.message}{_code_at(ob)}", _where(srcinfo))
        if out.status == "unknown":
            raise SchedulingError(f"{ob.kind}: {ob.what}, and the verifier could not prove it "
                                  f"({out.reason}){_code_at(ob)}", _where(srcinfo))


def _where(srcinfo) -> SrcInfo | None:
    return srcinfo() if callable(srcinfo) else srcinfo


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


__all__ = ["Obligation", "Outcome", "ProcReport", "discharge", "must_hold", "must_not_happen",
           "require", "relevant_facts"]
