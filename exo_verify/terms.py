"""Integer terms: the expressions the verifier reasons about.

A term is an immutable tree built from variables, integer constants, ``+``,
``-``, unary minus, ``*``, floor division ``//`` and modulo ``%`` by a positive
constant.  Python operators build terms::

    io, ii = Var("io"), Var("ii")
    idx = 4 * io + ii          # Add(Mul(Const(4), Var(io)), Var(ii))
    idx // 4, idx % 4          # FloorDiv(idx, 4), Mod(idx, 4)

Semantics of ``//`` and ``%`` are Python's (floor semantics): ``a // d`` is
``floor(a / d)`` and ``a % d == a - d * (a // d)`` lies in ``[0, d)``.  The
divisor must be a positive integer constant.  On non-negative numerators this
agrees with C's truncating division, which is what Exo index arithmetic uses.

Comparisons ``<``, ``<=``, ``>``, ``>=`` on terms build formulas:
:mod:`exo_verify.formulas`, the layer above this one, defines them on `Term`.  ``==`` and ``!=`` keep their ordinary meaning of
structural equality so that terms can be hashed and used as dictionary keys;
use :meth:`Term.eq` and :meth:`Term.ne` to build equality formulas.

Terms print in the user's (Exo/Python-like) syntax with the usual precedence
and only the parentheses needed: ``ii + 4 * ioi + 16 * ioo``, ``(4 * io + ii) / 4``.
Floor division prints as ``/`` because that is how Exo writes index division;
variables print with their display name (:attr:`Var.label`).

A product of two non-constant terms is a valid term, but only z3 can reason
about it: isl decides Presburger arithmetic only.
"""

from __future__ import annotations

import functools
import itertools
from typing import Iterable, Mapping, Union

from attrs import field, frozen

from exo_verify.errors import TermError

TermLike = Union["Term", int]


def as_term(value: TermLike) -> "Term":
    """Coerce a Python ``int`` to :class:`Const`; pass terms through."""
    if isinstance(value, Term):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Const(value)
    raise TermError(f"cannot use {value!r} of type {type(value).__name__} as an integer term")


def _divisor(value: TermLike) -> int:
    """Return the positive integer divisor ``value`` stands for, or raise."""
    if isinstance(value, Const):
        value = value.value
    if isinstance(value, Term):
        raise TermError(
            f"division and modulo need a constant divisor, not the term {value}"
        )
    if not isinstance(value, int) or isinstance(value, bool):
        raise TermError(f"cannot divide by {value!r}: the divisor must be an integer")
    if value <= 0:
        raise TermError(f"division and modulo need a positive divisor, not {value}")
    return value


class Term:
    """Base class of integer terms.  Subclasses are frozen ``attrs`` classes."""

    __slots__ = ()

    # ----- arithmetic -------------------------------------------------------
    def __add__(self, other: TermLike) -> "Term":
        return Add(self, as_term(other))

    def __radd__(self, other: TermLike) -> "Term":
        return Add(as_term(other), self)

    def __sub__(self, other: TermLike) -> "Term":
        return Sub(self, as_term(other))

    def __rsub__(self, other: TermLike) -> "Term":
        return Sub(as_term(other), self)

    def __neg__(self) -> "Term":
        return Neg(self)

    def __pos__(self) -> "Term":
        return self

    def __mul__(self, other: TermLike) -> "Term":
        return Mul(self, as_term(other))

    def __rmul__(self, other: TermLike) -> "Term":
        return Mul(as_term(other), self)

    def __floordiv__(self, other: TermLike) -> "Term":
        return FloorDiv(self, _divisor(other))

    def __rfloordiv__(self, other: TermLike) -> "Term":
        raise TermError(f"division and modulo need a constant divisor, not the term {self}")

    def __mod__(self, other: TermLike) -> "Term":
        return Mod(self, _divisor(other))

    def __rmod__(self, other: TermLike) -> "Term":
        raise TermError(f"division and modulo need a constant divisor, not the term {self}")

    def __truediv__(self, other: TermLike) -> "Term":
        raise TermError("terms are integers: use // for floor division")

    __rtruediv__ = __truediv__

    # ----- inspection -------------------------------------------------------
    def children(self) -> tuple["Term", ...]:
        """The direct sub-terms."""
        raise NotImplementedError  # pragma: no cover - every subclass overrides

    def free_vars(self) -> tuple["Var", ...]:
        """Distinct variables of the term, in order of first occurrence."""
        return term_vars(self)

    def evaluate(self, env: Mapping["Var", int]) -> int:
        """The integer value of the term under ``env`` (floor semantics)."""
        raise NotImplementedError  # pragma: no cover - every subclass overrides

    def __str__(self) -> str:
        return term_to_str(self)


def _merge_vars(groups: Iterable[tuple["Var", ...]]) -> tuple["Var", ...]:
    """Concatenate variable tuples, keeping first occurrences only."""
    merged: dict[Var, None] = {}
    for group in groups:
        for v in group:
            merged[v] = None
    return tuple(merged)


@functools.lru_cache(maxsize=65536)
def term_vars(term: Term) -> tuple["Var", ...]:
    """Distinct variables of ``term`` in order of first occurrence (memoised)."""
    if isinstance(term, Var):
        return (term,)
    children = term.children()
    if len(children) == 1:
        return term_vars(children[0])
    return _merge_vars(term_vars(c) for c in children)


_fresh_counter = itertools.count()


