"""Substitution of terms for variables, with capture-avoiding quantifiers."""

from exo_verify import Exists, Forall, Var, in_range, is_valid, prove
from exo_verify.substitution import substitute_formula, substitute_term

i, j, io, ii, n = (Var(x) for x in ("i", "j", "io", "ii", "n"))


def test_substitute_term():
    assert substitute_term(i + 1, {i: 4 * io + ii}) == 4 * io + ii + 1
    assert substitute_term((i // 4) % 2 * j, {i: io, j: 3}) == (io // 4) % 2 * 3
    assert substitute_term(i + j, {}) == i + j


def test_substitute_formula_keeps_meaning():
    f = substitute_formula(in_range(i, 0, 4 * n), {i: 4 * io + ii})
    assert str(f) == "0 <= 4 * io + ii and 4 * io + ii < 4 * n"
    assert is_valid(f, [in_range(io, 0, n), in_range(ii, 0, 4)])


def test_bound_variables_are_not_substituted():
    f = Exists(i, 0, n, i.eq(j))
    g = substitute_formula(f, {i: io, n: 8})
    assert g == Exists(i, 0, 8, i.eq(j))


def test_bounds_are_in_the_outer_scope():
    f = Forall(i, 0, i, i < n)  # the upper bound is the free i
    g = substitute_formula(f, {i: j + 1})
    assert g == Forall(i, 0, j + 1, i < n)


def test_capture_is_avoided_by_renaming_the_bound_variable():
    f = Exists(i, 0, 4, (i + j).eq(n))
    g = substitute_formula(f, {j: 2 * i})  # the free i must not be captured
    assert isinstance(g, Exists) and g.var != i and g.var.label == "i"
    assert i in g.free_vars()
    # meaning check: exists k in [0, 4) with k + 2*i == n
    assert is_valid(g, [i.eq(1), n.eq(5)])
    assert not prove(g, [i.eq(1), n.eq(7)])


def test_substitution_returns_untouched_parts_as_they_are():
    t = (i + 1) * 2 - j // 3
    assert substitute_term(t, {n: io}) is t
    f = in_range(i, 0, n) & (j >= 0)
    assert substitute_formula(f, {io: ii}) is f
    g = substitute_formula(f, {j: ii})
    assert str(g) == "0 <= i and i < n and ii >= 0"
    assert g.args[0] is f.args[0] and g.args[1] is f.args[1]
