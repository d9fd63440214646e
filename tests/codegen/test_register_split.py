"""Register buffers indexed only by constants become named C variables
(`exo_codegen.register_split`), so the C compiler keeps them in registers."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from exo_core import SchedulingError, proc
from exo_codegen.memories import AVX2
from exo_codegen.platforms.x86 import mm256_loadu_ps, mm256_storeu_ps
from exo_stdlib.scheduling import unroll_loop
from target_tools import require
from test_platform_x86 import assert_jit_sgemm_6x16, sgemm_6x16_avx2, sgemm_6x16_avx512

GCC = shutil.which("gcc")


def unroll_all(p, names=("i", "j")):
    for name in names:
        while True:
            try:
                p = unroll_loop(p, p.find_loop(name))
            except SchedulingError:
                break
    return p


def kernel_body(p) -> str:
    return p.c_code_str().rsplit(f"void {p.name()}(", 1)[1]


AVX2_UNROLLED = unroll_all(sgemm_6x16_avx2)
AVX512_UNROLLED = unroll_all(sgemm_6x16_avx512)


def test_unrolled_accumulators_are_named_variables():
    body = kernel_body(AVX2_UNROLLED)
    names = re.findall(r"__m256 (c_reg_\d_\d);", body)
    assert names == [f"c_reg_{i}_{j}" for i in range(6) for j in range(2)]
    assert "c_reg[" not in body and "b_reg[" not in body
    assert "c_reg_5_1 = _mm256_fmadd_ps(a_reg_5, b_reg_1, c_reg_5_1);" in body
    assert "_mm256_storeu_ps(&C[8 * 1 + 80], c_reg_5_1);" in body


def test_loop_indexed_buffers_keep_the_array_form():
    body = kernel_body(sgemm_6x16_avx2)
    assert "__m256 c_reg[6][2];" in body and "c_reg[i][j] = _mm256_fmadd_ps" in body


def test_partly_unrolled_buffer_keeps_the_array_form():
    p = unroll_loop(sgemm_6x16_avx2, sgemm_6x16_avx2.find_loop("j"))  # one j loop only
    body = kernel_body(p)
    assert "__m256 c_reg[6][2];" in body


@proc
def store_two(y: f32[2, 8], r: f32[2, 8] @ AVX2):
    mm256_storeu_ps(y[0, 0:8], r[0, 0:8])
    mm256_storeu_ps(y[1, 0:8], r[1, 0:8])


@proc
def passed_whole(x: f32[2, 8], y: f32[2, 8]):
    r: f32[2, 8] @ AVX2
    mm256_loadu_ps(r[0, 0:8], x[0, 0:8])
    mm256_loadu_ps(r[1, 0:8], x[1, 0:8])
    store_two(y, r)


def test_a_buffer_passed_whole_keeps_the_array_form():
    body = kernel_body(passed_whole)
    assert "__m256 r[2];" in body and "r[1] = _mm256_loadu_ps" in body


@pytest.mark.parametrize("kernel,profile_name", [(AVX2_UNROLLED, "avx2"),
                                                 (AVX512_UNROLLED, "avx512-simde")])
def test_split_kernels_compute_c_plus_a_times_b(kernel, profile_name):
    assert_jit_sgemm_6x16(kernel, require(profile_name).cflags, K=13, seed=5)


def _stack_vector_stores(asm: str) -> int:
    return len(re.findall(r"vmov[au]ps\s+%[yz]mm\d+, [^\n]*\(%r[sb]p\)", asm))


@pytest.mark.skipif(GCC is None, reason="needs the C compiler gcc")
def test_accumulators_stay_in_registers_in_the_assembly(tmp_path):
    """gcc -O3 spills nothing of the split kernel to the stack; the array
    form of the same kernel goes through the stack (the control)."""
    counts = {}
    for tag, p in (("split", AVX2_UNROLLED), ("array", sgemm_6x16_avx2)):
        src, asm = tmp_path / f"{tag}.c", tmp_path / f"{tag}.s"
        src.write_text(p.c_code_str())
        r = subprocess.run([GCC, "-O3", "-mavx2", "-mfma", "-std=c11", "-S", str(src), "-o",
                            str(asm)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        counts[tag] = _stack_vector_stores(asm.read_text())
    assert counts["split"] == 0, counts
    assert counts["array"] > 0, counts
