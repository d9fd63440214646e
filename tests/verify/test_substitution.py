"""Substituting terms for variables in terms and formulas."""

from __future__ import annotations

from exo_verify import Exists, Forall, Var, is_valid
from exo_verify.substitution import substitute_formula, substitute_term

i, io, ii, n, k = Var("i"), Var("io"), Var("ii"), Var("n"), Var("k")


def test_terms():
    t = substitute_term((i + 1) // 4 - i % 4 * 2, {i: 4 * io + ii})
    assert str(t) == "(4 * io + ii + 1) / 4 - (4 * io + ii) % 4 * 2"
    assert substitute_term(i + n, {}) == i + n
    assert str(substitute_term(-i * n, {n: 3})) == "-i * 3"


def test_formulas_and_connectives():
    f = ((i < n) & ~(i.eq(0))) | (i >= n) >> (n > 0)
    g = substitute_formula(f, {i: k + 1})
    assert str(g) == "k + 1 < n and not k + 1 == 0 or (k + 1 >= n implies n > 0)"


def test_bound_variables_are_not_replaced():
    f = Exists(i, 0, n, (i + k).eq(n))
    assert substitute_formula(f, {i: Var("zzz")}) == f
    assert str(substitute_formula(f, {n: 4})) == "exists i in seq(0, 4): i + k == 4"


def test_capture_is_avoided():
    f = Forall(i, 0, 4, i < k + 4)          # true for every k >= 0
    g = substitute_formula(f, {k: i})         # k := the *free* i
    assert g.var != i and g.var.label == "i"
    assert is_valid(g, [i >= 0])
    assert not is_valid(substitute_formula(f, {k: i - 1}), [i >= 0])
