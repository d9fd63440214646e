"""divide_with_recompute against adversarial code: recomputed iterations
must be independent and idempotent, including through calls and windows."""

from __future__ import annotations

from exo_core import proc
from exo_stdlib.scheduling import divide_with_recompute

from tests.core.adversarial.callees import add_one
from tests.core.adversarial.harness import (assert_same_results, assert_scheduling_error,
                                            rejected_or_equivalent)


@proc
def element_call(x: f32[8]):
    for i in seq(0, 7):
        add_one(x[i])


# Regression (was a strict xfail): add_one(x[i]) reduces into x[i] but is analysed as a
# read, so the recomputed iteration adds twice
def test_reduction_through_scalar_element_call():
    rejected_or_equivalent(lambda: divide_with_recompute(element_call, "i", 2, 3,
                                                         ["io", "ii"]),
                           element_call, backend="jit")


@proc
def window_chain(x: f32[8], y: f32[8]):
    for i in seq(0, 7):
        w = x[i:i + 2]
        w[1] = y[i]
        y[i] = w[0]


@proc
def reduce_body(x: f32[8], y: f32[8]):
    for i in seq(0, 7):
        y[i] += x[i]


def test_dependent_or_non_idempotent_rejected():
    assert_scheduling_error(lambda: divide_with_recompute(window_chain, "i", 2, 3,
                                                          ["io", "ii"]), "not independent")
    assert_scheduling_error(lambda: divide_with_recompute(reduce_body, "i", 2, 3,
                                                          ["io", "ii"]), "not idempotent")


@proc
def stencil(n: size, x: f32[9], y: f32[8]):
    assert n >= 3 and n <= 8
    for i in seq(0, n):
        tmp: f32
        tmp = x[i] + x[i + 1]
        y[i] = tmp


def test_stencil_with_private_buffer_accepted():
    q = divide_with_recompute(stencil, "i", "n / 3", 3, ["io", "ii"])
    assert_same_results(stencil, q, n=[3, 4, 5, 8])


def test_chunks_must_cover():
    assert_scheduling_error(lambda: divide_with_recompute(stencil, "i", "n / 2", 3,
                                                          ["io", "ii"]), "cover")
