"""x86 instruction library: each instruction, called from object code and
compiled to C, computes what its object-code body says.

Every driver below is compiled twice in one C file: as written (the
instructions' intrinsics) and as `reference_proc` makes it (each instruction
replaced by its own body, every buffer in DRAM). Inputs are small integers
stored as floats, so both must agree exactly whatever the rounding of fused
operations. AVX2 runs natively (when the CPU has it) and through SIMDe;
AVX-512 natively (when available) and through SIMDe. The hand-written 6x16
SGEMM micro-kernels are checked against numpy.
"""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import proc, compile_procs_to_strings
from exo_codegen.jit import jit
from exo_codegen.memories import AVX2, AVX512
from exo_codegen.platforms.x86 import (
    mm256_setzero_ps, mm256_loadu_ps, mm256_storeu_ps, mm256_broadcast_ss,
    mm256_set1_ps, mm256_fmadd_ps, mm256_add_ps, mm256_mul_ps, mm256_reg_copy,
    avx2_assoc_reduce_add_ps, mm256_setzero_pd, mm256_loadu_pd, mm256_storeu_pd,
    mm256_broadcast_sd, mm256_fmadd_pd, mm512_setzero_ps, mm512_loadu_ps,
    mm512_storeu_ps, mm512_set1_ps, mm512_fmadd_ps, mm512_add_ps, mm512_mul_ps,
    mm512_maskz_loadu_ps, mm512_mask_storeu_ps,
)
from target_tools import Case, assert_cases_match, reference_proc, run_cases

RNG = np.random.default_rng(20240607)


def small_ints(shape, dtype=np.float32):
    return RNG.integers(-8, 9, size=shape).astype(dtype)


# --------------------------------------------------------------------------
# AVX2 drivers


@proc
def avx2_load_store(x: f32[16], y: f32[16]):
    v: f32[2, 8] @ AVX2
    mm256_loadu_ps(v[1, 0:8], x[0:8])
    mm256_loadu_ps(v[0, 0:8], x[8:16])
    mm256_storeu_ps(y[0:8], v[0, 0:8])
    mm256_storeu_ps(y[8:16], v[1, 0:8])


@proc
def avx2_zero(y: f32[8]):
    v: f32[8] @ AVX2
    mm256_setzero_ps(v[0:8])
    mm256_storeu_ps(y[0:8], v[0:8])


@proc
def avx2_broadcast(a: f32[3], y: f32[16]):
    v: f32[8] @ AVX2
    w: f32[8] @ AVX2
    mm256_broadcast_ss(v[0:8], a[2:3])
    mm256_set1_ps(w[0:8], a[1])
    mm256_storeu_ps(y[0:8], v[0:8])
    mm256_storeu_ps(y[8:16], w[0:8])


@proc
def avx2_arith(x: f32[8], y: f32[8], z: f32[8], s: f32[8], p: f32[8], c: f32[8]):
    vx: f32[8] @ AVX2
    vy: f32[8] @ AVX2
    vz: f32[8] @ AVX2
    t: f32[8] @ AVX2
    mm256_loadu_ps(vx[0:8], x[0:8])
    mm256_loadu_ps(vy[0:8], y[0:8])
    mm256_loadu_ps(vz[0:8], z[0:8])
    mm256_fmadd_ps(vz[0:8], vx[0:8], vy[0:8])
    mm256_storeu_ps(z[0:8], vz[0:8])
    mm256_add_ps(t[0:8], vx[0:8], vy[0:8])
    mm256_storeu_ps(s[0:8], t[0:8])
    mm256_mul_ps(t[0:8], vx[0:8], vy[0:8])
    mm256_storeu_ps(p[0:8], t[0:8])
    mm256_reg_copy(t[0:8], vy[0:8])
    mm256_storeu_ps(c[0:8], t[0:8])


@proc
def avx2_reduce(x: f32[8], r: f32[2]):
    v: f32[8] @ AVX2
    mm256_loadu_ps(v[0:8], x[0:8])
    avx2_assoc_reduce_add_ps(v[0:8], r[1])


@proc
def avx2_f64(x: f64[4], y: f64[4], a: f64[1], z: f64[4], b: f64[4]):
    vx: f64[4] @ AVX2
    vy: f64[4] @ AVX2
    vz: f64[4] @ AVX2
    mm256_loadu_pd(vx[0:4], x[0:4])
    mm256_loadu_pd(vy[0:4], y[0:4])
    mm256_setzero_pd(vz[0:4])
    mm256_fmadd_pd(vz[0:4], vx[0:4], vy[0:4])
    mm256_fmadd_pd(vz[0:4], vy[0:4], vx[0:4])
    mm256_storeu_pd(z[0:4], vz[0:4])
    mm256_broadcast_sd(vz[0:4], a[0:1])
    mm256_storeu_pd(b[0:4], vz[0:4])


AVX2_DRIVERS = [avx2_load_store, avx2_zero, avx2_broadcast, avx2_arith, avx2_reduce,
                avx2_f64]


