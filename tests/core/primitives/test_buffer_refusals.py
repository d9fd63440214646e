"""The refusals of the buffer family that concern calls, windows and strides,
each next to what Exo 1.0 decides on the same code (docs/porting.md lists
the cases where the decisions differ). sink_alloc through calls and window
statements is in test_sink_alloc_calls.py."""

from __future__ import annotations

import pytest

from exo_core import DRAM, SchedulingError, proc
from exo_stdlib.scheduling import divide_dim, expand_dim, mult_dim, resize_dim, stage_mem


@proc
def add4(x: [f32][4], y: [f32][4]):
    for i in seq(0, 4):
        y[i] += x[i]


@proc
def add4t(x: f32[4], y: f32[4]):
    for i in seq(0, 4):
        y[i] += x[i]


@proc
def passed_whole(a: f32[4], b: f32[4]):
    t: f32[4] @ DRAM
    for i in seq(0, 4):
        t[i] = a[i]
    add4t(t, b)


def test_dims_of_a_buffer_passed_whole_are_refused():
    # Exo 1.0 refuses both ("passing windows to scalar arguments",
    # "buffer is passed as an argument")
    with pytest.raises(SchedulingError, match="t is passed whole to a call .line \\d+.; "
                                              "changing its dimensions there is not supported"):
        expand_dim(passed_whole, "t", 2, 0)
    with pytest.raises(SchedulingError, match="t is passed whole to a call"):
        divide_dim(passed_whole, "t", 0, 2)


def test_dims_of_a_windowed_buffer():
    @proc
    def p(a: f32[4], b: f32[4]):
        t: f32[4] @ DRAM
        for i in seq(0, 4):
            t[i] = a[i]
        add4(t[0:4], b)

    # as Exo 1.0: expand_dim rewrites the window, divide_dim refuses
    assert str(expand_dim(p, "t", 2, 0)) == (
        "def p(a: f32[4] @ DRAM, b: f32[4] @ DRAM):\n"
        "    t: f32[2, 4] @ DRAM\n"
        "    for i in seq(0, 4):\n"
        "        t[0, i] = a[i]\n"
        "    add4(t[0, 0:4], b)")
    with pytest.raises(SchedulingError, match="cannot divide t because it is windowed"):
        divide_dim(p, "t", 0, 2)

    @proc
    def q(a: f32[8], b: f32[8]):
        t: f32[2, 4] @ DRAM
        for i in seq(0, 2):
            for j in seq(0, 4):
                t[i, j] = a[4 * i + j]
        for i in seq(0, 2):
            add4(t[i, 0:4], b[4 * i:4 * i + 4])

    # Exo 1.0 refuses too
    with pytest.raises(SchedulingError, match="cannot multiply the dimensions of t because it "
                                              "is windowed"):
        mult_dim(q, "t", 0, 1)


@proc
def reads_stride(a: f32[8], b: f32[8]):
    t: f32[2, 4] @ DRAM
    for i in seq(0, 2):
        for j in seq(0, 4):
            t[i, j] = a[4 * i + j]
    for i in seq(0, 2):
        for j in seq(0, 4):
            if stride(t, 0) == 4:
                b[4 * i + j] = t[i, j]


def test_dims_of_a_buffer_whose_strides_are_read_are_refused():
    # Exo 1.0's mult_dim accepts and leaves `stride(t, 0) == 4` as it is: in
    # `t: f32[8]` that stride is 1, so b is no longer written (wrong). Its
    # divide_dim also leaves stride expressions as they are, which is wrong
    # for a stride of the divided dimension or one after it; its expand_dim
    # fails with an internal AssertionError.
    for prim, args in ((mult_dim, (0, 1)), (divide_dim, (1, 2)), (expand_dim, (2, 0))):
        with pytest.raises(SchedulingError, match="stride\\(t, ...\\) is used .line \\d+.; "
                                                  "changing the dimensions of a buffer whose "
                                                  "strides are read is not supported yet"):
            prim(reads_stride, "t", *args)


def test_fold_of_a_windowed_dimension_is_refused():
    # Exo 1.0 folds it into `add4(t[0 % 4:4 % 4], b)`, an empty window (wrong)
    @proc
    def p(a: f32[4], b: f32[4]):
        t: f32[8] @ DRAM
        for i in seq(0, 4):
            t[i] = a[i]
        add4(t[0:4], b)

    with pytest.raises(SchedulingError, match="folding a dimension that a window spans is "
                                              "not supported yet"):
        resize_dim(p, "t", 0, 4, 0, fold=True)


@proc
def through_window(a: f32[8, 8]):
    for r in seq(0, 8):
        w = a[r, 0:8]
        for i in seq(0, 8):
            w[i] = w[i] * 2.0


def test_stage_mem_through_a_window_statement_is_refused():
    # Exo 1.0 refuses the first ("not accessed in the given scope?") and fails
    # with an internal AssertionError on the other two
    with pytest.raises(SchedulingError, match="w is a window of a used in the block; staging "
                                              "through a window statement is not supported yet"):
        stage_mem(through_window, through_window.find_loop("i"), "a[r, 0:8]", "s")
    with pytest.raises(SchedulingError, match="staging through a window statement"):
        stage_mem(through_window, through_window.find("w = _").expand(0, 1), "a[r, 0:8]", "s")
    with pytest.raises(SchedulingError, match="w is a window statement; staging a window of a "
                                              "window is not supported yet"):
        stage_mem(through_window, through_window.find_loop("i"), "w[0:8]", "s")
