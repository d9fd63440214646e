"""insert_noop_call: golden (as Exo 1.0 prints it), forwarding,
equivalence, and each refusal (the new call must be a valid call; Exo 1.0
accepts invalid ones)."""

from __future__ import annotations

import pytest

from exo_core import instr, proc, SchedulingError
from exo_core.errors import ParseFragmentError
from exo_stdlib.scheduling import FormattedExprStr, insert_noop_call

from tests.core.primitives.equivalence import assert_equivalent


@instr("prefetch({x_data});")
def pf(n: size, x: [f32][n]):
    pass


@instr("doit({x_data});")
def doit(x: [f32][4]):
    x[0] = 1.0


@proc
def foo(n: size, x: f32[n]):
    assert n > 4
    for i in seq(0, n):
        x[i] = 1.0


def test_insert_noop_call_golden_forwarding_and_equivalence():
    keep = foo.find("x[_] = _")
    p = insert_noop_call(foo, foo.find_loop("i").before(), pf, ["4", "x[0:4]"])
    assert str(p) == ("def foo(n: size, x: f32[n] @ DRAM):\n"
                      "    assert n > 4\n"
                      "    pf(4, x[0:4])\n"
                      "    for i in seq(0, n):\n"
                      "        x[i] = 1.0")
    assert p.forward(keep)._node() is keep._node()
    q = insert_noop_call(foo, keep.before(), pf, ["n - i", "x[i:n]"])
    assert "        pf(n - i, x[i:n])\n        x[i] = 1.0" in str(q)
    r = insert_noop_call(foo, keep.before(), pf,
                         [FormattedExprStr("_", foo.find_loop("i").hi()), "x"])
    assert "        pf(n, x)\n" in str(r)
    assert_equivalent(foo, q, n=6, backend="interp")


def test_insert_noop_call_refusals():
    g = foo.find_loop("i").before()
    with pytest.raises(SchedulingError, match="its body is not just pass"):
        insert_noop_call(foo, g, doit, ["x[0:4]"])
    with pytest.raises(SchedulingError, match="pf takes 2 arguments but 1 were given"):
        insert_noop_call(foo, g, pf, ["n"])
    with pytest.raises(SchedulingError, match="window x.0:8. has extent 8 but pf's parameter x "
                                              "expects 4"):
        insert_noop_call(foo, g, pf, ["4", "x[0:8]"])
    with pytest.raises(SchedulingError, match="would not be valid here: window x.0:4. has "
                                              "extent 4 but pf's parameter x expects n"):
        insert_noop_call(foo, g, pf, ["n", "x[0:4]"])
    with pytest.raises(SchedulingError, match="may extend past the end of x"):
        insert_noop_call(foo, g, pf, ["n", "x[1:n + 1]"])
    with pytest.raises(ParseFragmentError, match="cannot parse the expression 'x.0:'"):
        insert_noop_call(foo, g, pf, ["n", "x[0:"])
    with pytest.raises(ParseFragmentError, match="m is not a variable visible here"):
        insert_noop_call(foo, g, pf, ["m", "x[0:4]"])
    with pytest.raises(ParseFragmentError, match="i is not a variable visible here"):
        insert_noop_call(foo, g, pf, ["n - i", "x[i:n]"])
    with pytest.raises(TypeError, match="args must be a list"):
        insert_noop_call(foo, g, pf, "n")
    with pytest.raises(TypeError, match="instr must be a procedure"):
        insert_noop_call(foo, g, "pf", ["n", "x"])
    with pytest.raises(TypeError, match="gap_cursor: expected a gap"):
        insert_noop_call(foo, foo.find_loop("i"), pf, ["n", "x"])
