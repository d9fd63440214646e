"""exo_core.cursors.location: the shared resolver of primitives' location arguments."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_core.cursors import (AllocCursor, ArgCursor, BlockCursor, CallCursor, ForCursor,
                              GapCursor, ReadCursor)
from exo_core.ir import Pass
from exo_core.cursors.location import (resolve_alloc, resolve_block, resolve_call, resolve_cursor,
                               resolve_expr, resolve_exprs, resolve_gap, resolve_loop,
                               resolve_nested_loops, resolve_stmt)
from exo_core.cursors.patterns import PatternNotFoundError
from exo_core.cursors.proc_editor import ProcEditor
from tests.seed_examples import bar, case_study_generic_conv1d as conv


@proc
def two_nests(x: f32[4, 4]):
    for i in seq(0, 4):
        for j in seq(0, 4):
            x[i, j] = 0.0
    for i in seq(0, 4):
        for j in seq(0, 4):
            x[i, j] += 1.0
        x[i, 0] = 2.0


def test_loops_by_name_pattern_and_cursor():
    assert resolve_loop(conv, "c") == conv.find_loop("c")
    assert resolve_loop(two_nests, "i #1") == two_nests.find_loop("i #1")
    assert resolve_loop(conv, "for r in _: _") == conv.find_loop("r")
    c = conv.find_loop("j")
    assert resolve_loop(conv, c) is c
    with pytest.raises(SchedulingError, match="expected a loop"):
        resolve_loop(conv, "y : _")
    with pytest.raises(PatternNotFoundError):
        resolve_loop(conv, "k")


def test_nested_loops_shorthand():
    assert resolve_nested_loops(two_nests, "i j") == two_nests.find_loop("i")
    with pytest.raises(SchedulingError, match="exactly one statement"):
        resolve_nested_loops(two_nests, "i j #1")  # its body has two statements
    assert resolve_nested_loops(conv, "c r") == conv.find_loop("c")
    assert resolve_nested_loops(conv, conv.find_loop("c")) == conv.find_loop("c")
    with pytest.raises(SchedulingError):
        resolve_nested_loops(conv, "r")  # r's body is not a single loop


def test_blocks_gaps_stmts_allocs_calls_exprs():
    blk = resolve_block(conv, "y : _")
    assert isinstance(blk, BlockCursor) and len(blk) == 1
    assert len(resolve_block(conv, "y : _\nif _: _")) == 2
    gap = resolve_gap(conv, conv.find("y : _").after())
    assert isinstance(gap, GapCursor)
    with pytest.raises(SchedulingError, match="expected a gap"):
        resolve_gap(conv, "y : _")
    assert isinstance(resolve_stmt(conv, "out = _"), type(conv.find("out = _")))
    with pytest.raises(SchedulingError, match="expected a statement"):
        resolve_stmt(conv, "j + r")
    assert isinstance(resolve_alloc(conv, "y"), AllocCursor)
    assert isinstance(resolve_alloc(conv, "y : i32"), AllocCursor)
    with pytest.raises(SchedulingError, match="expected an allocation"):
        resolve_alloc(conv, "data")
    assert isinstance(resolve_alloc(conv, "data", allow_arg=True), ArgCursor)
    assert isinstance(resolve_call(bar, "foo(_) #1"), CallCursor)
    assert isinstance(resolve_expr(conv, "kernels[_]"), ReadCursor)
    assert len(resolve_exprs(conv, "j + r")) == 2
    assert resolve_exprs(conv, [conv.find("y")]) == [conv.find("y")]
    with pytest.raises(SchedulingError, match="expected an expression"):
        resolve_expr(conv, "y : _")
    with pytest.raises(SchedulingError, match="expected a cursor or a pattern"):
        resolve_cursor(conv, 3)


def test_implicit_forwarding_and_dead_cursors():
    y_alloc = conv.find("y : _")
    ed = ProcEditor(conv)
    ed.insert(conv.body()[0].before(), [Pass()])
    p2 = ed.finish()
    c = resolve_alloc(p2, y_alloc)
    assert c.proc() is p2 and c == p2.find("y : _")
    ed = ProcEditor(p2)
    ed.delete(c)
    p3 = ed.finish()
    with pytest.raises(SchedulingError, match="no longer points"):
        resolve_alloc(p3, y_alloc)
    with pytest.raises(SchedulingError, match="not an ancestor"):
        resolve_loop(bar, conv.find_loop("i"))
    with pytest.raises(SchedulingError, match="invalid"):
        resolve_stmt(conv, conv.body()[0].next())
