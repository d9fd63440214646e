"""Cases where an earlier version refused or printed differently from Exo 1.0.

Every expected text here was compared with what Exo 1.0 prints for the same
schedule (differences we keep on purpose are listed in docs/porting.md).
"""

from __future__ import annotations

import pytest

from exo_codegen.errors import CodegenError
from exo_core import ExoTypeError, SchedulingError, compile_procs_to_strings, config, proc
from exo_stdlib.scheduling import divide_loop, fission, fuse, shift_loop, simplify

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


# --- windows passed to tensor parameters --------------------------------------

@proc
def take1(x: i8[1]):
    x[0] = 1.0


@proc
def take4(x: i8[4]):
    x[0] = 1.0


def test_window_to_tensor_parameter_is_accepted():
    @proc
    def caller(n: size, tmp: i8[n], m: i8[2, 4], y: [i8][4]):
        for i in seq(0, n):
            take1(tmp[i:i + 1])
        take4(m[1])
        take4(y)
        w = m[0, 0:4]
        take4(w)

    assert _text(caller) == """\
def caller(n: size, tmp: i8[n] @ DRAM, m: i8[2, 4] @ DRAM, y: [i8][4] @ DRAM):
    for i in seq(0, n):
        take1(tmp[i:i + 1])
    take4(m[1, 0:4])
    take4(y)
    w = m[0, 0:4]
    take4(w)"""


def test_window_to_tensor_parameter_still_checks_shapes_and_bounds():
    with pytest.raises(ExoTypeError, match="window tmp\\[0:3\\] has extent 3 but take4's "
                                           "parameter x expects 4"):
        @proc
        def short(tmp: i8[8]):
            take4(tmp[0:3])
    with pytest.raises(ExoTypeError, match="may extend past the end of tmp"):
        @proc
        def past_end(n: size, tmp: i8[n]):
            for i in seq(0, n):
                take1(tmp[i + 1:i + 2])


def test_window_to_tensor_parameter_is_refused_by_code_generation():
    @proc
    def caller(n: size, tmp: i8[n]):
        for i in seq(0, n):
            take1(tmp[i:i + 1])

    with pytest.raises(CodegenError, match="cannot pass a window to x, a tensor parameter"):
        compile_procs_to_strings([caller], "t.h")


# --- error classes -----------------------------------------------------------

def test_aliased_arguments_error_is_a_scheduling_error_as_in_exo():
    with pytest.raises(SchedulingError, match="must not alias"):
        @proc
        def alias(n: size, z: i8[n]):
            two_writes(n, z, z)


# --- fuse: writes of one constant commute ------------------------------------

@config
class CFG:
    j: index


@proc
def both_set_cfg(n: size, x: i8[n]):
    for i in seq(0, n):
        CFG.j = 0
        x[i] = 1.0
    for k in seq(0, n):
        CFG.j = 0
        x[k] = 2.0


@proc
def cfg_differs(n: size, x: i8[n]):
    for i in seq(0, n):
        CFG.j = 0
        if CFG.j == 0:
            x[i] = 1.0
    for k in seq(0, n):
        CFG.j = 1
        x[k] = 2.0


def test_fuse_loops_writing_one_constant_to_a_config_field():
    p = fuse(both_set_cfg, both_set_cfg.find_loop("i"), both_set_cfg.find_loop("k"))
    assert _text(p) == """\
def both_set_cfg(n: size, x: i8[n] @ DRAM):
    for i in seq(0, n):
        CFG.j = 0
        x[i] = 1.0
        CFG.j = 0
        x[i] = 2.0"""
    assert_equivalent(both_set_cfg, p, n=3)


def test_fuse_still_refuses_different_values_that_are_read():
    # the first loop reads CFG.j after writing it: in the fused loop it would
    # read the 1 of the previous iteration's second statement
    with pytest.raises(SchedulingError, match="fusing the loops would reorder them"):
        fuse(cfg_differs, cfg_differs.find_loop("i"), cfg_differs.find_loop("k"))


# --- simplify prints Exo's term order ----------------------------------------

@proc
def index_forms(n: size, m: size, x: i8[100, 100], y: i8[400]):
    assert n < 10
    assert m < 10
    for i in seq(0, 4):
        for j in seq(0, 4):
            x[i - n + 20, 40 + j - 4 * m] = 1.0
            x[30 - 4 * i + j - n, 30 - 2 * j - 3 * i] = 1.0
            x[m - n + 20, n - m + 20] = 1.0
            x[j - i + 20, i + 2 * j - n + 10] = 1.0
            x[50 - j - i, 90 - 4 * m - 3 * n] = 1.0
            y[(4 * i + j) / 4 + 2 * n] = 1.0
            y[(4 * i + j) % 4 + 3 * m + (n + j) / 2] = 1.0
            y[200 - (4 * i + j) / 4 - n - (m + i) % 3] = 1.0


def test_simplify_term_order_is_exos():
    # Exo 1.0's simplify prints exactly these indices
    assert _text(simplify(index_forms)).splitlines()[5:] == [
        "            x[20 - n + i, 40 - 4 * m + j] = 1.0",
        "            x[30 - 4 * i - n + j, 30 - 3 * i - 2 * j] = 1.0",
        "            x[20 - n + m, 20 - m + n] = 1.0",
        "            x[20 - i + j, 10 - n + i + 2 * j] = 1.0",
        "            x[50 - i - j, 90 - 4 * m - 3 * n] = 1.0",
        "            y[i + 2 * n] = 1.0",
        "            y[j + 3 * m + (j + n) / 2] = 1.0",
        "            y[200 - i - n - (i + m) % 3] = 1.0",
    ]


