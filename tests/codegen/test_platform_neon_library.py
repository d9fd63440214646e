"""The rest of Exo 1.0's Neon instruction library (2 x f64, conversions,
scalar broadcasts, reductions, negation, the fused multiply-add variants):
each instruction, called from a small driver and compiled, computes what its
object-code body says.

As in test_platform_neon.py, each driver is compiled with `reference_proc`
of it (instructions replaced by their bodies) and both run on copies of the
same random small-integer inputs: the f32 and f64 drivers through SIMDe on
x86-64 and cross-compiled for AArch64 under qemu-aarch64, the f16 driver
under qemu only (SIMDe 0.7 lacks the f16 arithmetic intrinsics).
"""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import proc
from exo_codegen.platforms.neon import *  # noqa: F401,F403 (as a ported script does)
from target_tools import Case, assert_cases_match, reference_proc, run_cases

RNG = np.random.default_rng(1207)


def ints(shape, dtype=np.float32):
    return RNG.integers(-6, 7, size=shape).astype(dtype)


@proc
def neon_f32_more(x: f32[4], y: f32[4], a: f32[1], s: f32, r: f32[2], bs: f32[4],
                  cp: f32[4], red: f32[4], neg: f32[4], mul2: f32[4], f1: f32[4],
                  ex: f32[4], la: f32[4]):
    vx: f32[4] @ Neon
    vy: f32[4] @ Neon
    vb: f32[4] @ Neon
    t: f32[4] @ Neon
    neon_vld_4xf32(vx[0:4], x[0:4])
    neon_vld_4xf32(vy[0:4], y[0:4])
    neon_broadcast_4xf32_scalar(t[0:4], s)
    neon_vst_4xf32(bs[0:4], t[0:4])
    neon_reg_copy_4xf32(t[0:4], vy[0:4])
    neon_vst_4xf32(cp[0:4], t[0:4])
    neon_vld_4xf32(t[0:4], red[0:4])
    neon_reduce_vadd_4xf32(t[0:4], vx[0:4])
    neon_vst_4xf32(red[0:4], t[0:4])
    neon_assoc_reduce_add_instr_4xf32(r[1], vx[0:4])
    neon_vneg_4xf32(t[0:4], vx[0:4])
    neon_vst_4xf32(neg[0:4], t[0:4])
    neon_vmul2_4xf32(t[0:4], vx[0:4], vy[0:4])
    neon_vst_4xf32(mul2[0:4], t[0:4])
    neon_vld_4xf32(t[0:4], f1[0:4])
    neon_vfmadd_1xf32_4xf32(t[0:4], a[0:1], vy[0:4])
    neon_vst_4xf32(f1[0:4], t[0:4])
    neon_vld_4xf32(vb[0:4], ex[0:4])
    neon_vfmadd_ex_4xf32_4xf32(t[0:4], vb[0:4], vx[0:4], vy[0:4])
    neon_vst_4xf32(ex[0:4], t[0:4])
    neon_vld_4xf32(vb[0:4], la[0:4])
    neon_vfmla2_4xf32_4xf32(t[0:4], vb[0:4], vx[0:4], vy[0:4], 2)
    neon_vst_4xf32(la[0:4], t[0:4])


@proc
def neon_f64_all(x: f64[2], y: f64[2], a: f64[1], s: f64, r: f64[2], ld: f64[2],
                 bc: f64[2], bs: f64[2], z: f64[2], cp: f64[2], add: f64[2],
                 mul: f64[2], fma: f64[2], neg: f64[2], red: f64[2]):
    vx: f64[2] @ Neon
    vy: f64[2] @ Neon
    t: f64[2] @ Neon
    neon_vld_2xf64(vx[0:2], x[0:2])
    neon_vld_2xf64(vy[0:2], y[0:2])
    neon_vst_2xf64(ld[0:2], vx[0:2])
    neon_broadcast_2xf64(t[0:2], a[0:1])
    neon_vst_2xf64(bc[0:2], t[0:2])
    neon_broadcast_2xf64_scalar(t[0:2], s)
    neon_vst_2xf64(bs[0:2], t[0:2])
    neon_zero_2xf64(t[0:2])
    neon_vst_2xf64(z[0:2], t[0:2])
    neon_reg_copy_2xf64(t[0:2], vy[0:2])
    neon_vst_2xf64(cp[0:2], t[0:2])
    neon_vadd_2xf64(t[0:2], vx[0:2], vy[0:2])
    neon_vst_2xf64(add[0:2], t[0:2])
    neon_vmul_2xf64(t[0:2], vx[0:2], vy[0:2])
    neon_vst_2xf64(mul[0:2], t[0:2])
    neon_vld_2xf64(t[0:2], fma[0:2])
    neon_vfmadd_2xf64_2xf64(t[0:2], vx[0:2], vy[0:2])
    neon_vst_2xf64(fma[0:2], t[0:2])
    neon_vneg_2xf64(t[0:2], vx[0:2])
    neon_vst_2xf64(neg[0:2], t[0:2])
    neon_vld_2xf64(t[0:2], red[0:2])
    neon_reduce_vadd_2xf64(t[0:2], vy[0:2])
    neon_vst_2xf64(red[0:2], t[0:2])
    neon_assoc_reduce_add_instr_2xf64(r[0], vx[0:2])


