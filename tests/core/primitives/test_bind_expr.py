"""bind_expr: goldens (as Exo 1.0 prints them, up to the new buffer's
precision), each refusal, cursor forwarding, jit equivalence."""

from __future__ import annotations

import pytest

from exo_core import proc, SchedulingError
from exo_core.cursors import InvalidCursor
from exo_stdlib.scheduling import bind_expr

from tests.core.primitives.equivalence import assert_equivalent


@proc
def foo(n: size, x: f32[n], y: f32[n], a: f32[n]):
    for i in seq(0, n):
        a[i] = 32.0 * x[i] + 4.0
        y[i] = 32.0 * x[i] + a[i]
        x[i] = 2.0
        y[i] = 32.0 * x[i]


HEAD = "def foo(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM, a: f32[n] @ DRAM):\n"


def test_bind_one_expression_golden_and_equivalence():
    p = bind_expr(foo, foo.find("32.0 * x[i]"), "b")
    assert str(p) == HEAD + (
        "    for i in seq(0, n):\n"
        "        b: f32 @ DRAM\n"
        "        b = 32.0 * x[i]\n"
        "        a[i] = b + 4.0\n"
        "        y[i] = 32.0 * x[i] + a[i]\n"
        "        x[i] = 2.0\n"
        "        y[i] = 32.0 * x[i]")
    assert_equivalent(foo, p, n=6)


def test_a_pattern_binds_its_first_match():
    assert str(bind_expr(foo, "32.0 * x[i]", "b")) == str(
        bind_expr(foo, foo.find("32.0 * x[i]"), "b"))


def test_several_cursors_are_one_binding_cse():
    cs = foo.find("32.0 * x[i]", many=True)
    p = bind_expr(foo, cs[:2], "b")
    assert str(p) == HEAD + (
        "    for i in seq(0, n):\n"
        "        b: f32 @ DRAM\n"
        "        b = 32.0 * x[i]\n"
        "        a[i] = b + 4.0\n"
        "        y[i] = b + a[i]\n"
        "        x[i] = 2.0\n"
        "        y[i] = 32.0 * x[i]")
    assert_equivalent(foo, p, n=6)


def test_cursors_to_other_expressions_are_left_alone():
    p = bind_expr(foo, [foo.find("32.0 * x[i]"), foo.find("a[i]")], "b")
    assert str(p) == str(bind_expr(foo, foo.find("32.0 * x[i]"), "b"))


def test_forwarding():
    cs = foo.find("32.0 * x[i]", many=True)
    loop, last = foo.find_loop("i"), foo.find("y[i] = _ #1")
    p = bind_expr(foo, cs[:2], "b")
    assert p.forward(loop)._node() is p.find_loop("i")._node()
    assert p.forward(last)._node() is last._node()  # untouched statement, shared
    b = p.find("b = _")
    for c in cs[:2]:  # a bound occurrence forwards to the read of the new buffer (as in Exo)
        read = p.forward(c)._node()
        assert read.name is b._node().name and read.idx == ()
    assert isinstance(p.forward(cs[0].lhs()), InvalidCursor)
    assert p.forward(cs[2])._node() is cs[2]._node()


@proc
def spread(n: size, x: f32[n], y: f32[n], a: f32[n]):
    assert n > 4
    y[0] = x[0] * 2.0
    for j in seq(0, n):
        a[j] = x[0] * 2.0 + y[j]
        if j > 2:
            a[j] += x[0] * 2.0
    for j in seq(0, n):
        a[j] = x[3] * 2.0
    y[3] = x[3] * 2.0


def test_binding_goes_into_the_innermost_block_holding_every_occurrence():
    cs = spread.find("x[0] * 2.0", many=True)
    p = bind_expr(spread, cs, "b")
    assert str(p).split("\n")[2:11] == [
        "    b: f32 @ DRAM",
        "    b = x[0] * 2.0",
        "    y[0] = b",
        "    for j in seq(0, n):",
        "        a[j] = b + y[j]",
        "        if j > 2:",
        "            a[j] += b",
        "    for j in seq(0, n):",
        "        a[j] = x[3] * 2.0"]
    assert_equivalent(spread, p, n=6)
    q = bind_expr(spread, cs[1:], "b")
    assert "    for j in seq(0, n):\n        b: f32 @ DRAM\n        b = x[0] * 2.0\n" \
           "        a[j] = b + y[j]\n        if j > 2:\n            a[j] += b" in str(q)
    r = bind_expr(spread, cs[2:], "b")
    assert "        if j > 2:\n            b: f32 @ DRAM\n            b = x[0] * 2.0\n" \
           "            a[j] += b" in str(r)
    assert_equivalent(spread, r, n=6)


