"""The pattern language: parsing, matching, program order, #n, errors."""

from __future__ import annotations

import pytest

from exo_core import InvalidCursorError, ParseError, SchedulingError, proc
from exo_core.cursors import (AllocCursor, AssignCursor, BinOpCursor, BlockCursor,
                              ForCursor, IfCursor, LiteralCursor, ReadCursor,
                              StrideExprCursor, PassCursor)
from exo_core.cursors.pattern_parse import parse_pattern
from exo_core.cursors.patterns import PatternNotFoundError
from tests.seed_examples import bar, case_study_generic_conv1d as conv

N8 = 8


@proc
def mixed(n: size, x: f32[n] @ DRAM, z: [f32][n] @ DRAM):
    assert stride(z, 0) == 1
    a: i8
    a = 3.0
    b: f32[N8]
    for i in seq(0, n):
        x[i] = 2.0
        if i == 0:
            x[i] += -3.0
        x[i] = x[i] * 2.0
    for i in seq(0, N8):
        b[i] = 0.0
        pass
    for j in seq(0, n):
        z[j] = x[j] + 1.0


def test_loop_patterns_and_occurrences():
    first = mixed.find("for i in _:_")
    second = mixed.find("for i in _:_ #1")
    assert first != second and isinstance(second, ForCursor)
    assert second.hi().value() == 8
    assert mixed.find_loop("i #1") == second
    assert mixed.find_loop("i", many=True) == [first, second]
    assert mixed.find_all("for i in _:_") == [first, second]
    assert mixed.find("for i in seq(0, 8): _") == second
    assert mixed.find("for i in seq(0, n): _") == first
    assert mixed.find("for _ in _: _ #2").name() == "j"
    with pytest.raises(PatternNotFoundError, match="no match #2"):
        mixed.find("for i in _:_ #2")


def test_if_patterns():
    c = mixed.find("if _:_")
    assert isinstance(c, IfCursor)
    assert mixed.find("if i == 0:_") == c
    with pytest.raises(PatternNotFoundError):
        mixed.find("if i == 1:_")
    assert conv.find("if j + r < _: _\nelse: _") == conv.find("if _:_")


def test_alloc_patterns():
    a = mixed.find("a : _")
    assert isinstance(a, AllocCursor)
    assert mixed.find("a : i8") == a
    with pytest.raises(PatternNotFoundError):
        mixed.find("a : f32")
    b = mixed.find("b : f32[_]")
    assert b.name() == "b" and mixed.find("b : f32[8] @ DRAM") == b
    assert mixed.find("b : _ @ DRAM") == b
    with pytest.raises(PatternNotFoundError):
        mixed.find("a : i8[_]")


def test_assign_reduce_patterns():
    a = mixed.find("a = 3.0")
    assert isinstance(a, AssignCursor)
    assert mixed.find("a = _") == a
    # an index list left out matches any indices
    assert mixed.find("x = _").idx()[0].name() == "i"
    assert mixed.find("x[i] = x[i] * _") == mixed.find("x = _ #1")
    red = mixed.find("x += _")
    assert mixed.find("x[i] += -3.0") == red
    assert mixed.find("x[_] += -3") == red  # int literal matches equal float constant
    with pytest.raises(PatternNotFoundError):
        mixed.find("x[i, j] = _")
    y_assign = conv.find("y = data[_]")
    assert y_assign.rhs().name() == "data"


def test_statement_sequences_give_blocks():
    blk = mixed.find("a = _ ; b : _")
    assert isinstance(blk, BlockCursor) and len(blk) == 2
    assert blk[0] == mixed.find("a = _")
    blk2 = mixed.find("x = _\nif _: _")
    assert len(blk2) == 2
    # `_` inside a sequence skips any statements (lazily)
    blk3 = mixed.find("a : _ ; _ ; b : _")
    assert len(blk3) == 3
    tail = mixed.find("b[_] = _ ; _")  # a trailing hole takes the rest
    assert len(tail) == 2 and isinstance(tail[1], PassCursor)
    assert mixed.find("pass") == tail[1]


