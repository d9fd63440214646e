"""AVX2 prefix instructions: an 8 x f32 operation applied to lanes
``0 .. bound - 1`` only (a loop tail), other lanes and memory left as they
were. The lane mask is built at run time from ``bound``. Re-exported by
`exo_codegen.platforms.x86`.
"""

from __future__ import annotations

from exo_core import DRAM, instr
from exo_codegen.memories import AVX2

def _mask(bound: str = "bound") -> str:
    """The C declaring ``exo_mask_``: all-ones 32-bit lanes where lane < ``{bound}``."""
    return ("__m256i exo_mask_ = _mm256_cmpgt_epi32(_mm256_set1_epi32({" + bound + "}), "
            "_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));\n")


def _masked_blend(op: str, out: str = "out") -> str:
    return ("{{\n" + _mask() +
            f"__m256 exo_val_ = {op};\n"
            f"{{{out}_data}} = _mm256_blendv_ps({{{out}_data}}, exo_val_, "
            "_mm256_castsi256_ps(exo_mask_));\n"
            "}}")


@instr(_masked_blend("_mm256_maskload_ps(&{src_data}, exo_mask_)", "dst"))
def mm256_prefix_load_ps(dst: [f32][8] @ AVX2, src: [f32][8] @ DRAM, bound: size):
    # Memory at lanes >= bound is not read, and those lanes of dst keep their
    # value, as the body says (Exo 1.0's C zeroes them; docs/porting.md).
    assert stride(src, 0) == 1
    assert stride(dst, 0) == 1
    assert bound <= 8

    for i in seq(0, 8):
        if i < bound:
            dst[i] = src[i]


@instr("{{\n" + _mask() + "_mm256_maskstore_ps(&{dst_data}, exo_mask_, {src_data});\n}}")
def mm256_prefix_store_ps(dst: [f32][8] @ DRAM, src: [f32][8] @ AVX2, bound: size):
    assert stride(dst, 0) == 1
    assert stride(src, 0) == 1
    assert bound <= 8

    for i in seq(0, 8):
        if i < bound:
            dst[i] = src[i]


@instr(_masked_blend("_mm256_broadcast_ss(&{val_data})"))
def mm256_prefix_broadcast_ss(out: [f32][8] @ AVX2, val: [f32][1] @ DRAM, bound: size):
    assert stride(out, 0) == 1
    assert bound <= 8

    for i in seq(0, 8):
        if i < bound:
            out[i] = val[0]


@instr(_masked_blend("_mm256_add_ps({x_data}, {y_data})"))
def mm256_prefix_add_ps(out: [f32][8] @ AVX2, x: [f32][8] @ AVX2, y: [f32][8] @ AVX2,
                        bound: size):
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(y, 0) == 1
    assert bound <= 8

    for i in seq(0, 8):
        if i < bound:
            out[i] = x[i] + y[i]


@instr(_masked_blend("_mm256_sub_ps({x_data}, {y_data})"))
def mm256_prefix_sub_ps(out: [f32][8] @ AVX2, x: [f32][8] @ AVX2, y: [f32][8] @ AVX2,
                        bound: size):
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(y, 0) == 1
    assert bound <= 8

    for i in seq(0, 8):
        if i < bound:
            out[i] = x[i] - y[i]


@instr(_masked_blend("_mm256_mul_ps({x_data}, {y_data})"))
def mm256_prefix_mul_ps(out: [f32][8] @ AVX2, x: [f32][8] @ AVX2, y: [f32][8] @ AVX2,
                        bound: size):
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(y, 0) == 1
    assert bound <= 8

    for i in seq(0, 8):
        if i < bound:
            out[i] = x[i] * y[i]


@instr(_masked_blend("_mm256_div_ps({x_data}, {y_data})"))
def mm256_prefix_div_ps(out: [f32][8] @ AVX2, x: [f32][8] @ AVX2, y: [f32][8] @ AVX2,
                        bound: size):
    assert stride(out, 0) == 1
    assert stride(x, 0) == 1
    assert stride(y, 0) == 1
    assert bound <= 8

    for i in seq(0, 8):
        if i < bound:
            out[i] = x[i] / y[i]


@instr("{{\n" + _mask("N") + "_mm256_maskstore_ps(&{dst_data}, exo_mask_, {src_data});\n}}")
def avx2_mask_storeu_ps(N: size, dst: [f32][N] @ DRAM, src: [f32][8] @ AVX2):
    assert stride(src, 0) == 1
    assert stride(dst, 0) == 1
    assert N <= 8

    for i in seq(0, 8):
        if i < N:
            dst[i] = src[i]