@proc
def shifted_by_n(n: size, x: i8[n + 8]):
    for i in seq(0, 4):
        x[i] = 1.0


def test_shift_loop_then_simplify_matches_exo():
    p = simplify(shift_loop(shifted_by_n, shifted_by_n.find_loop("i"), "n + 2"))
    assert _text(p) == """\
def shifted_by_n(n: size, x: i8[n + 8] @ DRAM):
    for i in seq(2 + n, 6 + n):
        x[-2 - n + i] = 1.0"""
    assert_equivalent(shifted_by_n, p, n=3)


# --- fission of an if with an else --------------------------------------------

@proc
def if_else_in_loop(n: size, x: i8[n], y: i8[n]):
    for i in seq(0, n):
        if n > 3:
            x[i] = 1.0
            y[i] = 2.0
        else:
            x[i] = 3.0


def test_fission_puts_the_else_with_the_part_after_the_cut():
    # Exo 1.0 prints exactly this
    p = fission(if_else_in_loop, if_else_in_loop.find("x[_] = 1.0").after(), n_lifts=2)
    assert _text(p) == """\
def if_else_in_loop(n: size, x: i8[n] @ DRAM, y: i8[n] @ DRAM):
    for i in seq(0, n):
        if n > 3:
            x[i] = 1.0
    for i in seq(0, n):
        if n > 3:
            y[i] = 2.0
        else:
            x[i] = 3.0"""
    for n in (2, 5):
        assert_equivalent(if_else_in_loop, p, n=n)
    else_stmt = if_else_in_loop.find("x[_] = 3.0")
    assert p.forward(else_stmt)._loc == p.find("x[_] = 3.0")._loc  # cursors follow the else
    one = fission(if_else_in_loop, if_else_in_loop.find("x[_] = 1.0").after())
    assert _text(one).splitlines()[2:] == [
        "        if n > 3:",
        "            x[i] = 1.0",
        "        if n > 3:",
        "            y[i] = 2.0",
        "        else:",
        "            x[i] = 3.0",
    ]
    assert_equivalent(if_else_in_loop, one, n=2)


# --- fission at a gap inside an else branch -------------------------------------

@proc
def cut_in_else(n: size, x: i8[n], y: i8[n]):
    for i in seq(0, n):
        if i < 3:
            x[i] = 3.0
            y[i] = 4.0
        else:
            x[i] = 1.0
            y[i] = 2.0


def test_fission_in_an_else_branch_keeps_the_then_branch_first():
    # Exo 1.0 prints exactly these (the second if gets `pass` for its body)
    gap = cut_in_else.find("x[_] = 1.0").after()
    p = fission(cut_in_else, gap, n_lifts=2)
    assert _text(p) == """\
def cut_in_else(n: size, x: i8[n] @ DRAM, y: i8[n] @ DRAM):
    for i in seq(0, n):
        if i < 3:
            x[i] = 3.0
            y[i] = 4.0
        else:
            x[i] = 1.0
    for i in seq(0, n):
        if i < 3:
            pass
        else:
            y[i] = 2.0"""
    for n in (2, 5):
        assert_equivalent(cut_in_else, p, n=n)
    y2 = cut_in_else.find("y[_] = 2.0")
    assert p.forward(y2)._loc == p.find("y[_] = 2.0")._loc  # cursors follow the cut-off part
    assert p.forward(cut_in_else.find("y[_] = 4.0"))._loc == p.find("y[_] = 4.0")._loc
    one = fission(cut_in_else, gap)
    assert _text(one).splitlines()[2:] == [
        "        if i < 3:",
        "            x[i] = 3.0",
        "            y[i] = 4.0",
        "        else:",
        "            x[i] = 1.0",
        "        if i < 3:",
        "            pass",
        "        else:",
        "            y[i] = 2.0",
    ]
    assert_equivalent(cut_in_else, one, n=5)


@proc
def cut_in_elif(n: size, x: i8[n], y: i8[n]):
    for i in seq(0, n):
        if i < 5:
            x[i] = 3.0
        elif i < 8:
            x[i] = 1.0
            y[i] = 2.0
        else:
            x[i] = 0.0


def test_fission_in_an_elif_lifts_through_both_ifs():
    # Exo 1.0 prints exactly this
    p = fission(cut_in_elif, cut_in_elif.find("x[_] = 1.0").after(), n_lifts=3)
    assert _text(p) == """\
def cut_in_elif(n: size, x: i8[n] @ DRAM, y: i8[n] @ DRAM):
    for i in seq(0, n):
        if i < 5:
            x[i] = 3.0
        else:
            if i < 8:
                x[i] = 1.0
    for i in seq(0, n):
        if i < 5:
            pass
        else:
            if i < 8:
                y[i] = 2.0
            else:
                x[i] = 0.0"""
    for n in (4, 7, 10):
        assert_equivalent(cut_in_elif, p, n=n)


@proc
def else_reads_later_iteration(n: size, x: i8[n], y: i8[n]):
    for i in seq(0, n):
        if i < 3:
            x[i] = 3.0
        else:
            x[i] = 1.0
            y[i] = x[n - 1 - i]


@proc
def else_writes_the_condition(n: size, x: i8[n]):
    assert n >= 2
    if CFG.j < 3:
        x[0] = 3.0
    else:
        CFG.j = 5
        x[1] = 1.0


def test_fission_in_an_else_branch_is_checked():
    with pytest.raises(SchedulingError, match="fission would reorder them"):
        fission(else_reads_later_iteration,
                else_reads_later_iteration.find("x[_] = 1.0").after(), n_lifts=2)
    with pytest.raises(SchedulingError, match="the if condition reads a configuration field"):
        fission(else_writes_the_condition, else_writes_the_condition.find("CFG.j = _").after())
