"""A loop may not write a configuration field with an iteration-dependent
value (exo_core.frontend.config_loops); the accept/reject decisions are the
ones Exo 1.0 makes for the same procedures."""

from __future__ import annotations

import os

import pytest

from exo_core import ExoTypeError, config, proc
from exo_core.frontend.config_loops import ConfigWriteInLoopError

HERE = os.path.basename(__file__)


@config
class CFG:
    j: index
    s: f32


def test_loop_iterator_written():
    with pytest.raises(ConfigWriteInLoopError) as e:
        @proc
        def f(n: size, x: f32[n]):
            for i in seq(0, n):
                CFG.j = i
                x[CFG.j] = 1.0
    msg = str(e.value)
    assert isinstance(e.value, TypeError) and isinstance(e.value, ExoTypeError)
    assert "configuration field CFG.j depends on the iteration of loop i" in msg
    assert f"{HERE}:" in msg and ":16: " in msg  # the write's column


def test_data_read_at_the_iteration():
    with pytest.raises(ConfigWriteInLoopError, match="CFG.s depends on the iteration of loop i"):
        @proc
        def f(n: size, x: f32[n]):
            for i in seq(0, n):
                CFG.s = x[i]


def test_outer_iterator_in_an_inner_loop():
    with pytest.raises(ConfigWriteInLoopError, match="loop i"):
        @proc
        def f(n: size):
            for i in seq(0, n):
                for j in seq(0, 4):
                    CFG.j = i


def test_condition_on_the_iteration():
    with pytest.raises(ConfigWriteInLoopError, match="CFG.j"):
        @proc
        def f(n: size):
            for i in seq(0, n):
                if i == 0:
                    CFG.j = 2


def test_through_a_local():
    with pytest.raises(ConfigWriteInLoopError, match="CFG.s"):
        @proc
        def f(n: size, x: f32[n]):
            for i in seq(0, n):
                t: f32
                t = x[i]
                CFG.s = t


def test_carried_from_an_earlier_iteration():
    """``t`` holds x[i] of the previous iteration when CFG.s is written."""
    with pytest.raises(ConfigWriteInLoopError, match="CFG.s"):
        @proc
        def f(n: size, x: f32[n], t: f32):
            for i in seq(0, n):
                CFG.s = t
                t = x[i]


def test_through_a_buffer_written_by_an_earlier_loop_is_fine_only_if_independent():
    with pytest.raises(ConfigWriteInLoopError, match="CFG.s"):
        @proc
        def f(n: size, x: f32[n]):
            for i in seq(0, n):
                x[i] = 1.0
            for i in seq(0, n):
                CFG.s = x[i]


def test_iteration_independent_writes_are_accepted():
    @proc
    def f(n: size, x: f32[n], y: f32, z: f32[n]):
        CFG.j = n
        for i in seq(0, n):
            CFG.j = 3
            CFG.j = n + 1
            CFG.s = y
            CFG.s = z[0]
            CFG.j = CFG.j + 1
            x[i] = 1.0
    assert "CFG.j = CFG.j + 1" in str(f)
