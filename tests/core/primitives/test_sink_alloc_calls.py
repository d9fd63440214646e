"""sink_alloc into a loop whose body uses the buffer through window
statements and calls: accepted exactly when no iteration can read a value an
earlier iteration left (`exo_core.analysis.exposed_reads`). Exo 1.0 accepts
every case here (it does not check carried values); where it is right, our
print equals its print, and where it is wrong the refusal says which read
sees which write (docs/porting.md)."""

from __future__ import annotations

import re

import pytest

from exo_core import DRAM, SchedulingError, proc
from exo_stdlib.scheduling import sink_alloc

from tests.core.primitives.equivalence import assert_equivalent


@proc
def add4(x: [f32][4], y: [f32][4]):
    for i in seq(0, 4):
        y[i] += x[i]


@proc
def add4t(x: f32[4], y: f32[4]):
    for i in seq(0, 4):
        y[i] += x[i]


@proc
def zero4(x: [f32][4]):
    for i in seq(0, 4):
        x[i] = 0.0


@proc
def copy4(x: [f32][4], y: [f32][4]):
    for i in seq(0, 4):
        x[i] = y[i]


@proc
def fill_then_use(x: [f32][4], y: [f32][4]):
    # writes all of x before it reads x
    for i in seq(0, 4):
        x[i] = y[i]
    for i in seq(0, 4):
        y[i] += x[i]


@proc
def use_then_fill(x: [f32][4], y: [f32][4]):
    # reads x before it writes x
    for i in seq(0, 4):
        y[i] += x[i]
    for i in seq(0, 4):
        x[i] = y[i]


@proc
def fill3_then_use(x: [f32][4], y: [f32][4]):
    # writes x[0:3], reads all of x, then writes x[3]: x[3] is read before
    # the call writes it
    for i in seq(0, 3):
        x[i] = y[i]
    for i in seq(0, 4):
        y[i] += x[i]
    x[3] = y[0]


@proc
def zero_then_add(x: [f32][4], y: [f32][4]):
    zero4(x)
    add4(x, y)


@proc
def set_to(a: f32, b: f32):
    a = b


def _sunk(p) -> str:
    return str(sink_alloc(p, "t : _"))


# -- accepted (as Exo 1.0, with the same print) -------------------------------


def test_written_by_assignments_then_read_by_calls():
    # each iteration writes t before the calls read it
    @proc
    def p(a: f32[8, 4], b: f32[4]):
        t: f32[4] @ DRAM
        for r in seq(0, 8):
            for i in seq(0, 4):
                t[i] = a[r, i]
            add4(t[0:4], a[r, 0:4])
            add4t(t, b)

    q = sink_alloc(p, "t : _")
    assert str(q) == (
        "def p(a: f32[8, 4] @ DRAM, b: f32[4] @ DRAM):\n"
        "    for r in seq(0, 8):\n"
        "        t: f32[4] @ DRAM\n"
        "        for i in seq(0, 4):\n"
        "            t[i] = a[r, i]\n"
        "        add4(t[0:4], a[r, 0:4])\n"
        "        add4t(t, b)")
    assert_equivalent(p, q)


def test_through_a_window_statement():
    @proc
    def p(a: f32[8, 4]):
        t: f32[4] @ DRAM
        for r in seq(0, 8):
            w = t[0:4]
            for i in seq(0, 4):
                w[i] = a[r, i]
            for i in seq(0, 4):
                a[r, i] = w[i] * 2.0

    q = sink_alloc(p, "t : _")
    assert str(q) == (
        "def p(a: f32[8, 4] @ DRAM):\n"
        "    for r in seq(0, 8):\n"
        "        t: f32[4] @ DRAM\n"
        "        w = t[0:4]\n"
        "        for i in seq(0, 4):\n"
        "            w[i] = a[r, i]\n"
        "        for i in seq(0, 4):\n"
        "            a[r, i] = w[i] * 2.0")
    assert_equivalent(p, q)


def test_written_directly_read_through_a_window_of_a_row():
    @proc
    def p(a: f32[8, 4]):
        t: f32[2, 4] @ DRAM
        for r in seq(0, 8):
            w = t[1, 0:4]
            for i in seq(0, 4):
                t[1, i] = a[r, i]
            for i in seq(0, 4):
                a[r, i] = w[i] + 1.0

    q = sink_alloc(p, "t : _")
    assert str(q) == (
        "def p(a: f32[8, 4] @ DRAM):\n"
        "    for r in seq(0, 8):\n"
        "        t: f32[2, 4] @ DRAM\n"
        "        w = t[1, 0:4]\n"
        "        for i in seq(0, 4):\n"
        "            t[1, i] = a[r, i]\n"
        "        for i in seq(0, 4):\n"
        "            a[r, i] = w[i] + 1.0")
    assert_equivalent(p, q)