def test_binding_hoisted_out_of_a_loop():
    p = bind_expr(spread, spread.find("x[3] * 2.0", many=True), "b")
    assert "    b: f32 @ DRAM\n    b = x[3] * 2.0\n    for j in seq(0, n):\n" \
           "        a[j] = b\n    y[3] = b" in str(p)
    assert_equivalent(spread, p, n=6)


def test_hoisted_read_out_of_bounds_refused():
    @proc
    def g(n: size, x: f32[n], y: f32[n]):
        for j in seq(0, n):
            if j > 0:
                y[j] = x[j - 1] * 2.0
            if j > 1:
                y[j] += x[j - 1] * 2.0
    with pytest.raises(SchedulingError, match=r"bind_expr: binding x\[j - 1\] \* 2.0 before the "
                       r"statement holding every occurrence would read out of bounds: .*"
                       r"index j - 1 of x may be out of bounds"):
        bind_expr(g, g.find("x[j - 1] * 2.0", many=True), "b")
    p = bind_expr(g, g.find("x[j - 1] * 2.0", many=True)[1:], "b")  # inside the if: fine
    assert "        if j > 1:\n            b: f32 @ DRAM\n            b = x[j - 1] * 2.0\n" in str(p)


def test_refused_when_a_buffer_of_the_expression_is_written_in_between():
    with pytest.raises(SchedulingError, match=r"bind_expr: cannot bind every occurrence of "
                       r"32.0 \* x\[i\]: x is written at line \d+ \(x\[i\] = 2.0\) before "
                       "a later use"):
        bind_expr(foo, foo.find("32.0 * x[i]", many=True), "b")


def test_refused_when_a_loop_writes_the_buffer():
    @proc
    def g(n: size, x: f32[n], y: f32[n], a: f32[n]):
        y[0] = x[0] * 2.0
        for j in seq(0, n):
            a[j] = x[0] * 2.0 + y[j]
            x[j] = 1.0
    with pytest.raises(SchedulingError, match="the loop over j at line .* writes x, so a later "
                                              "iteration may see a different value"):
        bind_expr(g, g.find("x[0] * 2.0", many=True), "b")


def test_refused_when_an_occurrence_comes_first():
    with pytest.raises(SchedulingError, match="an occurrence comes before the first cursor's"):
        bind_expr(foo, list(reversed(foo.find("32.0 * x[i]", many=True)[:2])), "b")


def test_writes_through_windows_and_callees_count():
    @proc
    def sub(a: f32[1]):
        a[0] = 1.0

    @proc
    def g(n: size, x: f32[n], y: f32[n]):
        assert n > 4
        for i in seq(0, n):
            y[i] = x[i] * 2.0
            xw = x[i:n]
            xw[0] = 3.0
            y[i] += x[i] * 2.0
        y[4] = x[4] * 3.0
        sub(x[4:5])
        y[4] += x[4] * 3.0
    with pytest.raises(SchedulingError, match=r"x \(through xw\) is written"):
        bind_expr(g, g.find("x[i] * 2.0", many=True), "b")
    with pytest.raises(SchedulingError, match=r"x is written at line \d+ \(sub\(x\[4:5\]\)\)"):
        bind_expr(g, g.find("x[4] * 3.0", many=True), "b")


def test_call_argument_the_callee_writes_is_refused():
    @proc
    def sub(a: f32):
        a = 1.0

    @proc
    def rd(a: f32, b: f32[1]):
        b[0] = a

    @proc
    def g(y: f32[1]):
        c: f32
        c = 1.0
        rd(c, y)
        sub(c)
    p = bind_expr(g, g.find("rd(_)").args()[0], "b")
    assert "    b: f32 @ DRAM\n    b = c\n    rd(b, y)\n    sub(c)" in str(p)
    with pytest.raises(SchedulingError, match="cannot bind c: it is an argument of sub, which "
                                              "writes it"):
        bind_expr(g, g.find("sub(_)").args()[0], "b")


def test_argument_errors():
    with pytest.raises(TypeError, match=r"only numeric \(not index or size\) expressions can be "
                                        "bound by bind_expr"):
        bind_expr(foo, foo.find("i"), "b")
    with pytest.raises(TypeError, match="'1b' is not a valid variable name"):
        bind_expr(foo, foo.find("32.0 * x[i]"), "1b")
    with pytest.raises(ValueError, match="the name a is already used here"):
        bind_expr(foo, foo.find("32.0 * x[i]"), "a")
    with pytest.raises(ValueError, match="must hold at least one expression"):
        bind_expr(foo, [], "b")
    with pytest.raises(TypeError, match="expected an expression, got a Assign cursor"):
        bind_expr(foo, foo.find("y[i] = _"), "b")
