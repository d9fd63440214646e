"""Canonical polynomial form of terms.

A term is normalised to a :class:`Poly`: an integer linear combination of
*monomials*, each a sorted product of *atoms*.  Atoms are variables,
``DivAtom(p, d)`` (``p // d``) and ``ModAtom(p, d)`` (``p % d``) over normalised
polynomials ``p``.  An affine term has only monomials of degree at most one;
a product of variables gives a monomial of higher degree (z3-only territory).

The normaliser folds constants, collects like terms, orders monomials (variables
by display name, then div/mod atoms, the constant last), and applies the
identities that hold for every integer value (floor semantics):

* ``(d*q + c) // d == q + c // d`` and ``(d*q + c) % d == c % d`` for a
  constant ``c`` and a polynomial ``q`` (integer-valued);
* ``(p // a) // b == p // (a*b)`` and ``(p % a) % b == p % b`` when ``b``
  divides ``a``;
* ``p % d`` has every coefficient reduced into ``[0, d)`` (canonical);
* ``c*d*(p // d) + c*(p % d) == c*p``.

Identities that need bounds (``(4*io + ii) // 4 == io`` when ``0 <= ii < 4``)
are applied by :mod:`exo_verify.simplify`, which passes a *range oracle* here.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Iterable, Iterator, Optional

from attrs import frozen

from exo_verify.errors import TermError
from exo_verify.terms import Add, Const, FloorDiv, Mod, Mul, Neg, Sub, Term, Var

# A monomial is a sorted tuple of atoms (with repetition); () is the constant.
Atom = object  # Var | DivAtom | ModAtom
Monomial = tuple
#: Working representation during arithmetic: monomial -> non-zero coefficient.
PolyDict = dict

#: Given an affine polynomial, return (min, max) over the assumptions, with
#: ``None`` for an unbounded side, or ``None`` when nothing is known.
RangeOracle = Callable[["Poly"], Optional[tuple[Optional[int], Optional[int]]]]


def atom_key(atom: Atom) -> tuple:
    """Sort key of an atom: variables first (by display name), then divs, mods."""
    if isinstance(atom, Var):
        return (0, atom.label, atom.name)
    if isinstance(atom, DivAtom):
        return (1, atom.num.key, atom.den)
    return (2, atom.num.key, atom.den)


def monomial_key(mono: Monomial) -> tuple:
    """Sort key of a monomial; the constant monomial sorts last."""
    return (len(mono) == 0, tuple(atom_key(a) for a in mono))


@frozen(cache_hash=True)
class Poly:
    """A normalised polynomial: sorted ``(monomial, coefficient)`` pairs."""

    items: tuple[tuple[Monomial, int], ...]

    @property
    def key(self) -> tuple:
        """A total-order key (used to sort atoms containing polynomials)."""
        return tuple((monomial_key(m), c) for m, c in self.items)

    @classmethod
    def from_dict(cls, d: PolyDict) -> "Poly":
        """Freeze a working dictionary (dropping zero coefficients)."""
        items = [(m, c) for m, c in d.items() if c != 0]
        items.sort(key=lambda mc: monomial_key(mc[0]))
        return cls(tuple(items))

    def as_dict(self) -> PolyDict:
        """A fresh working dictionary."""
        return dict(self.items)

    def is_affine(self) -> bool:
        """Degree at most one, with affine div/mod atoms all the way down."""
        return items_affine(self.items)


def items_affine(items: Iterable[tuple[Monomial, int]]) -> bool:
    """Whether (monomial, coefficient) pairs form an affine polynomial."""
    for m, _ in items:
        if len(m) > 1:
            return False
        if m and isinstance(m[0], (DivAtom, ModAtom)) and not m[0].num.is_affine():
            return False
    return True


@frozen(cache_hash=True)
class DivAtom:
    """``num // den`` that the normaliser could not eliminate."""

    num: Poly
    den: int


@frozen(cache_hash=True)
class ModAtom:
    """``num % den`` that the normaliser could not eliminate."""

    num: Poly
    den: int


# ----- arithmetic on working dictionaries ----------------------------------------
def _add_into(acc: PolyDict, p: PolyDict, scale: int = 1) -> None:
    for m, c in p.items():
        v = acc.get(m, 0) + scale * c
        if v:
            acc[m] = v
        else:
            acc.pop(m, None)


