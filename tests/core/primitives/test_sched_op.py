"""User-defined scheduling operations (`sched_op`, Exo's decorator): the
argument processors check and convert each argument as the built-in
primitives' do, errors are raised at the user's call, and the operation is a
primitive (`is_atomic_scheduling_op`)."""

from __future__ import annotations

import pytest

from exo_core import Procedure, proc
from exo_core.cursors import ArgCursor, BlockCursor, ForCursor
from exo_core.errors import ArgumentTypeError, ArgumentValueError, SchedulingError
from exo_core.primitives.sched_op import (AllocCursorA, ArgOrAllocCursorA, BlockCursorA,
                                          BoolA, ForCursorA, IntA, NameA, PosIntA, ProcA,
                                          StmtCursorA, is_atomic_scheduling_op, sched_op)
from exo_stdlib.scheduling import divide_loop, rename, simplify, tile_loops


@proc
def foo(x: f32[8]):
    for i in seq(0, 8):
        x[i] = 0.0
    x[0] = 1.0


@sched_op([ForCursorA, PosIntA])
def split_by(p, loop, n):
    assert isinstance(p, Procedure) and isinstance(loop, ForCursor) and type(n) is int
    return divide_loop(p, loop, n, ["io", "ii"], perfect=True)


def test_a_sched_op_converts_its_arguments_and_runs():
    p = split_by(foo, "i", 4)
    assert str(p) == str(divide_loop(foo, "i", 4, ["io", "ii"], perfect=True))
    assert "for io in seq(0, 2):" in str(p)
    # a cursor works as well as a name
    assert str(split_by(foo, foo.find_loop("i"), 2)) == \
        str(divide_loop(foo, "i", 2, ["io", "ii"], perfect=True))


def test_is_atomic_scheduling_op():
    assert is_atomic_scheduling_op(split_by)
    assert is_atomic_scheduling_op(divide_loop)
    assert not is_atomic_scheduling_op(tile_loops)  # a helper, not a primitive
    assert not is_atomic_scheduling_op(len)


def test_bad_arguments_are_errors_at_the_call():
    with pytest.raises(ArgumentTypeError, match=r"split_by: n must be at least 1") as e:
        split_by(foo, "i", 0)
    assert e.value.srcinfo is not None and e.value.srcinfo.filename.endswith(
        "test_sched_op.py")
    with pytest.raises(SchedulingError, match="no code matches the pattern 'for j in _: _'"):
        split_by(foo, "j", 2)
    with pytest.raises(ArgumentTypeError, match="split_by"):
        split_by(foo, "i")
    with pytest.raises(ArgumentTypeError, match="procedure"):
        split_by("foo", "i", 2)


def test_processors_as_classes_or_instances():
    seen = {}

    @sched_op([BlockCursorA(block_size=2), BoolA, IntA, NameA, ArgOrAllocCursorA, ProcA,
               StmtCursorA])
    def probe(proc, block, flag, k, name, buf, other, stmt):
        seen.update(block=block, flag=flag, k=k, name=name, buf=buf, other=other, stmt=stmt)
        return rename(proc, name)

    p = probe(foo, foo.body(), True, -3, "bar", "x", foo, "x[0] = 1.0")
    assert p.name() == "bar"
    assert isinstance(seen["block"], BlockCursor) and len(seen["block"]) == 2
    assert seen["flag"] is True and seen["k"] == -3 and seen["other"] is foo
    assert isinstance(seen["buf"], ArgCursor)
    with pytest.raises(ArgumentValueError, match="block of 2 statements"):
        probe(foo, foo.find_loop("i"), True, 1, "bar", "x", foo, "x[0] = 1.0")
    with pytest.raises(ArgumentTypeError, match="flag must be True or False"):
        probe(foo, foo.body(), 3, 1, "bar", "x", foo, "x[0] = 1.0")
    with pytest.raises(ArgumentTypeError, match="not a valid name"):
        probe(foo, foo.body(), True, 1, "for", "x", foo, "x[0] = 1.0")
    with pytest.raises(ArgumentTypeError, match="other must be a procedure"):
        probe(foo, foo.body(), True, 1, "bar", "x", 7, "x[0] = 1.0")


def test_many_cursors_and_allocations():
    @proc
    def two(x: f32[8]):
        t: f32
        for i in seq(0, 8):
            t = x[i]
            x[i] = t
        for j in seq(0, 8):
            x[j] = 0.0

    @sched_op([ForCursorA(many=True), AllocCursorA])
    def count(proc, loops, alloc):
        assert all(isinstance(c, ForCursor) for c in loops) and len(loops) == 2
        return simplify(proc)

    assert str(count(two, ["i", "j"], "t")) == str(simplify(two))
    with pytest.raises(SchedulingError):
        count(two, ["i", "j"], "x")  # an argument, not an allocation


def test_a_declaration_that_does_not_fit_is_refused():
    with pytest.raises(TypeError, match="argument processors"):
        @sched_op([ForCursorA])
        def op(proc, loop, n):
            return proc
    with pytest.raises(TypeError, match="not an argument processor"):
        @sched_op([int])
        def op2(proc, n):
            return proc
