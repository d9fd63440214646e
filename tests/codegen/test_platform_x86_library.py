"""The rest of Exo 1.0's x86 instruction library (f32 and f64 arithmetic,
selects, sign flips, conversions, prefix and masked tails, ui16, masked
AVX-512, prefetch): each instruction, called from a small driver and
compiled, computes what its object-code body says.

As in test_platform_x86.py, each driver is compiled together with
`reference_proc` of it (every instruction replaced by its own body, every
buffer in DRAM) and both run on copies of the same random small-integer
inputs, natively and through SIMDe; results must agree exactly.
"""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import proc
from exo_codegen.memories import AVX2, AVX512
from exo_codegen.platforms.x86 import *  # noqa: F401,F403 (as a ported script does)
from target_tools import Case, assert_cases_match, reference_proc, run_cases

RNG = np.random.default_rng(20261207)


def ints(shape, dtype=np.float32, lo=-8, hi=9):
    return RNG.integers(lo, hi, size=shape).astype(dtype)


def nonzero(shape, dtype=np.float32):
    v = ints(shape, dtype)
    v[v == 0] = 3
    return v


# --------------------------------------------------------------------------
# AVX2 f32


@proc
def x86_f32_arith(x: f32[8], y: f32[8], a: f32[1], s: f32, sub: f32[8], div: f32[8],
                  fb: f32[8], mem: f32[8], wide: f32[8], neg: f32[8], z: f32[8],
                  bs: f32[8]):
    vx: f32[8] @ AVX2
    vy: f32[8] @ AVX2
    t: f32[8] @ AVX2
    mm256_loadu_ps(vx[0:8], x[0:8])
    mm256_loadu_ps(vy[0:8], y[0:8])
    mm256_sub_ps(t[0:8], vx[0:8], vy[0:8])
    mm256_storeu_ps(sub[0:8], t[0:8])
    mm256_div_ps(t[0:8], vx[0:8], vy[0:8])
    mm256_storeu_ps(div[0:8], t[0:8])
    mm256_loadu_ps(t[0:8], fb[0:8])
    mm256_fmadd_ps_broadcast(t[0:8], vx[0:8], a[0:1])
    mm256_storeu_ps(fb[0:8], t[0:8])
    avx2_fmadd_memu_ps(mem[0:8], vy[0:8])
    avx2_reg_copy_ps(t[0:8], vx[0:8])
    avx2_reduce_add_wide_ps(t[0:8], vy[0:8])
    mm256_storeu_ps(wide[0:8], t[0:8])
    avx2_sign_ps(t[0:8], vy[0:8])
    mm256_storeu_ps(neg[0:8], t[0:8])
    avx2_set0_ps(t[0:8])
    mm256_storeu_ps(z[0:8], t[0:8])
    mm256_broadcast_ss_scalar(t[0:8], s)
    mm256_storeu_ps(bs[0:8], t[0:8])


@proc
def x86_f32_select(x: f32[8], v: f32[8], y: f32[8], z: f32[8], out: f32[8]):
    rx: f32[8] @ AVX2
    rv: f32[8] @ AVX2
    ry: f32[8] @ AVX2
    rz: f32[8] @ AVX2
    ro: f32[8] @ AVX2
    mm256_loadu_ps(rx[0:8], x[0:8])
    mm256_loadu_ps(rv[0:8], v[0:8])
    mm256_loadu_ps(ry[0:8], y[0:8])
    mm256_loadu_ps(rz[0:8], z[0:8])
    avx2_select_ps(ro[0:8], rx[0:8], rv[0:8], ry[0:8], rz[0:8])
    mm256_storeu_ps(out[0:8], ro[0:8])


# --------------------------------------------------------------------------
# AVX2 f64 and conversions


