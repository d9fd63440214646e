"""Formulas over integer terms: comparisons, connectives and bounded quantifiers.

Build formulas with the comparison operators of terms and the connectives::

    i, n = Var("i"), Var("n")
    f = (0 <= i) & (i < n)                 # And((0 <= i, i < n))
    g = ~f | (i + 1).eq(n)                 # Or((Not(f), i + 1 == n))
    h = f >> (i <= n - 1)                  # Implies(f, i <= n - 1)
    q = Exists(j, 0, 4, (4 * i + j).eq(k)) # exists j in seq(0, 4): 4*i + j == k

Quantifier bounds are half open, like ``seq`` loops: ``Exists(x, lo, hi, body)``
means "some ``x`` with ``lo <= x < hi`` satisfies ``body``" and ``Forall(x, lo,
hi, body)`` means "every ``x`` with ``lo <= x < hi`` satisfies ``body``".  A
bound given as ``None`` is absent (the quantifier is unbounded on that side).

Formulas are immutable and hashable; ``==`` between formulas is structural
equality.  Asking for the truth value of a formula (``if f:``) is an error:
use :func:`exo_verify.prove` or :func:`exo_verify.satisfiable`.

Formulas print (`formula_to_str`, ``str()``) with ``and``, ``or``, ``not``,
``implies`` and ``exists x in seq(lo, hi): ...``.
"""

from __future__ import annotations

import functools
from typing import Iterable, Mapping, Sequence

from attrs import field, frozen

from exo_verify.errors import TermError, UsageError
from exo_verify.terms import Term, TermLike, Var, _merge_vars, as_term, term_to_str, term_vars

COMPARISON_OPS = ("<", "<=", "==", "!=", ">=", ">")

#: The comparison that holds exactly when ``op`` does not.
NEGATED_OP = {"<": ">=", "<=": ">", "==": "!=", "!=": "==", ">=": "<", ">": "<="}


class Formula:
    """Base class of formulas.  Subclasses are frozen ``attrs`` classes."""

    __slots__ = ()

    def __and__(self, other: "Formula") -> "Formula":
        return conj(self, other)

    def __or__(self, other: "Formula") -> "Formula":
        return disj(self, other)

    def __invert__(self) -> "Formula":
        return Not(self)

    def __rshift__(self, other: "Formula") -> "Formula":
        return Implies(self, _as_formula(other))

    def __bool__(self) -> bool:
        raise UsageError(
            "a formula has no Python truth value; decide it with prove() or satisfiable()"
        )

    def children(self) -> tuple["Formula", ...]:
        """The direct sub-formulas."""
        return ()

    def terms(self) -> tuple[Term, ...]:
        """The terms appearing directly in this node (not in sub-formulas)."""
        return ()

    def evaluate(self, env: Mapping[Var, int]) -> bool:
        """The truth value under ``env``.  Quantifiers must be bounded."""
        raise NotImplementedError  # pragma: no cover - every subclass overrides

    def free_vars(self) -> tuple[Var, ...]:
        """Distinct free variables, in order of first occurrence."""
        return formula_vars(self)

    def __str__(self) -> str:
        return formula_to_str(self)


@functools.lru_cache(maxsize=65536)
def formula_vars(formula: Formula) -> tuple[Var, ...]:
    """Distinct free variables of ``formula`` in order of first occurrence (memoised)."""
    groups = [term_vars(t) for t in formula.terms()]
    if isinstance(formula, (Exists, Forall)):
        groups.append(tuple(v for v in formula_vars(formula.body) if v != formula.var))
    else:
        groups.extend(formula_vars(c) for c in formula.children())
    if len(groups) == 1:
        return groups[0]
    return _merge_vars(groups)


def _as_formula(value: object) -> Formula:
    if isinstance(value, Formula):
        return value
    if isinstance(value, bool):
        return TRUE if value else FALSE
    raise TermError(f"expected a formula, got {value!r}")


@frozen(cache_hash=True)
class BoolConst(Formula):
    """``true`` or ``false``; use the singletons :data:`TRUE` and :data:`FALSE`."""

    value: bool

    def evaluate(self, env: Mapping[Var, int]) -> bool:
        return self.value


TRUE = BoolConst(True)
FALSE = BoolConst(False)


def _check_op(instance: object, attribute: object, value: str) -> None:
    if value not in COMPARISON_OPS:
        raise TermError(f"unknown comparison {value!r}; expected one of {COMPARISON_OPS}")


@frozen(cache_hash=True)
class Compare(Formula):
    """``lhs op rhs`` with ``op`` one of ``< <= == != >= >``."""

    op: str = field(validator=_check_op)
    lhs: Term = field(converter=as_term)
    rhs: Term = field(converter=as_term)

    def terms(self) -> tuple[Term, ...]:
        return (self.lhs, self.rhs)

    def evaluate(self, env: Mapping[Var, int]) -> bool:
        a, b = self.lhs.evaluate(env), self.rhs.evaluate(env)
        op = self.op
        if op == "<":
            return a < b
        if op == "<=":
            return a <= b
        if op == "==":
            return a == b
        if op == "!=":
            return a != b
        if op == ">=":
            return a >= b
        return a > b


