"""Printing terms and formulas in the user's (Exo/Python-like) syntax.

Terms print with the usual precedence and only the parentheses needed:
``ii + 4 * ioi + 16 * ioo``, ``(4 * io + ii) / 4``, ``i % 4``.  Floor division
prints as ``/`` because that is how Exo writes index division.  Variables print
with their display name (:attr:`Var.label`).  Formulas print with ``and``,
``or``, ``not``, ``implies`` and ``exists x in seq(lo, hi): ...``.
"""

from __future__ import annotations

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
