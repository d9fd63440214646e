"""remove_loop against adversarial code: hidden writes in calls, windows,
configuration fields, per-iteration buffers, zero-trip loops."""

from __future__ import annotations

import pytest

from exo_core import proc
from exo_stdlib.scheduling import remove_loop

from tests.core.adversarial.callees import Knobs, set_one
from tests.core.adversarial.harness import (assert_same_results, assert_scheduling_error,
                                            rejected_or_equivalent)


@proc
def element_call(n: size, x: f32[8], y: f32[8]):
    assert n >= 1
    for i in seq(0, n):
        y[0] = x[0]
        set_one(x[0])


# Regression (was a strict xfail): set_one(x[0]) writes x[0] but is analysed as a read, so
# a body that reads then writes x[0] passes as idempotent
def test_write_through_scalar_element_call():
    rejected_or_equivalent(lambda: remove_loop(element_call, "i"), element_call, n=[2],
                           backend="jit")


@proc
def maybe_zero_trips(n: size, x: f32[4], y: f32[4]):
    for i in seq(0, n % 2):
        x[0] = y[1]


def test_loop_that_may_not_run_is_guarded():
    p = remove_loop(maybe_zero_trips, "i")
    assert "if n % 2 > 0:" in str(p)
    assert_same_results(maybe_zero_trips, p, n=[1, 2, 3, 4], backend="jit")


@proc
def read_write_via_window(n: size, x: f32[4], y: f32[4]):
    assert n >= 1
    for i in seq(0, n):
        w = y[1:3]
        x[0] = w[0]
        y[1] = x[3]


@proc
def knob_copy(n: size):
    assert n >= 1
    for i in seq(0, n):
        Knobs.a = Knobs.a + 1.0


@proc
def shifts(n: size, x: f32[4]):
    assert n >= 1
    for i in seq(0, n):
        for j in seq(0, 3):
            x[j + 1] = x[j]


@pytest.mark.parametrize("p, fragment", [(read_write_via_window, "y[1]"),
                                         (knob_copy, "Knobs.a"), (shifts, "x[")])
def test_not_idempotent_rejected(p, fragment):
    assert_scheduling_error(lambda: remove_loop(p, "i"), "not idempotent", fragment)


@proc
def private_buffer(n: size, x: f32[4], y: f32[4]):
    assert n >= 1 and n <= 8
    for i in seq(0, n):
        tmp: f32[4]
        for j in seq(0, 4):
            tmp[j] = x[j]
        for j in seq(0, 4):
            y[3 - j] = tmp[j]


@proc
def shadowing_alloc(x: f32[4], y: f32[4]):
    t: f32
    t = x[3]
    for i in seq(0, 1):
        t: f32
        t = x[1]
        y[1] = t
    y[3] = t


def test_idempotent_bodies_accepted():
    assert_same_results(private_buffer, remove_loop(private_buffer, "i"), n=[1, 3])
    q = remove_loop(shadowing_alloc, "i")
    assert_same_results(shadowing_alloc, q)
    assert_same_results(shadowing_alloc, q, backend="jit", trials=1)
