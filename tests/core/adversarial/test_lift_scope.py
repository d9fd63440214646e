"""lift_scope against adversarial code: conditions that depend on the loop or
on configuration fields the code writes (directly or in a callee), if/else
pairs of loops, per-iteration allocations."""

from __future__ import annotations

import pytest

from exo_core import proc
from exo_stdlib.scheduling import lift_scope

from tests.core.adversarial.callees import Knobs, set_knob_k
from tests.core.adversarial.harness import assert_same_results, assert_scheduling_error


@proc
def cond_on_iter(x: f32[8]):
    for i in seq(0, 8):
        if i < 4:
            x[i] = 1.0


@proc
def knob_written_in_body(x: f32[8]):
    Knobs.k = 1
    for i in seq(0, 8):
        if Knobs.k == 1:
            Knobs.k = 2
            x[i] = 1.0


@proc
def knob_written_in_else(x: f32[8]):
    Knobs.k = 1
    for i in seq(0, 8):
        if Knobs.k == 1:
            x[i] = 1.0
        else:
            Knobs.k = 2


@proc
def knob_written_by_callee(x: f32[8]):
    Knobs.k = 1
    for i in seq(0, 8):
        if Knobs.k == 1:
            x[i] = 1.0
            set_knob_k()


@proc
def loop_writes_knob_in_if(x: f32[8]):
    Knobs.k = 3
    if Knobs.k == 3:
        for i in seq(0, 8):
            Knobs.k = 4
            x[i] = 1.0


@pytest.mark.parametrize("p, fragment", [
    (cond_on_iter, "depends on the loop iterator"),
    (knob_written_in_body, "configuration field"),
    (knob_written_in_else, "configuration field"),
    (knob_written_by_callee, "configuration field"),
])
def test_if_that_cannot_leave_the_loop(p, fragment):
    assert_scheduling_error(lambda: lift_scope(p, "if _:_"), fragment)


def test_loop_that_cannot_leave_the_if():
    assert_scheduling_error(lambda: lift_scope(loop_writes_knob_in_if, "for i in _:_"),
                            "configuration field")


@proc
def knob_other_field(x: f32[8]):
    Knobs.k = 1
    for i in seq(0, 8):
        if Knobs.k == 1:
            x[i] = 1.0
            Knobs.a = 2.0


@proc
def private_allocs(n: size, x: f32[8]):
    for i in seq(0, 8):
        if n < 4:
            y: f32
            y = x[i]
            x[i] = y + 1.0
        else:
            y: f32
            y = x[i]
            x[i] = y + 2.0


def test_if_leaves_the_loop():
    assert_same_results(knob_other_field, lift_scope(knob_other_field, "if _:_"))
    q = lift_scope(private_allocs, "if _:_")
    assert_same_results(private_allocs, q, n=[2, 5])
    assert_same_results(private_allocs, q, n=[2, 5], backend="jit", trials=1)


@proc
def if_else_loops(n: size, x: f32[8]):
    assert n <= 8
    if n < 4:
        for i in seq(0, n):
            x[i] = 1.0
    else:
        for j in seq(0, n):
            x[j] = 2.0


@proc
def if_else_loops_differ(n: size, x: f32[8]):
    if n < 4:
        for i in seq(0, n % 8):
            x[i] = 1.0
    else:
        for j in seq(0, 8):
            x[j] = 2.0


def test_loop_pair_leaves_if_else():
    q = lift_scope(if_else_loops, "for i in _:_")
    assert_same_results(if_else_loops, q, n=[2, 5])
    assert_scheduling_error(lambda: lift_scope(if_else_loops_differ, "for i in _:_"),
                            "bounds of the two loops")


@proc
def transpose(x: f32[8, 8]):
    for i in seq(0, 8):
        for j in seq(0, 8):
            x[i, j] = x[j, i]


def test_interchange_checks_dependences():
    assert_scheduling_error(lambda: lift_scope(transpose, "for j in _:_"),
                            "swapping the loops would reorder them")
