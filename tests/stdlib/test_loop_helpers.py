"""hoist_stmt, hoist_from_loop, jam_stmt, unroll_and_jam(_parent),
interleave_loop, interleave_outer_loop_with_inner_loop, fission_into_singles,
reorder_stmt_forward/backwards. Goldens read against Exo 1.0's prints (ours
folds constants: ``2 * io + 1`` where Exo prints ``1 + 2 * io``)."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import proc, SchedulingError
from exo_core.cursors import AllocCursor, AssignCursor, ForCursor, InvalidCursor
from exo_stdlib.stdlib import (fission_into_singles, hoist_from_loop, hoist_stmt, interleave_loop,
                               interleave_outer_loop_with_inner_loop, jam_stmt,
                               reorder_stmt_backwards, reorder_stmt_forward, unroll_and_jam,
                               unroll_and_jam_parent)

from tests.core.primitives.equivalence import assert_equivalent


def _text(src: str) -> str:
    return textwrap.dedent(src).strip()


def _same(p, src: str) -> None:
    assert str(p).strip() == _text(src)


@proc
def inv(n: size, x: f32[n], y: f32[n], a: f32):
    for i in seq(0, n):
        a = 1.0
        x[i] = a
        y[i] = 2.0


@proc
def inv_alloc(n: size, x: f32[n], y: f32[n]):
    assert n >= 4
    for i in seq(0, n):
        t: f32
        t = 1.0
        x[i] = t
        for j in seq(0, 4):
            y[j] = 3.0
        y[0] = 2.0


# --- hoist_stmt ----------------------------------------------------------------


def test_hoist_stmt_moves_an_invariant_statement_before_the_loop():
    p = hoist_stmt(inv, inv.find("a = _"))
    _same(p, """
        def inv(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM, a: f32 @ DRAM):
            a = 1.0
            for i in seq(0, n):
                x[i] = a
                y[i] = 2.0
    """)
    assert_equivalent(inv, p, n=5)


def test_hoist_stmt_takes_the_allocations_it_uses_and_returns_cursors():
    p, c = hoist_stmt(inv_alloc, inv_alloc.find("t = _"), rc=True)
    _same(p, """
        def inv_alloc(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
            assert n >= 4
            t: f32 @ DRAM
            t = 1.0
            for i in seq(0, n):
                x[i] = t
                for j in seq(0, 4):
                    y[j] = 3.0
                y[0] = 2.0
    """)
    assert_equivalent(inv_alloc, p, n=6)
    assert [type(a) for a in c.allocs] == [AllocCursor] and c.allocs[0].name() == "t"
    assert isinstance(c.stmt, AssignCursor) and c.stmt.name() == "t"
    assert c.stmt.next() == c.loop and c.loop.name() == "i"


def test_hoist_stmt_refuses_what_depends_on_the_loop():
    with pytest.raises(SchedulingError, match="depends on enclosing loop"):
        hoist_stmt(inv, inv.find("x[_] = _"))


def test_hoist_stmt_refuses_a_statement_outside_a_loop():
    with pytest.raises(SchedulingError, match="not within a loop"):
        hoist_stmt(inv, inv.find_loop("i"))


def test_hoist_stmt_refuses_when_the_body_writes_what_it_uses():
    with pytest.raises(SchedulingError, match="fission"):
        hoist_stmt(inv_alloc, inv_alloc.find_loop("j"))


def test_hoist_stmt_refuses_what_does_not_commute_with_earlier_statements():
    with pytest.raises(SchedulingError, match="do not commute"):
        hoist_stmt(inv_alloc, inv_alloc.find("y[0] = _"))


@proc
def accumulate(n: size, x: f32[n], a: f32):
    for i in seq(0, n):
        a += 1.0
        x[i] = 2.0


def test_hoist_stmt_refuses_a_statement_that_is_not_idempotent():
    with pytest.raises(SchedulingError, match="idempotent|more than once|twice"):
        hoist_stmt(accumulate, accumulate.find("a += _"))


@proc
def reads_back(n: size, x: f32[n], a: f32):
    for i in seq(0, n):
        a = x[0]
        x[i] = a + 1.0


def test_hoist_stmt_refuses_when_a_later_iteration_changes_its_input():
    # a = x[0] reads x, which the body writes: iteration 1 reads a new x[0]
    with pytest.raises(SchedulingError, match="fission"):
        hoist_stmt(reads_back, reads_back.find("a = _"))


# --- hoist_from_loop -------------------------------------------------------------


def test_hoist_from_loop_hoists_what_it_can():
    p, c = hoist_from_loop(inv_alloc, inv_alloc.find_loop("i"), rc=True)
    _same(p, str(hoist_stmt(inv_alloc, inv_alloc.find("t = _"))))
    assert_equivalent(inv_alloc, p, n=6)
    [[stmt, allocs]] = c.hoisted
    assert stmt.name() == "t" and [a.name() for a in allocs] == ["t"]
    assert isinstance(c.loop, ForCursor) and c.loop.name() == "i"


@proc
def all_invariant(x: f32[4], a: f32):
    for i in seq(0, 4):
        a = 1.0


def test_hoist_from_loop_removes_a_loop_it_empties():
    p, c = hoist_from_loop(all_invariant, all_invariant.find_loop("i"), rc=True)
    _same(p, """
        def all_invariant(x: f32[4] @ DRAM, a: f32 @ DRAM):
            a = 1.0
    """)
    assert isinstance(c.loop, InvalidCursor)


# --- jam_stmt --------------------------------------------------------------------


@proc
def before_loop(n: size, m: size, x: f32[n, m], y: f32[n]):
    for i in seq(0, n):
        y[i] = 0.0
        for j in seq(0, m):
            x[i, j] = 1.0
        y[i] = 1.0


def test_jam_stmt_moves_the_statement_to_the_end_of_the_next_loop():
    p, c = jam_stmt(before_loop, before_loop.find("y[_] = 0.0"), rc=True)
    _same(p, """
        def before_loop(n: size, m: size, x: f32[n, m] @ DRAM, y: f32[n] @ DRAM):
            for i in seq(0, n):
                for j in seq(0, m):
                    x[i, j] = 1.0
                    y[i] = 0.0
                y[i] = 1.0
    """)
    assert_equivalent(before_loop, p, n=3, m=2)
    assert c.loop.name() == "j" and c.stmt == c.loop.body()[1]


def test_jam_stmt_needs_a_loop_next():
    with pytest.raises(SchedulingError, match="Next statement must be a loop"):
        jam_stmt(before_loop, before_loop.find("y[_] = 1.0"))


@proc
def feeds_loop(n: size, x: f32[n, 4], y: f32[n]):
    for i in seq(0, n):
        y[i] = 0.0
        for j in seq(0, 4):
            y[i] += x[i, j]


def test_jam_stmt_refuses_a_statement_the_loop_depends_on():
    with pytest.raises(SchedulingError, match="do not commute"):
        jam_stmt(feeds_loop, feeds_loop.find("y[_] = 0.0"))


def test_jam_stmt_unsafe_puts_the_statement_first_unchecked():
    p = jam_stmt(feeds_loop, feeds_loop.find("y[_] = 0.0"), unsafe_disable_check=True)
    _same(p, """
        def feeds_loop(n: size, x: f32[n, 4] @ DRAM, y: f32[n] @ DRAM):
            for i in seq(0, n):
                for j in seq(0, 4):
                    y[i] = 0.0
                    y[i] += x[i, j]
    """)


@proc
def adds_before(n: size, x: f32[n, 4], y: f32[n]):
    for i in seq(0, n):
        y[i] += 1.0
        for j in seq(0, 4):
            x[i, j] = 1.0


def test_jam_stmt_refuses_a_statement_that_is_not_idempotent():
    with pytest.raises(SchedulingError, match="idempotent"):
        jam_stmt(adds_before, adds_before.find("y[_] += _"))


# --- unroll_and_jam ----------------------------------------------------------------


@proc
def nest(x: f32[8, 4], y: f32[8]):
    for i in seq(0, 8):
        y[i] = 0.0
        for j in seq(0, 4):
            x[i, j] = 1.0
        y[i] += 1.0


def test_unroll_and_jam_by_two():
    p = unroll_and_jam(nest, nest.find_loop("i"), 2)
    _same(p, """
        def nest(x: f32[8, 4] @ DRAM, y: f32[8] @ DRAM):
            for io in seq(0, 4):
                y[2 * io + 0] = 0.0
                y[2 * io + 1] = 0.0
                for j in seq(0, 4):
                    x[2 * io + 0, j] = 1.0
                    x[2 * io + 1, j] = 1.0
                y[2 * io + 0] += 1.0
                y[2 * io + 1] += 1.0
    """)
    assert_equivalent(nest, p)


def test_unroll_and_jam_keeps_the_loops_it_is_told_not_to_unroll():
    p = unroll_and_jam(nest, nest.find_loop("i"), 2, unroll=(False, True, False))
    _same(p, """
        def nest(x: f32[8, 4] @ DRAM, y: f32[8] @ DRAM):
            for io in seq(0, 4):
                for ii in seq(0, 2):
                    y[2 * io + ii] = 0.0
                for j in seq(0, 4):
                    x[2 * io + 0, j] = 1.0
                    x[2 * io + 1, j] = 1.0
                for ii in seq(0, 2):
                    y[2 * io + ii] += 1.0
    """)
    assert_equivalent(nest, p)


@proc
def var_nest(n: size, x: f32[n, 4]):
    for i in seq(0, n):
        for j in seq(0, 4):
            x[i, j] = 1.0


def test_unroll_and_jam_leaves_the_remainder_in_a_tail_loop():
    p = unroll_and_jam(var_nest, var_nest.find_loop("i"), 2)
    _same(p, """
        def var_nest(n: size, x: f32[n, 4] @ DRAM):
            for io in seq(0, n / 2):
                for j in seq(0, 4):
                    x[2 * io + 0, j] = 1.0
                    x[2 * io + 1, j] = 1.0
            for ii in seq(0, n % 2):
                for j in seq(0, 4):
                    x[ii + n / 2 * 2, j] = 1.0
    """)
    assert_equivalent(var_nest, p, n=7)


def test_unroll_and_jam_parent_is_unroll_and_jam_of_the_parent():
    p = unroll_and_jam_parent(nest, nest.find_loop("j"), 2)
    assert str(p) == str(unroll_and_jam(nest, nest.find_loop("i"), 2))
    assert_equivalent(nest, p)


@proc
def two_inner(x: f32[8, 4]):
    for i in seq(0, 8):
        for j in seq(0, 4):
            x[i, j] = 1.0
        for k in seq(0, 4):
            x[i, k] += 1.0


def test_unroll_and_jam_needs_exactly_one_inner_loop():
    with pytest.raises(SchedulingError, match="No loops found"):
        unroll_and_jam(nest, nest.find_loop("j"), 2)
    with pytest.raises(SchedulingError, match="Multiple loops found"):
        unroll_and_jam(two_inner, two_inner.find_loop("i"), 2)


def test_unroll_and_jam_checks_its_arguments():
    with pytest.raises(SchedulingError, match="three bools"):
        unroll_and_jam(nest, nest.find_loop("i"), 2, unroll=(True,))
    with pytest.raises(SchedulingError, match="positive integer"):
        unroll_and_jam(nest, nest.find_loop("i"), 0)
    with pytest.raises(SchedulingError, match="not directly inside another loop"):
        unroll_and_jam_parent(nest, nest.find_loop("i"), 2)  # no loop around i


def test_interleave_outer_with_a_chosen_inner_loop():
    p = interleave_outer_loop_with_inner_loop(two_inner, two_inner.find_loop("i"),
                                              two_inner.find_loop("k"), 2,
                                              unroll=(False, True, True))
    _same(p, """
        def two_inner(x: f32[8, 4] @ DRAM):
            for io in seq(0, 4):
                for ii in seq(0, 2):
                    for j in seq(0, 4):
                        x[2 * io + ii, j] = 1.0
                for k in seq(0, 4):
                    x[2 * io + 0, k] += 1.0
                    x[2 * io + 1, k] += 1.0
    """)
    assert_equivalent(two_inner, p)
    with pytest.raises(SchedulingError, match="directly in the body"):
        interleave_outer_loop_with_inner_loop(nest, nest.find_loop("j"), nest.find_loop("i"), 2)


# --- interleave_loop -----------------------------------------------------------------


@proc
def pair(x: f32[8], y: f32[8]):
    for i in seq(0, 8):
        x[i] = 1.0
        y[i] = 2.0


def test_interleave_loop_keeps_copies_of_each_statement_together():
    p = interleave_loop(pair, pair.find_loop("i"), 3)
    _same(p, """
        def pair(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
            for io in seq(0, 2):
                x[3 * io + 0] = 1.0
                x[3 * io + 1] = 1.0
                x[3 * io + 2] = 1.0
                y[3 * io + 0] = 2.0
                y[3 * io + 1] = 2.0
                y[3 * io + 2] = 2.0
            for ii in seq(0, 2):
                x[6 + ii] = 1.0
                y[6 + ii] = 2.0
    """)
    assert_equivalent(pair, p)


def test_interleave_loop_without_a_factor_unrolls_fully():
    p = interleave_loop(pair, pair.find_loop("i"))
    lines = [s.strip() for s in str(p).splitlines()[1:]]
    assert lines == [f"x[{k}] = 1.0" for k in range(8)] + [f"y[{k}] = 2.0" for k in range(8)]
    assert_equivalent(pair, p)


@proc
def reduce_n(n: size, x: f32[n], y: f32):
    for i in seq(0, n):
        y += x[i]


def test_interleave_loop_cut_and_guard_tail():
    p = interleave_loop(reduce_n, reduce_n.find_loop("i"), 4, tail="cut_and_guard")
    _same(p, """
        def reduce_n(n: size, x: f32[n] @ DRAM, y: f32 @ DRAM):
            for io in seq(0, n / 4):
                y += x[4 * io + 0]
                y += x[4 * io + 1]
                y += x[4 * io + 2]
                y += x[4 * io + 3]
            if n % 4 > 0:
                for ii in seq(0, n % 4):
                    y += x[ii + n / 4 * 4]
    """)
    assert_equivalent(reduce_n, p, n=11)


def test_interleave_loop_refusals():
    with pytest.raises(SchedulingError, match="Unknown tail strategy: guard"):
        interleave_loop(pair, pair.find_loop("i"), 2, tail="guard")
    with pytest.raises(SchedulingError, match="needs a factor"):
        interleave_loop(reduce_n, reduce_n.find_loop("i"), par_reduce=True)


def test_interleave_loop_with_partial_sums():
    p = interleave_loop(reduce_n, reduce_n.find_loop("i"), 4, par_reduce=True)
    _same(p, """
        def reduce_n(n: size, x: f32[n] @ DRAM, y: f32 @ DRAM):
            var0: f32[4] @ DRAM
            var0[0] = 0.0
            var0[1] = 0.0
            var0[2] = 0.0
            var0[3] = 0.0
            for io in seq(0, n / 4):
                var0[0] += x[0 + 4 * io]
                var0[1] += x[1 + 4 * io]
                var0[2] += x[2 + 4 * io]
                var0[3] += x[3 + 4 * io]
            y += var0[0]
            y += var0[1]
            y += var0[2]
            y += var0[3]
            for ii in seq(0, n % 4):
                y += x[ii + 4 * (n / 4)]
    """)
    for n in (1, 4, 11):
        assert_equivalent(reduce_n, p, n=n)


# --- fission_into_singles --------------------------------------------------------------


@proc
def mixed(x: f32[8, 4], y: f32[8], z: f32[8]):
    for i in seq(0, 8):
        y[i] = 0.0
        for j in seq(0, 4):
            x[i, j] = 1.0
            z[i] = 2.0
        y[i] += 1.0


def test_fission_into_singles_splits_every_level():
    p = fission_into_singles(mixed, mixed.find_loop("i"))
    _same(p, """
        def mixed(x: f32[8, 4] @ DRAM, y: f32[8] @ DRAM, z: f32[8] @ DRAM):
            for i in seq(0, 8):
                y[i] = 0.0
            for i in seq(0, 8):
                for j in seq(0, 4):
                    x[i, j] = 1.0
            for i in seq(0, 8):
                for j in seq(0, 4):
                    z[i] = 2.0
            for i in seq(0, 8):
                y[i] += 1.0
    """)
    assert_equivalent(mixed, p)


def test_fission_into_singles_of_an_inner_loop_stays_inside():
    p = fission_into_singles(mixed, mixed.find_loop("j"))
    _same(p, """
        def mixed(x: f32[8, 4] @ DRAM, y: f32[8] @ DRAM, z: f32[8] @ DRAM):
            for i in seq(0, 8):
                y[i] = 0.0
                for j in seq(0, 4):
                    x[i, j] = 1.0
                for j in seq(0, 4):
                    z[i] = 2.0
                y[i] += 1.0
    """)


def test_fission_into_singles_needs_a_loop_or_if():
    with pytest.raises(SchedulingError, match="expected ForCursor or IfCursor"):
        fission_into_singles(mixed, mixed.find("z[_] = _"))


@proc
def carried(x: f32[9], y: f32[8]):
    for i in seq(0, 8):
        y[i] = x[i]
        x[i + 1] = 2.0


def test_fission_into_singles_refuses_an_unsafe_split():
    # y[i] reads what iteration i - 1 wrote; split, every y would read the old x
    with pytest.raises(SchedulingError, match="fission"):
        fission_into_singles(carried, carried.find_loop("i"))


# --- reorder_stmt_forward / backwards ----------------------------------------------------


@proc
def three(x: f32[8], y: f32[8], z: f32):
    x[0] = 1.0
    y[0] = 2.0
    z = x[0]


def test_reorder_stmt_forward_and_backwards():
    fwd = reorder_stmt_forward(three, three.find("x[_] = _"))
    back = reorder_stmt_backwards(three, three.find("y[_] = _"))
    _same(fwd, """
        def three(x: f32[8] @ DRAM, y: f32[8] @ DRAM, z: f32 @ DRAM):
            y[0] = 2.0
            x[0] = 1.0
            z = x[0]
    """)
    assert str(back) == str(fwd)
    assert_equivalent(three, fwd)


def test_reorder_stmt_refusals():
    with pytest.raises(SchedulingError, match="no statement after"):
        reorder_stmt_forward(three, three.find("z = _"))
    with pytest.raises(SchedulingError, match="no statement before"):
        reorder_stmt_backwards(three, three.find("x[_] = _"))
    swapped = reorder_stmt_forward(three, three.find("x[_] = _"))  # y; x; z
    with pytest.raises(SchedulingError, match="do not commute"):
        reorder_stmt_backwards(swapped, swapped.find("z = _"))
