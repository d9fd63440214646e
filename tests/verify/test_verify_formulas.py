"""Formulas: connectives, quantifiers, evaluation, printing, errors."""

import pytest

from exo_verify import (
    FALSE,
    TRUE,
    And,
    Compare,
    Exists,
    Forall,
    Implies,
    Not,
    Or,
    TermError,
    UsageError,
    Var,
    conj,
    disj,
    formula_to_str,
    in_range,
    lex_le,
    lex_lt,
    tuple_eq,
)

i, j, k, n = Var("i"), Var("j"), Var("k"), Var("n")


def test_connective_operators():
    a, b = i < n, j < n
    assert a & b == And((a, b))
    assert a | b == Or((a, b))
    assert ~a == Not(a)
    assert a >> b == Implies(a, b)


def test_conj_and_disj_flatten_and_fold():
    a, b, c = i < n, j < n, k < n
    assert conj(a, conj(b, c)) == And((a, b, c))
    assert conj(a, TRUE) == a
    assert conj() == TRUE
    assert conj(a, FALSE) == FALSE
    assert disj(a, disj(b, c)) == Or((a, b, c))
    assert disj(a, FALSE) == a
    assert disj() == FALSE
    assert disj(a, TRUE) == TRUE
    assert conj(True, a) == a


def test_formula_has_no_python_truth_value():
    with pytest.raises(UsageError, match="prove"):
        if i < n:
            pass
    with pytest.raises(TypeError):  # UsageError is a TypeError: chained comparisons fail loudly
        0 <= i < n


def test_bad_formulas_raise_term_error():
    with pytest.raises(TermError, match="unknown comparison"):
        Compare("=<", i, n)
    with pytest.raises(TermError, match="binds a variable"):
        Exists(i + 1, 0, 4, TRUE)
    with pytest.raises(TermError, match="expected a formula"):
        And((i < n, 3))
    with pytest.raises(TermError, match="different lengths"):
        lex_lt([i, j], [n])


def test_evaluate():
    env = {i: 2, n: 5}
    assert (in_range(i, 0, n)).evaluate(env)
    assert not (i.eq(n) | (i > 3)).evaluate(env)
    assert ((i > 3) >> (i < 0)).evaluate(env)
    assert Exists(j, 0, n, (2 * j).eq(i + 6)).evaluate(env) is True
    assert Exists(j, 0, n, (2 * j).eq(i + 7)).evaluate(env) is False
    assert Forall(j, 0, i, j < i).evaluate(env)
    assert not Forall(j, 0, n, j < i).evaluate(env)


def test_evaluate_unbounded_quantifier_is_an_error():
    with pytest.raises(TermError, match="without both bounds"):
        Exists(j, 0, None, j.eq(i)).evaluate({i: 1})


def test_free_vars_exclude_bound_variables():
    f = Exists(j, i, n, (j + k).eq(0)) & (j > 0)
    assert f.free_vars() == (i, n, k, j)
    assert Forall(i, 0, i, i.eq(k)).free_vars() == (i, k)  # the bound 'i' is the outer one


def test_lexicographic_order_matches_python_tuples():
    a0, a1, b0, b1 = (Var(x) for x in ("a0", "a1", "b0", "b1"))
    lt, le = lex_lt([a0, a1], [b0, b1]), lex_le([a0, a1], [b0, b1])
    for x in range(3):
        for y in range(3):
            for u in range(3):
                for v in range(3):
                    env = {a0: x, a1: y, b0: u, b1: v}
                    assert lt.evaluate(env) == ((x, y) < (u, v))
                    assert le.evaluate(env) == ((x, y) <= (u, v))
    assert tuple_eq([a0, a1], [b0, 3]).evaluate({a0: 1, a1: 3, b0: 1})


@pytest.mark.parametrize(
    "formula, text",
    [
        (in_range(i, 0, n), "0 <= i and i < n"),
        ((i < n) | (j.eq(3) & k.ne(2)), "i < n or j == 3 and k != 2"),
        (((i < n) | (j < n)) & (k < n), "(i < n or j < n) and k < n"),
        (~(i < n), "not i < n"),
        (~((i < n) & (j < n)), "not (i < n and j < n)"),
        ((i < n) >> (j < n), "i < n implies j < n"),
        (((i < n) >> (j < n)) >> (k < n), "(i < n implies j < n) implies k < n"),
        (Exists(j, 0, 4, (4 * i + j).eq(k)), "exists j in seq(0, 4): 4 * i + j == k"),
        (Forall(j, None, None, j * j >= 0), "forall j: j * j >= 0"),
        ((i < n) & Forall(j, 0, n, j < n), "i < n and (forall j in seq(0, n): j < n)"),
        (TRUE, "True"),
        (FALSE, "False"),
    ],
)
def test_formula_printer(formula, text):
    assert formula_to_str(formula) == text
    assert str(formula) == text