@proc
def x86_f64_arith(x: f64[4], y: f64[4], s: f64, add: f64[4], sub: f64[4], mul: f64[4],
                  div: f64[4], wide: f64[4], neg: f64[4], bs: f64[4], red: f64[2],
                  sel: f64[4]):
    vx: f64[4] @ AVX2
    vy: f64[4] @ AVX2
    wx: f64[4] @ AVX2
    wy: f64[4] @ AVX2
    t: f64[4] @ AVX2
    mm256_loadu_pd(wx[0:4], x[0:4])
    mm256_loadu_pd(wy[0:4], y[0:4])
    mm256_loadu_pd(vx[0:4], x[0:4])
    mm256_loadu_pd(vy[0:4], y[0:4])
    mm256_add_pd(t[0:4], vx[0:4], vy[0:4])
    mm256_storeu_pd(add[0:4], t[0:4])
    mm256_sub_pd(t[0:4], vx[0:4], vy[0:4])
    mm256_storeu_pd(sub[0:4], t[0:4])
    mm256_mul_pd(t[0:4], vx[0:4], vy[0:4])
    mm256_storeu_pd(mul[0:4], t[0:4])
    mm256_div_pd(t[0:4], vx[0:4], vy[0:4])
    mm256_storeu_pd(div[0:4], t[0:4])
    avx2_reg_copy_pd(t[0:4], vy[0:4])
    avx2_reduce_add_wide_pd(t[0:4], vx[0:4])
    mm256_storeu_pd(wide[0:4], t[0:4])
    avx2_sign_pd(t[0:4], vx[0:4])
    mm256_storeu_pd(neg[0:4], t[0:4])
    mm256_broadcast_sd_scalar(t[0:4], s)
    mm256_storeu_pd(bs[0:4], t[0:4])
    avx2_assoc_reduce_add_pd(vx[0:4], red[1])
    avx2_select_pd(t[0:4], vx[0:4], vy[0:4], wy[0:4], wx[0:4])
    mm256_storeu_pd(sel[0:4], t[0:4])


@proc
def x86_convert(x: f32[8], lo: f64[4], hi: f64[4]):
    v: f32[8] @ AVX2
    d: f64[4] @ AVX2
    mm256_loadu_ps(v[0:8], x[0:8])
    avx2_convert_f32_lower_to_f64(d[0:4], v[0:8])
    mm256_storeu_pd(lo[0:4], d[0:4])
    avx2_convert_f32_upper_to_f64(d[0:4], v[0:8])
    mm256_storeu_pd(hi[0:4], d[0:4])


# --------------------------------------------------------------------------
# AVX2 prefix (tail) instructions


@proc
def x86_prefix(b: size, x: f32[8], y: f32[8], a: f32[1], ld: f32[8], st: f32[8],
               bc: f32[8], add: f32[8], sub: f32[8], mul: f32[8], div: f32[8],
               ms: f32[8]):
    assert b <= 8
    vx: f32[8] @ AVX2
    vy: f32[8] @ AVX2
    t: f32[8] @ AVX2
    mm256_loadu_ps(vx[0:8], x[0:8])
    mm256_loadu_ps(vy[0:8], y[0:8])
    mm256_loadu_ps(t[0:8], ld[0:8])
    mm256_prefix_load_ps(t[0:8], x[0:8], b)
    mm256_storeu_ps(ld[0:8], t[0:8])
    mm256_prefix_store_ps(st[0:8], vy[0:8], b)
    mm256_loadu_ps(t[0:8], bc[0:8])
    mm256_prefix_broadcast_ss(t[0:8], a[0:1], b)
    mm256_storeu_ps(bc[0:8], t[0:8])
    mm256_loadu_ps(t[0:8], add[0:8])
    mm256_prefix_add_ps(t[0:8], vx[0:8], vy[0:8], b)
    mm256_storeu_ps(add[0:8], t[0:8])
    mm256_loadu_ps(t[0:8], sub[0:8])
    mm256_prefix_sub_ps(t[0:8], vx[0:8], vy[0:8], b)
    mm256_storeu_ps(sub[0:8], t[0:8])
    mm256_loadu_ps(t[0:8], mul[0:8])
    mm256_prefix_mul_ps(t[0:8], vx[0:8], vy[0:8], b)
    mm256_storeu_ps(mul[0:8], t[0:8])
    mm256_loadu_ps(t[0:8], div[0:8])
    mm256_prefix_div_ps(t[0:8], vx[0:8], vy[0:8], b)
    mm256_storeu_ps(div[0:8], t[0:8])
    avx2_mask_storeu_ps(b, ms[0:b], vx[0:8])


# --------------------------------------------------------------------------
# AVX2 ui16


