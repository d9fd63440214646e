"""Canonical forms and quasi-affine simplification under bounds."""

import pytest

from exo_verify import (
    NotPresburgerError,
    TermError,
    Var,
    in_range,
    simplify_term,
    term_bounds,
)

i, j, n, m = (Var(x) for x in "ijnm")
io, ii, ioo, ioi = (Var(x) for x in ("io", "ii", "ioo", "ioi"))
TILE = [in_range(ii, 0, 4)]


def s(term, assumptions=()):
    return str(simplify_term(term, list(assumptions)))


@pytest.mark.parametrize(
    "term, text",
    [
        (16 * ioo + 4 * ioi + ii, "ii + 4 * ioi + 16 * ioo"),
        (ioi * 4 + 16 * ioo + ii + 0, "ii + 4 * ioi + 16 * ioo"),
        (3 - 4 * i + 2 * (n - 2), "-4 * i + 2 * n - 1"),
        (i - i, "0"),
        (2 * (i + 3) - 6, "2 * i"),
        (-(i - n), "-i + n"),
        (i * 3 * 0 + 7, "7"),
        ((n + 1) * (m - 1), "m + m * n - n - 1"),
        (n * m - m * n + i, "i"),
    ],
)
def test_canonical_affine_and_polynomial_forms(term, text):
    assert s(term) == text


def test_canonical_forms_ignore_how_a_term_was_written():
    assert simplify_term(i + 2 * n - 1) == simplify_term(n - 1 + n + i)
    assert simplify_term((n + 1) * (n - 1)) == simplify_term(n * n - 1)


@pytest.mark.parametrize(
    "term, text",
    [
        ((4 * io + ii) // 4, "io"),
        ((4 * io + ii) % 4, "ii"),
        (ii // 4, "0"),
        (ii % 4, "ii"),
        ((4 * io + ii + 4) // 4, "io + 1"),
        ((4 * io - ii + 3) // 4, "io"),
        ((4 * io + ii) // 2, "(ii + 4 * io) / 2"),  # ii // 2 is not constant on [0, 4)
        ((4 * io + ii + 4) // 8, "(ii + 4 * io + 4) / 8"),
    ],
)
def test_quasi_affine_identities_under_bounds(term, text):
    assert s(term, TILE) == text


def test_assumptions_may_be_a_formula_list_or_generator():
    term = (4 * io + ii) // 4
    assert str(simplify_term(term, in_range(ii, 0, 4))) == "io"
    assert str(simplify_term(term, (f for f in TILE))) == "io"
    assert str(term_bounds(4 * io + ii, (f for f in TILE + [in_range(io, 0, 2)]))) == "(0, 7)"


def test_nested_tiles():
    bounds = TILE + [in_range(ioi, 0, 4)]
    flat = 16 * ioo + 4 * ioi + ii
    assert s(flat // 4, bounds) == "ioi + 4 * ioo"
    assert s(flat // 16, bounds) == "ioo"
    assert s((flat // 4) % 4, bounds) == "ioi"
    assert s(flat % 16, bounds) == "ii + 4 * ioi"


def test_identities_that_hold_for_every_integer():
    assert s(i % 4 + 4 * (i // 4)) == "i"
    assert s(3 * (i % 4) + 12 * (i // 4)) == "3 * i"
    assert s((i - 1) % 4 + 4 * ((i + 7) // 4)) == "i + 7"
    assert s((i // 4) // 2) == "i / 8"
    assert s((i % 8) % 4) == "i % 4"
    assert s((4 * i + 8) // 4) == "i + 2"
    assert s((4 * i + 5) // 4) == "i + 1"
    assert s((4 * i) % 4) == "0"
    assert s((5 * i + 6) % 4) == "(i + 2) % 4"


def test_without_bounds_nothing_unsound_happens():
    assert s((4 * io + ii) // 4) == "(ii + 4 * io) / 4"
    assert s((4 * io + ii) % 4) == "ii % 4"
    # with the wrong bounds the rewrite must not fire
    assert s((4 * io + ii) // 4, [in_range(ii, 0, 5)]) == "(ii + 4 * io) / 4"


def test_non_presburger_assumptions_are_ignored_soundly():
    assert s((4 * io + ii) // 4, TILE + [n * m > 3]) == "io"
    assert s((4 * io + ii) // 4, [n * m > 3]) == "(ii + 4 * io) / 4"


def test_bounds_use_relational_assumptions():
    # i <= j < i + 4, so 3*i + j == 4*i + (j - i) lies in [4*i, 4*i + 4)
    assert s((4 * i + j - i) // 4, [in_range(j, i, i + 4)]) == "i"
    assert s((4 * i + j - i) // 4, [in_range(j, i, i + 5)]) == "(3 * i + j) / 4"


def test_unsatisfiable_assumptions_leave_the_term_canonical():
    assert s((4 * io + ii) // 4, [ii < 0, ii > 0]) == "(ii + 4 * io) / 4"


def test_non_terms_are_refused():
    with pytest.raises(TermError, match="expected an integer term"):
        simplify_term(3)


def test_term_bounds():
    assert term_bounds(4 * io + ii, TILE + [in_range(io, 0, n), n <= 10]) == (0, 39)
    assert term_bounds(4 * io + ii, TILE + [in_range(io, 0, n)]) == (0, None)
    assert term_bounds(i % 8, []) == (0, 7)
    assert term_bounds(i, [i > 0, i < 0]) is None
    with pytest.raises(NotPresburgerError):
        term_bounds(n * m, [in_range(n, 0, 3), in_range(m, 0, 3)])
