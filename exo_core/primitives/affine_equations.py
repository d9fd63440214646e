"""Affine forms and exact linear systems over them (for `unification`).

An affine form is a dict from keys -- `Sym`s (unknowns or known variables)
and `ONE` for the constant -- to `Fraction` coefficients::

    affine_form(4 * io + ii + 1, {})   ->  {io: 4, ii: 1, ONE: 1}

`AffineSystem` keeps equations ``form == 0`` in reduced row echelon form
over a set of unknowns; the other keys are treated as independent symbols,
so a consistent system's solution expresses each determined unknown as an
affine form of the known variables.
"""

from __future__ import annotations

from fractions import Fraction

from attrs import frozen

import exo_core.ir as ir
from exo_core.ir.prelude import Sym
from exo_core.ir.printer import expr_to_str

ONE = "1"  # the key of the constant term of an affine form


def add_forms(a: dict, b: dict, k: Fraction = Fraction(1)) -> dict:
    """``a + k * b``."""
    out = dict(a)
    for key, v in b.items():
        out[key] = out.get(key, Fraction(0)) + k * v
        if out[key] == 0:
            del out[key]
    return out


def scale_form(a: dict, k: Fraction) -> dict:
    """``k * a``."""
    return {key: v * k for key, v in a.items()} if k else {}


def affine_form(e, env: dict, atoms: dict | None = None) -> dict | None:
    """The affine form of an integer control expression (``env`` renames
    symbols), or None when it is not affine. With ``atoms``, a non-affine
    sub-expression (``M / 6``, ``n % 4``, ``m * n``) is not a failure but one
    more symbol, its key an `Atom` recorded in ``atoms`` (key -> expression)::

        affine_form(ir + 6 * (M / 6), {}, atoms)  ->  {ir: 1, Atom("M / 6"): 6}
"""
    if isinstance(e, ir.Const):
        if isinstance(e.val, bool) or not isinstance(e.val, int):
            return None
        return {ONE: Fraction(e.val)} if e.val else {}
    if isinstance(e, ir.Read) and not e.idx:
        return {env.get(e.name, e.name): Fraction(1)}
    if isinstance(e, ir.USub):
        a = affine_form(e.arg, env, atoms)
        return None if a is None else scale_form(a, Fraction(-1))
    if isinstance(e, ir.BinOp) and e.op in ("+", "-", "*"):
        a, b = affine_form(e.lhs, env, atoms), affine_form(e.rhs, env, atoms)
        if a is None or b is None:
            return None
        if e.op == "+":
            return add_forms(a, b)
        if e.op == "-":
            return add_forms(a, b, Fraction(-1))
        if set(a) <= {ONE}:
            return scale_form(b, a.get(ONE, Fraction(0)))
        if set(b) <= {ONE}:
            return scale_form(a, b.get(ONE, Fraction(0)))
    if atoms is not None and isinstance(e, ir.BinOp) and e.op in ("*", "/", "%"):
        key = Atom(expr_to_str(e), frozenset(expr_syms(e)))
        atoms.setdefault(key, e)
        return {key: Fraction(1)}
    return None


def expr_syms(e) -> set:
    """The symbols an expression reads."""
    out = {e.name} if isinstance(e, ir.Read) else set()
    for c in ir.expr_children(e):
        out |= expr_syms(c)
    return out


@frozen
class Atom:
    """The key of a non-affine sub-expression in an affine form: its printed
    text and the symbols it reads (equal keys are the same expression)."""

    text: str
    syms: frozenset

    def __str__(self) -> str:
        return self.text


class AffineSystem:
    """Equations over the unknowns, kept in reduced row echelon form: each
    row solves one pivot unknown in terms of non-pivot unknowns and an
    affine form of the other keys."""

    def __init__(self, unknowns: set):
        self.unknowns = unknowns
        self.rows: dict = {}  # pivot -> dict (other unknowns and block terms; pivot = row)

    def copy(self) -> "AffineSystem":
        s = AffineSystem(self.unknowns)
        s.rows = dict(self.rows)
        return s

    def add(self, form: dict) -> bool:
        """Add ``form == 0``; False when the system becomes inconsistent."""
        for p, row in self.rows.items():
            k = form.get(p)
            if k:
                form = add_forms({key: v for key, v in form.items() if key != p}, row, k)
        pivots = [u for u in form if u in self.unknowns]
        if not pivots:
            return not form
        q = min(pivots, key=lambda u: (u.name, u.id))
        k = form[q]
        row = {key: -v / k for key, v in form.items() if key != q}  # q = row
        for p, other in list(self.rows.items()):
            c = other.get(q)
            if c:
                self.rows[p] = add_forms({key: v for key, v in other.items() if key != q}, row, c)
        self.rows[q] = row
        return True

    def value(self, u: Sym) -> dict | None:
        """The solved affine form of ``u``, None when it is not determined."""
        row = self.rows.get(u)
        if row is None or any(key in self.unknowns for key in row):
            return None
        return row


__all__ = ["ONE", "AffineSystem", "add_forms", "affine_form", "scale_form"]
