"""AVX-512 instructions on 16 x f32 registers (memory `AVX512`, ``__m512``).
Compile with ``-mavx512f``, or ``-DEXO_USE_SIMDE``. Re-exported by
`exo_codegen.platforms.x86`.
"""

from __future__ import annotations

from exo_core import DRAM, instr
from exo_core.ir.extern import relu
from exo_codegen.memories import AVX512

# The mask of lanes below {N}, for any N >= 0 (a shift by 16 or more would
# not fit the 16-bit mask).
_LANES_BELOW_N = "({N} >= 16 ? 0xFFFFu : (1u << {N}) - 1u)"

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


@instr("{out_data} = _mm512_mask_add_ps({out_data}, " + _LANES_BELOW_N +
       ", {x_data}, {y_data});")
def mm512_mask_add_ps(N: size, out: [f32][16] @ AVX512, x: [f32][16] @ AVX512,
                      y: [f32][16] @ AVX512):
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(y, 0) == 1

    for i in seq(0, 16):
        if i < N:
            out[i] = x[i] + y[i]


@instr("{C_data} = _mm512_mask_mov_ps({C_data}, " + _LANES_BELOW_N +
       ", _mm512_fmadd_ps({A_data}, {B_data}, {C_data}));")
def mm512_mask_fmadd_ps(N: size, A: [f32][16] @ AVX512, B: [f32][16] @ AVX512,
                        C: [f32][16] @ AVX512):
    # Lanes >= N keep C (the accumulator), as the body says.
    assert N >= 1
    assert N < 16
    assert stride(A, 0) == 1
    assert stride(B, 0) == 1
    assert stride(C, 0) == 1

    for i in seq(0, 16):
        if i < N:
            C[i] += A[i] * B[i]


@instr("{dst_data} = _mm512_mask_mov_ps({dst_data}, " + _LANES_BELOW_N +
       ", _mm512_set1_ps({src_data}));")
def mm512_mask_set1_ps(N: size, dst: [f32][16] @ AVX512, src: [f32][1] @ DRAM):
    assert N >= 1
    assert N < 16
    assert stride(dst, 0) == 1

    for i in seq(0, 16):
        if i < N:
            dst[i] = src[0]


@instr("{dst_data} = _mm512_max_ps({src_data}, _mm512_setzero_ps());")
def mm512_relu_ps(dst: [f32][16] @ AVX512, src: [f32][16] @ AVX512):
    assert stride(dst, 0) == 1
    assert stride(src, 0) == 1

    for i in seq(0, 16):
        dst[i] = relu(src[i])