def test_written_by_a_call_then_read_by_a_call():
    @proc
    def p(a: f32[8, 4], b: f32[8, 4]):
        t: f32[4] @ DRAM
        for r in seq(0, 8):
            copy4(t[0:4], a[r, 0:4])
            add4(t, b[r, 0:4])

    q = sink_alloc(p, "t : _")
    assert str(q) == (
        "def p(a: f32[8, 4] @ DRAM, b: f32[8, 4] @ DRAM):\n"
        "    for r in seq(0, 8):\n"
        "        t: f32[4] @ DRAM\n"
        "        copy4(t[0:4], a[r, 0:4])\n"
        "        add4(t, b[r, 0:4])")
    assert_equivalent(p, q)


def test_callee_writes_the_window_before_reading_it():
    @proc
    def p(a: f32[8, 4]):
        t: f32[4] @ DRAM
        for r in seq(0, 8):
            fill_then_use(t[0:4], a[r, 0:4])

    q = sink_alloc(p, "t : _")
    assert str(q) == (
        "def p(a: f32[8, 4] @ DRAM):\n"
        "    for r in seq(0, 8):\n"
        "        t: f32[4] @ DRAM\n"
        "        fill_then_use(t[0:4], a[r, 0:4])")
    assert_equivalent(p, q)


def test_nested_calls_and_rows_written_in_a_loop():
    # zero_then_add defines x through its own call of zero4; each row of t is
    # written by a call in one loop and read by a call in the next
    @proc
    def p(a: f32[8, 4], b: f32[8, 4]):
        t: f32[2, 4] @ DRAM
        for r in seq(0, 8):
            zero_then_add(t[0, 0:4], a[r, 0:4])
            for k in seq(0, 2):
                copy4(t[k, 0:4], b[r, 0:4])
            for k in seq(0, 2):
                add4(t[k, 0:4], a[r, 0:4])

    q = sink_alloc(p, "t : _")
    assert str(q) == (
        "def p(a: f32[8, 4] @ DRAM, b: f32[8, 4] @ DRAM):\n"
        "    for r in seq(0, 8):\n"
        "        t: f32[2, 4] @ DRAM\n"
        "        zero_then_add(t[0, 0:4], a[r, 0:4])\n"
        "        for k in seq(0, 2):\n"
        "            copy4(t[k, 0:4], b[r, 0:4])\n"
        "        for k in seq(0, 2):\n"
        "            add4(t[k, 0:4], a[r, 0:4])")
    assert_equivalent(p, q)


def test_a_window_statement_passed_to_a_call():
    # (Exo 1.0 cannot pass `w` itself to a call; t[2:6] is the same window)
    @proc
    def p(a: f32[8, 4], b: f32[8, 4]):
        t: f32[8] @ DRAM
        for r in seq(0, 8):
            w = t[2:6]
            copy4(t[2:6], a[r, 0:4])
            for i in seq(0, 4):
                b[r, i] = w[i]

    q = sink_alloc(p, "t : _")
    assert str(q) == (
        "def p(a: f32[8, 4] @ DRAM, b: f32[8, 4] @ DRAM):\n"
        "    for r in seq(0, 8):\n"
        "        t: f32[8] @ DRAM\n"
        "        w = t[2:6]\n"
        "        copy4(t[2:6], a[r, 0:4])\n"
        "        for i in seq(0, 4):\n"
        "            b[r, i] = w[i]")
    assert_equivalent(p, q)

    @proc
    def p2(a: f32[8, 4], b: f32[8, 4]):
        t: f32[8] @ DRAM
        for r in seq(0, 8):
            w = t[2:6]
            copy4(w, a[r, 0:4])
            add4(w[0:4], b[r, 0:4])
    assert_equivalent(p2, sink_alloc(p2, "t : _"))


def test_a_scalar_written_by_a_call():
    @proc
    def p(a: f32[8, 4], s: f32):
        t: f32 @ DRAM
        for r in seq(0, 8):
            set_to(t, s)
            a[r, 1] = t + a[r, 0]

    q = sink_alloc(p, "t : _")
    assert str(q) == (
        "def p(a: f32[8, 4] @ DRAM, s: f32 @ DRAM):\n"
        "    for r in seq(0, 8):\n"
        "        t: f32 @ DRAM\n"
        "        set_to(t, s)\n"
        "        a[r, 1] = t + a[r, 0]")
    assert_equivalent(p, q)


def test_earlier_iterations_of_an_inner_loop_cover_a_read():
    @proc
    def p(a: f32[8, 4]):
        t: f32[4] @ DRAM
        for r in seq(0, 8):
            t[0] = a[r, 0]
            for i in seq(1, 4):
                t[i] = t[i - 1] + a[r, i]
            for i in seq(0, 4):
                a[r, i] = t[i]

    q = sink_alloc(p, "t : _")
    assert str(q) == (
        "def p(a: f32[8, 4] @ DRAM):\n"
        "    for r in seq(0, 8):\n"
        "        t: f32[4] @ DRAM\n"
        "        t[0] = a[r, 0]\n"
        "        for i in seq(1, 4):\n"
        "            t[i] = t[i - 1] + a[r, i]\n"
        "        for i in seq(0, 4):\n"
        "            a[r, i] = t[i]")
    assert_equivalent(p, q)


