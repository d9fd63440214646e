"""Answers of the decision procedures.

Every answer records which solver decided it (``"isl"``, ``"z3"`` or
``"normaliser"`` when constant folding alone settled the question), how long
the whole decision took in seconds, and whether it came from the answer cache.

``prove`` answers :class:`Proof`, :class:`Counterexample` or :class:`Unknown`;
``satisfiable`` answers :class:`Witness`, :class:`Unsatisfiable` or
:class:`Unknown`.  The truth value of an answer is always the *conservative*
reading: ``bool(prove(...))`` is true only for a proof, and
``bool(satisfiable(...))`` is false only when unsatisfiability was shown (an
unknown satisfiability question reads as "maybe satisfiable").
"""

from __future__ import annotations

from typing import Iterable, Iterator, Literal, Mapping

from attrs import field, frozen

from exo_verify.terms import Var

SolverName = Literal["isl", "z3", "normaliser"]


class Assignment(Mapping[Var, int]):
    """An immutable assignment of integers to variables.

    Index it by :class:`Var`, by variable name or by display label.
    """

    __slots__ = ("_values",)

    def __init__(self, pairs: Iterable[tuple[Var, int]] = ()) -> None:
        self._values: dict[Var, int] = dict(pairs)

    def __getitem__(self, key: Var | str) -> int:
        if isinstance(key, Var):
            return self._values[key]
        for var, value in self._values.items():
            if var.name == key:
                return value
        matches = [value for var, value in self._values.items() if var.label == key]
        if len(matches) == 1:
            return matches[0]
        raise KeyError(key)

    def __iter__(self) -> Iterator[Var]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __hash__(self) -> int:
        return hash(frozenset(self._values.items()))

    def by_label(self) -> dict[str, int]:
        """The values keyed by user-facing names.

        When two variables share a display label, both are keyed by their
        (unique) internal names instead.
        """
        counts: dict[str, int] = {}
        for var in self._values:
            counts[var.label] = counts.get(var.label, 0) + 1
        return {
            (var.label if counts[var.label] == 1 else var.name): value
            for var, value in self._values.items()
        }

    def __str__(self) -> str:
        return ", ".join(f"{name} = {value}" for name, value in self.by_label().items())

    def __repr__(self) -> str:
        return f"Assignment({{{str(self)}}})"


@frozen
class _Answer:
    solver: SolverName
    seconds: float = field(repr=lambda s: f"{s * 1e3:.3f} ms")
    cached: bool = field(default=False, kw_only=True)


@frozen
class Proof(_Answer):
    """The formula holds for every value of its free variables (that satisfies
    the assumptions)."""

    def __bool__(self) -> bool:
        return True

    @property
    def proved(self) -> bool:
        """Always true."""
        return True

    def __str__(self) -> str:
        return f"proved by {self.solver} in {self.seconds * 1e3:.3f} ms"


@frozen
class Counterexample(_Answer):
    """The formula is false for the values in :attr:`values`, which satisfy
    the assumptions."""

    values: Assignment = field(kw_only=True)

    def __bool__(self) -> bool:
        return False

    @property
    def proved(self) -> bool:
        """Always false."""
        return False

    @property
    def assignment(self) -> dict[str, int]:
        """The counterexample in the user's variable names."""
        return self.values.by_label()

    def __str__(self) -> str:
        where = str(self.values) or "every value"
        return f"refuted by {self.solver} in {self.seconds * 1e3:.3f} ms: fails for {where}"


@frozen
class Witness(_Answer):
    """The formula holds for the values in :attr:`values`."""

    values: Assignment = field(kw_only=True)

    def __bool__(self) -> bool:
        return True

    @property
    def assignment(self) -> dict[str, int]:
        """The witness in the user's variable names."""
        return self.values.by_label()

    def __str__(self) -> str:
        where = str(self.values) or "every value"
        return f"satisfiable ({self.solver}, {self.seconds * 1e3:.3f} ms): holds for {where}"


@frozen
class Unsatisfiable(_Answer):
    """No value of the free variables satisfies the formula."""

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return f"unsatisfiable ({self.solver}, {self.seconds * 1e3:.3f} ms)"


@frozen
class Unknown(_Answer):
    """The solver gave up (z3 on non-linear integer arithmetic, or a timeout).

    ``question`` is ``"prove"`` or ``"satisfiable"``; the truth value is the
    conservative answer to that question (not proved / maybe satisfiable).
    """

    reason: str = field(kw_only=True)
    question: Literal["prove", "satisfiable"] = field(kw_only=True)

    def __bool__(self) -> bool:
        return self.question == "satisfiable"

    @property
    def proved(self) -> bool:
        """Always false: nothing was proved."""
        return False

    def __str__(self) -> str:
        return f"unknown ({self.solver}, {self.seconds * 1e3:.3f} ms): {self.reason}"


ProveResult = Proof | Counterexample | Unknown
SatResult = Witness | Unsatisfiable | Unknown


def make_assignment(variables: Iterable[Var], values: Iterable[int]) -> Assignment:
    """Pair up variables and values."""
    return Assignment(zip(variables, values))
