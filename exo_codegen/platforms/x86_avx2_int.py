"""AVX2 instructions on 16 x ui16 registers (memory `AVX2`, ``__m256i``).
Re-exported by `exo_codegen.platforms.x86`.
"""

from __future__ import annotations

from exo_core import DRAM, instr
from exo_codegen.memories import AVX2


@instr("{dst_data} = _mm256_loadu_si256((const __m256i *)&{src_data});")
def mm256_loadu_si256(dst: [ui16][16] @ AVX2, src: [ui16][16] @ DRAM):
    assert stride(src, 0) == 1
    assert stride(dst, 0) == 1

    for i in seq(0, 16):
        dst[i] = src[i]


@instr("_mm256_storeu_si256((__m256i *)&{dst_data}, {src_data});")
def mm256_storeu_si256(dst: [ui16][16] @ DRAM, src: [ui16][16] @ AVX2):
    assert stride(src, 0) == 1
    assert stride(dst, 0) == 1

    for i in seq(0, 16):
        dst[i] = src[i]


@instr("{out_data} = _mm256_add_epi16({x_data}, {y_data});")
def mm256_add_epi16(out: [ui16][16] @ AVX2, x: [ui16][16] @ AVX2, y: [ui16][16] @ AVX2):
    # Wrapping (mod 2^16) addition, as the body computes in C; Exo 1.0 emits
    # the saturating _mm256_adds_epu16 here (docs/porting.md).
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(y, 0) == 1

    for i in seq(0, 16):
        out[i] = x[i] + y[i]


@instr("{out_data} = _mm256_srli_epi16("
       "_mm256_mulhi_epu16({x_data}, _mm256_set1_epi16((short)0xAAAB)), 1);")
def avx2_ui16_divide_by_3(out: [ui16][16] @ AVX2, x: [ui16][16] @ AVX2):
    # floor(x / 3) for every 16-bit x: (x * 0xAAAB) >> 17, exactly.
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1

    for xii in seq(0, 16):
        out[xii] = x[xii] / 3.0
