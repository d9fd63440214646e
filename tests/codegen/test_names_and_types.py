"""C identifiers for object-code names, f16 and bool parameters, hand-built IR."""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import proc, f16, f32, size, index, compile_procs_to_strings
from exo_core import ir
from exo_core.ir.memory import DRAM
from exo_core.ir.prelude import Sym
from exo_core.ir.types import F32, INDEX, INT, R, TensorType
from exo_codegen.errors import CodegenError
from exo_codegen.jit import jit


def _c(v):
    return ir.Const(v, INT)


def test_shadowed_names_get_distinct_c_identifiers(cc):
    # for i in seq(0, 3): for i' in seq(0, 2): x[i, i'] = 1.0  (both named "i")
    x, i1, i2 = Sym("x"), Sym("i"), Sym("i")
    body = [ir.For(i1, _c(0), _c(3), [
        ir.For(i2, _c(0), _c(2), [
            ir.Assign(x, F32, [ir.Read(i1, (), INDEX), ir.Read(i2, (), INDEX)],
                      ir.Const(1.0, R))])])]
    p = ir.ProcIR("shadow", [ir.FnArg(x, TensorType(F32, [_c(3), _c(2)]), DRAM)], [], body)
    c_text, _ = compile_procs_to_strings([p], "shadow.h")
    assert "for (int_fast32_t i_1 = 0; i_1 < 2; i_1++) {" in c_text
    assert "x[i * 2 + i_1] = 1.0f;" in c_text
    arr = np.zeros((3, 2), np.float32)
    jit(p, cc=cc)(arr)
    assert (arr == 1).all()


def test_c_keywords_and_library_names_are_renamed(c_syntax_check):
    @proc
    def keywords(int: size, free: f32[int]):
        for double in seq(0, int):
            free[double] = 2.0

    c_text, h_text = compile_procs_to_strings([keywords], "kw.h")
    assert "void keywords(void *ctxt, int_fast32_t int_1, float* free_1)" in c_text
    assert "free_1[double_1] = 2.0f;" in c_text
    c_syntax_check(c_text, h_text, "kw.h")


def test_two_different_procs_with_one_name_are_refused():
    @proc
    def same(x: f32):
        x = 1.0

    first = same

    @proc
    def same(x: f32):
        x = 2.0

    with pytest.raises(CodegenError, match="two different procedures are both named same"):
        compile_procs_to_strings([first, same], "same.h")


def test_f16_buffers(cc):
    @proc
    def half(n: size, x: f16[n], y: f32[n]):
        for i in seq(0, n):
            x[i] = x[i] * 2.0 + 0.5
            y[i] = x[i]

    x = np.array([1, 2.5, -3], np.float16)
    y = np.zeros(3, np.float32)
    jit(half, cc=cc)(3, x, y)
    np.testing.assert_array_equal(x, np.array([2.5, 5.5, -5.5], np.float16))
    np.testing.assert_array_equal(y, [2.5, 5.5, -5.5])
    assert "x[i] = x[i] * ((_Float16) 2.0) + ((_Float16) 0.5);" in half.c_code_str()


def test_bool_parameter(cc):
    @proc
    def maybe(flag: bool, x: f32[2]):
        if flag:
            x[0] = 1.0
        else:
            x[1] = 1.0

    f = jit(maybe, cc=cc)
    a = np.zeros(2, np.float32)
    f(True, a)
    f(False, a)
    assert (a == 1).all()
    assert "void maybe(void *ctxt, bool flag, float* x)" in maybe.c_code_str()


def test_compile_procs_rejects_non_procedures():
    with pytest.raises(CodegenError, match="expected a procedure"):
        compile_procs_to_strings([42], "x.h")


def test_parallel_loop_gets_openmp_pragma(cc):
    x, i = Sym("x"), Sym("i")
    p = ir.ProcIR("par_fill", [ir.FnArg(x, TensorType(F32, [_c(64)]), DRAM)], [],
                  [ir.For(i, _c(0), _c(64), [
                      ir.Assign(x, F32, [ir.Read(i, (), INDEX)], ir.Const(2.0, R))], "par")])
    c_text, _ = compile_procs_to_strings([p], "par.h")
    assert "#pragma omp parallel for\n    for (int_fast32_t i = 0; i < 64; i++) {" in c_text
    arr = np.zeros(64, np.float32)
    jit(p, cc=cc)(arr)
    assert (arr == 2).all()
