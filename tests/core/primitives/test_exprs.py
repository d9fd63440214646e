"""commute_expr, rewrite_expr: goldens (as Exo 1.0 prints them), errors,
cursor forwarding, jit equivalence, and random equal / unequal rewrites."""

from __future__ import annotations

import random

import pytest

from exo_core import proc, SchedulingError
from exo_core.cursors import InvalidCursor
from exo_stdlib.scheduling import commute_expr, left_reassociate_expr, rewrite_expr

from tests.core.primitives.equivalence import assert_equivalent


@proc
def foo(n: size, x: f32[n], y: f32[n]):
    assert n >= 4
    for i in seq(0, n):
        y[i] = x[i] * 2.0 + y[i]
    for i in seq(0, n - 2):
        x[i + 1] = y[i] + 1.0


HEAD = "def foo(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):\n    assert n >= 4\n"


def test_commute_expr_golden_forwarding_and_equivalence():
    keep = foo.find("y[i] + 1.0")
    p = commute_expr(foo, [foo.find("x[i] * 2.0")])
    assert str(p) == HEAD + (
        "    for i in seq(0, n):\n"
        "        y[i] = 2.0 * x[i] + y[i]\n"
        "    for i in seq(0, n - 2):\n"
        "        x[i + 1] = y[i] + 1.0")
    assert p.forward(keep)._node() is keep._node()
    assert_equivalent(foo, p, n=7)


def test_commute_expr_pattern_means_every_match():
    p = commute_expr(foo, "x[i] * 2.0 + y[i]")
    assert "y[i] = y[i] + x[i] * 2.0" in str(p)
    assert_equivalent(foo, p, n=5)


def test_commute_expr_rejects_other_operators():
    with pytest.raises(TypeError, match=r"commute_expr: only '\+' or '\*' can commute, got -"):
        commute_expr(foo, [foo.find("n - 2")])


def test_rewrite_expr_golden_forwarding_and_equivalence():
    keep = foo.find("y[i] = _")
    p = rewrite_expr(foo, foo.find("n - 2"), "(n - 4) + 2")
    assert str(p) == HEAD + (
        "    for i in seq(0, n):\n"
        "        y[i] = x[i] * 2.0 + y[i]\n"
        "    for i in seq(0, n - 4 + 2):\n"
        "        x[i + 1] = y[i] + 1.0")
    assert p.forward(keep)._node() is keep._node()
    assert_equivalent(foo, p, n=6)
    q = rewrite_expr(foo, foo.find("i + 1"), "1 + i")
    assert "x[1 + i] = y[i] + 1.0" in str(q)


def test_rewrite_expr_uses_the_context():
    @proc
    def g(n: size, x: f32[n]):
        for i in seq(0, n):
            if i < 4:
                x[i] = 0.0
    p = rewrite_expr(g, g.find("i < 4"), "i < 4 or i == n + 7")
    assert "if i < 4 or i == n + 7:" in str(p)
    with pytest.raises(SchedulingError, match="must equal"):
        rewrite_expr(g, g.find("i < 4"), "i < 5")


def test_rewrite_expr_rejects_unequal_with_a_counterexample():
    with pytest.raises(SchedulingError,
                       match=r"rewrite_expr: the new expression n - 3 must equal n - 2 here, "
                             r"but this fails when n = \d+"):
        rewrite_expr(foo, foo.find("n - 2"), "n - 3")


@pytest.mark.parametrize("bad, msg", [("n +", "cannot parse"), ("m - 2", "not a variable"),
                                      ("x[0]", "control"), (3.5, "must be a string")])
def test_rewrite_expr_bad_new_expression(bad, msg):
    with pytest.raises(SchedulingError, match=msg):
        rewrite_expr(foo, foo.find("n - 2"), bad)


def test_rewrite_expr_data_expression_golden_forwarding_and_equivalence():
    keep, old = foo.find("y[i] = _"), foo.find("x[i] * 2.0")
    p = rewrite_expr(foo, old, "x[i] + x[i]")
    assert str(p) == HEAD + (
        "    for i in seq(0, n):\n"
        "        y[i] = x[i] + x[i] + y[i]\n"
        "    for i in seq(0, n - 2):\n"
        "        x[i + 1] = y[i] + 1.0")
    assert p.forward(keep)._node() is p.find("y[i] = _")._node()
    assert isinstance(p.forward(old), InvalidCursor)
    assert_equivalent(foo, p, n=6)
    q = rewrite_expr(foo, foo.find("x[i] * 2.0 + y[i]"), "(y[i] * 4.0 + x[i] * 8.0) / 4.0")
    assert "y[i] = (y[i] * 4.0 + x[i] * 8.0) / 4.0" in str(q)
    assert_equivalent(foo, q, n=6)