def avx2_cases():
    f64 = np.float64
    return [
        Case("avx2_load_store", "avx2_load_store_ref",
             [("x", small_ints(16)), ("y", small_ints(16))]),
        Case("avx2_zero", "avx2_zero_ref", [("y", small_ints(8))]),
        Case("avx2_broadcast", "avx2_broadcast_ref",
             [("a", small_ints(3)), ("y", small_ints(16))]),
        Case("avx2_arith", "avx2_arith_ref",
             [(n, small_ints(8)) for n in ("x", "y", "z", "s", "p", "c")]),
        Case("avx2_reduce", "avx2_reduce_ref", [("x", small_ints(8)), ("r", small_ints(2))]),
        Case("avx2_f64", "avx2_f64_ref",
             [("x", small_ints(4, f64)), ("y", small_ints(4, f64)),
              ("a", small_ints(1, f64)), ("z", small_ints(4, f64)),
              ("b", small_ints(4, f64))]),
    ]


@pytest.mark.parametrize("profile_name", ["avx2", "avx2-simde"])
def test_avx2_instructions_match_their_specifications(profile_name, tmp_path):
    procs = AVX2_DRIVERS + [reference_proc(p) for p in AVX2_DRIVERS]
    cases = avx2_cases()
    results = run_cases(procs, cases, profile_name, tmp_path)
    assert_cases_match(results, cases)
    # The references are the specifications, not a copy of the driver's C:
    # spot-check them against numpy too.
    x, y = cases[3].args[0][1], cases[3].args[1][1]
    z0 = cases[3].args[2][1]
    np.testing.assert_array_equal(results[(3, "z")][1], z0 + x * y)
    np.testing.assert_array_equal(results[(3, "s")][1], x + y)
    np.testing.assert_array_equal(results[(0, "y")][0],
                                  np.concatenate([cases[0].args[0][1][8:],
                                                  cases[0].args[0][1][:8]]))
    r0 = cases[4].args[1][1]
    assert results[(4, "r")][0][1] == r0[1] + cases[4].args[0][1].sum()
    assert results[(4, "r")][0][0] == r0[0]


# --------------------------------------------------------------------------
# AVX-512 drivers


@proc
def avx512_load_store(x: f32[32], y: f32[32]):
    v: f32[2, 16] @ AVX512
    mm512_loadu_ps(v[1, 0:16], x[0:16])
    mm512_loadu_ps(v[0, 0:16], x[16:32])
    mm512_storeu_ps(y[0:16], v[0, 0:16])
    mm512_storeu_ps(y[16:32], v[1, 0:16])


@proc
def avx512_zero_set1(a: f32[2], y: f32[32]):
    v: f32[16] @ AVX512
    mm512_setzero_ps(v[0:16])
    mm512_storeu_ps(y[0:16], v[0:16])
    mm512_set1_ps(v[0:16], a[1:2])
    mm512_storeu_ps(y[16:32], v[0:16])


@proc
def avx512_arith(x: f32[16], y: f32[16], z: f32[16], s: f32[16], p: f32[16]):
    vx: f32[16] @ AVX512
    vy: f32[16] @ AVX512
    vz: f32[16] @ AVX512
    t: f32[16] @ AVX512
    mm512_loadu_ps(vx[0:16], x[0:16])
    mm512_loadu_ps(vy[0:16], y[0:16])
    mm512_loadu_ps(vz[0:16], z[0:16])
    mm512_fmadd_ps(vx[0:16], vy[0:16], vz[0:16])
    mm512_storeu_ps(z[0:16], vz[0:16])
    mm512_add_ps(t[0:16], vx[0:16], vy[0:16])
    mm512_storeu_ps(s[0:16], t[0:16])
    mm512_mul_ps(t[0:16], vx[0:16], vy[0:16])
    mm512_storeu_ps(p[0:16], t[0:16])


@proc
def avx512_masked(N: size, x: f32[16], y: f32[16], a: f32[1], z: f32[16]):
    assert N <= 16
    v: f32[16] @ AVX512
    mm512_maskz_loadu_ps(N, v[0:16], x[0:N])
    mm512_storeu_ps(y[0:16], v[0:16])
    mm512_set1_ps(v[0:16], a[0:1])
    mm512_mask_storeu_ps(N, z[0:N], v[0:16])


AVX512_DRIVERS = [avx512_load_store, avx512_zero_set1, avx512_arith, avx512_masked]


def avx512_cases():
    cases = [
        Case("avx512_load_store", "avx512_load_store_ref",
             [("x", small_ints(32)), ("y", small_ints(32))]),
        Case("avx512_zero_set1", "avx512_zero_set1_ref",
             [("a", small_ints(2)), ("y", small_ints(32))]),
        Case("avx512_arith", "avx512_arith_ref",
             [(n, small_ints(16)) for n in ("x", "y", "z", "s", "p")]),
    ]
    for n in (0, 5, 16):
        cases.append(Case("avx512_masked", "avx512_masked_ref",
                          [("N", n), ("x", small_ints(16)), ("y", small_ints(16)),
                           ("a", small_ints(1)), ("z", small_ints(16))]))
    return cases


