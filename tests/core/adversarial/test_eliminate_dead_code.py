"""eliminate_dead_code, simplify and delete_pass against adversarial code:
floor division and modulo of negative values, facts from enclosing branches,
loops that may or may not run."""

from __future__ import annotations

from exo_core import proc
from exo_stdlib.scheduling import delete_pass, eliminate_dead_code, simplify

from tests.core.adversarial.harness import assert_same_results, assert_scheduling_error


# Regression (was a strict xfail): eliminate_dead_code does not check its first argument:
# a raw AttributeError instead of SchedulingError
def test_not_a_procedure():
    assert_scheduling_error(lambda: eliminate_dead_code(None, "if _:_"), "procedure")


@proc
def negative_arith(n: size, x: f32[16], y: f32[16]):
    assert n <= 8
    for i in seq(0, n):
        y[(i - 3) % 4] = x[(i + 5) / 2 - 2]
        y[4 + (2 - i) % 4] += x[(-i + 9) / 3]
        y[8 + (i - 7) / 4 + 2] = x[15 - (7 - i) / 2]
        if (i - 1) / 2 == 0:
            y[12 + (i - 1) % 3] = 7.0
        if (i - 5) % 3 == -1:
            y[15] = 9.0
        if (i + 4) / 4 >= 2:
            y[15] = 8.0


def test_simplify_floor_semantics():
    q = simplify(negative_arith)
    assert "y[15] = 9.0" not in str(q)  # (i - 5) % 3 is never negative
    assert_same_results(negative_arith, q, n=list(range(9)))


def test_dead_if_removed_live_if_kept():
    p = negative_arith
    q = eliminate_dead_code(p, "if (i - 5) % 3 == -1: _")
    assert "y[15] = 9.0" not in str(q)
    assert_same_results(p, q, n=list(range(9)))
    assert_scheduling_error(lambda: eliminate_dead_code(p, "if (i + 4) / 4 >= 2: _"),
                            "could not prove")


@proc
def branch_facts(n: size, x: f32[8]):
    assert n <= 8
    for i in seq(0, n):
        if i >= 4:
            if i / 4 == 1:
                x[i] = 1.0
            if i < 3:
                x[0] = 2.0


def test_branch_facts():
    q = simplify(branch_facts)
    assert "x[0] = 2.0" not in str(q) and "i / 4 == 1" not in str(q)
    assert_same_results(branch_facts, q, n=list(range(9)))


@proc
def passes(n: size, x: f32[8]):
    for i in seq(0, 4):
        if n > 100:
            x[i] = 1.0
        else:
            pass
        pass
    for j in seq(0, n % 1):
        x[0] = 2.0


def test_delete_pass_and_empty_loop():
    q = delete_pass(passes)
    assert "pass\n" not in str(q)
    assert_same_results(passes, q, n=[1, 3])
    q = eliminate_dead_code(passes, passes.find_loop("j"))
    assert "x[0] = 2.0" not in str(q)
    assert_same_results(passes, q, n=[1, 3])
