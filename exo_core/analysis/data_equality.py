"""Equality of data (numeric) expressions, as polynomials over the reals.

    data_difference(old, new, context)    # None when old == new, else a reason

Both sides evaluate at one point of the program, so two reads of the same
element are the same value. Each side becomes a polynomial with exact
rational coefficients over *atoms*: reads (a buffer and its index, the
index normalised by `exo_verify.normal_form`; reads of one buffer whose
indices are proven equal under ``context`` are one atom), configuration
fields, extern calls (of their normalised arguments) and divisions by a
non-constant (kept whole: ``a * b / b`` is not ``a`` where ``b`` may be
zero). Division by a non-zero literal is multiplication by its inverse.
The two sides are equal when the polynomials are.

What this models is arithmetic over the reals, as the scheduling
primitives that reassociate or factor data arithmetic do
(`left_reassociate_expr`, `lift_reduce_constant`): floating-point rounding,
overflow, infinities and NaN are not modelled.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

from exo_verify import Formula, conj
from exo_verify.normal_form import to_poly

import exo_core.ir as ir
from exo_core.analysis.logic_partial import ctrl_term
from exo_core.analysis.obligations import discharge, must_hold
from exo_core.ir.printer import expr_to_str

__all__ = ["data_difference"]

Poly = dict  # monomial (sorted tuple of atom keys) -> Fraction


def _frozen(p: Poly) -> tuple:
    return tuple(sorted(((m, c) for m, c in p.items() if c != 0), key=repr))


def _add(p: Poly, q: Poly, scale: Fraction = Fraction(1)) -> Poly:
    out = dict(p)
    for m, c in q.items():
        out[m] = out.get(m, Fraction(0)) + scale * c
        if out[m] == 0:
            del out[m]
    return out


def _mul(p: Poly, q: Poly) -> Poly:
    out: Poly = {}
    for m1, c1 in p.items():
        for m2, c2 in q.items():
            m = tuple(sorted(m1 + m2, key=repr))
            out[m] = out.get(m, Fraction(0)) + c1 * c2
            if out[m] == 0:
                del out[m]
    return out


def _const(v) -> Poly:
    c = Fraction(v)
    return {(): c} if c != 0 else {}


def _atom(key) -> Poly:
    return {(key,): Fraction(1)}


def _index_key(e: ir.Expr):
    t = ctrl_term(e)
    if t is None:
        return ("text", expr_to_str(e))
    try:
        return ("poly", to_poly(t).key)
    except Exception:  # a term the normaliser cannot take: compare as written
        return ("text", expr_to_str(e))


class _Translation:
    """Data expressions to polynomials, with one atom per element read."""

    def __init__(self, same_element: Callable[[ir.Read, ir.Read], bool]):
        self._same = same_element
        self._reads: dict = {}

    def read_atom(self, e: ir.Read):
        keys = tuple(_index_key(i) for i in e.idx)
        known = self._reads.setdefault(e.name, [])  # (index keys, its atom's keys, a read)
        for k, atom_keys, _ in known:
            if k == keys:
                return ("read", e.name, atom_keys)
        for _, atom_keys, rep in known:
            if len(rep.idx) == len(e.idx) and self._same(rep, e):
                known.append((keys, atom_keys, e))
                return ("read", e.name, atom_keys)
        known.append((keys, keys, e))
        return ("read", e.name, keys)

    def poly(self, e: ir.Expr) -> Poly:
        if isinstance(e, ir.Const):
            return _const(e.val)
        if isinstance(e, ir.Read):
            return _atom(self.read_atom(e))
        if isinstance(e, ir.ReadConfig):
            return _atom(("config", id(e.config), e.field))
        if isinstance(e, ir.USub):
            return _add({}, self.poly(e.arg), Fraction(-1))
        if isinstance(e, ir.Extern):
            return _atom(("extern", e.f.name(), tuple(_frozen(self.poly(a)) for a in e.args)))
        if isinstance(e, ir.BinOp):
            a, b = self.poly(e.lhs), self.poly(e.rhs)
            if e.op == "+":
                return _add(a, b)
            if e.op == "-":
                return _add(a, b, Fraction(-1))
            if e.op == "*":
                return _mul(a, b)
            if e.op == "/":
                if set(b) == {()}:
                    return _mul(a, {(): 1 / b[()]})
                return _atom(("div", _frozen(a), _frozen(b)))
        raise ValueError(f"not a data expression: {expr_to_str(e)}")


def data_difference(old: ir.Expr, new: ir.Expr, context: Formula) -> str | None:
    """None when ``old`` and ``new`` are equal as real-valued polynomials
    (reads of one element, proven under ``context``, being one value);
    otherwise why not, in a sentence."""

    def same_element(a: ir.Read, b: ir.Read) -> bool:
        terms = [(ctrl_term(x), ctrl_term(y)) for x, y in zip(a.idx, b.idx)]
        if any(x is None or y is None for x, y in terms):
            return False
        goal = conj(*(x.eq(y) for x, y in terms))
        ob = must_hold("rewrite_expr", "the same element", goal, context)
        return discharge(ob).status == "proved"

    tr = _Translation(same_element)
    try:
        diff = _add(tr.poly(old), tr.poly(new), Fraction(-1))
    except ValueError as e:
        return str(e)
    if not diff:
        return None
    return (f"{expr_to_str(new)} and {expr_to_str(old)} differ as polynomials over the reals "
            "(each element read taken as an unknown value)")
