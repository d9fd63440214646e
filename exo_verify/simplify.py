"""Simplifying terms under assumptions.

:func:`simplify_term` returns the canonical form of a term (constants folded,
like terms collected, monomials ordered: ``ii + 4 * ioi + 16 * ioo - 3``) and
applies the quasi-affine identities whose side conditions the assumptions
imply, for example with ``0 <= ii < 4``::

    (4 * io + ii) // 4  ->  io
    (4 * io + ii) % 4   ->  ii
    ii // 4             ->  0

A division ``p // d`` is split as ``d*q + r``; when isl shows that ``r`` stays
within one block ``[m*d, (m+1)*d)`` wherever the assumptions hold, the
division becomes ``q + m`` (and ``p % d`` becomes ``r - m*d``).  The side
condition is decided exactly: isl computes the minimum and maximum of ``r``
over the assumptions.

Only the Presburger conjuncts of the assumptions are used; dropping the others
is sound (fewer assumptions can only prevent a rewrite).

The normaliser is our own (see :mod:`exo_verify.normal_form`) rather than
sympy's: sympy costs a third of a second to import and tens of microseconds per
operation, while the engine needs only integer polynomials with floor
division; the tests use sympy as an independent oracle for the normal forms.
"""

from __future__ import annotations

from typing import Sequence

from exo_verify.isl_loader import isl

from exo_verify.decide import Assumptions, assumption_formula
from exo_verify.errors import NotPresburgerError
from exo_verify.formulas import TRUE, And, Formula, conj, formula_vars
from exo_verify.isl_build import SetBuilder, ConstraintRows, is_presburger, plain_set_space
from exo_verify.normal_form import Poly, from_poly, to_poly
from exo_verify.terms import Term, Var, _merge_vars, term_vars

_RESULT = Var("\0result")


class AffineRanges:
    """Exact ranges of affine polynomials over the points satisfying a context.

    The context is compiled to an isl set once; each query adds one dimension
    ``t = p(x)``, projects the rest away and reads the minimum and maximum.
    """

    def __init__(self, context: Formula, variables: Sequence[Var]) -> None:
        self.context = context
        self.variables = tuple(variables)
        self.env = {v: (isl.dim_type.set, i) for i, v in enumerate(self.variables)}
        self.memo: dict[Poly, tuple[int | None, int | None] | None] = {}
        self._lifted_domain: isl.Set | None = None
        self._feasible: bool | None = None

    def _prepare(self) -> bool:
        """Compile the context on first use; return whether it is satisfiable."""
        if self._feasible is None:
            n = len(self.variables)
            builder = SetBuilder(plain_set_space(n), self.env)
            domain = builder.to_set(builder.compile(self.context))
            self._feasible = not domain.is_empty()
            self._lifted_domain = domain.insert_dims(isl.dim_type.set, n, 1)
        return self._feasible

    def __call__(self, poly: Poly) -> tuple[int | None, int | None] | None:
        """(min, max) of ``poly`` with ``None`` for an unbounded side; ``None``
        when the context is unsatisfiable or the polynomial is not affine."""
        if not poly.is_affine() or not self._prepare():
            return None
        if poly in self.memo:
            return self.memo[poly]
        n = len(self.variables)
        rows = ConstraintRows(SetBuilder(plain_set_space(n + 1), self.env))
        rows.add(poly.items + (((_RESULT,), -1),), "==", {**self.env, _RESULT: (isl.dim_type.set, n)})
        assert self._lifted_domain is not None
        values = self._lifted_domain.intersect(rows.to_set()).project_out(isl.dim_type.set, 0, n)
        t = isl.Aff.var_on_domain(isl.LocalSpace.from_space(values.get_space()), isl.dim_type.set, 0)
        result = (_finite(values.min_val(t)), _finite(values.max_val(t)))
        self.memo[poly] = result
        return result


def _finite(val: isl.Val) -> int | None:
    return val.to_python() if val.is_int() else None


def presburger_part(assumptions: Formula) -> Formula:
    """The top-level conjuncts of ``assumptions`` that isl can express."""
    parts = assumptions.args if isinstance(assumptions, And) else (assumptions,)
    return conj(*(p for p in parts if is_presburger(p)))


def _ranges_for(term: Term, assumptions: Formula) -> AffineRanges:
    context = presburger_part(assumptions)
    variables = _merge_vars([term_vars(term), formula_vars(context)])
    return AffineRanges(context, variables)


def simplify_term(term: Term, assumptions: Assumptions = TRUE) -> Term:
    """The canonical form of ``term``, simplified using ``assumptions``
    (a formula or an iterable of formulas)."""
    context = assumption_formula(assumptions)
    if context == TRUE:
        return from_poly(to_poly(term))
    return from_poly(to_poly(term, _ranges_for(term, context)))


def term_bounds(term: Term, assumptions: Assumptions = TRUE) -> tuple[int | None, int | None] | None:
    """Exact (min, max) of an affine ``term`` where ``assumptions`` hold.

    A side is ``None`` when unbounded; the result is ``None`` when the
    assumptions are unsatisfiable.  Raises :class:`NotPresburgerError` when the
    term is not affine.
    """
    poly = to_poly(term)
    if not poly.is_affine():
        raise NotPresburgerError(f"the bounds of {term} need non-linear arithmetic")
    return _ranges_for(term, assumption_formula(assumptions))(poly)