@frozen(cache_hash=True)
class Var(Term):
    """An integer variable, identified by ``name``.

    ``display`` is the name shown to users (in counterexamples and printed
    terms); it defaults to ``name``.  Two variables with the same ``name`` are
    the same variable whatever their display names.
    """

    name: str
    display: str | None = field(default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TermError(f"a variable name must be a non-empty string, not {self.name!r}")

    @property
    def label(self) -> str:
        """The user-facing name."""
        return self.display if self.display is not None else self.name

    @classmethod
    def fresh(cls, label: str) -> "Var":
        """A variable whose name is unique in this process, shown as ``label``."""
        return cls(f"{label}%{next(_fresh_counter)}", label)

    def children(self) -> tuple[Term, ...]:
        return ()

    def evaluate(self, env: Mapping["Var", int]) -> int:
        try:
            return env[self]
        except KeyError:
            raise TermError(f"no value given for variable {self.label}") from None


@frozen(cache_hash=True)
class Const(Term):
    """An integer constant."""

    value: int

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.value, int) or isinstance(self.value, bool):
            raise TermError(f"a constant must be an int, not {self.value!r}")

    def children(self) -> tuple[Term, ...]:
        return ()

    def evaluate(self, env: Mapping[Var, int]) -> int:
        return self.value


@frozen(cache_hash=True)
class Add(Term):
    """``lhs + rhs``."""

    lhs: Term
    rhs: Term

    def children(self) -> tuple[Term, ...]:
        return (self.lhs, self.rhs)

    def evaluate(self, env: Mapping[Var, int]) -> int:
        return self.lhs.evaluate(env) + self.rhs.evaluate(env)


@frozen(cache_hash=True)
class Sub(Term):
    """``lhs - rhs``."""

    lhs: Term
    rhs: Term

    def children(self) -> tuple[Term, ...]:
        return (self.lhs, self.rhs)

    def evaluate(self, env: Mapping[Var, int]) -> int:
        return self.lhs.evaluate(env) - self.rhs.evaluate(env)


@frozen(cache_hash=True)
class Neg(Term):
    """``-arg``."""

    arg: Term

    def children(self) -> tuple[Term, ...]:
        return (self.arg,)

    def evaluate(self, env: Mapping[Var, int]) -> int:
        return -self.arg.evaluate(env)


@frozen(cache_hash=True)
class Mul(Term):
    """``lhs * rhs``; Presburger only when one side is constant."""

    lhs: Term
    rhs: Term

    def children(self) -> tuple[Term, ...]:
        return (self.lhs, self.rhs)

    def evaluate(self, env: Mapping[Var, int]) -> int:
        return self.lhs.evaluate(env) * self.rhs.evaluate(env)


def _check_divisor(instance: object, attribute: object, value: int) -> None:
    _divisor(value)


@frozen(cache_hash=True)
class FloorDiv(Term):
    """``num // den`` with floor semantics; ``den`` is a positive int."""

    num: Term
    den: int = field(validator=_check_divisor)

    def children(self) -> tuple[Term, ...]:
        return (self.num,)

    def evaluate(self, env: Mapping[Var, int]) -> int:
        return self.num.evaluate(env) // self.den


@frozen(cache_hash=True)
class Mod(Term):
    """``num % den`` with floor semantics (result in ``[0, den)``)."""

    num: Term
    den: int = field(validator=_check_divisor)

    def children(self) -> tuple[Term, ...]:
        return (self.num,)

    def evaluate(self, env: Mapping[Var, int]) -> int:
        return self.num.evaluate(env) % self.den


# ----- printing ---------------------------------------------------------------

_ADD, _MUL, _UNARY, _ATOM = 1, 2, 3, 4


def _term_prec(term: Term) -> int:
    if isinstance(term, (Add, Sub)):
        return _ADD
    if isinstance(term, (Mul, FloorDiv, Mod)):
        return _MUL
    if isinstance(term, Neg) or (isinstance(term, Const) and term.value < 0):
        return _UNARY
    return _ATOM


def _wrap(term: Term, needs_parens: bool) -> str:
    text = term_to_str(term)
    return f"({text})" if needs_parens else text


def _binary(op: str, prec: int, lhs: Term, rhs: Term, assoc_rhs: type | None) -> str:
    left = _wrap(lhs, _term_prec(lhs) < prec)
    rp = _term_prec(rhs)
    right_parens = rp < prec or (rp == prec and not isinstance(rhs, assoc_rhs or ()))
    if isinstance(rhs, Const) and rhs.value < 0:
        right_parens = True
    return f"{left} {op} {_wrap(rhs, right_parens)}"


def term_to_str(term: Term) -> str:
    """The term in user syntax."""
    if isinstance(term, Var):
        return term.label
    if isinstance(term, Const):
        return str(term.value)
    if isinstance(term, Add):
        return _binary("+", _ADD, term.lhs, term.rhs, Add)
    if isinstance(term, Sub):
        return _binary("-", _ADD, term.lhs, term.rhs, None)
    if isinstance(term, Mul):
        return _binary("*", _MUL, term.lhs, term.rhs, Mul)
    if isinstance(term, FloorDiv):
        return _binary("/", _MUL, term.num, Const(term.den), None)
    if isinstance(term, Mod):
        return _binary("%", _MUL, term.num, Const(term.den), None)
    if isinstance(term, Neg):
        arg = term.arg
        return "-" + _wrap(arg, _term_prec(arg) <= _UNARY and not isinstance(arg, Var))
    raise TypeError(f"not a term: {term!r}")  # pragma: no cover - closed hierarchy
