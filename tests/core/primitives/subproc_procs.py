"""Procedures the subprocedure-primitive tests replace instructions into.

`conv1d_staged_rvm` is the case study's staged procedure (seed 003, after
``set_memory``) written directly in its staged form: the tile buffers in
RVM_TILE and ``y`` in DRAM_STATIC, ready for the four RVM instructions.
The AVX2/AVX-512/Neon kernels are loop nests already divided and staged
into vector-register buffers, each loop nest one instruction's body.
`rvm_replaced()`, `avx2_replaced()`, ... replace every loop nest by its
instruction.
"""

from __future__ import annotations

from exo_core import DRAM, proc
from exo_codegen.memories import AVX2, AVX512, DRAM_STATIC, Neon, RVM_TILE
from exo_codegen.platforms.neon import neon_vfmadd_4xf32_4xf32, neon_vld_4xf32, neon_vst_4xf32
from exo_codegen.platforms.rvm import rvm_mld, rvm_mmasa, rvm_mst, rvm_mzero
from exo_codegen.platforms.x86 import (mm256_broadcast_ss, mm256_fmadd_ps, mm256_loadu_ps,
                                       mm256_storeu_ps, mm512_fmadd_ps, mm512_loadu_ps,
                                       mm512_set1_ps, mm512_storeu_ps)
from exo_stdlib.scheduling import replace


@proc
def conv1d_staged_rvm(data: i32[4, 16] @ DRAM, kernels: i32[16, 4, 4] @ DRAM,
                      out: i32[16, 16] @ DRAM):
    for ioo in seq(0, 1):
        for jo in seq(0, 4):
            out_tile: i32[4, 4, 4] @ RVM_TILE
            for ioi in seq(0, 4):
                for ii in seq(0, 4):
                    for ji in seq(0, 4):
                        out_tile[ioi, ii, ji] = 0.0
            for c in seq(0, 4):
                y: i32[4, 4] @ DRAM_STATIC
                for ji in seq(0, 4):
                    for r in seq(0, 4):
                        if ji + r + 4 * jo < 16:
                            y[ji, r] = data[c, ji + r + 4 * jo]
                        else:
                            y[ji, r] = 0
                kernel_tile: i32[4, 4, 4] @ RVM_TILE
                data_tile: i32[4, 4] @ RVM_TILE
                for i0 in seq(0, 4):
                    for i1 in seq(0, 4):
                        data_tile[i0, i1] = y[i0, i1]
                for ioi in seq(0, 4):
                    for i0 in seq(0, 4):
                        for i1 in seq(0, 4):
                            kernel_tile[ioi, i0, i1] = kernels[i0 + 4 * ioi + 16 * ioo, c, i1]
                    for ii in seq(0, 4):
                        for ji in seq(0, 4):
                            for r in seq(0, 4):
                                out_tile[ioi, ii, ji] += kernel_tile[ioi, ii, r] * data_tile[ji, r]
            for ioi in seq(0, 4):
                for ii in seq(0, 4):
                    for ji in seq(0, 4):
                        out[ii + 4 * ioi + 16 * ioo, ji + 4 * jo] = out_tile[ioi, ii, ji]


@proc
def matmul_staged_rvm(A: i32[16, 16], BT: i32[16, 16], C: i32[16, 16]):
    # C = A * BT^T with 2-D tiles (the case study's tiles are 3-D until
    # unroll_buffer, which code generation needs)
    for io in seq(0, 4):
        for jo in seq(0, 4):
            acc: i32[4, 4] @ RVM_TILE
            for i in seq(0, 4):
                for j in seq(0, 4):
                    acc[i, j] = 0.0
            for ko in seq(0, 4):
                a: i32[4, 4] @ RVM_TILE
                b: i32[4, 4] @ RVM_TILE
                for i in seq(0, 4):
                    for j in seq(0, 4):
                        a[i, j] = A[4 * io + i, 4 * ko + j]
                for i in seq(0, 4):
                    for j in seq(0, 4):
                        b[i, j] = BT[4 * jo + i, 4 * ko + j]
                for i in seq(0, 4):
                    for j in seq(0, 4):
                        for k in seq(0, 4):
                            acc[i, j] += a[i, k] * b[j, k]
            for i in seq(0, 4):
                for j in seq(0, 4):
                    C[4 * io + i, 4 * jo + j] = acc[i, j]


