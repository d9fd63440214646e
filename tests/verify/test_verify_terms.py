"""Terms: construction, operators, evaluation, printing, errors."""

import pytest

from exo_verify import (
    Add,
    Const,
    FloorDiv,
    Mod,
    Mul,
    Neg,
    Sub,
    TermError,
    Var,
    as_term,
    term_to_str,
)
from exo_verify.formulas import Compare

i, j, n = Var("i"), Var("j"), Var("n")


def test_operators_build_trees():
    assert 4 * i + j == Add(Mul(Const(4), i), j)
    assert i - 1 == Sub(i, Const(1))
    assert 1 - i == Sub(Const(1), i)
    assert -i == Neg(i)
    assert i * j == Mul(i, j)
    assert i // 4 == FloorDiv(i, 4)
    assert i % 4 == Mod(i, 4)
    assert i // Const(3) == FloorDiv(i, 3)
    assert +i is i


def test_terms_are_hashable_values():
    assert hash(4 * i + j) == hash(4 * i + j)
    assert {4 * i + j: 1}[4 * i + j] == 1
    assert (i + j) != (j + i)  # structural, not semantic


def test_var_identity_is_the_name():
    a, b = Var("i_7", "i"), Var("i_7", "other")
    assert a == b and hash(a) == hash(b)
    assert a.label == "i" and Var("k").label == "k"
    assert Var("i_7", "i") != Var("i_8", "i")


def test_fresh_vars_are_distinct_but_show_their_label():
    a, b = Var.fresh("t"), Var.fresh("t")
    assert a != b
    assert a.label == b.label == "t"
    assert str(a + b) == "t + t"


def test_comparisons_build_formulas():
    assert (i < n) == Compare("<", i, n)
    assert (i >= 0) == Compare(">=", i, Const(0))
    assert (0 <= i) == Compare(">=", i, Const(0))  # reflected by Python
    assert i.eq(n) == Compare("==", i, n)
    assert i.ne(3) == Compare("!=", i, Const(3))


def test_evaluate_uses_floor_semantics():
    env = {i: -7, j: 3}
    assert (i // 4).evaluate(env) == -2
    assert (i % 4).evaluate(env) == 1
    assert (4 * (i // 4) + i % 4).evaluate(env) == -7
    assert (i * j - -j).evaluate(env) == -18


def test_evaluate_missing_variable_is_a_term_error():
    with pytest.raises(TermError, match="no value given for variable i"):
        (i + 1).evaluate({})


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: i // j, "constant divisor"),
        (lambda: i % (j + 1), "constant divisor"),
        (lambda: i // 0, "positive divisor"),
        (lambda: i % -2, "positive divisor"),
        (lambda: 4 // i, "constant divisor"),
        (lambda: i / 2, "use //"),
        (lambda: i + 1.5, "cannot use 1.5"),
        (lambda: i + True, "cannot use True"),
        (lambda: Const(2.0), "must be an int"),
        (lambda: Var(""), "non-empty string"),
        (lambda: FloorDiv(i, 0), "positive divisor"),
    ],
)
def test_bad_terms_raise_term_error(build, message):
    with pytest.raises(TermError, match=message):
        build()


def test_term_error_is_a_value_error():
    with pytest.raises(ValueError):
        i // 0


def test_as_term():
    assert as_term(3) == Const(3)
    assert as_term(i) is i


def test_free_vars_in_first_occurrence_order():
    assert (j + 4 * i - j * n).free_vars() == (j, i, n)
    assert Const(3).free_vars() == ()


@pytest.mark.parametrize(
    "term, text",
    [
        (Var("ii") + 4 * Var("ioi") + 16 * Var("ioo"), "ii + 4 * ioi + 16 * ioo"),
        ((4 * i + j) // 4, "(4 * i + j) / 4"),
        ((4 * i + j) % 4, "(4 * i + j) % 4"),
        (i - (j - n), "i - (j - n)"),
        (i - j - n, "i - j - n"),
        (i + (j + n), "i + j + n"),
        (4 * (i + 1), "4 * (i + 1)"),
        (i * j * n, "i * j * n"),
        (i // 2 // 3, "i / 2 / 3"),
        ((i // 2) % 3, "i / 2 % 3"),
        (i // 2 * 3, "i / 2 * 3"),
        (i * (j // 2), "i * (j / 2)"),
        (-i, "-i"),
        (-(i + j), "-(i + j)"),
        (-(4 * i), "-(4 * i)"),
        (i - Const(-3), "i - (-3)"),
        (Const(-3) * i, "-3 * i"),
        (Var("i_3", "i") + 1, "i + 1"),
    ],
)
def test_printer(term, text):
    assert term_to_str(term) == text
    assert str(term) == text