@pytest.mark.parametrize("profile_name", ["avx512", "avx512-simde"])
def test_avx512_instructions_match_their_specifications(profile_name, tmp_path):
    procs = AVX512_DRIVERS + [reference_proc(p) for p in AVX512_DRIVERS]
    cases = avx512_cases()
    results = run_cases(procs, cases, profile_name, tmp_path)
    assert_cases_match(results, cases)
    # masked load with N = 5: lanes 5.. are zero; masked store leaves z[5:]
    x5 = cases[4].args[1][1]
    y5 = results[(4, "y")][0]
    np.testing.assert_array_equal(y5[:5], x5[:5])
    assert not y5[5:].any()
    z5, z0 = results[(4, "z")][0], cases[4].args[4][1]
    np.testing.assert_array_equal(z5[5:], z0[5:])
    assert (z5[:5] == cases[4].args[3][1][0]).all()


# --------------------------------------------------------------------------
# Hand-written 6x16 SGEMM micro-kernels: C += A * B


@proc
def sgemm_6x16_avx2(K: size, A: f32[6, K], B: f32[K, 16], C: f32[6, 16]):
    c_reg: f32[6, 2, 8] @ AVX2
    for i in seq(0, 6):
        for j in seq(0, 2):
            mm256_loadu_ps(c_reg[i, j, 0:8], C[i, 8 * j:8 * j + 8])
    for k in seq(0, K):
        b_reg: f32[2, 8] @ AVX2
        for j in seq(0, 2):
            mm256_loadu_ps(b_reg[j, 0:8], B[k, 8 * j:8 * j + 8])
        for i in seq(0, 6):
            a_reg: f32[8] @ AVX2
            mm256_broadcast_ss(a_reg[0:8], A[i, k:k + 1])
            for j in seq(0, 2):
                mm256_fmadd_ps(c_reg[i, j, 0:8], a_reg[0:8], b_reg[j, 0:8])
    for i in seq(0, 6):
        for j in seq(0, 2):
            mm256_storeu_ps(C[i, 8 * j:8 * j + 8], c_reg[i, j, 0:8])


@proc
def sgemm_6x16_avx512(K: size, A: f32[6, K], B: f32[K, 16], C: f32[6, 16]):
    c_reg: f32[6, 16] @ AVX512
    for i in seq(0, 6):
        mm512_loadu_ps(c_reg[i, 0:16], C[i, 0:16])
    for k in seq(0, K):
        b_reg: f32[16] @ AVX512
        mm512_loadu_ps(b_reg[0:16], B[k, 0:16])
        for i in seq(0, 6):
            a_reg: f32[16] @ AVX512
            mm512_set1_ps(a_reg[0:16], A[i, k:k + 1])
            mm512_fmadd_ps(a_reg[0:16], b_reg[0:16], c_reg[i, 0:16])
    for i in seq(0, 6):
        mm512_storeu_ps(C[i, 0:16], c_reg[i, 0:16])


def assert_jit_sgemm_6x16(kernel, cflags, K: int, seed: int) -> None:
    """Jit ``kernel`` (a 6x16 ``C += A * B`` micro-kernel) with ``cflags`` and
    compare it with numpy on random inputs."""
    f = jit(kernel, cflags=tuple(cflags) + ("-Wno-psabi",))
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((6, K)).astype(np.float32)
    B = rng.standard_normal((K, 16)).astype(np.float32)
    C = rng.standard_normal((6, 16)).astype(np.float32)
    want = C + A @ B
    f(K, A, B, C)
    np.testing.assert_allclose(C, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kernel,profile_name", [
    (sgemm_6x16_avx2, "avx2"),
    (sgemm_6x16_avx512, "avx512"),
    (sgemm_6x16_avx512, "avx512-simde"),
])
def test_sgemm_6x16_micro_kernel_matches_numpy(kernel, profile_name, tmp_path):
    K = 37
    A = RNG.standard_normal((6, K)).astype(np.float32)
    B = RNG.standard_normal((K, 16)).astype(np.float32)
    C = RNG.standard_normal((6, 16)).astype(np.float32)
    name = kernel.name()
    cases = [Case(name, f"{name}_ref", [("K", K), ("A", A), ("B", B), ("C", C)])]
    results = run_cases([kernel, reference_proc(kernel)], cases, profile_name, tmp_path)
    got, ref = results[(0, "C")]
    want = C.astype(np.float64) + A.astype(np.float64) @ B.astype(np.float64)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(ref, want, rtol=1e-5, atol=1e-4)


def test_sgemm_kernel_c_uses_registers_and_intrinsics():
    c_text, _ = compile_procs_to_strings([sgemm_6x16_avx2], "k.h")
    assert "__m256 c_reg[6][2];" in c_text
    assert "c_reg[i][j] = _mm256_fmadd_ps(a_reg, b_reg[j], c_reg[i][j]);" in c_text
    assert "_mm256_broadcast_ss(&A[" in c_text
    # the memory's global text is emitted once, with the SIMDe switch
    assert c_text.count("#include <immintrin.h>") == 1
    assert "#ifdef EXO_USE_SIMDE" in c_text