def _mul(p: PolyDict, q: PolyDict) -> PolyDict:
    out: PolyDict = {}
    for m1, c1 in p.items():
        for m2, c2 in q.items():
            m = tuple(sorted(m1 + m2, key=atom_key)) if m1 and m2 else (m1 or m2)
            v = out.get(m, 0) + c1 * c2
            if v:
                out[m] = v
            else:
                out.pop(m, None)
    return out


def _const(value: int) -> PolyDict:
    return {(): value} if value else {}


def _is_const(p: PolyDict) -> bool:
    return all(not m for m in p)


def _atom_poly(atom: Atom) -> PolyDict:
    return {(atom,): 1}


# ----- division and modulo ------------------------------------------------------
def _residues(p: PolyDict, d: int) -> PolyDict:
    """``p`` with every coefficient reduced into ``[0, d)`` (same value modulo ``d``)."""
    return {m: c % d for m, c in p.items() if c % d}


def _window(p: PolyDict, d: int, oracle: RangeOracle | None) -> int | None:
    """The ``m`` with ``m*d <= p < (m+1)*d`` everywhere, if the oracle proves one."""
    if _is_const(p):
        return p.get((), 0) // d
    if oracle is None:
        return None
    poly = Poly.from_dict(p)
    if not poly.is_affine():
        return None
    bounds = oracle(poly)
    if bounds is None or bounds[0] is None or bounds[1] is None:
        return None
    lo, hi = bounds
    return lo // d if lo // d == hi // d else None


#: Mixed residue choices are tried for at most this many monomials (2**n splits).
_MAX_MIXED = 3


