"""Cases where an earlier version refused or printed differently from Exo 1.0.

Every expected text here was compared with what Exo 1.0 prints for the same
schedule (differences we keep on purpose are listed in docs/porting.md).
"""

from __future__ import annotations

from exo_core import proc
from exo_stdlib.scheduling import divide_loop, fission, fuse

from tests.core.primitives.equivalence import assert_equivalent


def _text(p) -> str:
    return str(p).rstrip("\n")


@proc
def two_writes(n: size, x: i8[n], y: i8[n]):
    for i in seq(0, n):
        x[i] = 1.0
        y[i] = 2.0


def test_fission_then_fuse_round_trips():
    p = fission(two_writes, two_writes.find("x[_] = _").after())
    p = fuse(p, p.find_loop("i"), p.find_loop("i #1"))
    assert _text(p) == _text(two_writes)
    assert_equivalent(two_writes, p, n=5)


@proc
def shaped(n: size, x: i8[n, n]):
    for i in seq(0, n):
        a: i8[i + 1]
        for k in seq(0, i + 1):
            a[k] = 1.0
    for j in seq(0, n):
        b: i8[j + 1]
        for k in seq(0, j + 1):
            b[k] = 2.0
            x[j, k] = b[k]


def test_fuse_rewrites_allocation_shapes():
    # Exo 1.0 prints `b: i8[j + 1]` here, leaving j unbound (see porting.md).
    p = fuse(shaped, shaped.find_loop("i"), shaped.find_loop("j"))
    assert _text(p) == """\
def shaped(n: size, x: i8[n, n] @ DRAM):
    for i in seq(0, n):
        a: i8[i + 1] @ DRAM
        for k in seq(0, i + 1):
            a[k] = 1.0
        b: i8[i + 1] @ DRAM
        for k in seq(0, i + 1):
            b[k] = 2.0
            x[i, k] = b[k]"""
    assert_equivalent(shaped, p, n=4)


@proc
def one_loop(n: size, x: i8[n]):
    for i in seq(0, n):
        x[i] = 1.0


def test_divide_by_one_is_accepted():
    # Exo prints the unfolded `(n + 0) / 1` and `1 * io + ii` (see porting.md).
    for tail in ("guard", "cut", "cut_and_guard"):
        p = divide_loop(one_loop, one_loop.find_loop("i"), 1, ["io", "ii"], tail=tail)
        body = "if io + ii < n:\n                x[io + ii] = 1.0" if tail == "guard" \
            else "x[io + ii] = 1.0"
        assert _text(p) == ("def one_loop(n: size, x: i8[n] @ DRAM):\n"
                            "    for io in seq(0, n):\n"
                            "        for ii in seq(0, 1):\n"
                            f"            {body}")
        assert_equivalent(one_loop, p, n=3)


def test_divide_tail_index_in_exo_order():
    p = divide_loop(one_loop, one_loop.find_loop("i"), 4, ["io", "ii"], tail="cut")
    assert _text(p).endswith("""\
    for ii in seq(0, n % 4):
        x[ii + n / 4 * 4] = 1.0""")