def test_expression_patterns():
    e = mixed.find("x[i] * 2.0")
    assert isinstance(e, BinOpCursor) and e.op() == "*"
    assert mixed.find("_ * _") == e
    assert mixed.find("x") == mixed.find("x[_]")
    assert isinstance(mixed.find("3.0"), LiteralCursor)
    assert mixed.find("-3.0").value() == -3.0
    assert mixed.find("_ + 1.0").rhs().value() == 1.0
    assert isinstance(conv.find("kernels[i, c, r]"), ReadCursor)
    assert conv.find("kernels[i, c, r] * y").rhs().name() == "y"
    with pytest.raises(PatternNotFoundError):
        conv.find("kernels[i, r, c]")


def test_stride_and_window_patterns():
    @proc
    def strided(n: size, x: [f32][n, n]):
        for i in seq(0, n):
            if stride(x, 0) == n:
                x[i, 0] = 0.0
    s = strided.find("stride(x, 0)")
    assert isinstance(s, StrideExprCursor) and s.name() == "x" and s.dim() == 0
    assert strided.find("stride(x, _)") == s
    w = bar.find("z[1, 10:13]")
    assert w.name() == "z"
    assert bar.find("z[_, _:_]") == w
    with pytest.raises(PatternNotFoundError):
        bar.find("z[10:13, 1]")


def test_program_order_is_preorder():
    # the outer loop's bound is searched before its body, statements before
    # what they contain, earlier statements before later ones
    reads = mixed.find("x[_]", many=True)
    paths = [r._loc.steps for r in reads]
    assert paths == sorted(paths, key=_preorder_key)
    loops = conv.find("for _ in _:_", many=True)
    assert [c.name() for c in loops] == ["i", "j", "c", "r"]


def _preorder_key(steps):
    order = {"lo": 0, "hi": 1, "cond": 0, "idx": 0, "lhs": 0, "rhs": 2, "body": 3,
             "orelse": 4, "arg": 0, "args": 0}
    return [(order[f], -1 if k is None else k) for f, k in steps]


def test_find_within_cursor():
    second = mixed.find_loop("i #1")
    assert second.find("b = _") == mixed.find("b = _")
    with pytest.raises(PatternNotFoundError, match="below the given cursor"):
        second.find("x = _")
    blk = mixed.body()[0:2]
    assert blk.find("a = _") == mixed.find("a = _")
    with pytest.raises(PatternNotFoundError):
        blk.find("b : _")
    assert mixed.find("x = _ #1").find("2.0") == mixed.find("x = _ #1").rhs().rhs()


def test_parse_cache_and_match_no():
    p1 = parse_pattern("for i in _:_ #2")
    assert p1 is parse_pattern("for i in _:_ #2")
    assert p1.match_no == 2 and p1.kind == "stmts"
    assert parse_pattern("x + 1").kind == "expr"
    assert parse_pattern("foo(_)").kind == "call"


@pytest.mark.parametrize("bad, why", [
    ("for i in", "bad pattern"),
    ("_", "matches everything"),
    ("_ ; _", "matches everything"),
    ("x #a", "match number"),
    ("while x: _", "not in object code"),
    ("x != 3", "not in object code"),
    ("x = 1 ; y", "cannot stand"),
    ("a : i8 = 3", "no initial value"),
    ("x -= 1", "only \\+= reductions"),
    ("'s'", "not a number"),
    ("", "empty"),
])
def test_malformed_patterns(bad, why):
    with pytest.raises(ParseError, match=why) as info:
        mixed.find(bad)
    # reported at the line of this test
    assert info.value.srcinfo.filename.endswith("test_patterns.py")


def test_pattern_type_is_checked():
    with pytest.raises(ParseError, match="must be a string"):
        mixed.find(3)


def test_not_found_error_is_both_kinds_and_names_proc():
    with pytest.raises(SchedulingError) as a:
        mixed.find("q = _")
    assert "mixed" in str(a.value) and "'q = _'" in str(a.value)
    assert a.value.srcinfo.filename.endswith("test_patterns.py")
    with pytest.raises(InvalidCursorError):
        mixed.find("q = _", many=True)
