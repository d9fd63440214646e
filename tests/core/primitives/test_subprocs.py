"""inline, call_eqv, extract_subproc, make_instr: goldens (the reference's
examples among them), equivalence of the results, and the refusals."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_core.ir.equal import proc_equal
from exo_codegen.platforms.neon import neon_vld_4xf32
from exo_stdlib.scheduling import (call_eqv, divide_loop, extract_subproc, inline, make_instr,
                                   rename, replace)

from tests.seed_examples import NEON_EXAMPLES
from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.scope_golden import check_golden


@proc
def axpy(n: size, a: f32, x: [f32][n], y: [f32][n]):
    assert n >= 2
    for i in seq(0, n):
        t: f32
        t = a * x[i]
        y[i] += t


@proc
def two_calls(m: size, b: f32, x: f32[m, 8], y: f32[m, 8]):
    for r in seq(0, m):
        axpy(8, b, x[r, 0:8], y[r, 0:8])
        axpy(4, b, x[r, 2:6], y[r, 4:8])


@proc
def doc_foo(N: size, M: size, K: size, x: f32[N, K + M]):
    assert N >= 8
    for i in seq(0, 8):
        x[i, 0] += 2.0


@proc
def uses_outer(n: size, m: size, unused: size, x: f32[n, 4], y: f32[4], z: f32[m]):
    assert m >= 4
    for i in seq(0, n):
        t: f32[4]
        for k in seq(2, 6):
            w = x[i, 0:4]
            for j in seq(0, 4):
                t[j] = w[j] + z[k - 2]
                y[j] += t[j]


# --------------------------------------------------------------------------
# inline


def test_inline_binds_windows_and_substitutes_values():
    p = inline(two_calls, "axpy(_)")
    p = inline(p, "axpy(_)")
    check_golden("inline_two_calls", p)
    assert_equivalent(two_calls, p, m=3)


def test_inline_a_buffer_element_passed_as_a_scalar():
    @proc
    def scale(a: f32, x: [f32][4]):
        for i in seq(0, 4):
            x[i] = a * x[i]
        a = 0.0

    @proc
    def caller(c: f32[3], x: f32[4]):
        scale(c[1], x[0:4])

    p = inline(caller, "scale(_)")
    assert "x_1[i] = c[1] * x_1[i]" in str(p)
    assert "c[1] = 0.0" in str(p)
    assert_equivalent(caller, p)


def test_inline_of_an_instruction_gives_its_semantics():
    axpy_c = make_instr(rename(axpy, "axpy_c"), "axpy_c({n}, {x_data}, {y_data});")
    p = call_eqv(two_calls, "axpy(_)", axpy_c)
    q = inline(p, "axpy_c(_)")
    assert "y_1[i] += t" in str(q)
    assert_equivalent(two_calls, q, m=2)


def test_inline_refuses_element_accesses_of_registers():
    # the semantics of an instruction on Neon registers would access them
    # element-wise, which no code can do (Exo accepts and fails at compile)
    p = replace(NEON_EXAMPLES["foo_before_replace"], "for j in _:_", neon_vld_4xf32)
    with pytest.raises(SchedulingError,
                       match=r"cannot inline neon_vld_4xf32: its body would access \w+ "
                             r"element-wise \(`\w+\[i\] = \w+\[i\]`\), but \w+ lives in "
                             r"Neon, which only instructions may access"):
        inline(p, "neon_vld_4xf32(_)")


def test_inline_needs_a_call():
    with pytest.raises(SchedulingError, match="expected a Call cursor, got a For cursor"):
        inline(two_calls, "for r in _:_")


# --------------------------------------------------------------------------
# call_eqv


def test_call_eqv_with_a_scheduled_version():
    fast = divide_loop(axpy, "i", 2, ["io", "ii"], tail="cut")
    p = call_eqv(two_calls, "axpy(_)", rename(fast, "axpy_div"))
    check_golden("call_eqv_renamed", p)
    assert_equivalent(two_calls, p, m=2)
    # an instruction made from the procedure is equivalent too
    q = call_eqv(two_calls, "axpy(_)",
                 make_instr(rename(axpy, "axpy_c"), "axpy_c({n}, {x_data}, {y_data});"))
    assert q.find("axpy_c(_)")._node().f.instr is not None


def test_call_eqv_refuses_a_second_procedure_of_the_same_name():
    # the printed procedure would call two different procedures by one name
    # (Exo accepts the swap and refuses to compile: "multiple procs named axpy")
    instr_axpy = make_instr(axpy, "axpy_c({n}, {x_data}, {y_data});")
    with pytest.raises(SchedulingError,
                       match="call_eqv: the procedure already calls another procedure "
                             "named axpy; rename one of them"):
        call_eqv(two_calls, "axpy(_)", instr_axpy)


def test_call_eqv_refuses_an_unrelated_procedure():
    @proc
    def other(n: size, a: f32, x: [f32][n], y: [f32][n]):
        assert n >= 2
        for i in seq(0, n):
            y[i] += a * x[i]

    with pytest.raises(SchedulingError, match="axpy and other are not equivalent"):
        call_eqv(two_calls, "axpy(_)", other)


def test_call_eqv_argument_kinds():
    with pytest.raises(SchedulingError, match="eqv_proc must be a procedure"):
        call_eqv(two_calls, "axpy(_)", "axpy")


# --------------------------------------------------------------------------
# extract_subproc


def test_extract_subproc_reference_example():
    p, sub = extract_subproc(doc_foo, "for i in _:_", "sub_foo")
    check_golden("extract_subproc_doc", p)
    check_golden("extract_subproc_doc_sub", sub)
    p2, sub2 = extract_subproc(doc_foo, "for i in _:_", "sub_foo", include_asserts=False)
    assert str(sub2).splitlines()[1].strip().startswith("for i")
    assert_equivalent(doc_foo, p, N=9, M=1, K=2)


def test_extract_subproc_passes_outer_variables():
    p, sub = extract_subproc(uses_outer, "for j in _:_", "inner")
    check_golden("extract_subproc_outer", p)
    check_golden("extract_subproc_outer_sub", sub)
    assert_equivalent(uses_outer, p, n=3, m=5, unused=1)
    # inlining the extracted call gives the original back
    assert proc_equal(inline(p, "inner(_)")._root, uses_outer._root)


def test_extract_subproc_bad_name():
    with pytest.raises(SchedulingError, match="not a valid procedure name"):
        extract_subproc(doc_foo, "for i in _:_", "2bad")


# --------------------------------------------------------------------------
# make_instr


def test_make_instr():
    p = make_instr(axpy, "axpy_c({n}, {x_data}, {y_data});", "#include <axpy.h>")
    assert p.is_instr() and not axpy.is_instr()
    assert p.get_instr() == "axpy_c({n}, {x_data}, {y_data});"
    check_golden("make_instr_axpy", p)
    with pytest.raises(SchedulingError, match="c_instr must be a string"):
        make_instr(axpy, 3)
