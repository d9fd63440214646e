"""Buffers in register memories (no element access) as procedure parameters:
passed as pointers to the memory's own storage type, so a callee's writes reach
the caller (seed 002's ``foo(..., dst: [f32][4] @ Neon)``)."""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import proc, instr, DRAM
from exo_codegen.errors import CodegenError
from exo_codegen.memories import AVX2, RVM_TILE
from exo_codegen.platforms.x86 import mm256_loadu_ps, mm256_storeu_ps, mm256_add_ps

from target_tools import require


@proc
def load_into(dst: [f32][8] @ AVX2, src: [f32][8] @ DRAM):
    mm256_loadu_ps(dst, src)


@proc
def double_via_callee(x: f32[8] @ DRAM):
    v: f32[8] @ AVX2
    w: f32[8] @ AVX2
    load_into(v, x[0:8])
    load_into(w, x[0:8])
    s: f32[8] @ AVX2
    mm256_add_ps(s, v, w)
    mm256_storeu_ps(x[0:8], s)


def test_register_param_is_a_pointer_to_the_vector_type():
    c = double_via_callee.c_code_str()
    assert "__m256 (*dst)" in c
    assert "(*dst) = _mm256_loadu_ps(" in c
    assert "load_into(ctxt, &v, " in c


def test_register_param_writes_reach_the_caller():
    target = require("avx2")
    from exo_codegen.jit import jit

    lib = jit([double_via_callee, load_into], cflags=list(target.cflags))
    x = np.arange(8, dtype=np.float32)
    lib.double_via_callee(x)
    np.testing.assert_array_equal(x, 2 * np.arange(8, dtype=np.float32))


def test_dram_buffer_to_register_param_is_rejected_with_position():
    @proc
    def wrong(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
        load_into(x[0:8], y[0:8])

    with pytest.raises(CodegenError, match=r"argument dst of load_into must be in AVX2 "
                                           r"memory, but x is in DRAM") as err:
        wrong.c_code_str()
    assert err.value.srcinfo.lineno == wrong.INTERNAL_proc().body[0].srcinfo.lineno


def test_memory_without_declaration_cannot_be_a_parameter():
    @proc
    def takes_tile(t: [i32][4, 4] @ RVM_TILE):
        pass

    @proc
    def caller():
        t: i32[4, 4] @ RVM_TILE
        takes_tile(t)

    with pytest.raises(CodegenError, match="only be parameters of instructions"):
        caller.c_code_str()


def test_seed_002_foo_after_replace_compiles_through_simde(tmp_path):
    """Seed 002's ``foo(M: size, src: [f32][4] @ DRAM, dst: [f32][4] @ Neon)``
    after ``replace``: the Neon parameter is a ``float32x4_t (*dst)``."""
    import subprocess
    from tests import seed_examples
    from exo_codegen.memories import Neon
    from exo_core import compile_procs_to_strings

    target = require("neon-simde")
    foo = seed_examples.neon_examples(Neon)["foo_after_replace"]
    c_text, h_text = compile_procs_to_strings([foo], "foo.h")
    assert "float32x4_t (*dst)" in h_text
    assert "(*dst) = vld1q_f32(&src.data[0]);" in c_text
    (tmp_path / "foo.h").write_text(h_text)
    (tmp_path / "foo.c").write_text(c_text)
    res = subprocess.run([target.compiler, "-std=c11", "-Wall", "-Werror", *target.cflags,
                          "-c", "foo.c", "-o", "foo.o"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
