"""The case study's loop-nest helpers: fission_as_much_as_possible,
lift_scope_n, remove_redundant_loops, reorder_top, fuse_all_loops. Each
stops at the first refusal of its primitive; goldens, equivalence."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import (fission_as_much_as_possible, fuse_all_loops, lift_scope_n,
                                   remove_redundant_loops, reorder_top)

from tests.core.primitives.equivalence import assert_equivalent


def _text(src: str) -> str:
    return textwrap.dedent(src).strip()


@proc
def init_then_use(x: f32[4, 4], y: f32[4, 4]):
    for i in seq(0, 4):
        for j in seq(0, 4):
            x[i, j] = 0.0
            y[i, j] = x[i, j] + 1.0


@proc
def local_between(y: f32[4, 4]):
    for i in seq(0, 4):
        t: f32[4]
        for j in seq(0, 4):
            t[j] = 1.0
            y[i, j] = t[j]


def test_fission_as_much_as_possible():
    p = fission_as_much_as_possible(init_then_use, init_then_use.find("x[_] = _"))
    assert str(p) == _text("""
        def init_then_use(x: f32[4, 4] @ DRAM, y: f32[4, 4] @ DRAM):
            for i in seq(0, 4):
                for j in seq(0, 4):
                    x[i, j] = 0.0
            for i in seq(0, 4):
                for j in seq(0, 4):
                    y[i, j] = x[i, j] + 1.0
    """)
    assert_equivalent(init_then_use, p)
    # stops where an allocation would be cut off from a use
    q = fission_as_much_as_possible(local_between, local_between.find("t[_] = _"))
    assert str(q).count("for i in seq(0, 4)") == 1 and str(q).count("for j in seq(0, 4)") == 2
    assert_equivalent(local_between, q)


@proc
def c_inside(x: f32[4, 4, 4]):
    for i in seq(0, 4):
        for j in seq(0, 4):
            for c in seq(0, 4):
                x[i, j, c] = 1.0


def test_lift_scope_n():
    p = lift_scope_n(c_inside, c_inside.find_loop("c"), 2)
    assert [line.split()[1] for line in str(p).splitlines() if "for " in line] == ["c", "i", "j"]
    assert_equivalent(c_inside, p)
    with pytest.raises(SchedulingError):
        lift_scope_n(c_inside, c_inside.find_loop("c"), 3)


@proc
def redundant(x: f32[4], y: f32[4]):
    for a in seq(0, 4):
        for b in seq(0, 3):
            for k in seq(0, 4):
                y[k] = x[k]


def test_remove_redundant_loops():
    p = remove_redundant_loops(redundant, redundant.find("y[_] = _"), num=2)
    assert str(p) == _text("""
        def redundant(x: f32[4] @ DRAM, y: f32[4] @ DRAM):
            for k in seq(0, 4):
                y[k] = x[k]
    """)
    assert_equivalent(redundant, p)
    q = remove_redundant_loops(redundant, redundant.find("y[_] = _"), num=1)
    assert [line.split()[1] for line in str(q).splitlines() if "for " in line] == ["a", "k"]
    assert remove_redundant_loops(redundant, redundant.find("y[_] = _")) is redundant


@proc
def three(x: f32[4]):
    x[0] = 1.0
    x[1] = 2.0
    x[2] = 3.0
    x[0] = x[2]


def test_reorder_top():
    p = reorder_top(three, three.find("x[2] = _"))
    assert [s.strip() for s in str(p).splitlines()[1:]] == [
        "x[2] = 3.0", "x[0] = 1.0", "x[1] = 2.0", "x[0] = x[2]"]
    assert_equivalent(three, p)
    # x[0] = x[2] cannot pass x[2] = 3.0: it stays where it is
    q = reorder_top(three, three.find("x[0] = x[2]"))
    assert str(q) == str(three)


@proc
def fusable(x: f32[4], y: f32[4], z: f32[4]):
    for i in seq(0, 4):
        x[i] = 1.0
    for i in seq(0, 4):
        y[i] = x[i]
    for i in seq(0, 4):
        z[i] = y[i]
    for i in seq(0, 4):
        z[i] += x[3 - i]


def test_fuse_all_loops():
    p = fuse_all_loops(fusable, fusable.body())
    # the last loop reads x[3 - i], written by a later iteration of the first
    assert str(p) == _text("""
        def fusable(x: f32[4] @ DRAM, y: f32[4] @ DRAM, z: f32[4] @ DRAM):
            for i in seq(0, 4):
                x[i] = 1.0
                y[i] = x[i]
                z[i] = y[i]
            for i in seq(0, 4):
                z[i] += x[3 - i]
    """)
    assert_equivalent(fusable, p)
