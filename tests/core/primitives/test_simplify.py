"""simplify: index normal form, quasi-affine identities, dead-code removal."""

from __future__ import annotations

import pytest

from exo_core import proc, SchedulingError
from exo_core.cursors import ForCursor
from exo_core.primitives.simplify import simplify
from exo_core.ir.printer import expr_to_str

from tests.core.primitives.scope_equivalence import assert_same_outputs
from tests.core.primitives.scope_golden import check_golden


@proc
def mixed(n: size, x: f32[n], y: f32[n]):
    assert n % 4 == 0
    assert n >= 16
    for io in seq(0, n / 4):
        for ii in seq(0, 4):
            x[(4 * io + ii) / 4] = 0.0
            x[(4 * io + ii) % 4 + 1 - 1] = 1.0
            if ii < 4:
                y[4 * io + ii] = 1.0
            if ii + 4 * io < 0:
                y[0] = 2.0
            else:
                y[2 * io + ii + 2 * io] = 3.0
    for i in seq(0, 0):
        x[i] = 1.0
    for i in seq(5, 13):
        x[i - 3 + 0] = x[i] + 1.0
    for j in seq(0, n - 1):
        x[1 + j * 1] = x[n - 1 - j] + x[j + 1]


def test_golden_mixed():
    check_golden("simplify_mixed", simplify(mixed))


def test_mixed_computes_the_same():
    assert_same_outputs(mixed, simplify(mixed), n=16)


@proc
def tiled(data: i32[4, 16], out: i32[16, 16]):
    for ioo in seq(0, 1):
        for jo in seq(0, 4):
            for ioi in seq(0, 4):
                for ii in seq(0, 4):
                    for ji in seq(0, 4):
                        for r in seq(0, 4):
                            if 4 * jo + ji + r < 16:
                                out[16 * ioo + 4 * ioi + ii, 4 * jo + ji] = data[0, r + ji + jo * 4]
                        out[4 * ioi + 16 * ioo + 4 - 4, 4 + 4 * jo - 4] = 0.0


def test_seed_normal_form_order():
    p = simplify(tiled)
    text = str(p)
    assert "if ji + r + 4 * jo < 16:" in text
    assert "out[ii + 4 * ioi + 16 * ioo, ji + 4 * jo] = data[0, ji + r + 4 * jo]" in text
    assert "out[4 * ioi + 16 * ioo, 4 * jo] = 0.0" in text
    assert_same_outputs(tiled, p)


@proc
def consts(n: size, x: f32[n + 8]):
    for i in seq(0, n):
        x[4 * i / 4 + 4 + 0 * i] = 1.0
        x[i - i + 2 * 3] = 2.0


def test_constant_first_and_folding():
    text = str(simplify(consts))
    assert "x[4 + i] = 1.0" in text
    assert "x[6] = 2.0" in text


@proc
def unbounded_div(x: f32[20]):
    for io in seq(0, 4):
        for ii in seq(0, 5):
            x[(4 * io + ii) / 4] = 1.0
            x[(4 * io + ii) % 4] = 2.0


def test_division_identity_needs_the_bound():
    # ii reaches 4, so (4 * io + ii) / 4 is not io: it must stay a division.
    text = str(simplify(unbounded_div))
    assert "x[(ii + 4 * io) / 4] = 1.0" in text
    assert "x[ii % 4] = 2.0" in text
    assert_same_outputs(unbounded_div, simplify(unbounded_div))


@proc
def branch_facts(n: size, x: f32[n]):
    for i in seq(0, n):
        if i < 4:
            x[i / 4] = 1.0
        else:
            x[i - i % 1] = 2.0
        if i < n:
            x[i] = 3.0


def test_branch_conditions_are_used():
    p = simplify(branch_facts)
    text = str(p)
    assert "x[0] = 1.0" in text  # 0 <= i < 4 inside the branch
    assert "if i < n" not in text  # always true inside the loop
    assert_same_outputs(branch_facts, p, n=9)


@proc
def undecided(n: size, m: size, x: f32[n]):
    for i in seq(0, n):
        if i < m:
            x[i] = 1.0
    for j in seq(0, m):
        pass


def test_undecided_code_is_kept():
    p = simplify(undecided)
    assert str(p) == str(undecided)
    assert p is undecided  # nothing changed: the same version


@proc
def asserted(n: size, x: f32[16]):
    assert n == 8
    for i in seq(0, n - 8):
        x[i] = 1.0
    if n > 8:
        x[0] = 2.0
    x[n] = 3.0


def test_assertions_are_used():
    text = str(simplify(asserted))
    assert "for i" not in text
    assert "x[0] = 2.0" not in text
    assert "x[n] = 3.0" in text


def test_cursors_forward_across_simplify():
    s_body = mixed.find("y[4 * io + ii] = _")
    loop = mixed.find_loop("j")
    dead = mixed.find("y[0] = _")
    idx = mixed.find("x[i - 3 + 0] = _").idx()[0]
    p = simplify(mixed)
    moved = p.forward(s_body)
    assert expr_to_str(moved._node().idx[0]) == "ii + 4 * io"
    assert moved.parent().name() == "ii"  # lifted out of the removed `if`
    assert isinstance(p.forward(loop), ForCursor)
    assert not p.forward(dead)  # deleted with its branch
    assert not p.forward(idx)  # the rewritten index expression is new


def test_not_a_procedure():
    with pytest.raises(SchedulingError, match="simplify: expected a procedure"):
        simplify("mixed")