@proc
def x86_ui16(x: ui16[16], y: ui16[16], add: ui16[16], d3: ui16[16], cp: ui16[16]):
    vx: ui16[16] @ AVX2
    vy: ui16[16] @ AVX2
    t: ui16[16] @ AVX2
    mm256_loadu_si256(vx[0:16], x[0:16])
    mm256_loadu_si256(vy[0:16], y[0:16])
    mm256_add_epi16(t[0:16], vx[0:16], vy[0:16])
    mm256_storeu_si256(add[0:16], t[0:16])
    avx2_ui16_divide_by_3(t[0:16], vx[0:16])
    mm256_storeu_si256(d3[0:16], t[0:16])
    mm256_storeu_si256(cp[0:16], vy[0:16])


@proc
def x86_prefetch(x: f32[8], y: f32[8]):
    prefetch(x[2:3], 3)
    prefetch(y[0:1], 1)
    for i in seq(0, 8):
        y[i] = x[i]


AVX2_DRIVERS = [x86_f32_arith, x86_f32_select, x86_f64_arith, x86_convert, x86_prefix,
                x86_ui16, x86_prefetch]


def avx2_cases():
    f64 = np.float64
    u16 = np.uint16
    cases = [
        Case("x86_f32_arith", "x86_f32_arith_ref",
             [("x", ints(8)), ("y", nonzero(8)), ("a", ints(1)), ("s", ints(1))]
             + [(n, ints(8)) for n in ("sub", "div", "fb", "mem", "wide", "neg", "z",
                                        "bs")]),
        Case("x86_f32_select", "x86_f32_select_ref",
             [(n, ints(8)) for n in ("x", "v", "y", "z", "out")]),
        Case("x86_f64_arith", "x86_f64_arith_ref",
             [("x", ints(4, f64)), ("y", nonzero(4, f64)), ("s", ints(1, f64))]
             + [(n, ints(4, f64)) for n in ("add", "sub", "mul", "div", "wide", "neg",
                                            "bs")]
             + [("red", ints(2, f64)), ("sel", ints(4, f64))]),
        Case("x86_convert", "x86_convert_ref",
             [("x", ints(8)), ("lo", ints(4, f64)), ("hi", ints(4, f64))]),
        # Values up to 2^16 - 1: the divide is exact floor division over the
        # whole range, and the addition wraps.
        Case("x86_ui16", "x86_ui16_ref",
             [("x", ints(16, u16, 0, 65536)), ("y", ints(16, u16, 0, 65536))]
             + [(n, ints(16, u16, 0, 9)) for n in ("add", "d3", "cp")]),
        Case("x86_prefetch", "x86_prefetch_ref", [("x", ints(8)), ("y", ints(8))]),
    ]
    for b in (0, 3, 8):
        cases.append(Case("x86_prefix", "x86_prefix_ref",
                          [("b", b), ("x", ints(8)), ("y", nonzero(8)), ("a", ints(1))]
                          + [(n, ints(8)) for n in ("ld", "st", "bc", "add", "sub", "mul",
                                                    "div", "ms")]))
    return cases


def _arg(case, name):
    return dict(case.args)[name]


