"""join_loops, cut_loop, mult_loops and unroll_loop against adversarial code:
symbolic and possibly empty ranges, bounds from configuration fields,
bodies that differ only slightly, per-iteration allocations."""

from __future__ import annotations

from exo_core import proc
from exo_stdlib.scheduling import cut_loop, join_loops, mult_loops, simplify, unroll_loop

from tests.core.adversarial.callees import Knobs
from tests.core.adversarial.harness import assert_same_results, assert_scheduling_error


@proc
def split_at_n(n: size, x: f32[8]):
    assert n <= 6
    for i in seq(0, n):
        x[i] = x[7 - i] + 1.0
    for i in seq(n, 6):
        x[i] = x[7 - i] + 1.0


def test_join_symbolic_possibly_empty_halves():
    p = split_at_n
    q = join_loops(p, p.find_loop("i"), p.find_loop("i #1"))
    assert_same_results(p, q, n=list(range(7)))


@proc
def gap_between(x: f32[8]):
    for i in seq(0, 4):
        x[i] = 1.0
    for j in seq(5, 8):
        x[j] = 1.0


@proc
def inner_reads_differ(x: f32[8], y: f32[8]):
    for i in seq(0, 4):
        for k in seq(0, 2):
            x[i] = y[i]
    for j in seq(4, 8):
        for k in seq(0, 2):
            x[j] = y[k]


def test_join_rejections():
    p = gap_between
    assert_scheduling_error(lambda: join_loops(p, p.find_loop("i"), p.find_loop("j")),
                            "start where the first ends")
    p = inner_reads_differ
    assert_scheduling_error(lambda: join_loops(p, p.find_loop("i"), p.find_loop("j")),
                            "same body")


@proc
def knob_bound(x: f32[8]):
    Knobs.k = 4
    for i in seq(0, Knobs.k):
        Knobs.k = 1
        if i < 8:
            x[i] = 1.0


def test_cut_config_bound_rejected():
    # the second loop would re-read the bound after the body changed it
    assert_scheduling_error(lambda: cut_loop(knob_bound, "i", 2), "cut_loop")


@proc
def triangle(n: size, x: f32[8, 8], y: f32[8]):
    assert n <= 8
    for i in seq(0, n):
        for j in seq(0, i):
            x[i, j] = y[j] + x[j, i]
        y[i] = x[i, 0]


def test_cut_at_outer_dependent_point():
    q = simplify(cut_loop(triangle, "j", "i / 2"))
    assert_same_results(triangle, q, n=list(range(9)))
    assert_scheduling_error(lambda: cut_loop(triangle, "j", "i - 1"), "within the loop's range")
    assert_scheduling_error(lambda: cut_loop(triangle, "j", "j"), "j")


@proc
def reversed_copy(x: f32[12]):
    for i in seq(0, 3):
        for j in seq(0, 4):
            x[4 * i + j] = x[11 - 4 * i - j]


@proc
def shadowed(x: f32[4, 4]):
    for i in seq(0, 4):
        for i in seq(0, 3):
            x[i, 0] = x[i + 1, 0] + x[0, i]


def test_mult_keeps_order():
    assert_same_results(reversed_copy, mult_loops(reversed_copy, "i j", "k"))
    assert_same_results(shadowed, mult_loops(shadowed, shadowed.find_loop("i"), "k"))


@proc
def private_alloc(x: f32[4], y: f32[4]):
    t: f32
    t = x[3]
    for i in seq(0, 3):
        t: f32
        t = x[i]
        y[i] = t
    y[3] = t


def test_unroll_with_shadowing_allocs():
    q = unroll_loop(private_alloc, "i")
    assert "for" not in str(q)
    assert_same_results(private_alloc, q)
    assert_same_results(private_alloc, q, backend="jit", trials=1)
