"""Neon instruction library: each instruction, called from object code and
compiled to C, computes what its object-code body says.

The f32 instructions run on x86-64 through SIMDe and, cross-compiled for
AArch64, under qemu-aarch64; the f16 instructions only under qemu (SIMDe 0.7
lacks the f16 arithmetic intrinsics). Drivers are compared with
`reference_proc` (instructions replaced by their bodies) on small integer
inputs, so results must agree exactly.
"""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import proc, compile_procs_to_strings
from exo_codegen.memories import Neon, Neon8f
from exo_codegen.platforms.neon import (
    neon_vld_4xf32, neon_vst_4xf32, neon_broadcast_4xf32, neon_zero_4xf32,
    neon_vadd_4xf32, neon_vmul_4xf32, neon_vfmadd_4xf32_4xf32,
    neon_vfmadd_4xf32_1xf32, neon_vfmla_4xf32_4xf32, neon_vld_8xf16,
    neon_vst_8xf16, neon_broadcast_8xf16, neon_zero_8xf16, neon_vadd_8xf16,
    neon_vmul_8xf16, neon_vfmadd_8xf16_8xf16, neon_vfmla_8xf16_8xf16,
)
from target_tools import Case, assert_cases_match, reference_proc, run_cases

RNG = np.random.default_rng(7)


def small_ints(shape, dtype=np.float32):
    return RNG.integers(-6, 7, size=shape).astype(dtype)


@proc
def neon_f32_moves(x: f32[8], a: f32[2], y: f32[16]):
    v: f32[3, 4] @ Neon
    neon_vld_4xf32(v[2, 0:4], x[0:4])
    neon_vld_4xf32(v[0, 0:4], x[4:8])
    neon_broadcast_4xf32(v[1, 0:4], a[1:2])
    neon_vst_4xf32(y[0:4], v[0, 0:4])
    neon_vst_4xf32(y[4:8], v[1, 0:4])
    neon_vst_4xf32(y[8:12], v[2, 0:4])
    neon_zero_4xf32(v[2, 0:4])
    neon_vst_4xf32(y[12:16], v[2, 0:4])


@proc
def neon_f32_arith(x: f32[4], y: f32[4], a: f32[1], s: f32[4], p: f32[4],
                   f: f32[4], g: f32[4], h: f32[4]):
    vx: f32[4] @ Neon
    vy: f32[4] @ Neon
    t: f32[4] @ Neon
    neon_vld_4xf32(vx[0:4], x[0:4])
    neon_vld_4xf32(vy[0:4], y[0:4])
    neon_vadd_4xf32(t[0:4], vx[0:4], vy[0:4])
    neon_vst_4xf32(s[0:4], t[0:4])
    neon_vmul_4xf32(t[0:4], vx[0:4], vy[0:4])
    neon_vst_4xf32(p[0:4], t[0:4])
    neon_vld_4xf32(t[0:4], f[0:4])
    neon_vfmadd_4xf32_4xf32(t[0:4], vx[0:4], vy[0:4])
    neon_vst_4xf32(f[0:4], t[0:4])
    neon_vld_4xf32(t[0:4], g[0:4])
    neon_vfmadd_4xf32_1xf32(t[0:4], vx[0:4], a[0:1])
    neon_vst_4xf32(g[0:4], t[0:4])
    neon_vld_4xf32(t[0:4], h[0:4])
    neon_vfmla_4xf32_4xf32(t[0:4], vx[0:4], vy[0:4], 3)
    neon_vfmla_4xf32_4xf32(t[0:4], vy[0:4], vx[0:4], 1)
    neon_vst_4xf32(h[0:4], t[0:4])


@proc
def neon_f16_all(x: f16[8], y: f16[8], a: f16[1], m: f16[8], s: f16[8],
                 p: f16[8], f: f16[8], h: f16[8]):
    vx: f16[8] @ Neon8f
    vy: f16[8] @ Neon8f
    t: f16[8] @ Neon8f
    neon_vld_8xf16(vx[0:8], x[0:8])
    neon_vld_8xf16(vy[0:8], y[0:8])
    neon_broadcast_8xf16(t[0:8], a[0:1])
    neon_vst_8xf16(m[0:8], t[0:8])
    neon_vadd_8xf16(t[0:8], vx[0:8], vy[0:8])
    neon_vst_8xf16(s[0:8], t[0:8])
    neon_vmul_8xf16(t[0:8], vx[0:8], vy[0:8])
    neon_vst_8xf16(p[0:8], t[0:8])
    neon_vld_8xf16(t[0:8], f[0:8])
    neon_vfmadd_8xf16_8xf16(t[0:8], vx[0:8], vy[0:8])
    neon_vst_8xf16(f[0:8], t[0:8])
    neon_zero_8xf16(t[0:8])
    neon_vfmla_8xf16_8xf16(t[0:8], vx[0:8], vy[0:8], 6)
    neon_vst_8xf16(h[0:8], t[0:8])


def f32_cases():
    return [
        Case("neon_f32_moves", "neon_f32_moves_ref",
             [("x", small_ints(8)), ("a", small_ints(2)), ("y", small_ints(16))]),
        Case("neon_f32_arith", "neon_f32_arith_ref",
             [("x", small_ints(4)), ("y", small_ints(4)), ("a", small_ints(1))]
             + [(n, small_ints(4)) for n in ("s", "p", "f", "g", "h")]),
    ]


@pytest.mark.parametrize("profile_name", ["neon-simde", "neon-qemu"])
def test_neon_f32_instructions_match_their_specifications(profile_name, tmp_path):
    drivers = [neon_f32_moves, neon_f32_arith]
    cases = f32_cases()
    results = run_cases(drivers + [reference_proc(d) for d in drivers], cases,
                        profile_name, tmp_path)
    assert_cases_match(results, cases)
    x, y = cases[1].args[0][1], cases[1].args[1][1]
    h0 = cases[1].args[7][1]
    np.testing.assert_array_equal(results[(1, "h")][0], h0 + x * y[3] + y * x[1])


def test_neon_f16_instructions_match_their_specifications(tmp_path):
    f16 = np.float16
    cases = [Case("neon_f16_all", "neon_f16_all_ref",
                  [("x", small_ints(8, f16)), ("y", small_ints(8, f16)),
                   ("a", small_ints(1, f16))]
                  + [(n, small_ints(8, f16)) for n in ("m", "s", "p", "f", "h")])]
    results = run_cases([neon_f16_all, reference_proc(neon_f16_all)], cases,
                        "neon-qemu", tmp_path)
    assert_cases_match(results, cases)
    x, y = cases[0].args[0][1], cases[0].args[1][1]
    np.testing.assert_array_equal(results[(0, "h")][0], x * y[6])


def test_neon_c_text_matches_the_instructions_seed():
    c_text, _ = compile_procs_to_strings([neon_f32_moves], "n.h")
    # v: f32[3, 4] @ Neon, indexed only by constants: one named register each
    # (exo_codegen.register_split)
    assert "float32x4_t v_0;" in c_text and "float32x4_t v_2;" in c_text
    assert "v_2 = vld1q_f32(&x[0]);" in c_text
    assert "v_0 = vld1q_f32(&x[4]);" in c_text
    assert "vst1q_f32(&y[8], v_2);" in c_text
    assert "#include <arm_neon.h>" in c_text and "#include <simde/arm/neon.h>" in c_text