@pytest.mark.parametrize("profile_name", ["avx2", "avx2-simde"])
def test_avx2_library_matches_its_specifications(profile_name, tmp_path):
    procs = AVX2_DRIVERS + [reference_proc(p) for p in AVX2_DRIVERS]
    cases = avx2_cases()
    results = run_cases(procs, cases, profile_name, tmp_path)
    assert_cases_match(results, cases)
    # The specifications themselves, against numpy:
    c = cases[0]
    x, y = _arg(c, "x"), _arg(c, "y")
    np.testing.assert_array_equal(results[(0, "div")][1], x / y)
    np.testing.assert_array_equal(results[(0, "fb")][1],
                                  _arg(c, "fb") + x * _arg(c, "a")[0])
    sel = results[(1, "out")][0]
    c1 = cases[1]
    np.testing.assert_array_equal(
        sel, np.where(_arg(c1, "x") < _arg(c1, "v"), _arg(c1, "y"), _arg(c1, "z")))
    c4 = cases[4]
    np.testing.assert_array_equal(results[(4, "d3")][0], _arg(c4, "x") // 3)
    np.testing.assert_array_equal(results[(4, "add")][0],
                                  (_arg(c4, "x").astype(np.uint32)
                                   + _arg(c4, "y")).astype(np.uint16))
    c3 = cases[3]
    np.testing.assert_array_equal(results[(3, "hi")][0], _arg(c3, "x")[4:])
    # prefix with b = 3: lanes 3.. keep their old values, the masked store
    # writes ms[0:3] only
    k = 7
    ck = cases[k]
    assert dict(ck.args)["b"] == 3
    add = results[(k, "add")][0]
    np.testing.assert_array_equal(add[:3], (_arg(ck, "x") + _arg(ck, "y"))[:3])
    np.testing.assert_array_equal(add[3:], _arg(ck, "add")[3:])
    ld = results[(k, "ld")][0]
    np.testing.assert_array_equal(ld[:3], _arg(ck, "x")[:3])
    np.testing.assert_array_equal(results[(k, "ms")][0][3:], _arg(ck, "ms")[3:])


# --------------------------------------------------------------------------
# AVX-512


@proc
def x86_avx512_masked(N: size, x: f32[16], y: f32[16], a: f32[1], add: f32[16],
                      fma: f32[16], st: f32[16], relu_: f32[16]):
    assert N >= 1
    assert N < 16
    vx: f32[16] @ AVX512
    vy: f32[16] @ AVX512
    t: f32[16] @ AVX512
    mm512_loadu_ps(vx[0:16], x[0:16])
    mm512_loadu_ps(vy[0:16], y[0:16])
    mm512_loadu_ps(t[0:16], add[0:16])
    mm512_mask_add_ps(N, t[0:16], vx[0:16], vy[0:16])
    mm512_storeu_ps(add[0:16], t[0:16])
    mm512_loadu_ps(t[0:16], fma[0:16])
    mm512_mask_fmadd_ps(N, vx[0:16], vy[0:16], t[0:16])
    mm512_storeu_ps(fma[0:16], t[0:16])
    mm512_loadu_ps(t[0:16], st[0:16])
    mm512_mask_set1_ps(N, t[0:16], a[0:1])
    mm512_storeu_ps(st[0:16], t[0:16])
    mm512_relu_ps(t[0:16], vx[0:16])
    mm512_storeu_ps(relu_[0:16], t[0:16])


@proc
def x86_avx512_mask_add_wide(N: size, x: f32[16], y: f32[16], out: f32[16]):
    # mm512_mask_add_ps has no bound on N: every lane for N >= 16.
    vx: f32[16] @ AVX512
    vy: f32[16] @ AVX512
    t: f32[16] @ AVX512
    mm512_loadu_ps(vx[0:16], x[0:16])
    mm512_loadu_ps(vy[0:16], y[0:16])
    mm512_loadu_ps(t[0:16], out[0:16])
    mm512_mask_add_ps(N, t[0:16], vx[0:16], vy[0:16])
    mm512_storeu_ps(out[0:16], t[0:16])


AVX512_DRIVERS = [x86_avx512_masked, x86_avx512_mask_add_wide]


def avx512_cases():
    cases = []
    for n in (1, 7, 15):
        cases.append(Case("x86_avx512_masked", "x86_avx512_masked_ref",
                          [("N", n), ("x", ints(16)), ("y", ints(16)), ("a", ints(1))]
                          + [(k, ints(16)) for k in ("add", "fma", "st", "relu_")]))
    for n in (0, 16, 40):
        cases.append(Case("x86_avx512_mask_add_wide", "x86_avx512_mask_add_wide_ref",
                          [("N", n), ("x", ints(16)), ("y", ints(16)), ("out", ints(16))]))
    return cases


@pytest.mark.parametrize("profile_name", ["avx512", "avx512-simde"])
def test_avx512_library_matches_its_specifications(profile_name, tmp_path):
    procs = AVX512_DRIVERS + [reference_proc(p) for p in AVX512_DRIVERS]
    cases = avx512_cases()
    results = run_cases(procs, cases, profile_name, tmp_path)
    assert_cases_match(results, cases)
    c = cases[1]  # N = 7
    fma = results[(1, "fma")][0]
    want = _arg(c, "fma") + _arg(c, "x") * _arg(c, "y")
    np.testing.assert_array_equal(fma[:7], want[:7])
    np.testing.assert_array_equal(fma[7:], _arg(c, "fma")[7:])
    np.testing.assert_array_equal(results[(1, "relu_")][0], np.maximum(_arg(c, "x"), 0))
    wide = results[(4, "out")][0]  # N = 16
    np.testing.assert_array_equal(wide, _arg(cases[4], "x") + _arg(cases[4], "y"))
