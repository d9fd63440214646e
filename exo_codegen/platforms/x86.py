"""x86 SIMD instructions: AVX2 (8 x f32, 4 x f64) and AVX-512 (16 x f32).

Every instruction is an ``@instr`` procedure: its body is the instruction's
meaning in object code (what ``replace`` matches and what the tests check the
intrinsic against), its string the C emitted at each call. Vector operands
live in `AVX2` / `AVX512` registers; memory operands are unit-stride `DRAM`
windows::

    @proc
    def axpy8(a: f32[1], x: f32[8], y: f32[8]):
        va: f32[8] @ AVX2
        vx: f32[8] @ AVX2
        vy: f32[8] @ AVX2
        mm256_broadcast_ss(va[0:8], a[0:1])
        mm256_loadu_ps(vx[0:8], x[0:8])
        mm256_loadu_ps(vy[0:8], y[0:8])
        mm256_fmadd_ps(vy[0:8], va[0:8], vx[0:8])
        mm256_storeu_ps(y[0:8], vy[0:8])

Compile the C with ``-mavx2 -mfma`` (AVX2) or ``-mavx512f`` (AVX-512), or
with ``-DEXO_USE_SIMDE`` to use SIMDe's portable implementation.
"""

from __future__ import annotations

from exo_core import DRAM, instr
from exo_codegen.memories import AVX2, AVX512

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
# AVX2, 4 x f64


@instr("{dst_data} = _mm256_setzero_pd();")
def mm256_setzero_pd(dst: [f64][4] @ AVX2):
    assert stride(dst, 0) == 1

    for i in seq(0, 4):
        dst[i] = 0.0


@instr("{dst_data} = _mm256_loadu_pd(&{src_data});")
def mm256_loadu_pd(dst: [f64][4] @ AVX2, src: [f64][4] @ DRAM):
    assert stride(src, 0) == 1
    assert stride(dst, 0) == 1

    for i in seq(0, 4):
        dst[i] = src[i]


@instr("_mm256_storeu_pd(&{dst_data}, {src_data});")
def mm256_storeu_pd(dst: [f64][4] @ DRAM, src: [f64][4] @ AVX2):
    assert stride(src, 0) == 1
    assert stride(dst, 0) == 1

    for i in seq(0, 4):
        dst[i] = src[i]


@instr("{out_data} = _mm256_broadcast_sd(&{val_data});")
def mm256_broadcast_sd(out: [f64][4] @ AVX2, val: [f64][1] @ DRAM):
    assert stride(out, 0) == 1

    for i in seq(0, 4):
        out[i] = val[0]


@instr("{dst_data} = _mm256_fmadd_pd({src1_data}, {src2_data}, {dst_data});")
def mm256_fmadd_pd(dst: [f64][4] @ AVX2, src1: [f64][4] @ AVX2,
                   src2: [f64][4] @ AVX2):
    assert stride(src1, 0) == 1
    assert stride(src2, 0) == 1
    assert stride(dst, 0) == 1

    for i in seq(0, 4):
        dst[i] += src1[i] * src2[i]


# --------------------------------------------------------------------------
# AVX-512, 16 x f32


@instr("{dst_data} = _mm512_setzero_ps();")
def mm512_setzero_ps(dst: [f32][16] @ AVX512):
    assert stride(dst, 0) == 1

    for i in seq(0, 16):
        dst[i] = 0.0


@instr("{dst_data} = _mm512_loadu_ps(&{src_data});")
def mm512_loadu_ps(dst: [f32][16] @ AVX512, src: [f32][16] @ DRAM):
    assert stride(src, 0) == 1
    assert stride(dst, 0) == 1

    for i in seq(0, 16):
        dst[i] = src[i]


@instr("_mm512_storeu_ps(&{dst_data}, {src_data});")
def mm512_storeu_ps(dst: [f32][16] @ DRAM, src: [f32][16] @ AVX512):
    assert stride(dst, 0) == 1
    assert stride(src, 0) == 1

    for i in seq(0, 16):
        dst[i] = src[i]


@instr("{dst_data} = _mm512_set1_ps({src_data});")
def mm512_set1_ps(dst: [f32][16] @ AVX512, src: [f32][1] @ DRAM):
    assert stride(dst, 0) == 1

    for i in seq(0, 16):
        dst[i] = src[0]


@instr("{C_data} = _mm512_fmadd_ps({A_data}, {B_data}, {C_data});")
def mm512_fmadd_ps(A: [f32][16] @ AVX512, B: [f32][16] @ AVX512,
                   C: [f32][16] @ AVX512):
    assert stride(A, 0) == 1
    assert stride(B, 0) == 1
    assert stride(C, 0) == 1

    for i in seq(0, 16):
        C[i] += A[i] * B[i]


@instr("{out_data} = _mm512_add_ps({x_data}, {y_data});")
def mm512_add_ps(out: [f32][16] @ AVX512, x: [f32][16] @ AVX512,
                 y: [f32][16] @ AVX512):
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(y, 0) == 1

    for i in seq(0, 16):
        out[i] = x[i] + y[i]


@instr("{out_data} = _mm512_mul_ps({x_data}, {y_data});")
def mm512_mul_ps(out: [f32][16] @ AVX512, x: [f32][16] @ AVX512,
                 y: [f32][16] @ AVX512):
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(y, 0) == 1

    for i in seq(0, 16):
        out[i] = x[i] * y[i]


@instr("{dst_data} = _mm512_maskz_loadu_ps(((1 << {N}) - 1), &{src_data});")
def mm512_maskz_loadu_ps(N: size, dst: [f32][16] @ AVX512, src: [f32][N] @ DRAM):
    # The "z" (zero-masking) form clears the lanes it does not load, so the
    # specification says so (lanes >= N become 0, they do not keep their value).
    assert stride(src, 0) == 1
    assert stride(dst, 0) == 1
    assert N <= 16

    for i in seq(0, 16):
        if i < N:
            dst[i] = src[i]
        else:
            dst[i] = 0.0


@instr("_mm512_mask_storeu_ps(&{dst_data}, ((1 << {N}) - 1), {src_data});")
def mm512_mask_storeu_ps(N: size, dst: [f32][N] @ DRAM, src: [f32][16] @ AVX512):
    assert stride(src, 0) == 1
    assert stride(dst, 0) == 1
    assert N <= 16

    for i in seq(0, 16):
        if i < N:
            dst[i] = src[i]
