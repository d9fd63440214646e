"""The printed normal form of index and size arithmetic.

`normalize_control(e, scope)` rewrites an integer control expression
into its canonical form: constants folded, like terms collected, and the
quasi-affine identities that the facts justify applied (with ``0 <= ii < 4``:
``(4 * io + ii) / 4 -> io``, ``(4 * io + ii) % 4 -> ii``). The algebra and
the proofs of side conditions are the verifier's (`exo_verify.simplify_term`,
which asks isl for exact bounds) and the translation is `exo_core.analysis.logic`'s
(a `PartialScope` that records which IR expression each variable stands
for); this module only decides how the result is written back as IR.

Term order (Exo 1.0's printed order, checked against its ``simplify`` on
sums with constants, negative and positive terms, sizes, ``/`` and ``%``:
``-2 - n + i``, ``30 - 4 * i - n + j``, ``j + 3 * m + (j + n) / 2``, and the
reference's tutorial: ``ii + 4 * ioi + 16 * ioo``, ``ji + r + 4 * jo``):

1. the constant, if non-zero, comes first (negative constants print as
   ``-3 + i``);
2. then the plain variable terms, then the ``/`` and ``%`` terms; in each
   group by increasing signed coefficient (so negative terms first, written
   as subtractions: ``20 - n + m``), ties broken by printed text; a leading
   negative term prints as ``-i`` or ``-4 * i``.

A coefficient other than one is written before its variable: ``4 * io``.
"""

from __future__ import annotations

from typing import Sequence

from exo_verify import Formula, FloorDiv, Mod, Term, simplify_term
from exo_verify.normal_form import DivAtom, ModAtom, Poly, to_poly

import exo_core.ir as ir
from exo_core.analysis.logic_partial import PartialScope
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import INT, control_negation_type, control_result_type


def _has_div_mod(t: Term) -> bool:
    if isinstance(t, (FloorDiv, Mod)):
        return True
    return any(_has_div_mod(c) for c in t.children())


def normal_poly(term: Term, facts: Sequence[Formula]) -> Poly:
    """The canonical polynomial of ``term``; bounds from ``facts`` are used
    only when the term divides (they cannot change an affine term)."""
    if _has_div_mod(term) and facts:
        term = simplify_term(term, list(facts))
    return to_poly(term)


def _const(v: int, si) -> ir.Const:
    return ir.Const(v, INT, si)


def _binop(op: str, lhs: ir.Expr, rhs: ir.Expr, si) -> ir.BinOp:
    return ir.BinOp(op, lhs, rhs, control_result_type(op, lhs.type, rhs.type), si)


class _Rebuild:
    def __init__(self, atoms: dict, si):
        self.atoms = atoms
        self.si = si

    def atom(self, a) -> ir.Expr:
        if isinstance(a, (DivAtom, ModAtom)):
            num = self.poly(a.num)
            return _binop("/" if isinstance(a, DivAtom) else "%", num, _const(a.den, self.si),
                          self.si)
        return self.atoms[a]

    def monomial(self, mono) -> ir.Expr:
        out = None
        for a in mono:
            e = self.atom(a)
            out = e if out is None else _binop("*", out, e, self.si)
        return out

    def poly(self, poly: Poly) -> ir.Expr:
        const = 0
        terms = []
        for mono, coef in poly.items:
            if not mono:
                const = coef
                continue
            e = self.monomial(mono)
            kind = 0 if all(not isinstance(a, (DivAtom, ModAtom)) for a in mono) else 1
            terms.append(((kind, coef, expr_to_str(e)), coef, e))
        terms.sort(key=lambda t: t[0])
        out = _const(const, self.si) if const else None
        for _, coef, e in terms:
            mag = abs(coef)
            piece = e if mag == 1 else _binop("*", _const(mag, self.si), e, self.si)
            if out is None:
                if coef > 0:
                    out = piece
                elif mag == 1:
                    out = ir.USub(e, control_negation_type(e.type), self.si)
                else:
                    out = _binop("*", _const(coef, self.si), e, self.si)
            else:
                out = _binop("-" if coef < 0 else "+", out, piece, self.si)
        return out if out is not None else _const(0, self.si)


def poly_to_expr(poly: Poly, atoms: dict, srcinfo) -> ir.Expr | None:
    """IR for a normalised polynomial (``atoms``: the IR expression of each
    variable), or None when it is not affine."""
    if not poly.is_affine():
        return None
    return _Rebuild(atoms, srcinfo).poly(poly)


def normalize_control(e: ir.Expr, scope: PartialScope) -> ir.Expr:
    """``e`` in normal form under the facts of ``scope`` (``e`` itself when
    it does not translate); ``scope`` must record atoms."""
    t = scope.term(e)
    if t is None:
        return e
    new = poly_to_expr(normal_poly(t, scope.facts), scope.atoms, e.srcinfo)
    return e if new is None else new
