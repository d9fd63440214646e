"""The dependence obligations of exo_core.analysis, on small loop nests."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_core.analysis.obligations import must_hold, require as discharge
from exo_core.analysis import (block_idempotent, blocks_commute, collect_accesses, context_at,
                             iterations_independent, loop_fissionable, loops_reorderable,
                             windows_in_scope)
from exo_verify import Var


def _loop(p, k=0):
    root = p.INTERNAL_proc()
    return root, root.body[k], context_at(root, (("body", k),))[0], windows_in_scope(root)


@proc
def through_window(n: size, x: f32[n + 1, 4]):
    for i in seq(0, n):
        row = x[i + 1, 0:4]
        for j in seq(0, 4):
            row[j] = x[i, j]


@proc
def local_tmp(n: size, x: f32[n], y: f32[n]):
    for i in seq(0, n):
        t: f32
        t = x[i]
        y[i] = t


@proc
def scalar_chain(n: size, s: f32[1], x: f32[n]):
    for i in seq(0, n):
        x[i] = s[0]
        s[0] = x[i] * 2.0


def test_window_accesses_resolve_to_the_buffer():
    root, loop, ctx, win = _loop(through_window)
    accs = collect_accesses([loop], windows=win).accesses
    assert {a.buffer.name for a in accs} == {"x"}
    # iteration i writes x[i+1, j] through the window; iteration i+1 reads it
    with pytest.raises(SchedulingError, match=r"iteration i=0 .*x\[1, "):
        discharge(iterations_independent("t", loop, ctx, win))


def test_local_allocations_are_per_iteration():
    root, loop, ctx, win = _loop(local_tmp)
    discharge(iterations_independent("t", loop, ctx, win))
    discharge(block_idempotent("t", list(loop.body), ctx, win))


def test_fission_and_commute():
    root, loop, ctx, win = _loop(scalar_chain)
    pre, post = list(loop.body[:1]), list(loop.body[1:])
    with pytest.raises(SchedulingError, match="fission would reorder them"):
        discharge(loop_fissionable("fission", loop, pre, post, ctx, win))
    with pytest.raises(SchedulingError, match="do not commute"):
        discharge(blocks_commute("reorder_stmts", pre, post, ctx, win))


def test_reorder_counterexample_is_in_user_names():
    @proc
    def anti(n: size, x: f32[n + 1, n + 1]):
        for i in seq(0, n):
            for j in seq(0, n):
                x[i + 1, j] = x[i, j + 1]

    root, loop, ctx, win = _loop(anti)
    with pytest.raises(SchedulingError) as e:
        discharge(loops_reorderable("reorder_loops", loop, ctx, win))
    assert "iteration (i=0, j=1) writes x[1, 1]" in e.value.message
    assert "iteration (i=1, j=0) reads x[1, 1]" in e.value.message


def test_must_hold_reports_counterexample():
    n = Var("n")
    with pytest.raises(SchedulingError, match="it must be positive, but this fails when n = 0"):
        discharge(must_hold("p", "it must be positive", n >= 1, n >= 0))
    discharge(must_hold("p", "it must be positive", n >= 1, n >= 3))
