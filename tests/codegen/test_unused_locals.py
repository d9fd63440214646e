"""A local no later statement reads (a scalar left after inline_assign, a
buffer only written, a window never used) would make the C compiler warn
(``-Wunused-variable``, ``-Wunused-but-set-variable``), and the jit builds
with ``-Werror``. Code generation marks such a local used right after its
declaration (``float t;`` ``(void)t;``); Exo 1.0 emits the same declaration
without the mark, and its C for these procedures fails ``-Wall -Werror``."""

from __future__ import annotations

import numpy as np
import pytest

import exo_stdlib.scheduling as S
from exo_core import DRAM, proc
from exo_codegen.compile import compile_procs_to_strings
from exo_codegen.jit import jit
from exo_codegen.memories import AVX2, DRAM_STACK, DRAM_STATIC
from exo_codegen.platforms.x86 import mm256_loadu_ps, mm256_storeu_ps

from target_tools import require


@proc
def _bound(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
    for i in seq(0, 8):
        t: f32
        t = x[i] * 2.0
        y[i] = t + 1.0


inlined = S.rename(S.inline_assign(_bound, _bound.find("t = _")), "inlined")


@proc
def only_written(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
    for i in seq(0, 8):
        t: f32
        t = x[i]
        y[i] = x[i] + 1.0


@proc
def stack_only_written(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
    a: f32[8] @ DRAM_STACK
    s: f32[2] @ DRAM_STATIC
    for i in seq(0, 8):
        a[i] = x[i]
        y[i] = x[i] + 1.0
    s[0] = x[0]


@proc
def window_unused(x: f32[8, 8] @ DRAM, y: f32[8] @ DRAM):
    w = x[0, 0:8]
    for i in seq(0, 8):
        y[i] = x[1, i] + 1.0


@proc
def register_only_loaded(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
    v: f32[8] @ AVX2
    u: f32[8] @ AVX2
    mm256_loadu_ps(v, x[0:8])
    mm256_loadu_ps(u, x[0:8])
    mm256_storeu_ps(y[0:8], u)


@proc
def all_read(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
    h: f32[8]
    for i in seq(0, 8):
        t: f32
        r: f32
        t = x[i] * 2.0
        r = 0.0
        r += x[i]
        h[i] = t
        y[i] = h[i] + r
    w = y[0:8]
    w[0] = 1.0


def _body(p) -> list[str]:
    c = p.c_code_str()
    body = c[c.index(f"void {p.name()}(void *ctxt"):]
    body = body[body.index(") {"):]
    return [line.strip() for line in body.splitlines()[1:] if line.strip()]


def test_unread_locals_are_marked_used():
    assert _body(inlined)[:3] == [
        "for (int_fast32_t i = 0; i < 8; i++) {", "float t;", "(void)t;"]
    assert _body(only_written)[1:4] == ["float t;", "(void)t;", "t = x[i];"]
    lines = _body(stack_only_written)
    assert lines[:4] == ["float a[8];", "(void)a;", "static float s[2];", "(void)s;"]
    lines = _body(window_unused)
    assert lines[0].startswith("struct exo_win_1f32c w = ") and lines[1] == "(void)w;"
    lines = _body(register_only_loaded)
    assert lines[:3] == ["__m256 v;", "(void)v;", "__m256 u;"]
    assert lines.count("(void)u;") == 0


def test_read_locals_are_not_marked():
    # a reduction reads its target; a malloc'd buffer is read by its free
    assert not any(line.startswith("(void)") for line in _body(all_read))
    assert not any(line.startswith("(void)") for line in _body(_bound))


@pytest.mark.parametrize("p", [inlined, only_written, stack_only_written, window_unused,
                               all_read], ids=lambda p: p.name())
def test_compiles_with_wall_werror(p, c_syntax_check):
    c_text, h_text = compile_procs_to_strings([p], "unused.h")
    c_syntax_check(c_text, h_text, "unused.h")


def test_registers_compile_with_wall_werror(cc, tmp_path):
    target = require("avx2")
    lib = jit([register_only_loaded], cc=cc, cflags=list(target.cflags))
    x, y = np.arange(8, dtype=np.float32), np.zeros(8, np.float32)
    lib.register_only_loaded(x, y)
    np.testing.assert_array_equal(y, x)


def test_jit_runs_the_inlined_proc(cc):
    x = np.arange(8, dtype=np.float32)
    y = np.zeros(8, np.float32)
    jit(inlined, cc=cc)(x, y)
    np.testing.assert_array_equal(y, x * 2 + 1)
