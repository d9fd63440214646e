"""Integer sets and maps (relations), backed by isl.

An :class:`IntSet` is ``{ (x1, ..., xn) : condition }`` and an :class:`IntMap`
is ``{ (x1, ..., xn) -> (y1, ..., ym) : condition }``; variables of the
condition that are not dimensions are *parameters* (symbolic sizes such as
``n``) and are matched by variable across sets.  Dimensions are positional:
combining two sets pairs their dimensions by position, and the result keeps
the variables of the left operand.

The typical use is an access relation (statement iteration -> buffer
location) and a dependence check::

    i, n = Var("i"), Var("n")
    loop = in_range(i, 0, n)
    writes = IntMap.from_terms([i], [i + 1], loop)      # x[i + 1] = ...
    reads = IntMap.from_terms([i], [i], loop)           # ... = x[i]
    deps = IntMap.dependences(writes, reads)            # {i -> i' : i + 1 == i'}
    carried = deps.restrict_lex_lt()                    # earlier write, later read
    carried.is_empty()                                  # False
    carried.sample()                                    # i = 0, i' = 1, n = 2

Sets and maps are immutable; every operation returns a new object.  Building
one from a formula with a product of variables raises
:class:`NotPresburgerError` (isl is Presburger-only).
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from exo_verify.isl_loader import isl
from attrs import field, frozen

from exo_verify.errors import TermError
from exo_verify.formulas import TRUE, Formula, conj
from exo_verify.isl_build import SetBuilder, ival, point_coordinates
from exo_verify.results import Assignment
from exo_verify.terms import TermLike, Var, as_term

# ----- parameter naming -------------------------------------------------------------
# isl matches parameters by identifier, so every variable used as a parameter gets
# one isl name for the whole process: its sanitised label, made unique with a
# numeric suffix.  Set dimensions are positional and stay unnamed.
_isl_name_of: dict[str, str] = {}
_var_of_isl_name: dict[str, Var] = {}
_suffix_of_base: dict[str, int] = {}


def isl_name(var: Var) -> str:
    """The process-wide isl identifier of ``var`` as a parameter."""
    name = _isl_name_of.get(var.name)
    if name is None:
        base = re.sub(r"[^A-Za-z0-9_]", "_", var.label) or "v"
        if base[0].isdigit():
            base = "v" + base
        name = base
        while name in _var_of_isl_name:
            k = _suffix_of_base.get(base, 0) + 1
            _suffix_of_base[base] = k
            name = f"{base}_{k}"
        _isl_name_of[var.name] = name
        _var_of_isl_name[name] = var
    return name


def _params_of(condition: Formula, dims: Sequence[Var]) -> list[Var]:
    dim_set = set(dims)
    return [v for v in condition.free_vars() if v not in dim_set]


def _check_distinct(dims: Sequence[Var], what: str) -> tuple[Var, ...]:
    dims = tuple(dims)
    for d in dims:
        if not isinstance(d, Var):
            raise TermError(f"{what} must be variables, not {d!r}")
    if len(set(dims)) != len(dims):
        raise TermError(f"{what} must be distinct variables: {', '.join(d.label for d in dims)}")
    return dims


def _flat_set(dims: Sequence[Var], condition: Formula) -> isl.Set:
    """The set ``{ [dims] : condition }`` with the other variables as parameters."""
    params = _params_of(condition, dims)
    space = isl.Space.set_alloc(isl.DEFAULT_CONTEXT, len(params), len(dims))
    for index, p in enumerate(params):
        space = space.set_dim_name(isl.dim_type.param, index, isl_name(p))
    env = {p: (isl.dim_type.param, i) for i, p in enumerate(params)}
    env.update({d: (isl.dim_type.set, i) for i, d in enumerate(dims)})
    builder = SetBuilder(space, env)
    return builder.to_set(builder.compile(condition))


def _param_values(obj: isl.Set | isl.Map, point: isl.Point) -> list[tuple[Var, int]]:
    n = obj.dim(isl.dim_type.param)
    names = [obj.get_dim_name(isl.dim_type.param, i) for i in range(n)]
    values = point_coordinates(point, isl.dim_type.param, n)
    return [(_var_of_isl_name[name], value) for name, value in zip(names, values)]


def _fix(obj: isl.Set, values: Mapping[Var, int], dims: Sequence[Var]) -> isl.Set:
    for i, d in enumerate(dims):
        if d not in values:
            raise TermError(f"no value given for {d.label}")
        obj = obj.fix_val(isl.dim_type.set, i, ival(values[d]))
    for i in range(obj.dim(isl.dim_type.param)):
        var = _var_of_isl_name[obj.get_dim_name(isl.dim_type.param, i)]
        if var not in values:
            raise TermError(f"no value given for the parameter {var.label}")
        obj = obj.fix_val(isl.dim_type.param, i, ival(values[var]))
    return obj


def _display(obj: isl.Set | isl.Map, groups: Sequence[tuple[isl.dim_type, Sequence[Var]]]) -> str:
    """isl notation of ``obj`` with user labels for dimensions and parameters."""
    params = [_var_of_isl_name[obj.get_dim_name(isl.dim_type.param, i)] for i in range(obj.dim(isl.dim_type.param))]
    everything = params + [v for _, dims in groups for v in dims]
    counts: dict[str, int] = {}
    for v in everything:
        counts[v.label] = counts.get(v.label, 0) + 1

    def shown(v: Var) -> str:
        text = v.label if counts[v.label] == 1 else v.name
        return re.sub(r"[^A-Za-z0-9_']", "_", text)

    for kind, dims in [(isl.dim_type.param, params), *groups]:
        for index, v in enumerate(dims):
            obj = obj.set_dim_name(kind, index, shown(v))
    return str(obj)


def _renamed_apart(dims: Sequence[Var], avoid: Iterable[Var]) -> tuple[Var, ...]:
    """``dims`` with every variable that is also in ``avoid`` replaced by a primed copy."""
    taken = set(avoid)
    out = []
    for d in dims:
        if d in taken:
            d = Var.fresh(d.label + "'")
        taken.add(d)
        out.append(d)
    return tuple(out)


# ----- sets ---------------------------------------------------------------------------
@frozen(eq=False)
class IntSet:
    """A set of integer tuples, possibly depending on parameters."""

    dims: tuple[Var, ...]
    isl_set: isl.Set = field(repr=False)

    @classmethod
    def of(cls, dims: Sequence[Var], condition: Formula = TRUE) -> "IntSet":
        """``{ (dims) : condition }``."""
        dims = _check_distinct(dims, "set dimensions")
        return cls(dims, _flat_set(dims, condition))

    @classmethod
    def universe(cls, dims: Sequence[Var]) -> "IntSet":
        """Every tuple."""
        return cls.of(dims, TRUE)

    @classmethod
    def empty(cls, dims: Sequence[Var]) -> "IntSet":
        """No tuple."""
        dims = _check_distinct(dims, "set dimensions")
        return cls(dims, isl.Set.empty(_flat_set(dims, TRUE).get_space()))

    def _same_arity(self, other: "IntSet") -> None:
        if not isinstance(other, IntSet):
            raise TermError(f"expected an IntSet, not {other!r}")
        if len(other.dims) != len(self.dims):
            raise TermError(
                f"cannot combine sets of {len(self.dims)} and {len(other.dims)} dimensions"
            )

    @property
    def params(self) -> tuple[Var, ...]:
        """The parameters the set depends on."""
        s = self.isl_set
        return tuple(
            _var_of_isl_name[s.get_dim_name(isl.dim_type.param, i)] for i in range(s.dim(isl.dim_type.param))
        )

    def restrict(self, condition: Formula) -> "IntSet":
        """The elements that also satisfy ``condition``."""
        return IntSet(self.dims, self.isl_set.intersect(_flat_set(self.dims, condition)))

    def intersect(self, other: "IntSet") -> "IntSet":
        """Elements in both sets."""
        self._same_arity(other)
        return IntSet(self.dims, self.isl_set.intersect(other.isl_set))

    def union(self, other: "IntSet") -> "IntSet":
        """Elements in either set."""
        self._same_arity(other)
        return IntSet(self.dims, self.isl_set.union(other.isl_set))

    def difference(self, other: "IntSet") -> "IntSet":
        """Elements of this set that are not in ``other``."""
        self._same_arity(other)
        return IntSet(self.dims, self.isl_set.subtract(other.isl_set))

    def complement(self) -> "IntSet":
        """Every tuple not in the set."""
        return IntSet(self.dims, self.isl_set.complement())

    def project_out(self, dims: Iterable[Var]) -> "IntSet":
        """Existentially eliminate the given dimensions."""
        drop = set(dims)
        unknown = drop - set(self.dims)
        if unknown:
            raise TermError(f"{', '.join(v.label for v in unknown)} is not a dimension of the set")
        s = self.isl_set
        for i in reversed(range(len(self.dims))):
            if self.dims[i] in drop:
                s = s.project_out(isl.dim_type.set, i, 1)
        return IntSet(tuple(d for d in self.dims if d not in drop), s)

    def apply(self, relation: "IntMap") -> "IntSet":
        """The image of the set under ``relation``."""
        if len(relation.in_dims) != len(self.dims):
            raise TermError(
                f"cannot apply a map from {len(relation.in_dims)} dimensions "
                f"to a set of {len(self.dims)}"
            )
        return IntSet(relation.out_dims, self.isl_set.apply(relation.isl_map))

    def is_empty(self) -> bool:
        """True when no tuple (for any parameter value) is in the set."""
        return self.isl_set.is_empty()

    def is_subset(self, other: "IntSet") -> bool:
        """True when every element is also in ``other`` (for every parameter value)."""
        self._same_arity(other)
        return self.isl_set.is_subset(other.isl_set)

    def is_equal(self, other: "IntSet") -> bool:
        """True when both sets have the same elements (for every parameter value)."""
        self._same_arity(other)
        return self.isl_set.is_equal(other.isl_set)

    def sample(self) -> Assignment | None:
        """Some element (with parameter values), or None when empty."""
        s = self.isl_set
        if s.is_empty():
            return None
        point = s.sample_point()
        values = list(zip(self.dims, point_coordinates(point, isl.dim_type.set, len(self.dims))))
        return Assignment(values + _param_values(s, point))

    def contains(self, values: Mapping[Var, int]) -> bool:
        """Membership of the point given by ``values`` (dimensions and parameters)."""
        return not _fix(self.isl_set, values, self.dims).is_empty()

    def __str__(self) -> str:
        return _display(self.isl_set, [(isl.dim_type.set, self.dims)])


# ----- maps -----------------------------------------------------------------------------
@frozen(eq=False)
class IntMap:
    """A relation between integer tuples, possibly depending on parameters."""

    in_dims: tuple[Var, ...]
    out_dims: tuple[Var, ...]
    isl_map: isl.Map = field(repr=False)

    @classmethod
    def of(
        cls, in_dims: Sequence[Var], out_dims: Sequence[Var], condition: Formula = TRUE
    ) -> "IntMap":
        """``{ (in_dims) -> (out_dims) : condition }``."""
        in_dims = _check_distinct(in_dims, "map input dimensions")
        out_dims = _check_distinct(out_dims, "map output dimensions")
        _check_distinct(in_dims + out_dims, "map dimensions")
        flat = _flat_set(in_dims + out_dims, condition)
        isl_map = isl.Map.from_range(flat).move_dims(isl.dim_type.in_, 0, isl.dim_type.out, 0, len(in_dims))
        return cls(in_dims, out_dims, isl_map)

    @classmethod
    def from_terms(
        cls,
        in_dims: Sequence[Var],
        out_terms: Sequence[TermLike],
        domain: Formula = TRUE,
        out_dims: Sequence[Var] | None = None,
    ) -> "IntMap":
        """``{ (in_dims) -> (out_terms) : domain }``, e.g. an access function."""
        terms = [as_term(t) for t in out_terms]
        if out_dims is None:
            out_dims = tuple(Var.fresh(f"o{k}") for k in range(len(terms)))
        elif len(out_dims) != len(terms):
            raise TermError(f"{len(out_dims)} output dimensions for {len(terms)} terms")
        condition = conj(domain, *(o.eq(t) for o, t in zip(out_dims, terms)))
        return cls.of(in_dims, out_dims, condition)

    @classmethod
    def dependences(cls, source: "IntMap", target: "IntMap") -> "IntMap":
        """Pairs ``(s, t)`` of source and target instances touching a common element.

        ``source`` and ``target`` map instances (iterations) to elements; the
        result relates every source instance to every target instance whose
        element sets intersect.
        """
        return source.apply_range(target.reverse())

    def _same_shape(self, other: "IntMap") -> None:
        if not isinstance(other, IntMap):
            raise TermError(f"expected an IntMap, not {other!r}")
        if (len(self.in_dims), len(self.out_dims)) != (len(other.in_dims), len(other.out_dims)):
            raise TermError("cannot combine maps of different shapes")

    def _with(self, isl_map: isl.Map, in_dims: Sequence[Var] | None = None,
              out_dims: Sequence[Var] | None = None) -> "IntMap":
        ins = tuple(self.in_dims if in_dims is None else in_dims)
        outs = _renamed_apart(self.out_dims if out_dims is None else out_dims, ins)
        return IntMap(ins, outs, isl_map)

    @property
    def params(self) -> tuple[Var, ...]:
        """The parameters the relation depends on."""
        m = self.isl_map
        return tuple(
            _var_of_isl_name[m.get_dim_name(isl.dim_type.param, i)] for i in range(m.dim(isl.dim_type.param))
        )

    def domain(self) -> IntSet:
        """Input tuples related to some output."""
        return IntSet(self.in_dims, self.isl_map.domain())

    def range(self) -> IntSet:
        """Output tuples related to some input."""
        return IntSet(self.out_dims, self.isl_map.range())

    def reverse(self) -> "IntMap":
        """The inverse relation."""
        return IntMap(self.out_dims, self.in_dims, self.isl_map.reverse())

    def restrict(self, condition: Formula) -> "IntMap":
        """The pairs that also satisfy ``condition`` (over input and output variables)."""
        other = IntMap.of(self.in_dims, self.out_dims, condition)
        return self._with(self.isl_map.intersect(other.isl_map))

    def intersect(self, other: "IntMap") -> "IntMap":
        """Pairs in both relations."""
        self._same_shape(other)
        return self._with(self.isl_map.intersect(other.isl_map))

    def union(self, other: "IntMap") -> "IntMap":
        """Pairs in either relation."""
        self._same_shape(other)
        return self._with(self.isl_map.union(other.isl_map))

    def difference(self, other: "IntMap") -> "IntMap":
        """Pairs of this relation not in ``other``."""
        self._same_shape(other)
        return self._with(self.isl_map.subtract(other.isl_map))

    def intersect_domain(self, domain: IntSet) -> "IntMap":
        """Keep the pairs whose input is in ``domain``."""
        if len(domain.dims) != len(self.in_dims):
            raise TermError("the domain set does not match the map's inputs")
        return self._with(self.isl_map.intersect_domain(domain.isl_set))

    def intersect_range(self, rng: IntSet) -> "IntMap":
        """Keep the pairs whose output is in ``rng``."""
        if len(rng.dims) != len(self.out_dims):
            raise TermError("the range set does not match the map's outputs")
        return self._with(self.isl_map.intersect_range(rng.isl_set))

    def apply_range(self, other: "IntMap") -> "IntMap":
        """Composition: ``x -> z`` when ``x -> y`` here and ``y -> z`` in ``other``."""
        if len(other.in_dims) != len(self.out_dims):
            raise TermError("the maps do not compose: output and input arities differ")
        return self._with(self.isl_map.apply_range(other.isl_map), out_dims=other.out_dims)

    def deltas(self) -> IntSet:
        """The differences ``y - x`` over the pairs (inputs and outputs of equal arity)."""
        self._square("deltas")
        return IntSet(self.in_dims, self.isl_map.deltas())

    def _square(self, what: str) -> None:
        if len(self.in_dims) != len(self.out_dims):
            raise TermError(f"{what} needs inputs and outputs of the same arity")

    def restrict_lex_lt(self) -> "IntMap":
        """Keep the pairs whose input is lexicographically before the output."""
        self._square("a lexicographic restriction")
        space = isl.Space.set_alloc(isl.DEFAULT_CONTEXT, 0, len(self.in_dims))
        return self._with(self.isl_map.intersect(isl.Map.lex_lt(space)))

    def restrict_lex_gt(self) -> "IntMap":
        """Keep the pairs whose input is lexicographically after the output."""
        self._square("a lexicographic restriction")
        space = isl.Space.set_alloc(isl.DEFAULT_CONTEXT, 0, len(self.in_dims))
        return self._with(self.isl_map.intersect(isl.Map.lex_gt(space)))

    def is_empty(self) -> bool:
        """True when the relation has no pair (for any parameter value)."""
        return self.isl_map.is_empty()

    def is_subset(self, other: "IntMap") -> bool:
        """True when every pair is in ``other`` (for every parameter value)."""
        self._same_shape(other)
        return self.isl_map.is_subset(other.isl_map)

    def is_equal(self, other: "IntMap") -> bool:
        """True when both relations have the same pairs."""
        self._same_shape(other)
        return self.isl_map.is_equal(other.isl_map)

    def sample(self) -> Assignment | None:
        """Some pair (inputs, outputs and parameter values), or None when empty."""
        if self.isl_map.is_empty():
            return None
        wrapped = self.isl_map.wrap()
        point = wrapped.sample_point()
        dims = self.in_dims + self.out_dims
        values = list(zip(dims, point_coordinates(point, isl.dim_type.set, len(dims))))
        return Assignment(values + _param_values(wrapped, point))

    def contains(self, values: Mapping[Var, int]) -> bool:
        """Whether the pair given by ``values`` (inputs, outputs, parameters) is related."""
        return not _fix(self.isl_map.wrap(), values, self.in_dims + self.out_dims).is_empty()

    def __str__(self) -> str:
        return _display(self.isl_map, [(isl.dim_type.in_, self.in_dims), (isl.dim_type.out, self.out_dims)])
