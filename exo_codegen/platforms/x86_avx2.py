"""AVX2 instructions on 8 x f32 registers (memory `AVX2`, ``__m256``).

Each ``@instr`` body is the instruction's meaning in object code (what
``replace`` matches); its string is the C emitted at each call. Compile with
``-mavx2 -mfma``, or ``-DEXO_USE_SIMDE``. Re-exported by
`exo_codegen.platforms.x86`.
"""

from __future__ import annotations

from exo_core import DRAM, instr
from exo_core.ir.extern import select
from exo_codegen.memories import AVX2

# --------------------------------------------------------------------------
# AVX2, 8 x f32


@instr("{dst_data} = _mm256_setzero_ps();")
def mm256_setzero_ps(dst: [f32][8] @ AVX2):
    assert stride(dst, 0) == 1

    for i in seq(0, 8):
        dst[i] = 0.0


@instr("{dst_data} = _mm256_loadu_ps(&{src_data});")
def mm256_loadu_ps(dst: [f32][8] @ AVX2, src: [f32][8] @ DRAM):
    assert stride(src, 0) == 1
    assert stride(dst, 0) == 1

    for i in seq(0, 8):
        dst[i] = src[i]


@instr("_mm256_storeu_ps(&{dst_data}, {src_data});")
def mm256_storeu_ps(dst: [f32][8] @ DRAM, src: [f32][8] @ AVX2):
    assert stride(src, 0) == 1
    assert stride(dst, 0) == 1

    for i in seq(0, 8):
        dst[i] = src[i]


@instr("{out_data} = _mm256_broadcast_ss(&{val_data});")
def mm256_broadcast_ss(out: [f32][8] @ AVX2, val: [f32][1] @ DRAM):
    assert stride(out, 0) == 1

    for i in seq(0, 8):
        out[i] = val[0]


@instr("{out_data} = _mm256_set1_ps({val_data});")
def mm256_set1_ps(out: [f32][8] @ AVX2, val: f32):
    assert stride(out, 0) == 1

    for i in seq(0, 8):
        out[i] = val


@instr("{dst_data} = _mm256_fmadd_ps({src1_data}, {src2_data}, {dst_data});")
def mm256_fmadd_ps(dst: [f32][8] @ AVX2, src1: [f32][8] @ AVX2,
                   src2: [f32][8] @ AVX2):
    assert stride(src1, 0) == 1
    assert stride(src2, 0) == 1
    assert stride(dst, 0) == 1

    for i in seq(0, 8):
        dst[i] += src1[i] * src2[i]


@instr("{out_data} = _mm256_add_ps({x_data}, {y_data});")
def mm256_add_ps(out: [f32][8] @ AVX2, x: [f32][8] @ AVX2, y: [f32][8] @ AVX2):
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(y, 0) == 1

    for i in seq(0, 8):
        out[i] = x[i] + y[i]


@instr("{out_data} = _mm256_mul_ps({x_data}, {y_data});")
def mm256_mul_ps(out: [f32][8] @ AVX2, x: [f32][8] @ AVX2, y: [f32][8] @ AVX2):
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(y, 0) == 1

    for i in seq(0, 8):
        out[i] = x[i] * y[i]


@instr("{dst_data} = {src_data};")
def mm256_reg_copy(dst: [f32][8] @ AVX2, src: [f32][8] @ AVX2):
    assert stride(dst, 0) == 1
    assert stride(src, 0) == 1

    for i in seq(0, 8):
        dst[i] = src[i]


@instr(
    "{{\n"
    "    __m128 exo_lo_ = _mm_add_ps(_mm256_castps256_ps128({x_data}),\n"
    "                                _mm256_extractf128_ps({x_data}, 1));\n"
    "    exo_lo_ = _mm_add_ps(exo_lo_, _mm_movehl_ps(exo_lo_, exo_lo_));\n"
    "    exo_lo_ = _mm_add_ss(exo_lo_, _mm_shuffle_ps(exo_lo_, exo_lo_, 1));\n"
    "    {result_data} += _mm_cvtss_f32(exo_lo_);\n"
    "}}"
)
def avx2_assoc_reduce_add_ps(x: [f32][8] @ AVX2, result: f32):
    # The instruction adds the lanes pairwise: it assumes + is associative.
    assert stride(x, 0) == 1

    for i in seq(0, 8):
        result += x[i]