@proc
def saxpy_staged_avx2(n: size, a: f32[1], x: f32[8 * n], y: f32[8 * n]):
    # y += a * x, 8 lanes at a time
    for io in seq(0, n):
        av: f32[8] @ AVX2
        xv: f32[8] @ AVX2
        yv: f32[8] @ AVX2
        for ii in seq(0, 8):
            av[ii] = a[0]
        for ii in seq(0, 8):
            xv[ii] = x[8 * io + ii]
        for ii in seq(0, 8):
            yv[ii] = y[8 * io + ii]
        for ii in seq(0, 8):
            yv[ii] += xv[ii] * av[ii]
        for ii in seq(0, 8):
            y[8 * io + ii] = yv[ii]


@proc
def sgemv_staged_avx512(m: size, A: f32[m, 16], x: f32[m], y: f32[16]):
    # y[j] += sum_k A[k, j] * x[k], 16 lanes at a time
    acc: f32[16] @ AVX512
    for j in seq(0, 16):
        acc[j] = y[j]
    for k in seq(0, m):
        row: f32[16] @ AVX512
        xb: f32[16] @ AVX512
        for j in seq(0, 16):
            row[j] = A[k, j]
        for j in seq(0, 16):
            xb[j] = x[k]
        for j in seq(0, 16):
            acc[j] += row[j] * xb[j]
    for j in seq(0, 16):
        y[j] = acc[j]


@proc
def vadd_staged_neon(n: size, x: f32[n, 4], y: f32[n, 4], z: f32[n, 4]):
    # z = x * y + z, one row of 4 at a time
    for i in seq(0, n):
        xv: f32[4] @ Neon
        yv: f32[4] @ Neon
        zv: f32[4] @ Neon
        for j in seq(0, 4):
            xv[j] = x[i, j]
        for j in seq(0, 4):
            yv[j] = y[i, j]
        for j in seq(0, 4):
            zv[j] = z[i, j]
        for j in seq(0, 4):
            zv[j] += xv[j] * yv[j]
        for j in seq(0, 4):
            z[i, j] = zv[j]


# --------------------------------------------------------------------------
# The kernels with their instructions


def rvm_replaced():
    p = conv1d_staged_rvm
    p = replace(p, "for ii in _:_ #0", rvm_mzero)
    p = replace(p, "for ii in _:_ #1", rvm_mst)
    p = replace(p, "for i0 in _:_ #0", rvm_mld)
    p = replace(p, "for i0 in _:_ #0", rvm_mld)
    return replace(p, "for ii in _:_ #0", rvm_mmasa)


def rvm_matmul_replaced():
    p = matmul_staged_rvm
    p = replace(p, "for i in _:_ #0", rvm_mzero)
    p = replace(p, "for i in _:_ #0", rvm_mld)
    p = replace(p, "for i in _:_ #0", rvm_mld)
    p = replace(p, "for i in _:_ #0", rvm_mmasa)
    return replace(p, "for i in _:_ #0", rvm_mst)


def avx2_replaced():
    p = saxpy_staged_avx2
    p = replace(p, "for ii in _:_ #0", mm256_broadcast_ss)
    p = replace(p, "for ii in _:_ #0", mm256_loadu_ps)
    p = replace(p, "for ii in _:_ #0", mm256_loadu_ps)
    p = replace(p, "for ii in _:_ #0", mm256_fmadd_ps)
    return replace(p, "for ii in _:_ #0", mm256_storeu_ps)


def avx512_replaced():
    p = sgemv_staged_avx512
    p = replace(p, "for j in _:_ #0", mm512_loadu_ps)
    p = replace(p, "for j in _:_ #0", mm512_loadu_ps)
    p = replace(p, "for j in _:_ #0", mm512_set1_ps)
    p = replace(p, "for j in _:_ #0", mm512_fmadd_ps)
    return replace(p, "for j in _:_ #0", mm512_storeu_ps)


def neon_replaced():
    p = vadd_staged_neon
    for _ in range(3):
        p = replace(p, "for j in _:_ #0", neon_vld_4xf32)
    p = replace(p, "for j in _:_ #0", neon_vfmadd_4xf32_4xf32)
    return replace(p, "for j in _:_ #0", neon_vst_4xf32)
