"""Compiling formulas into isl sets through the isl API.

Building constraints directly is an order of magnitude faster than having isl
parse set notation (isl's parser costs tens of microseconds per dimension and
per constraint; adding a constraint through the API costs about two).

The compiler works in negation normal form: ``Not`` flips a polarity flag,
comparisons are negated by flipping their operator, and only a quantifier in
the "wrong" polarity costs a set complement (``forall`` is ``not exists not``).
A comparison ``a op b`` becomes one linear constraint over the canonical
polynomial of ``a - b``; each ``p // d`` in it becomes a local dimension ``q``
with ``0 <= p - d*q < d`` that is projected out afterwards (an existential
variable, which is how isl represents integer division), and ``p % d`` is
``p - d*(p // d)``.  Conjunctions of comparisons are gathered into one basic
set before isl sees them.

A product of variables cannot be expressed: :class:`NotPresburgerError`.
"""

from __future__ import annotations

import functools
from typing import Iterator, Mapping, TypeAlias

from exo_verify.isl_loader import isl

from exo_verify.errors import NotPresburgerError, TermError
from exo_verify.formulas import (
    NEGATED_OP,
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
from exo_verify.normal_form import DivAtom, ModAtom, items_affine, to_poly, to_poly_dict
from exo_verify.terms import Sub, Term, Var

# The engine uses one isl context, isl.DEFAULT_CONTEXT (isl objects of
# different contexts cannot be combined). Nothing here reads isl at import
# time: islpy is loaded by the first question (exo_verify.isl_loader).

Position: TypeAlias = "tuple[isl.dim_type, int]"
Linear = dict  # Position -> int coefficient; the key None holds the constant
Compiled: TypeAlias = "isl.Set | bool"


@functools.lru_cache(maxsize=8192)
def ival(value: int) -> isl.Val:
    """The isl value of an int (memoised: converting costs more than a lookup)."""
    return isl.Val.int_from_si(isl.DEFAULT_CONTEXT, value) if -(2**62) < value < 2**62 else isl.Val(
        str(value), context=isl.DEFAULT_CONTEXT
    )


#: A polynomial as (monomial, coefficient) pairs in no particular order.
PolyItems = tuple


@functools.lru_cache(maxsize=4096)
def comparison_poly(lhs: Term, rhs: Term) -> PolyItems:
    """Normalised ``lhs - rhs`` as unordered (monomial, coefficient) pairs
    (memoised on the term pair; ordering is skipped, isl does not need it)."""
    return tuple(to_poly_dict(Sub(lhs, rhs)).items())


def _items_constant(items: PolyItems) -> int | None:
    """The value of a constant polynomial, or None if it has a variable part."""
    value = 0
    for mono, coef in items:
        if mono:
            return None
        value += coef
    return value


@functools.lru_cache(maxsize=256)
def plain_set_space(ndims: int) -> isl.Space:
    """The space of sets with ``ndims`` unnamed dimensions and no parameters."""
    return isl.Space.set_alloc(isl.DEFAULT_CONTEXT, 0, ndims)


_BOUND = Var("\0bound")  # stands for a quantified variable inside its bounds


class ConstraintRows:
    """Linear constraints over a builder's space plus local (division) dimensions.

    ``add`` appends ``poly op 0``; ``to_set`` builds the basic set and projects
    the local dimensions away.
    """

    def __init__(self, builder: "SetBuilder") -> None:
        self.builder = builder
        self.rows: list[tuple[Linear, bool]] = []  # (coefficients, is_equality)
        self.locals: dict[DivAtom, int] = {}
        self.n_locals = 0

    def linear(self, items: PolyItems, env: Mapping[Var, Position]) -> Linear:
        out: Linear = {}
        for mono, coef in items:
            if not mono:
                out[None] = out.get(None, 0) + coef
                continue
            if len(mono) > 1:
                raise NotPresburgerError("a product of variables is not Presburger arithmetic")
            atom = mono[0]
            if isinstance(atom, Var):
                try:
                    pos = env[atom]
                except KeyError:
                    raise TermError(f"variable {atom.label} is not declared here") from None
                out[pos] = out.get(pos, 0) + coef
            elif isinstance(atom, DivAtom):
                pos = self.local(atom, env)
                out[pos] = out.get(pos, 0) + coef
            else:
                assert isinstance(atom, ModAtom)
                num = self.linear(atom.num.items, env)
                pos = self.local(DivAtom(atom.num, atom.den), env)
                for k, c in num.items():
                    out[k] = out.get(k, 0) + coef * c
                out[pos] = out.get(pos, 0) - coef * atom.den
        return out

    def local(self, atom: DivAtom, env: Mapping[Var, Position]) -> Position:
        """A local dimension q = num // den, defined by 0 <= num - den*q <= den - 1."""
        index = self.locals.get(atom)
        if index is None:
            index = self.builder.n_set + self.n_locals
            self.n_locals += 1
            self.locals[atom] = index
            num = self.linear(atom.num.items, env)
            lower = dict(num)
            lower[(isl.dim_type.set, index)] = -atom.den
            upper = {k: -c for k, c in num.items()}
            upper[(isl.dim_type.set, index)] = atom.den
            upper[None] = upper.get(None, 0) + atom.den - 1
            self.rows.append((lower, False))
            self.rows.append((upper, False))
        return (isl.dim_type.set, index)

    def add(self, items: PolyItems, op: str, env: Mapping[Var, Position]) -> None:
        """Add ``poly op 0`` (``op`` is not ``!=``) for the polynomial ``items``."""
        lin = self.linear(items, env)
        if op in (">=", ">", "=="):
            if op == ">":
                lin[None] = lin.get(None, 0) - 1
            self.rows.append((lin, op == "=="))
            return
        neg = {k: -c for k, c in lin.items()}
        if op == "<":
            neg[None] = neg.get(None, 0) - 1
        self.rows.append((neg, False))

    def to_set(self) -> isl.Set:
        space = self.builder.space
        if self.n_locals:
            space = space.add_dims(isl.dim_type.set, self.n_locals)
        local_space = isl.LocalSpace.from_space(space)
        bset = isl.BasicSet.universe(space)
        for lin, is_eq in self.rows:
            c = (isl.Constraint.equality_alloc if is_eq else isl.Constraint.inequality_alloc)(
                local_space
            )
            for pos, coef in lin.items():
                if coef == 0:
                    continue
                if pos is None:
                    c = c.set_constant_val(ival(coef))
                else:
                    c = c.set_coefficient_val(pos[0], pos[1], ival(coef))
            bset = bset.add_constraint(c)
        if self.n_locals:
            bset = bset.project_out(isl.dim_type.set, self.builder.n_set, self.n_locals)
        return isl.Set.from_basic_set(bset)


def _conjuncts(f: Formula, positive: bool) -> Iterator[tuple[Formula, bool]]:
    """Flatten a formula seen as a conjunction (under the given polarity)."""
    if isinstance(f, And) and positive or isinstance(f, Or) and not positive:
        for a in f.args:
            yield from _conjuncts(a, positive)
    elif isinstance(f, Not):
        yield from _conjuncts(f.arg, not positive)
    elif isinstance(f, Implies) and not positive:
        yield from _conjuncts(f.lhs, True)
        yield from _conjuncts(f.rhs, False)
    else:
        yield f, positive


def _disjuncts(f: Formula, positive: bool) -> Iterator[tuple[Formula, bool]]:
    """Flatten a formula seen as a disjunction (under the given polarity)."""
    if isinstance(f, Or) and positive or isinstance(f, And) and not positive:
        for a in f.args:
            yield from _disjuncts(a, positive)
    elif isinstance(f, Not):
        yield from _disjuncts(f.arg, not positive)
    elif isinstance(f, Implies) and positive:
        yield from _disjuncts(f.lhs, False)
        yield from _disjuncts(f.rhs, True)
    else:
        yield f, positive


class SetBuilder:
    """Compiles formulas into isl sets of one space.

    ``env`` places each free variable of the formulas at a parameter or set
    dimension of ``space``.
    """

    def __init__(self, space: isl.Space, env: Mapping[Var, Position]) -> None:
        self.space = space
        self.env: Mapping[Var, Position] = env
        self.n_set = space.dim(isl.dim_type.set)

    def universe(self) -> isl.Set:
        """The set of every point of the space."""
        return isl.Set.universe(self.space)

    def empty(self) -> isl.Set:
        """The empty set of the space."""
        return isl.Set.empty(self.space)

    def to_set(self, compiled: Compiled) -> isl.Set:
        """A compiled formula as a set (booleans become universe/empty)."""
        if compiled is True:
            return self.universe()
        if compiled is False:
            return self.empty()
        return compiled

    def compile(self, f: Formula, positive: bool = True) -> Compiled:
        """The set of points where ``f`` (or, if not ``positive``, ``not f``) holds;
        ``True``/``False`` when that is every point / no point by constant folding."""
        if isinstance(f, (And, Or, Not, Implies, Compare)):
            items = list(_conjuncts(f, positive))
            if not items:
                return True
            if len(items) > 1:
                return self._conjunction(items)
            f, positive = items[0]
            if isinstance(f, (And, Or, Implies)):
                return self._disjunction(list(_disjuncts(f, positive)))
            if isinstance(f, Compare):
                return self._conjunction([(f, positive)])
        if isinstance(f, BoolConst):
            return f.value == positive
        if isinstance(f, (Exists, Forall)):
            return self._quantifier(f, positive)
        raise TypeError(f"not a formula: {f!r}")  # pragma: no cover - closed hierarchy

    def _conjunction(self, items: list[tuple[Formula, bool]]) -> Compiled:
        rows = ConstraintRows(self)
        others: list[isl.Set] = []
        for f, positive in items:
            if isinstance(f, Compare):
                op = f.op if positive else NEGATED_OP[f.op]
                poly = comparison_poly(f.lhs, f.rhs)
                constant = _items_constant(poly)
                if constant is not None:
                    if not _holds(constant, op):
                        return False
                elif op == "!=":
                    others.append(self._not_equal(poly))
                else:
                    rows.add(poly, op, self.env)
                continue
            compiled = self.compile(f, positive)
            if compiled is False:
                return False
            if compiled is not True:
                others.append(compiled)
        if not rows.rows and not others:
            return True
        result = rows.to_set() if rows.rows else None
        for s in others:
            result = s if result is None else result.intersect(s)
        return result

    def _not_equal(self, poly: PolyItems) -> isl.Set:
        below, above = ConstraintRows(self), ConstraintRows(self)
        below.add(poly, "<", self.env)
        above.add(poly, ">", self.env)
        return below.to_set().union(above.to_set())

    def _disjunction(self, items: list[tuple[Formula, bool]]) -> Compiled:
        result: isl.Set | None = None
        for f, positive in items:
            compiled = self.compile(f, positive)
            if compiled is True:
                return True
            if compiled is False:
                continue
            result = compiled if result is None else result.union(compiled)
        return False if result is None else result

    def _quantifier(self, f: Exists | Forall, positive: bool) -> Compiled:
        # exists (+): E(bounds and body+)      exists (-): not E(bounds and body+)
        # forall (+): not E(bounds and body-)  forall (-): E(bounds and body-)
        inner_positive = isinstance(f, Exists)
        emit_not = positive != inner_positive
        ext_space = self.space.add_dims(isl.dim_type.set, 1)
        new_dim = (isl.dim_type.set, self.n_set)
        body_builder = SetBuilder(ext_space, {**self.env, f.var: new_dim})
        body = body_builder.compile(f.body, inner_positive)
        if body is False:
            return emit_not
        bound_items: list[tuple[Formula, bool]] = []
        if f.lo is not None:
            bound_items.append((Compare("<=", f.lo, _BOUND), True))
        if f.hi is not None:
            bound_items.append((Compare("<", _BOUND, f.hi), True))
        if body is True and not bound_items:
            return not emit_not
        bound_builder = SetBuilder(ext_space, {**self.env, _BOUND: new_dim})
        inner = bound_builder._conjunction(bound_items) if bound_items else True
        if inner is False:
            return emit_not
        inner_set = body_builder.to_set(body).intersect(bound_builder.to_set(inner))
        exists = inner_set.project_out(isl.dim_type.set, self.n_set, 1)
        return exists.complement() if emit_not else exists


def is_presburger(f: Formula) -> bool:
    """Whether isl can express ``f`` (no product of variables survives normalisation)."""
    if isinstance(f, Compare):
        return items_affine(comparison_poly(f.lhs, f.rhs))
    if isinstance(f, (Exists, Forall)):
        bounds = (t for t in (f.lo, f.hi) if t is not None)
        return all(to_poly(t).is_affine() for t in bounds) and is_presburger(f.body)
    return all(is_presburger(c) for c in f.children())


def _holds(value: int, op: str) -> bool:
    if op == "<":
        return value < 0
    if op == "<=":
        return value <= 0
    if op == "==":
        return value == 0
    if op == "!=":
        return value != 0
    if op == ">=":
        return value >= 0
    return value > 0


def point_coordinates(point: isl.Point, kind: isl.dim_type, count: int) -> list[int]:
    """Integer coordinates of an isl point."""
    return [point.get_coordinate_val(kind, i).to_python() for i in range(count)]
