"""sched_seq, loop_hack, lift_if (repeat: test_repeat.py). Goldens read
against Exo 1.0's prints."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import proc, SchedulingError
from exo_stdlib.scheduling import divide_loop, lift_if, loop_hack, sched_seq, simplify

from tests.core.primitives.equivalence import assert_equivalent


def _same(p, src: str) -> None:
    assert str(p).strip() == textwrap.dedent(src).strip()


@proc
def guarded(x: f32[8, 4], y: f32[8]):
    for i in seq(0, 8):
        for j in seq(0, 4):
            if i < 4:
                x[i, j] = 1.0
        y[i] = 0.0


def test_lift_if_once():
    p = lift_if(guarded, guarded.find("if _: _"))
    _same(p, """
        def guarded(x: f32[8, 4] @ DRAM, y: f32[8] @ DRAM):
            for i in seq(0, 8):
                if i < 4:
                    for j in seq(0, 4):
                        x[i, j] = 1.0
                y[i] = 0.0
    """)
    assert_equivalent(guarded, p)
    assert str(lift_if(guarded, "if _: _")) == str(p)


def test_lift_if_says_how_many_lifts_remain():
    with pytest.raises(SchedulingError, match=r"Could not fully lift if statement! 2 lift\(s\) remain!"):
        lift_if(guarded, guarded.find("if _: _"), n_lifts=3)
    with pytest.raises(SchedulingError, match="non-negative integer"):
        lift_if(guarded, guarded.find("if _: _"), n_lifts=-1)


@proc
def nested(n: size, x: f32[8, 4]):
    for i in seq(0, 8):
        for j in seq(0, 4):
            if n < 4:
                x[i, j] = 1.0


def test_lift_if_twice():
    p = lift_if(nested, nested.find("if _: _"), n_lifts=2)
    _same(p, """
        def nested(n: size, x: f32[8, 4] @ DRAM):
            if n < 4:
                for i in seq(0, 8):
                    for j in seq(0, 4):
                        x[i, j] = 1.0
    """)
    assert_equivalent(nested, p, n=2)
    with pytest.raises(SchedulingError, match="1 lift.s. remain! lift_scope: the if must be the only"):
        lift_if(guarded, guarded.find("if _: _"), n_lifts=2)


def test_sched_seq_applies_each_schedule_in_turn():
    p = sched_seq(guarded, [lambda p: divide_loop(p, "i", 2, ["io", "ii"], perfect=True), simplify])
    _same(p, """
        def guarded(x: f32[8, 4] @ DRAM, y: f32[8] @ DRAM):
            for io in seq(0, 4):
                for ii in seq(0, 2):
                    for j in seq(0, 4):
                        if ii + 2 * io < 4:
                            x[ii + 2 * io, j] = 1.0
                    y[ii + 2 * io] = 0.0
    """)
    assert_equivalent(guarded, p)
    assert str(sched_seq(guarded, [])) == str(guarded)
    with pytest.raises(SchedulingError, match="expected scheduling functions"):
        sched_seq(guarded, [3])


@proc
def two_loops(x: f32[8], y: f32[8]):
    for i in seq(0, 8):
        x[i] = 1.0
    for i in seq(0, 8):
        y[i] = 2.0


def test_loop_hack_applies_to_every_match_found_again():
    p = loop_hack(divide_loop, lambda p: p.find_loop("i", many=True))(
        two_loops, 2, ["io", "ii"], perfect=True)
    _same(p, """
        def two_loops(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
            for io in seq(0, 4):
                for ii in seq(0, 2):
                    x[2 * io + ii] = 1.0
            for io in seq(0, 4):
                for ii in seq(0, 2):
                    y[2 * io + ii] = 2.0
    """)
    assert_equivalent(two_loops, p)
