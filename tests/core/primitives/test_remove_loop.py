"""remove_loop: idempotence and trip-count checks."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import remove_loop

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.loop_procs import accumulate, add1, set_const
from tests.core.primitives.scope_golden import check_golden


@proc
def runs(n: size, x: f32[4], y: f32[4]):
    assert n >= 1
    for k in seq(0, n):
        for j in seq(0, 4):
            x[j] = y[j] * 3.0


@proc
def self_read(x: f32[4]):
    for k in seq(0, 2):
        for j in seq(0, 3):
            x[j] = x[j + 1]


@proc
def runs_any_size(n: size, x: f32[4], y: f32[4]):
    for k in seq(0, n):
        for j in seq(0, 4):
            x[j] = y[j] * 3.0


def test_size_arguments_are_positive():
    # a size is at least 1, so `seq(0, n)` runs at least once without an assert
    p = remove_loop(runs_any_size, "k")
    assert "for k" not in str(p)
    assert_equivalent(runs_any_size, p, n=1)


def test_golden_and_equivalent():
    p = remove_loop(runs, "k")
    check_golden("loops_remove_loop", p)
    assert_equivalent(runs, p, n=3)


@proc
def quarter(K: size, x: f32[4]):
    for k in seq(0, K / 4):
        x[0] = 1.0


@proc
def from_j(x: f32[5]):
    for j in seq(0, 5):
        for k in seq(j, 4):
            x[j] = 1.0


def test_a_loop_that_may_run_zero_times_becomes_a_guard():
    # Exo 1.0 prints exactly this for `quarter` (with and without the checks)
    expected = """\
def quarter(K: size, x: f32[4] @ DRAM):
    if K / 4 > 0:
        x[0] = 1.0"""
    for unsafe in (False, True):
        p = remove_loop(quarter, "k", unsafe_disable_check=unsafe)
        assert str(p).rstrip("\n") == expected
        for K in (1, 3, 4, 9):
            assert_equivalent(quarter, p, K=K)
    p = remove_loop(set_const, "k")
    assert "if n - 1 > 0:" in str(p)
    assert_equivalent(set_const, p, n=1)
    assert_equivalent(set_const, p, n=3)


def test_the_guard_compares_with_the_lower_bound():
    # Exo 1.0 drops this loop unguarded (wrong when j = 4; see porting.md)
    p = remove_loop(from_j, "k")
    assert str(p).rstrip("\n") == """\
def from_j(x: f32[5] @ DRAM):
    for j in seq(0, 5):
        if 4 > j:
            x[j] = 1.0"""
    assert_equivalent(from_j, p)


def test_rejects():
    with pytest.raises(SchedulingError, match="adds to x"):
        remove_loop(accumulate, "k")
    with pytest.raises(SchedulingError, match="not idempotent"):
        remove_loop(self_read, "k")
    with pytest.raises(SchedulingError, match="uses the iterator i"):
        remove_loop(add1, "i")
    # the user may take the risk
    assert "for k" not in str(remove_loop(accumulate, "k", unsafe_disable_check=True))


def test_cursors_forward():
    body = runs.find_loop("j")
    p = remove_loop(runs, runs.find_loop("k"))
    assert p.forward(body).name() == "j"
    assert p.forward(runs.find_loop("k")).__class__.__name__ == "InvalidCursor"