def _formula_tuple(values: Iterable[Formula]) -> tuple[Formula, ...]:
    values = tuple(values)
    if all(isinstance(v, Formula) for v in values):
        return values
    return tuple(_as_formula(v) for v in values)


@frozen(cache_hash=True)
class And(Formula):
    """Conjunction of ``args`` (true when empty).  See :func:`conj`."""

    args: tuple[Formula, ...] = field(converter=_formula_tuple)

    def children(self) -> tuple[Formula, ...]:
        return self.args

    def evaluate(self, env: Mapping[Var, int]) -> bool:
        return all(a.evaluate(env) for a in self.args)


@frozen(cache_hash=True)
class Or(Formula):
    """Disjunction of ``args`` (false when empty).  See :func:`disj`."""

    args: tuple[Formula, ...] = field(converter=_formula_tuple)

    def children(self) -> tuple[Formula, ...]:
        return self.args

    def evaluate(self, env: Mapping[Var, int]) -> bool:
        return any(a.evaluate(env) for a in self.args)


@frozen(cache_hash=True)
class Not(Formula):
    """Negation."""

    arg: Formula = field(converter=_as_formula)

    def children(self) -> tuple[Formula, ...]:
        return (self.arg,)

    def evaluate(self, env: Mapping[Var, int]) -> bool:
        return not self.arg.evaluate(env)


@frozen(cache_hash=True)
class Implies(Formula):
    """``lhs`` implies ``rhs``."""

    lhs: Formula = field(converter=_as_formula)
    rhs: Formula = field(converter=_as_formula)

    def children(self) -> tuple[Formula, ...]:
        return (self.lhs, self.rhs)

    def evaluate(self, env: Mapping[Var, int]) -> bool:
        return (not self.lhs.evaluate(env)) or self.rhs.evaluate(env)


def _optional_term(value: TermLike | None) -> Term | None:
    return None if value is None else as_term(value)


class _Quantifier(Formula):
    __slots__ = ()

    var: Var
    lo: Term | None
    hi: Term | None
    body: Formula

    def children(self) -> tuple[Formula, ...]:
        return (self.body,)

    def terms(self) -> tuple[Term, ...]:
        return tuple(t for t in (self.lo, self.hi) if t is not None)

    def _range(self, env: Mapping[Var, int]) -> range:
        if self.lo is None or self.hi is None:
            raise TermError(
                f"cannot evaluate a quantifier over {self.var.label} without both bounds"
            )
        return range(self.lo.evaluate(env), self.hi.evaluate(env))

    def _bind(self, env: Mapping[Var, int], value: int) -> dict[Var, int]:
        inner = dict(env)
        inner[self.var] = value
        return inner


def _check_var(instance: object, attribute: object, value: object) -> None:
    if not isinstance(value, Var):
        raise TermError(f"a quantifier binds a variable, not {value!r}")


@frozen(cache_hash=True)
class Exists(_Quantifier):
    """Some ``var`` with ``lo <= var < hi`` satisfies ``body``."""

    var: Var = field(validator=_check_var)
    lo: Term | None = field(converter=_optional_term)
    hi: Term | None = field(converter=_optional_term)
    body: Formula = field(converter=_as_formula)

    def evaluate(self, env: Mapping[Var, int]) -> bool:
        return any(self.body.evaluate(self._bind(env, x)) for x in self._range(env))


@frozen(cache_hash=True)
class Forall(_Quantifier):
    """Every ``var`` with ``lo <= var < hi`` satisfies ``body``."""

    var: Var = field(validator=_check_var)
    lo: Term | None = field(converter=_optional_term)
    hi: Term | None = field(converter=_optional_term)
    body: Formula = field(converter=_as_formula)

    def evaluate(self, env: Mapping[Var, int]) -> bool:
        return all(self.body.evaluate(self._bind(env, x)) for x in self._range(env))


# ----- smart constructors ------------------------------------------------------
def conj(*formulas: Formula | bool) -> Formula:
    """Conjunction that flattens nested ``And`` and drops ``TRUE``."""
    parts: list[Formula] = []
    for f in formulas:
        if not isinstance(f, Formula):
            f = _as_formula(f)
        if isinstance(f, BoolConst):
            if not f.value:
                return FALSE
        elif isinstance(f, And):
            parts.extend(f.args)
        else:
            parts.append(f)
    if not parts:
        return TRUE
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def disj(*formulas: Formula | bool) -> Formula:
    """Disjunction that flattens nested ``Or`` and drops ``FALSE``."""
    parts: list[Formula] = []
    for f in formulas:
        if not isinstance(f, Formula):
            f = _as_formula(f)
        if isinstance(f, BoolConst):
            if f.value:
                return TRUE
        elif isinstance(f, Or):
            parts.extend(f.args)
        else:
            parts.append(f)
    if not parts:
        return FALSE
    return parts[0] if len(parts) == 1 else Or(tuple(parts))