@proc
def neon_convert(x: f32[4], lo: f64[2], hi: f64[2]):
    v: f32[4] @ Neon
    d: f64[2] @ Neon
    neon_vld_4xf32(v[0:4], x[0:4])
    neon_convert_f32_lower_to_f64(d[0:2], v[0:4])
    neon_vst_2xf64(lo[0:2], d[0:2])
    neon_convert_f32_upper_to_f64(d[0:2], v[0:4])
    neon_vst_2xf64(hi[0:2], d[0:2])


@proc
def neon_f16_more(x: f16[8], y: f16[8], a: f16[1], f1: f16[8], f2: f16[8], ex: f16[8]):
    vx: f16[8] @ Neon
    vy: f16[8] @ Neon
    vb: f16[8] @ Neon
    t: f16[8] @ Neon
    neon_vld_8xf16(vx[0:8], x[0:8])
    neon_vld_8xf16(vy[0:8], y[0:8])
    neon_vld_8xf16(t[0:8], f1[0:8])
    neon_vfmadd_8xf16_1xf16(t[0:8], vx[0:8], a[0:1])
    neon_vst_8xf16(f1[0:8], t[0:8])
    neon_vld_8xf16(t[0:8], f2[0:8])
    neon_vfmadd_1xf16_8xf16(t[0:8], a[0:1], vy[0:8])
    neon_vst_8xf16(f2[0:8], t[0:8])
    neon_vld_8xf16(vb[0:8], ex[0:8])
    neon_vfmadd_ex_8xf16_8xf16(t[0:8], vb[0:8], vx[0:8], vy[0:8])
    neon_vst_8xf16(ex[0:8], t[0:8])


def _arg(case, name):
    return dict(case.args)[name]


def f32_f64_cases():
    f64 = np.float64
    return [
        Case("neon_f32_more", "neon_f32_more_ref",
             [("x", ints(4)), ("y", ints(4)), ("a", ints(1)), ("s", ints(1)),
              ("r", ints(2))]
             + [(n, ints(4)) for n in ("bs", "cp", "red", "neg", "mul2", "f1", "ex", "la")]),
        Case("neon_f64_all", "neon_f64_all_ref",
             [("x", ints(2, f64)), ("y", ints(2, f64)), ("a", ints(1, f64)),
              ("s", ints(1, f64))]
             + [(n, ints(2, f64)) for n in ("r", "ld", "bc", "bs", "z", "cp", "add", "mul",
                                            "fma", "neg", "red")]),
        Case("neon_convert", "neon_convert_ref",
             [("x", ints(4)), ("lo", ints(2, f64)), ("hi", ints(2, f64))]),
    ]


@pytest.mark.parametrize("profile_name", ["neon-simde", "neon-qemu"])
def test_neon_f32_f64_library_matches_its_specifications(profile_name, tmp_path):
    drivers = [neon_f32_more, neon_f64_all, neon_convert]
    cases = f32_f64_cases()
    results = run_cases(drivers + [reference_proc(d) for d in drivers], cases,
                        profile_name, tmp_path)
    assert_cases_match(results, cases)
    c0, c1, c2 = cases
    x, y = _arg(c0, "x"), _arg(c0, "y")
    np.testing.assert_array_equal(results[(0, "la")][0], _arg(c0, "la") + x * y[2])
    np.testing.assert_array_equal(results[(0, "f1")][0], _arg(c0, "f1") + _arg(c0, "a")[0] * y)
    assert results[(0, "r")][0][1] == _arg(c0, "r")[1] + x.sum()
    np.testing.assert_array_equal(results[(1, "fma")][0],
                                  _arg(c1, "fma") + _arg(c1, "x") * _arg(c1, "y"))
    np.testing.assert_array_equal(results[(2, "hi")][0], _arg(c2, "x")[2:])


def test_neon_f16_library_matches_its_specifications(tmp_path):
    f16 = np.float16
    cases = [Case("neon_f16_more", "neon_f16_more_ref",
                  [("x", ints(8, f16)), ("y", ints(8, f16)), ("a", ints(1, f16))]
                  + [(n, ints(8, f16)) for n in ("f1", "f2", "ex")])]
    results = run_cases([neon_f16_more, reference_proc(neon_f16_more)], cases,
                        "neon-qemu", tmp_path)
    assert_cases_match(results, cases)
    c = cases[0]
    np.testing.assert_array_equal(results[(0, "ex")][0],
                                  _arg(c, "ex") + _arg(c, "x") * _arg(c, "y"))