def test_rewrite_expr_data_expression_refusals():
    with pytest.raises(SchedulingError, match=r"rewrite_expr: the new expression x\[i\] \* 3.0 "
                                              r"must equal x\[i\] \* 2.0 here, but .* differ as "
                                              "polynomials over the reals"):
        rewrite_expr(foo, foo.find("x[i] * 2.0"), "x[i] * 3.0")
    with pytest.raises(SchedulingError, match="differ"):  # another element
        rewrite_expr(foo, foo.find("x[i] * 2.0"), "x[i + 1] * 2.0")
    with pytest.raises(SchedulingError, match="differ"):  # y[i] / y[i] is not 1 (y[i] may be 0)
        rewrite_expr(foo, foo.find("x[i] * 2.0"), "x[i] * 2.0 * y[i] / y[i]")
    with pytest.raises(SchedulingError, match="m is not a variable visible here"):
        rewrite_expr(foo, foo.find("x[i] * 2.0"), "m * 2.0")
    with pytest.raises(SchedulingError, match="reads out of bounds"):
        rewrite_expr(foo, foo.find("x[i] * 2.0"), "x[i] * 2.0 + x[n] - x[n]")


def test_rewrite_expr_data_through_externs():
    @proc
    def g(n: size, x: f32[n], y: f32[n]):
        for i in seq(0, n):
            y[i] = relu(x[i] * 2.0)
    p = rewrite_expr(g, g.find("relu(_)"), "relu(x[i] + x[i])")
    assert "y[i] = relu(x[i] + x[i])" in str(p)
    assert_equivalent(g, p, n=4)
    with pytest.raises(SchedulingError, match="differ"):
        rewrite_expr(g, g.find("relu(_)"), "relu(x[i] + 1.0)")


def test_rewrite_expr_data_uses_the_context_for_elements():
    @proc
    def g(n: size, x: f32[n], y: f32[n]):
        for i in seq(0, n):
            if i == 0:
                y[i] = x[i] * 2.0 + x[0]
    p = rewrite_expr(g, g.find("x[i] * 2.0 + x[0]"), "3.0 * x[0]")
    assert "y[i] = 3.0 * x[0]" in str(p)
    assert_equivalent(g, p, n=4)


def test_rewrite_expr_random_rewrites_accepted_iff_equal():
    rng = random.Random(11)
    accepted = 0
    for _ in range(12):
        a, b = rng.randint(-3, 3), rng.randint(-3, 3)
        k = rng.randint(1, 3)
        # n - 2 == k*(n + a) - (k-1)*n + b  iff  k*a + b == -2
        text = f"{k} * (n + {a}) - {k - 1} * n + {b}".replace("+ -", "- ")
        equal = k * a + b == -2
        if equal:
            p = rewrite_expr(foo, foo.find("n - 2"), text)
            assert_equivalent(foo, p, trials=1, n=6)
            accepted += 1
        else:
            with pytest.raises(SchedulingError, match="must equal"):
                rewrite_expr(foo, foo.find("n - 2"), text)
    text = "2 * (n - 3) - n + 4"
    assert_equivalent(foo, rewrite_expr(foo, foo.find("n - 2"), text), trials=1, n=9)


@proc
def assoc(n: size, x: f32[n], y: f32[n]):
    for i in seq(0, n):
        y[i] = x[i] + (y[i] + 2.0)


def test_left_reassociate_expr_golden_forwarding_and_equivalence():
    keep = assoc.find_loop("i")
    p = left_reassociate_expr(assoc, assoc.find("x[i] + (y[i] + 2.0)"))
    assert str(p) == ("def assoc(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):\n"
                      "    for i in seq(0, n):\n"
                      "        y[i] = x[i] + y[i] + 2.0")
    assert p.forward(keep)._node().iter is keep._node().iter
    assert_equivalent(assoc, p, n=5)
    with pytest.raises(TypeError, match=r"the rhs of the expression must be the same binary "
                                        r"operation as the expression \(\+\)"):
        left_reassociate_expr(assoc, assoc.find("y[i] + 2.0"))
    with pytest.raises(TypeError, match="only '\\+' or '\\*' can be reassociated"):
        left_reassociate_expr(assoc, assoc.find("x[i]"))
