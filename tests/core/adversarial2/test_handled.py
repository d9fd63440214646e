"""Adversarial cases the primitives handle correctly today (regression
tests): configuration-dependent conditions whose value changes inside the
loop, aliasing through nested window statements, idempotence through a
window alias, empty blocks left by delete_pass, and cursor forwarding
compared with re-finding each statement by a unique marker."""

from __future__ import annotations

import pytest

from exo_core import ir, proc
from exo_stdlib.scheduling import (delete_pass, divide_loop, fission, fuse, lift_scope,
                                   remove_loop, reorder_loops, reorder_stmts, simplify,
                                   specialize)

from tests.core.adversarial.callees import Knobs
from tests.core.adversarial.harness import assert_same_results, assert_scheduling_error

CONFIGS = {(Knobs, "k"): 0, (Knobs, "a"): 0.0}


@proc
def cond_turns_on_in_loop(x: f32[8], y: f32[8]):
    Knobs.k = 0
    for i in seq(1, 5):
        if Knobs.k == 1:
            x[i - 1] = 1.0
        Knobs.k = 1
    for j in seq(1, 5):
        y[j] = x[j]


def test_fuse_sees_writes_under_a_condition_that_turns_true():
    p = cond_turns_on_in_loop
    assert_scheduling_error(lambda: fuse(p, p.find_loop("i"), p.find_loop("j")),
                            "writes x[1]")


@proc
def cond_turns_on_in_body(x: f32[8], y: f32[8]):
    Knobs.k = 0
    for i in seq(1, 5):
        if Knobs.k == 1:
            x[i - 1] = 1.0
        Knobs.k = 1
        y[i] = x[i]


def test_fission_sees_writes_under_a_condition_that_turns_true():
    p = cond_turns_on_in_body
    assert_scheduling_error(lambda: fission(p, p.find("y[i] = _").before()), "x[1]")
    assert_scheduling_error(lambda: fission(p, p.find("if _: _").after()), "Knobs.k")


@proc
def cond_config_in_nest(x: f32[8]):
    Knobs.k = 0
    for i in seq(0, 4):
        for j in seq(0, 4):
            if Knobs.k == 1:
                x[j] = x[j + 1]
            Knobs.k = 1


def test_reorder_loops_with_config_written_in_nest():
    p = cond_config_in_nest
    assert_scheduling_error(lambda: reorder_loops(p, "i j"), "Knobs.k")


@proc
def window_alias_increment(x: f32[8]):
    for k in seq(0, 2):
        y = x[1:3]
        x[1] = y[0] + 1.0


def test_remove_loop_sees_increment_through_window():
    p = window_alias_increment
    assert_scheduling_error(lambda: remove_loop(p, "k"), "x[1]", "not idempotent")


@proc
def nested_window_alias(x: f32[8, 8]):
    y = x[2:6, 3]
    z = y[1:3]
    z[1] = 1.0
    x[4, 3] = 2.0


def test_reorder_stmts_sees_nested_window_alias():
    p = nested_window_alias
    assert_scheduling_error(lambda: reorder_stmts(p, p.find("z[1] = _").expand(0, 1)),
                            "x[4, 3]")


@proc
def negative_quasi_affine(n: size, y: f32[1]):
    assert n >= 5
    assert n <= 16
    for i0 in seq(-3, 2):
        for i1 in seq(-2, n):
            if (i0 - 4) / 3 + (i1 % 4) * 2 >= (-7 - i1) % 5:
                for t in seq((i0 * 3 - 5) / 4 - (i1 - 9) % 3, 200):
                    y[0] += 1.0
            else:
                for t in seq((4 * i0 + i1 - 1) / 2 + (-i0) % 3, 200):
                    y[0] += 1000.0


def test_simplify_with_negative_division_and_modulo():
    p = negative_quasi_affine
    assert_same_results(p, simplify(p), n=[5, 6, 9])


@proc
def empty_loop_under_if_else(n: size, x: f32[8]):
    if n > 2:
        for i in seq(0, n):
            pass
    else:
        x[0] = 1.0


def test_delete_pass_keeps_if_body_non_empty():
    p = empty_loop_under_if_else
    q = delete_pass(p)
    body = q.INTERNAL_proc().body[0].body
    assert len(body) == 1 and isinstance(body[0], ir.Pass)
    assert_same_results(p, q, n=[1, 3])


@proc
def marked(n: size, x: f32[16], y: f32[16]):
    assert n <= 8
    for i in seq(0, n):
        if n > 3:
            x[i] = 1.0
            x[i + 8] = 2.0
        else:
            y[i] = 3.0
            y[i + 8] = 4.0
    if n > 2:
        x[0] += 5.0
    else:
        y[0] += 6.0
    if n > 2:
        x[1] += 7.0
    else:
        y[1] += 8.0


_MARKS = ["x[i] = _", "x[i + 8] = _", "y[i] = _", "y[i + 8] = _", "x[0] += _", "y[0] += _",
          "x[1] += _", "y[1] += _"]


@pytest.mark.parametrize("rewrite", [
    lambda p: lift_scope(p, p.find("if n > 3: _")),
    lambda p: fuse(p, p.find("if n > 2: _"), p.find("if n > 2: _ #1")),
    lambda p: fission(p, p.find("x[i] = _").after(), n_lifts=2),
    lambda p: specialize(p, p.find_loop("i"), "n > 4"),
    lambda p: divide_loop(p, "i", 2, ["io", "ii"], tail="cut"),
    lambda p: reorder_stmts(p, p.find("y[i] = _").expand(0, 1)),
], ids=["lift_if_else", "fuse_if_else", "fission_2", "specialize", "divide_cut", "reorder"])
def test_forwarding_lands_on_the_same_statement(rewrite):
    p = marked
    cursors = {m: p.find(m) for m in _MARKS}
    q = rewrite(p)
    assert_same_results(p, q, n=[1, 3, 4, 8])
    for m, c in cursors.items():
        got = q.forward(c)._node()
        assert got.rhs.val == c._node().rhs.val, f"{m} forwarded to another statement"
        assert isinstance(got, type(c._node()))