def _candidate_splits(
    p: PolyDict, d: int, oracle: RangeOracle | None
) -> Iterator[tuple[PolyDict, PolyDict]]:
    """Splits ``p == d*q + r`` worth testing for a window of ``r``.

    ``r`` keeps the constant; each monomial whose coefficient ``c`` is not a
    multiple of ``d`` contributes ``c mod d`` or ``c mod d - d`` to ``r`` (all
    non-negative residues first, then all negative, then mixed choices).
    """
    const = p.get((), 0)
    base_q = {m: c // d for m, c in p.items() if m and c % d == 0}
    loose = [(m, c) for m, c in p.items() if m and c % d]
    if loose and oracle is None:
        return
    choices: list[tuple[int, ...]] = [(0,) * len(loose)]
    if loose:
        choices.append((1,) * len(loose))
        if len(loose) <= _MAX_MIXED:
            choices.extend(
                c for c in itertools.product((0, 1), repeat=len(loose)) if 0 < sum(c) < len(loose)
            )
    for choice in choices:
        q = dict(base_q)
        r = _const(const)
        for (m, c), negative in zip(loose, choice):
            rc = c % d - d if negative else c % d
            r[m] = rc
            q[m] = (c - rc) // d
        yield q, r


def _floordiv(p: PolyDict, d: int, oracle: RangeOracle | None) -> PolyDict:
    if d == 1:
        return p
    for q, r in _candidate_splits(p, d, oracle):
        m = _window(r, d, oracle)
        if m is not None:
            _add_into(q, _const(m))
            return q
    # (x // a) // b == x // (a*b)
    if len(p) == 1:
        ((mono, coef),) = p.items()
        if coef == 1 and len(mono) == 1 and isinstance(mono[0], DivAtom):
            inner = mono[0]
            return _atom_poly(DivAtom(inner.num, inner.den * d))
    return _atom_poly(DivAtom(Poly.from_dict(p), d))


def _mod(p: PolyDict, d: int, oracle: RangeOracle | None) -> PolyDict:
    if d == 1:
        return {}
    for _, r in _candidate_splits(p, d, oracle):
        m = _window(r, d, oracle)
        if m is not None:
            _add_into(r, _const(-m * d))
            return r
    r = _residues(p, d)
    # (x % a) % b == x % b when b divides a
    if len(r) == 1:
        ((mono, coef),) = r.items()
        if coef == 1 and len(mono) == 1 and isinstance(mono[0], ModAtom):
            inner = mono[0]
            if inner.den % d == 0:
                return _mod(inner.num.as_dict(), d, oracle)
    return _atom_poly(ModAtom(Poly.from_dict(r), d))


def _fold_div_mod(p: PolyDict) -> PolyDict:
    """Rewrite ``c*d*(e // d) + c*(e % d)`` into ``c*e``."""
    mods = [(m[0], c) for m, c in p.items() if len(m) == 1 and type(m[0]) is ModAtom]
    if not mods:
        return p
    for mod_atom, c in mods:
        d = mod_atom.den
        for mono, cd in list(p.items()):
            if not (len(mono) == 1 and isinstance(mono[0], DivAtom)):
                continue
            div_atom = mono[0]
            if div_atom.den != d or cd != c * d:
                continue
            residue = _residues(div_atom.num.as_dict(), d)
            if Poly.from_dict(residue) != mod_atom.num:
                continue
            # c*d*(e//d) + c*(e%d) == c*e  with e the div's numerator
            out = dict(p)
            out.pop(mono)
            out.pop((mod_atom,))
            _add_into(out, div_atom.num.as_dict(), c)
            return _fold_div_mod(out)
    return p


# ----- the normaliser --------------------------------------------------------------
def _var_poly(term: Var, oracle: RangeOracle | None) -> PolyDict:
    return {(term,): 1}


def _const_poly(term: Const, oracle: RangeOracle | None) -> PolyDict:
    return _const(term.value)


def _add_poly(term: Add, oracle: RangeOracle | None) -> PolyDict:
    acc = to_poly_dict(term.lhs, oracle)
    _add_into(acc, to_poly_dict(term.rhs, oracle))
    return _fold_div_mod(acc)


def _sub_poly(term: Sub, oracle: RangeOracle | None) -> PolyDict:
    acc = to_poly_dict(term.lhs, oracle)
    _add_into(acc, to_poly_dict(term.rhs, oracle), -1)
    return _fold_div_mod(acc)


def _neg_poly(term: Neg, oracle: RangeOracle | None) -> PolyDict:
    return {m: -c for m, c in to_poly_dict(term.arg, oracle).items()}


def _mul_poly(term: Mul, oracle: RangeOracle | None) -> PolyDict:
    return _fold_div_mod(_mul(to_poly_dict(term.lhs, oracle), to_poly_dict(term.rhs, oracle)))


def _floordiv_poly(term: FloorDiv, oracle: RangeOracle | None) -> PolyDict:
    return _floordiv(to_poly_dict(term.num, oracle), term.den, oracle)


def _mod_poly(term: Mod, oracle: RangeOracle | None) -> PolyDict:
    return _mod(to_poly_dict(term.num, oracle), term.den, oracle)


_NORMALISERS: dict[type, Callable[[Any, RangeOracle | None], PolyDict]] = {
    Var: _var_poly,
    Const: _const_poly,
    Add: _add_poly,
    Sub: _sub_poly,
    Neg: _neg_poly,
    Mul: _mul_poly,
    FloorDiv: _floordiv_poly,
    Mod: _mod_poly,
}


def to_poly_dict(term: Term, oracle: RangeOracle | None = None) -> PolyDict:
    """Normalise ``term`` to a working polynomial dictionary (a fresh dict)."""
    try:
        normalise = _NORMALISERS[type(term)]
    except KeyError:
        raise TermError(f"expected an integer term, got {term!r}") from None
    return normalise(term, oracle)


def to_poly(term: Term, oracle: RangeOracle | None = None) -> Poly:
    """The canonical polynomial of ``term``."""
    return Poly.from_dict(to_poly_dict(term, oracle))


# ----- back to terms -------------------------------------------------------------
def _atom_term(atom: Atom) -> Term:
    if isinstance(atom, Var):
        return atom
    if isinstance(atom, DivAtom):
        return FloorDiv(from_poly(atom.num), atom.den)
    return Mod(from_poly(atom.num), atom.den)


def _monomial_term(mono: Monomial) -> Term:
    result: Term | None = None
    for atom in mono:
        t = _atom_term(atom)
        result = t if result is None else Mul(result, t)
    assert result is not None
    return result


def from_poly(poly: Poly) -> Term:
    """The canonical term of a polynomial: ``ii + 4 * ioi + 16 * ioo - 3``."""
    result: Term | None = None
    for mono, coef in poly.items:
        if not mono:
            piece, negative = Const(abs(coef)), coef < 0
        else:
            body = _monomial_term(mono)
            piece = body if abs(coef) == 1 else Mul(Const(abs(coef)), body)
            negative = coef < 0
        if result is None:
            if not negative:
                result = piece
            elif isinstance(piece, Const):
                result = Const(coef)
            elif isinstance(piece, Mul) and isinstance(piece.lhs, Const):
                result = Mul(Const(coef), piece.rhs)
            else:
                result = Neg(piece)
        else:
            result = Sub(result, piece) if negative else Add(result, piece)
    return Const(0) if result is None else result