def all_of(formulas: Iterable[Formula]) -> Formula:
    """:func:`conj` of an iterable."""
    return conj(*formulas)


def any_of(formulas: Iterable[Formula]) -> Formula:
    """:func:`disj` of an iterable."""
    return disj(*formulas)


def in_range(term: TermLike, lo: TermLike, hi: TermLike) -> Formula:
    """``lo <= term < hi``."""
    t = as_term(term)
    return conj(Compare("<=", lo, t), Compare("<", t, hi))


def _lex(a: Sequence[TermLike], b: Sequence[TermLike], strict: bool) -> Formula:
    if len(a) != len(b):
        raise TermError(
            f"lexicographic comparison of tuples of different lengths ({len(a)} and {len(b)})"
        )
    xs, ys = [as_term(x) for x in a], [as_term(y) for y in b]
    # Build from the last position backwards: lt_k = x_k < y_k or (x_k == y_k and lt_{k+1}).
    result: Formula = FALSE if strict else TRUE
    for x, y in reversed(list(zip(xs, ys))):
        result = disj(Compare("<", x, y), conj(Compare("==", x, y), result))
    return result


def lex_lt(a: Sequence[TermLike], b: Sequence[TermLike]) -> Formula:
    """``a`` is lexicographically smaller than ``b`` (tuples of equal length)."""
    return _lex(a, b, strict=True)


def lex_le(a: Sequence[TermLike], b: Sequence[TermLike]) -> Formula:
    """``a`` is lexicographically smaller than or equal to ``b``."""
    return _lex(a, b, strict=False)


def tuple_eq(a: Sequence[TermLike], b: Sequence[TermLike]) -> Formula:
    """Component-wise equality of two tuples of equal length."""
    if len(a) != len(b):
        raise TermError(f"comparison of tuples of different lengths ({len(a)} and {len(b)})")
    return conj(*(Compare("==", x, y) for x, y in zip(a, b)))


# ----- printing ---------------------------------------------------------------

_AND, _OR, _IMPLIES, _NOT, _FATOM = 2, 1, 0, 3, 4


def _formula_prec(f: Formula) -> int:
    if isinstance(f, And) and len(f.args) > 1:
        return _AND
    if isinstance(f, Or) and len(f.args) > 1:
        return _OR
    if isinstance(f, (Implies, Exists, Forall)):
        return _IMPLIES
    if isinstance(f, Not):
        return _NOT
    return _FATOM


def _fwrap(f: Formula, min_prec: int) -> str:
    text = formula_to_str(f)
    return f"({text})" if _formula_prec(f) < min_prec else text


def _quantifier_head(kind: str, f: Exists | Forall) -> str:
    name = f.var.label
    if f.lo is not None and f.hi is not None:
        return f"{kind} {name} in seq({term_to_str(f.lo)}, {term_to_str(f.hi)})"
    if f.lo is not None:
        return f"{kind} {name} >= {term_to_str(f.lo)}"
    if f.hi is not None:
        return f"{kind} {name} < {term_to_str(f.hi)}"
    return f"{kind} {name}"


def formula_to_str(f: Formula) -> str:
    """The formula in user syntax."""
    if isinstance(f, BoolConst):
        return "True" if f.value else "False"
    if isinstance(f, Compare):
        return f"{term_to_str(f.lhs)} {f.op} {term_to_str(f.rhs)}"
    if isinstance(f, And):
        if not f.args:
            return "True"
        return " and ".join(_fwrap(a, _AND + 1) for a in f.args)
    if isinstance(f, Or):
        if not f.args:
            return "False"
        return " or ".join(_fwrap(a, _OR + 1) for a in f.args)
    if isinstance(f, Not):
        return "not " + _fwrap(f.arg, _NOT)
    if isinstance(f, Implies):
        return f"{_fwrap(f.lhs, _IMPLIES + 1)} implies {_fwrap(f.rhs, _IMPLIES)}"
    if isinstance(f, Exists):
        return f"{_quantifier_head('exists', f)}: {formula_to_str(f.body)}"
    if isinstance(f, Forall):
        return f"{_quantifier_head('forall', f)}: {formula_to_str(f.body)}"
    raise TypeError(f"not a formula: {f!r}")  # pragma: no cover - closed hierarchy


# ----- comparisons of terms ------------------------------------------------------
# ``i < n`` on terms builds a `Compare`. Formulas are the layer above terms, so
# the comparison operators of `Term` are defined here, where `Compare` exists.


def _comparison(op: str, doc: str):
    def build(self: Term, other: TermLike) -> Formula:
        return Compare(op, self, as_term(other))

    build.__doc__ = doc
    return build


Term.__lt__ = _comparison("<", "The formula ``self < other``.")
Term.__le__ = _comparison("<=", "The formula ``self <= other``.")
Term.__gt__ = _comparison(">", "The formula ``self > other``.")
Term.__ge__ = _comparison(">=", "The formula ``self >= other``.")
Term.eq = _comparison("==", "The formula ``self == other``.")
Term.ne = _comparison("!=", "The formula ``self != other``.")
