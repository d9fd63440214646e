"""inline_assign: goldens (as Exo 1.0 prints them), each refusal, cursor
forwarding, jit equivalence."""

from __future__ import annotations

import pytest

from exo_core import proc, SchedulingError
from exo_core.cursors import InvalidCursor
from exo_stdlib.scheduling import delete_buffer, inline_assign

from tests.core.primitives.equivalence import assert_equivalent


@proc
def g(n: size, x: f32[n], y: f32[n], z: f32[n]):
    for i in seq(0, n):
        a: f32
        a = x[i] * 2.0
        y[i] = a + 1.0
        z[i] = a * a
    for i in seq(0, n):
        d: f32
        d = x[i] * 2.0
        for j in seq(0, n):
            z[j] += d


def test_golden_forwarding_and_equivalence():
    assign, use, loop = g.find("a = _"), g.find("a + 1.0"), g.find_loop("i")
    p = inline_assign(g, assign)
    assert str(p) == (
        "def g(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM, z: f32[n] @ DRAM):\n"
        "    for i in seq(0, n):\n"
        "        a: f32 @ DRAM\n"
        "        y[i] = x[i] * 2.0 + 1.0\n"
        "        z[i] = x[i] * 2.0 * (x[i] * 2.0)\n"
        "    for i in seq(0, n):\n"
        "        d: f32 @ DRAM\n"
        "        d = x[i] * 2.0\n"
        "        for j in seq(0, n):\n"
        "            z[j] += d")
    assert isinstance(p.forward(assign), InvalidCursor)
    assert p.forward(use)._node() is p.find("x[i] * 2.0 + 1.0")._node()
    assert p.forward(loop)._node() is p.find_loop("i")._node()
    assert p.forward(use.lhs())._node().op == "*"  # the replaced read forwards to e
    # the allocation stays (as in Exo); unused, it is a C warning, so the jit
    # run deletes it first
    assert_equivalent(g, p, backend="interp", n=5)
    assert_equivalent(g, delete_buffer(p, p.find("a : _")), n=5)


def test_into_a_nested_loop():
    p = inline_assign(g, g.find("d = _"))
    assert "        d: f32 @ DRAM\n        for j in seq(0, n):\n            z[j] += x[i] * 2.0" \
        in str(p)
    assert_equivalent(g, p, backend="interp", n=5)


@proc
def bad(n: size, x: f32[n], y: f32[n], z: f32[n]):
    for i in seq(0, n):
        b: f32
        b = x[i] * 2.0
        y[i] = b
        b = 3.0
        z[i] = b
    for i in seq(0, n):
        c: f32
        c = x[i] * 2.0
        x[i] = 0.0
        z[i] = c
    for i in seq(0, n):
        z[i] = x[i]
        y[i] = z[i]
    for i in seq(0, n):
        f: f32[2]
        f[0] = x[i]
        y[i] = f[0] + f[1]
    e: f32
    e = 0.0
    for i in seq(0, n):
        y[i] = e
        e = x[i]
        z[i] = e
    for i in seq(0, n):
        h: f32
        h = x[i]
        for j in seq(0, n):
            y[j] = h
            x[j] = 1.0


def test_refused_when_the_buffer_is_written_afterwards():
    with pytest.raises(SchedulingError, match=r"inline_assign: cannot inline b = x\[i\] \* 2.0: "
                                              r"b is written afterwards, at line \d+ \(b = 3.0\)"):
        inline_assign(bad, bad.find("b = x[i] * 2.0"))


def test_refused_when_the_right_hand_side_changes_before_a_use():
    with pytest.raises(SchedulingError, match=r"x is written at line \d+ \(x\[i\] = 0.0\) "
                                              "before a later use"):
        inline_assign(bad, bad.find("c = _"))
    with pytest.raises(SchedulingError, match="the loop over j at line .* writes x"):
        inline_assign(bad, bad.find("h = _"))


def test_refused_for_an_argument():
    with pytest.raises(SchedulingError, match="z is an argument of bad, whose value stays visible"):
        inline_assign(bad, bad.find("z[i] = x[i]"))


def test_refused_for_a_read_of_another_element():
    with pytest.raises(SchedulingError, match=r"f is read at another index \(f\[1\]\)"):
        inline_assign(bad, bad.find("f[0] = _"))


def test_refused_when_an_earlier_read_may_see_the_assignment():
    with pytest.raises(SchedulingError, match=r"e is also read at line \d+ \(y\[i\] = e\), which "
                                              "may see the assignment"):
        inline_assign(bad, bad.find("e = x[i]"))


def test_refused_for_windows_and_calls():
    @proc
    def rd(a: f32, b: f32[1]):
        b[0] = a

    @proc
    def h(x: f32[4], y: f32[4]):
        a: f32
        a = x[0]
        rd(a, y[1:2])
        w: f32[2]
        w[0] = x[1]
        ww = w[0:1]
        y[0] = w[0]
    with pytest.raises(SchedulingError, match="a is passed to a call"):
        inline_assign(h, h.find("a = _"))
    with pytest.raises(SchedulingError, match="a window of w is taken"):
        inline_assign(h, h.find("w[0] = _"))


def test_needs_an_assignment():
    with pytest.raises(TypeError, match="expected a Assign cursor, got a Alloc cursor"):
        inline_assign(g, g.find("a : _"))