def test_a_location_no_iteration_writes():
    # t[3] is never written: every iteration reads the buffer's initial
    # contents there, before and after the rewrite (no value is carried)
    @proc
    def p(a: f32[8, 4]):
        t: f32[4] @ DRAM
        for r in seq(0, 8):
            for i in seq(0, 3):
                t[i] = 0.0
            add4(t, a[r, 0:4])

    q = sink_alloc(p, "t : _")
    assert str(q) == (
        "def p(a: f32[8, 4] @ DRAM):\n"
        "    for r in seq(0, 8):\n"
        "        t: f32[4] @ DRAM\n"
        "        for i in seq(0, 3):\n"
        "            t[i] = 0.0\n"
        "        add4(t, a[r, 0:4])")
    assert_equivalent(p, q, backend="interp")


# -- refused (Exo 1.0 accepts each; each changes what the loop computes) ------


@proc
def reduced_by_a_call(a: f32[8, 4]):
    t: f32[4] @ DRAM
    for r in seq(0, 8):
        add4(a[r, 0:4], t[0:4])


@proc
def callee_reads_first(a: f32[8, 4]):
    t: f32[4] @ DRAM
    for r in seq(0, 8):
        use_then_fill(t[0:4], a[r, 0:4])


@proc
def callee_writes_part_first(a: f32[8, 4]):
    t: f32[4] @ DRAM
    for r in seq(0, 8):
        fill3_then_use(t[0:4], a[r, 0:4])


@proc
def read_through_window_first(a: f32[8, 4]):
    t: f32[4] @ DRAM
    for r in seq(0, 8):
        w = t[0:4]
        for i in seq(0, 4):
            a[r, i] = w[i]
        for i in seq(0, 4):
            w[i] = a[r, i] * 2.0


@proc
def window_written_in_part_first(a: f32[8, 4]):
    t: f32[4] @ DRAM
    for r in seq(0, 8):
        w = t[0:4]
        for i in seq(0, 3):
            w[i] = a[r, i]
        for i in seq(0, 4):
            a[r, i] = w[i]
        w[3] = a[r, 0]


@proc
def read_through_window_before_a_call(a: f32[8, 4], b: f32[8, 4]):
    t: f32[8] @ DRAM
    for r in seq(0, 8):
        w = t[2:6]
        for i in seq(0, 4):
            b[r, i] = w[i]
        copy4(t[2:6], a[r, 0:4])


@proc
def written_by_a_call_once(a: f32[8, 4]):
    t: f32[4] @ DRAM
    for r in seq(0, 8):
        if r == 0:
            zero4(t)
        add4(t, a[r, 0:4])


@proc
def window_moves_with_the_iteration(a: f32[8, 4], b: f32[8, 4]):
    t: f32[12] @ DRAM
    for r in seq(0, 8):
        copy4(t[r:r + 4], a[r, 0:4])
        add4(t[0:4], b[r, 0:4])


@pytest.mark.parametrize("p, read, wrote", [  # lines after the def line
    (reduced_by_a_call, 3, 3),
    (callee_reads_first, 3, 3),
    (callee_writes_part_first, 3, 3),
    (read_through_window_first, 5, 7),
    (window_written_in_part_first, 7, 8),
    (read_through_window_before_a_call, 5, 6),
    (written_by_a_call_once, 5, 4),
    (window_moves_with_the_iteration, 4, 3),
])
def test_a_value_carried_across_iterations_is_refused(p, read, wrote):
    first = p.INTERNAL_proc().srcinfo.lineno
    # the witness: the read of a later iteration, the write of an earlier one
    with pytest.raises(SchedulingError, match=(
            f"iteration r = (\\d+) reads t \\(line {first + read}\\), which iteration (\\d+) "
            f"wrote \\(line {first + wrote}\\); in the loop each iteration would get a new "
            "buffer")) as e:
        sink_alloc(p, "t : _")
    later, earlier = map(int, re.search(r"r = (\d+) reads .* iteration (\d+) wrote",
                                        str(e.value)).groups())
    assert earlier < later


def test_a_value_carried_out_of_the_loop_is_refused():
    # Exo 1.0 refuses too (t is used after the loop)
    @proc
    def p(a: f32[8, 4]):
        t: f32[4] @ DRAM
        for i in seq(0, 4):
            t[i] = 0.0
        for r in seq(0, 8):
            add4(a[r, 0:4], t[0:4])
            for i in seq(0, 4):
                a[r, i] = t[i]

    with pytest.raises(SchedulingError, match="t is used after the scope"):
        sink_alloc(p, "t : _")
