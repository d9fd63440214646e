"""bound_loop_by_if, undo_divide_and_guard_loop, round_loop,
cut_loop_and_unroll, divide_loop_recursive, binary_specialize, unroll_loops,
cleanup. Goldens read against Exo 1.0's prints (ours folds constants, and
Exo's cut_loop_and_unroll always peels one iteration: docs/porting.md)."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import proc, SchedulingError
from exo_core.cursors import ForCursor
from exo_stdlib.scheduling import divide_loop
from exo_stdlib.stdlib import (binary_specialize, bound_loop_by_if, cleanup, cut_loop_and_unroll,
                               divide_loop_recursive, round_loop, undo_divide_and_guard_loop,
                               unroll_loops)

from tests.core.primitives.equivalence import assert_equivalent


def _same(p, src: str) -> None:
    assert str(p).strip() == textwrap.dedent(src).strip()


@proc
def guarded(n: size, x: f32[16]):
    assert n <= 16
    for i in seq(0, 16):
        if i < n:
            x[i] = 1.0


def test_bound_loop_by_if():
    p = bound_loop_by_if(guarded, guarded.find_loop("i"))
    _same(p, """
        def guarded(n: size, x: f32[16] @ DRAM):
            assert n <= 16
            for i in seq(0, n):
                x[i] = 1.0
            for i in seq(n, 16):
                pass
    """)
    assert_equivalent(guarded, p, n=9)


@proc
def not_guarded(n: size, x: f32[16]):
    assert n <= 16
    for i in seq(0, 16):
        if n > i:
            x[i] = 1.0


@proc
def guard_too_far(n: size, x: f32[16]):
    for i in seq(0, n):
        if i < 4:
            x[i] = 1.0


def test_bound_loop_by_if_refusals():
    with pytest.raises(SchedulingError, match="Expected loop to be of the following structure"):
        bound_loop_by_if(not_guarded, not_guarded.find_loop("i"))
    with pytest.raises(SchedulingError, match="cut point must lie within"):
        bound_loop_by_if(guard_too_far, guard_too_far.find_loop("i"))


@proc
def ones(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i] = 1.0


def test_undo_divide_and_guard_loop():
    divided = divide_loop(ones, "i", 4, ["io", "ii"], tail="guard")
    p = undo_divide_and_guard_loop(divided, divided.find_loop("io"))
    _same(p, """
        def ones(n: size, x: f32[n] @ DRAM):
            for i in seq(0, n):
                x[i] = 1.0
            for i in seq(n, (n + 3) / 4 * 4):
                pass
    """)
    assert_equivalent(ones, p, n=7)


def test_undo_divide_and_guard_loop_needs_a_guarded_division():
    cut = divide_loop(ones, "i", 4, ["io", "ii"], tail="cut")
    with pytest.raises(SchedulingError, match="Expected loop to be of the following structure"):
        undo_divide_and_guard_loop(cut, cut.find_loop("io"))
    guard = divide_loop(ones, "i", 4, ["io", "ii"], tail="guard")
    with pytest.raises(SchedulingError, match="mult_loops"):
        undo_divide_and_guard_loop(guard, guard.find_loop("ii"))


def test_round_loop_up_and_down():
    up = round_loop(ones, ones.find_loop("i"), 4)
    _same(up, """
        def ones(n: size, x: f32[n] @ DRAM):
            for i in seq(0, (n + 3) / 4 * 4):
                if 4 * (i / 4) + i % 4 < n:
                    x[4 * (i / 4) + i % 4] = 1.0
    """)
    down = round_loop(ones, ones.find_loop("i"), 4, up=False)
    _same(down, """
        def ones(n: size, x: f32[n] @ DRAM):
            for i in seq(0, n / 4 * 4):
                x[4 * (i / 4) + i % 4] = 1.0
            for ii in seq(0, n % 4):
                x[ii + n / 4 * 4] = 1.0
    """)
    assert_equivalent(ones, up, n=6)
    assert_equivalent(ones, down, n=6)
    with pytest.raises(SchedulingError, match="positive integer"):
        round_loop(ones, ones.find_loop("i"), 0)


@proc
def ones37(x: f32[37]):
    for i in seq(0, 37):
        x[i] = 1.0


def test_cut_loop_and_unroll_front_and_back():
    p, c = cut_loop_and_unroll(ones37, ones37.find_loop("i"), 2, rc=True)
    _same(p, """
        def ones37(x: f32[37] @ DRAM):
            x[0] = 1.0
            x[1] = 1.0
            for i in seq(0, 35):
                x[i + 2] = 1.0
    """)
    assert isinstance(c.loop, ForCursor) and c.loop == p.body()[2]
    back = cut_loop_and_unroll(ones, ones.find_loop("i"), 1, front=False)
    _same(back, """
        def ones(n: size, x: f32[n] @ DRAM):
            for i in seq(0, n - 1):
                x[i] = 1.0
            x[0 + (n - 1)] = 1.0
    """)
    assert_equivalent(ones37, p)
    assert_equivalent(ones, back, n=5)


def test_cut_loop_and_unroll_refusals():
    with pytest.raises(SchedulingError, match="positive integer"):
        cut_loop_and_unroll(ones37, ones37.find_loop("i"), 0)
    with pytest.raises(SchedulingError, match="cut point must lie within"):
        cut_loop_and_unroll(ones37, ones37.find_loop("i"), 40)
    with pytest.raises(SchedulingError, match="cut point must lie within"):
        cut_loop_and_unroll(ones, ones.find_loop("i"), 2)  # n may be 1


def test_divide_loop_recursive_halves_the_factor_for_each_tail():
    p, c = divide_loop_recursive(ones, ones.find_loop("i"), 4, rc=True)
    _same(p, """
        def ones(n: size, x: f32[n] @ DRAM):
            for io in seq(0, n / 4):
                for ii in seq(0, 4):
                    x[4 * io + ii] = 1.0
            for iio in seq(0, n % 4 / 2):
                for iii in seq(0, 2):
                    x[2 * iio + iii + n / 4 * 4] = 1.0
            for iii in seq(0, n % 4 % 2):
                x[iii + n % 4 / 2 * 2 + n / 4 * 4] = 1.0
    """)
    assert [l.name() for l in c.outer_loops] == ["io", "iio"]
    assert [l.name() for l in c.inner_loops] == ["ii", "iii"]
    assert c.tail_loop == p.body()[2]
    for n in (1, 2, 3, 4, 7):
        assert_equivalent(ones, p, n=n)


def test_divide_loop_recursive_cut_and_guard():
    p = divide_loop_recursive(ones, ones.find_loop("i"), 4, tail="cut_and_guard")
    _same(p, """
        def ones(n: size, x: f32[n] @ DRAM):
            for io in seq(0, n / 4):
                for ii in seq(0, 4):
                    x[4 * io + ii] = 1.0
            if n % 4 > 0:
                for iio in seq(0, n % 4 / 2):
                    for iii in seq(0, 2):
                        x[2 * iio + iii + n / 4 * 4] = 1.0
                if n % 4 % 2 > 0:
                    for iii in seq(0, n % 4 % 2):
                        x[iii + n % 4 / 2 * 2 + n / 4 * 4] = 1.0
    """)
    assert_equivalent(ones, p, n=7)


def test_divide_loop_recursive_refusals_and_factor_one():
    assert str(divide_loop_recursive(ones, ones.find_loop("i"), 1)) == str(ones)
    with pytest.raises(SchedulingError, match="must be cut or cut_and_guard"):
        divide_loop_recursive(ones, ones.find_loop("i"), 4, tail="guard")


@proc
def small(n: size, x: f32[n]):
    assert n <= 4
    for i in seq(0, n):
        x[i] = 1.0


def test_binary_specialize_on_every_value():
    loop = small.find_loop("i")
    p, c = binary_specialize(small, loop, loop.hi(), [1, 2, 3, 4], rc=True)
    _same(p, """
        def small(n: size, x: f32[n] @ DRAM):
            assert n <= 4
            if n < 3:
                if n < 2:
                    for i in seq(0, 1):
                        x[i] = 1.0
                else:
                    for i in seq(0, 2):
                        x[i] = 1.0
            else:
                if n < 4:
                    for i in seq(0, 3):
                        x[i] = 1.0
                else:
                    for i in seq(0, 4):
                        x[i] = 1.0
    """)
    assert [s.hi().value() for s in c.stmts] == [1, 2, 3, 4]
    for n in (1, 2, 3, 4):
        assert_equivalent(small, p, n=n)


def test_binary_specialize_refusals():
    loop = small.find_loop("i")
    with pytest.raises(SchedulingError, match="cannot show n == 3 in its branch"):
        binary_specialize(small, loop, loop.hi(), [1, 2, 3])  # n = 4 is not covered
    with pytest.raises(SchedulingError, match="Cannot specialize given one value"):
        binary_specialize(small, loop, loop.hi(), [3])
    with pytest.raises(SchedulingError, match="at least two values"):
        binary_specialize(small, loop, loop.hi(), [])
    with pytest.raises(SchedulingError, match="expression cursor"):
        binary_specialize(small, loop, "n", [1, 2])


@proc
def consts(n: size, x: f32[8, 2], y: f32[n]):
    for i in seq(0, 8):
        for j in seq(0, 2):
            x[i, j] = 1.0
    for k in seq(0, n):
        y[k] = 0.0
    for m in seq(2, 5):
        x[m, 0] = 2.0


def test_unroll_loops_with_a_threshold():
    p = unroll_loops(consts, threshold=3)
    _same(p, """
        def consts(n: size, x: f32[8, 2] @ DRAM, y: f32[n] @ DRAM):
            for i in seq(0, 8):
                x[i, 0] = 1.0
                x[i, 1] = 1.0
            for k in seq(0, n):
                y[k] = 0.0
            x[2, 0] = 2.0
            x[3, 0] = 2.0
            x[4, 0] = 2.0
    """)
    assert_equivalent(consts, p, n=3)


def test_unroll_loops_everywhere_or_in_a_block():
    everything = unroll_loops(consts)
    assert "for i" not in str(everything) and "for k in seq(0, n)" in str(everything)
    only_i = unroll_loops(consts, consts.find_loop("i"))
    assert "for m" in str(only_i) and "for i" not in str(only_i)
    assert_equivalent(consts, everything, n=2)
    with pytest.raises(SchedulingError, match="threshold"):
        unroll_loops(consts, threshold=1.5)


@proc
def messy(n: size, x: f32[n]):
    for i in seq(0, n):
        pass
    for j in seq(0, 0):
        x[0] = 1.0
    if n < 0:
        x[0] = 1.0
    x[0] = 2.0
    for k in seq(0, n):
        if k < n:
            x[k] = 3.0


def test_cleanup_drops_dead_code_and_passes():
    p = cleanup(messy)
    _same(p, """
        def messy(n: size, x: f32[n] @ DRAM):
            x[0] = 2.0
            for k in seq(0, n):
                x[k] = 3.0
    """)
    assert_equivalent(messy, p, n=4)