# --------------------------------------------------------------------------
# AVX2, 8 x f32: the rest of Exo 1.0's set


@instr("{out_data} = _mm256_setzero_ps();")
def avx2_set0_ps(out: [f32][8] @ AVX2):
    assert stride(out, 0) == 1

    for i in seq(0, 8):
        out[i] = 0.0


@instr("{dst_data} = {src_data};")
def avx2_reg_copy_ps(dst: [f32][8] @ AVX2, src: [f32][8] @ AVX2):
    assert stride(dst, 0) == 1
    assert stride(src, 0) == 1

    for i in seq(0, 8):
        dst[i] = src[i]


@instr("{out_data} = _mm256_set1_ps({val_data});")
def mm256_broadcast_ss_scalar(out: [f32][8] @ AVX2, val: f32):
    assert stride(out, 0) == 1

    for i in seq(0, 8):
        out[i] = val


@instr("{out_data} = _mm256_sub_ps({x_data}, {y_data});")
def mm256_sub_ps(out: [f32][8] @ AVX2, x: [f32][8] @ AVX2, y: [f32][8] @ AVX2):
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(y, 0) == 1

    for i in seq(0, 8):
        out[i] = x[i] - y[i]


@instr("{out_data} = _mm256_div_ps({x_data}, {y_data});")
def mm256_div_ps(out: [f32][8] @ AVX2, x: [f32][8] @ AVX2, y: [f32][8] @ AVX2):
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(y, 0) == 1

    for i in seq(0, 8):
        out[i] = x[i] / y[i]


@instr("{dst_data} = _mm256_fmadd_ps({lhs_data}, _mm256_broadcast_ss(&{rhs_data}), {dst_data});")
def mm256_fmadd_ps_broadcast(dst: [f32][8] @ AVX2, lhs: [f32][8] @ AVX2,
                             rhs: [f32][1] @ DRAM):
    assert stride(dst, 0) == 1
    assert stride(lhs, 0) == 1

    for i in seq(0, 8):
        dst[i] += lhs[i] * rhs[0]


@instr("_mm256_storeu_ps(&{dst_data}, _mm256_add_ps(_mm256_loadu_ps(&{dst_data}), {val_data}));")
def avx2_fmadd_memu_ps(dst: [f32][8] @ DRAM, val: [f32][8] @ AVX2):
    # Exo's name; the instruction adds a register into memory (no multiply).
    assert stride(dst, 0) == 1
    assert stride(val, 0) == 1

    for i in seq(0, 8):
        dst[i] += val[i]


@instr("{dst_data} = _mm256_add_ps({src_data}, {dst_data});")
def avx2_reduce_add_wide_ps(dst: [f32][8] @ AVX2, src: [f32][8] @ AVX2):
    assert stride(dst, 0) == 1
    assert stride(src, 0) == 1

    for i in seq(0, 8):
        dst[i] += src[i]


@instr("{dst_data} = _mm256_xor_ps({src_data}, _mm256_set1_ps(-0.0f));")
def avx2_sign_ps(dst: [f32][8] @ AVX2, src: [f32][8] @ AVX2):
    # Flipping the sign bit negates exactly (also 0.0 -> -0.0).
    assert stride(dst, 0) == 1
    assert stride(src, 0) == 1

    for i in seq(0, 8):
        dst[i] = -src[i]


@instr("{out_data} = _mm256_blendv_ps({z_data}, {y_data}, "
       "_mm256_cmp_ps({x_data}, {v_data}, _CMP_LT_OQ));")
def avx2_select_ps(out: [f32][8] @ AVX2, x: [f32][8] @ AVX2, v: [f32][8] @ AVX2,
                   y: [f32][8] @ AVX2, z: [f32][8] @ AVX2):
    # select(x, v, y, z) is ``y if x < v else z``, lane by lane.
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(v, 0) == 1
    assert stride(y, 0) == 1
    assert stride(z, 0) == 1

    for i in seq(0, 8):
        out[i] = select(x[i], v[i], y[i], z[i])
