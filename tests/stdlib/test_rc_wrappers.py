"""fission_, divide_loop_, stage_mem_, cut_loop_, specialize_ (Exo's
exo.stdlib.rc_wrappers): the results equal the primitives', and rc=True gives
the cursors the primitive made."""

from __future__ import annotations

import pytest

from exo_core import proc, SchedulingError
from exo_core.cursors import AllocCursor, ForCursor, IfCursor, InvalidCursor
from exo_stdlib.scheduling import (cut_loop, cut_loop_, divide_loop, divide_loop_, fission, fission_,
                                   specialize, specialize_, stage_mem, stage_mem_)

from tests.core.primitives.equivalence import assert_equivalent


@proc
def body(n: size, x: f32[n, 4], y: f32[n]):
    for i in seq(0, n):
        for j in seq(0, 4):
            x[i, j] = 1.0
        y[i] = 0.0


def test_fission_cursors():
    p, c = fission_(body, body.find("y[_] = _").before(), rc=True)
    assert str(p) == str(fission(body, body.find("y[_] = _").before()))
    assert (c.scope1, c.scope2) == (p.body()[0], p.body()[1])
    assert_equivalent(body, p, n=3)
    with pytest.raises(SchedulingError, match="expected a gap cursor"):
        fission_(body, body.find("y[_] = _"))


@pytest.mark.parametrize("tail", ["guard", "cut", "cut_and_guard", "perfect"])
def test_divide_loop_cursors(tail):
    @proc
    def ones(x: f32[16], y: f32[16]):
        for i in seq(0, 16):
            x[i] = 1.0
            y[i] = 2.0

    p, c = divide_loop_(ones, ones.find_loop("i"), 4 if tail == "perfect" else 3, tail=tail, rc=True)
    expected = divide_loop(ones, "i", 4 if tail == "perfect" else 3, ["io", "ii"],
                           tail="guard" if tail == "perfect" else tail, perfect=tail == "perfect")
    assert str(p) == str(expected)
    assert c.outer_loop == p.body()[0] and c.inner_loop == p.body()[0].body()[0]
    if tail in ("cut", "cut_and_guard"):
        assert isinstance(c.tail_loop, ForCursor) and c.tail_loop.name() == "ii"
    else:
        assert isinstance(c.tail_loop, InvalidCursor)
    assert_equivalent(ones, p)


def test_cut_loop_cursors():
    p, c = cut_loop_(body, body.find_loop("i"), 1, rc=True)
    assert str(p) == str(cut_loop(body, "i", 1))
    assert (c.loop1, c.loop2) == (p.body()[0], p.body()[1])
    assert_equivalent(body, p, n=5)


def test_specialize_cursors():
    p, c = specialize_(body, body.find("y[_] = _"), ["i < 2", "i < 5"], rc=True)
    assert str(p) == str(specialize(body, body.find("y[_] = _"), ["i < 2", "i < 5"]))
    assert isinstance(c.if_stmt, IfCursor) and c.if_stmt == p.body()[0].body()[1]
    assert_equivalent(body, p, n=6)


def test_stage_mem_cursors_without_a_load():
    # the block overwrites the whole window: nothing to load
    p, c = stage_mem_(body, body.find_loop("j"), "x[i, 0:4]", "xt", rc=True)
    assert str(p) == str(stage_mem(body, body.find_loop("j"), "x[i, 0:4]", "xt"))
    loop_body = p.body()[0].body()
    assert isinstance(c.alloc, AllocCursor) and c.alloc == loop_body[0]
    assert isinstance(c.load_stage, InvalidCursor) and c.block[0] == loop_body[1]
    assert c.store_stage == loop_body[2]
    assert_equivalent(body, p, n=3)


@proc
def adds(n: size, y: f32[n]):
    for i in seq(0, n):
        y[i] += 1.0
        y[i] = y[i] * 2.0


def test_stage_mem_cursors_with_load_and_store():
    p, c = stage_mem_(adds, adds.find("y[_] += _"), "y[i]", "yt", rc=True)
    loop_body = p.body()[0].body()
    assert c.alloc == loop_body[0] and c.load_stage == loop_body[1]
    assert c.block[0] == loop_body[2] and c.store_stage == loop_body[3]
    assert loop_body[4] == p.forward(adds.find("y[_] = _"))
    assert_equivalent(adds, p, n=3)
