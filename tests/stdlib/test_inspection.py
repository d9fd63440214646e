"""exo_stdlib.inspection on the case study's convolution (seed 003)."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError
from exo_core.cursors import ForCursor, InvalidCursor
from exo_stdlib.inspection import (
    get_enclosing_loop, get_enclosing_loop_by_name, get_enclosing_loops,
    get_parent, get_top_level_stmt, is_alloc, is_assign, is_call, is_if, is_invalid,
    is_loop, is_reduce, loop_nest_depth,
)
from exo_stdlib.scheduling import divide_loop, delete_pass, insert_pass
from tests.seed_examples import case_study_generic_conv1d as conv


def test_kind_predicates():
    assert is_loop(conv, conv.find_loop("c"))
    assert not is_loop(conv, conv.find("y : _"))
    assert is_alloc(conv, conv.find("y : _"))
    assert is_if(conv, conv.find("if _:_"))
    assert is_assign(conv, conv.find("y = data[_]"))
    assert is_reduce(conv, conv.find("out[_] += _"))
    assert not is_call(conv, conv.find("y : _"))


def test_enclosing_loops_innermost_first():
    assign = conv.find("y = data[_]")
    assert [l.name() for l in get_enclosing_loops(conv, assign)] == ["r", "c", "j", "i"]
    assert get_enclosing_loop(conv, assign).name() == "r"
    assert get_enclosing_loop(conv, assign, 3).name() == "j"
    assert isinstance(get_enclosing_loop(conv, assign, 5), InvalidCursor)
    assert get_enclosing_loop_by_name(conv, assign, "c") == conv.find_loop("c")
    with pytest.raises(SchedulingError, match="no loop named 'q'"):
        get_enclosing_loop_by_name(conv, assign, "q")
    with pytest.raises(SchedulingError, match="positive integer"):
        get_enclosing_loop(conv, assign, 0)


def test_top_level_and_parent():
    assign = conv.find("y = data[_]")
    top = get_top_level_stmt(conv, assign)
    assert top == conv.find_loop("i")
    assert isinstance(get_parent(conv, top), InvalidCursor)
    assert get_parent(conv, conv.find("y : _")) == conv.find_loop("r")
    assert loop_nest_depth(conv, conv.find_loop("i")) == 2
    assert loop_nest_depth(conv, conv.find_loop("c")) == 2


def test_cursors_are_forwarded_to_the_given_proc():
    c_loop = conv.find_loop("c")
    p = divide_loop(conv, "i", 4, ["io", "ii"], perfect=True)
    assert is_loop(p, c_loop)
    assert [l.name() for l in get_enclosing_loops(p, c_loop)] == ["j", "ii", "io"]
    assert isinstance(get_top_level_stmt(p, c_loop), ForCursor)
    p2 = insert_pass(conv, conv.find_loop("i").before())
    pass_c = p2.find("pass")
    p3 = delete_pass(p2)
    assert is_invalid(p3, pass_c)
