"""Every object-code example of the four seed documents, as real definitions.

Other test modules import these procedures (``from tests.seed_examples import
generic_conv1d``). Examples that need a memory of the code-generation library
(AVX512, Neon, RVM_TILE, DRAM_STATIC) are built by functions taking the memory
classes (``rvm_instrs(RVM_TILE)``) and here at import time: the memories are a
hard import, so a broken ``exo_codegen.memories`` fails the tests instead of
silently dropping half of the seed cases.

Where a seed elides code (``...``) the example is completed minimally and the
docstring says so. Seed printouts with broken indentation are written properly
indented.
"""

from __future__ import annotations

from exo_core import DRAM, proc, instr
from exo_core.ir.extern import Extern, _EErr

# The case study's sizes (seed 003): 4 input channels, 16 outputs, width 4.
IC, N, OC, W = 4, 16, 16, 4

# ---------------------------------------------------------------------------
# Seed 001: object-code syntax


@proc
def generic_conv1d(
    data: i32[IC, N] @ DRAM,
    kernels: i32[OC, IC, W] @ DRAM,
    out: i32[OC, N] @ DRAM,
):
    # Perform the convolution
    for i in seq(0, OC):
        for j in seq(0, N):
            # Zero out the output memory
            out[i, j] = 0.0
            for c in seq(0, IC):
                for r in seq(0, W):
                    y: i32
                    if j + r < N:
                        y = data[c, j + r]
                    else:
                        y = 0
                    out[i, j] += kernels[i, c, r] * y


@proc
def foo(x: [f32][3]):
    for i in seq(0, 3):
        x[i] = 0.0


@proc
def bar(y: f32[10], z: f32[20, 20]):
    foo(y[2:5])
    foo(z[1, 10:13])


@proc
def window_statement(x: f32[10]):
    """The syntax section's window statement ``y = x[0:3]`` (completed with a use)."""
    y = x[0:3]
    foo(y)


# ---------------------------------------------------------------------------
# Externs documentation: a user-defined extern


class _Sin(Extern):
    def __init__(self):
        super().__init__("sin")

    def typecheck(self, args):
        if len(args) != 1:
            raise _EErr(f"expected 1 argument, got {len(args)}")
        arg_type = args[0].type
        if not arg_type.is_real_scalar():
            raise _EErr(f"expected argument to be a real scalar value, but got type {arg_type}")
        return arg_type

    def compile(self, args, prim_type):
        return f"sin(({prim_type}){args[0]})"

    def globl(self, prim_type):
        return "#include <math.h>"

    def interpret(self, args):
        import math

        return math.sin(args[0])


sin = _Sin()


@proc
def extern_sin_foo(x: f32):
    """The externs page's ``foo`` (renamed: seed 001 has a ``foo`` too)."""
    x = sin(x) * 3.0


# ---------------------------------------------------------------------------
# Seed 003: the RVM case study, algorithm and printed intermediate procedures


@proc
def case_study_generic_conv1d(
    data: i32[IC, N],
    kernels: i32[OC, IC, W],
    out: i32[OC, N],
):
    # do the convolution
    for i in seq(0, OC):
        for j in seq(0, N):
            # zero out the result memory
            out[i, j] = 0.0
            for c in seq(0, IC):
                for r in seq(0, W):
                    y: i32
                    if j + r < W:
                        y = data[c, j + r]
                    else:
                        y = 0
                    out[i, j] += kernels[i, c, r] * y


@proc
def exo_conv1d_tile_lt_kw(data: i32[4, 16] @ DRAM, kernels: i32[16, 4, 4] @ DRAM,
                          out: i32[16, 16] @ DRAM):
    for ioo in seq(0, 1):
        for jo in seq(0, 4):
            for ioi in seq(0, 4):
                for ii in seq(0, 4):
                    for ji in seq(0, 4):
                        out[ii + 4 * ioi + 16 * ioo, ji + 4 * jo] = 0.0
                        for c in seq(0, 4):
                            for r in seq(0, 4):
                                y: i32 @ DRAM
                                if ji + r + 4 * jo < 4:
                                    y = data[c, ji + r + 4 * jo]
                                else:
                                    y = 0
                                out[ii + 4 * ioi + 16 * ioo, ji +
                                    4 * jo] += kernels[ii + 4 * ioi + 16 * ioo,
                                                       c, r] * y


conv1d_tiled = exo_conv1d_tile_lt_kw


@proc
def exo_conv1d_tile_lt_kw(data: i32[4, 16] @ DRAM, kernels: i32[16, 4, 4] @ DRAM,
                          out: i32[16, 16] @ DRAM):
    for ioo in seq(0, 1):
        for jo in seq(0, 4):
            for ioi in seq(0, 4):
                for ii in seq(0, 4):
                    for ji in seq(0, 4):
                        out_tile: i32 @ DRAM
                        out_tile = 0.0
                        for c in seq(0, 4):
                            for r in seq(0, 4):
                                y: i32 @ DRAM
                                if ji + r + 4 * jo < 16:
                                    y = data[c, ji + r + 4 * jo]
                                else:
                                    y = 0
                                out_tile += kernels[ii + 4 * ioi + 16 * ioo, c,
                                                    r] * y
                        out[ii + 4 * ioi + 16 * ioo, ji + 4 * jo] = out_tile


conv1d_staged_out = exo_conv1d_tile_lt_kw


@proc
def exo_conv1d_tile_lt_kw(data: i32[4, 16] @ DRAM, kernels: i32[16, 4, 4] @ DRAM,
                          out: i32[16, 16] @ DRAM):
    for ioo in seq(0, 1):
        for jo in seq(0, 4):
            out_tile: i32[4, 4, 4] @ DRAM
            for ioi in seq(0, 4):
                for ii in seq(0, 4):
                    for ji in seq(0, 4):
                        out_tile[ioi, ii, ji] = 0.0
                        for c in seq(0, 4):
                            for r in seq(0, 4):
                                y: i32 @ DRAM
                                if ji + r + 4 * jo < 16:
                                    y = data[c, ji + r + 4 * jo]
                                else:
                                    y = 0
                                out_tile[ioi, ii,
                                         ji] += kernels[ii + 4 * ioi +
                                                        16 * ioo, c, r] * y
                        out[ii + 4 * ioi + 16 * ioo,
                            ji + 4 * jo] = out_tile[ioi, ii, ji]


conv1d_lifted_out_tile = exo_conv1d_tile_lt_kw


@proc
def exo_conv1d_tile_lt_kw(data: i32[4, 16] @ DRAM, kernels: i32[16, 4, 4] @ DRAM,
                          out: i32[16, 16] @ DRAM):
    for ioo in seq(0, 1):
        for jo in seq(0, 4):
            out_tile: i32[4, 4, 4] @ DRAM
            for ioi in seq(0, 4):
                for ii in seq(0, 4):
                    for ji in seq(0, 4):
                        out_tile[ioi, ii, ji] = 0.0
            for c in seq(0, 4):
                for ioi in seq(0, 4):
                    for ii in seq(0, 4):
                        for ji in seq(0, 4):
                            for r in seq(0, 4):
                                y: i32 @ DRAM
                                if ji + r + 4 * jo < 4:
                                    y = data[c, ji + r + 4 * jo]
                                else:
                                    y = 0
                                out_tile[ioi, ii,
                                         ji] += kernels[ii + 4 * ioi +
                                                        16 * ioo, c, r] * y
            for ioi in seq(0, 4):
                for ii in seq(0, 4):
                    for ji in seq(0, 4):
                        out[ii + 4 * ioi + 16 * ioo,
                            ji + 4 * jo] = out_tile[ioi, ii, ji]


conv1d_c_loop_lifted = exo_conv1d_tile_lt_kw


@proc
def exo_conv1d_tile_lt_kw(data: i32[4, 16] @ DRAM, kernels: i32[16, 4, 4] @ DRAM,
                          out: i32[16, 16] @ DRAM):
    for ioo in seq(0, 1):
        for jo in seq(0, 4):
            out_tile: i32[4, 4, 4] @ DRAM
            for ioi in seq(0, 4):
                for ii in seq(0, 4):
                    for ji in seq(0, 4):
                        out_tile[ioi, ii, ji] = 0.0
            for c in seq(0, 4):
                y: i32[4, 4] @ DRAM
                for ji in seq(0, 4):
                    for r in seq(0, 4):
                        if ji + r + 4 * jo < 16:
                            y[ji, r] = data[c, ji + r + 4 * jo]
                        else:
                            y[ji, r] = 0
                kernel_tile: i32[4, 4, 4] @ DRAM
                data_tile: i32[4, 4] @ DRAM
                for i0 in seq(0, 4):
                    for i1 in seq(0, 4):
                        data_tile[i0, i1] = y[i0, i1]
                for ioi in seq(0, 4):
                    for i0 in seq(0, 4):
                        for i1 in seq(0, 4):
                            kernel_tile[ioi, i0,
                                        i1] = kernels[i0 + 4 * ioi + 16 * ioo,
                                                      c, i1]
                    for ii in seq(0, 4):
                        for ji in seq(0, 4):
                            for r in seq(0, 4):
                                out_tile[ioi, ii,
                                         ji] += kernel_tile[ioi, ii,
                                                            r] * data_tile[ji,
                                                                           r]
            for ioi in seq(0, 4):
                for ii in seq(0, 4):
                    for ji in seq(0, 4):
                        out[ii + 4 * ioi + 16 * ioo,
                            ji + 4 * jo] = out_tile[ioi, ii, ji]


conv1d_im2col_staged = exo_conv1d_tile_lt_kw
del exo_conv1d_tile_lt_kw

CASE_STUDY_STEPS = (conv1d_tiled, conv1d_staged_out, conv1d_lifted_out_tile,
                    conv1d_c_loop_lifted, conv1d_im2col_staged)
"""The case study's printed procedures in schedule order (all in DRAM)."""


# ---------------------------------------------------------------------------
# Procedures that need library memories


def rvm_instrs(RVM_TILE) -> dict:
    """The RVM instructions of seed 003 for a given tile-register memory.

    ``rvm_mmasa`` is verbatim from the seed; the load, store and zero texts are
    reconstructed from the C the seed shows (``mld.w``/``mst.w`` take the row
    stride in bytes and the address of the first element).
    """

    @instr('asm volatile("mld.w "{dst_int}", (%1), %0" :: '
           '"r"(4*({src}.strides[0])), "r"(&{src_data}));')
    def rvm_mld(dst: [i32][4, 4] @ RVM_TILE, src: [i32][4, 4] @ DRAM):
        assert stride(src, 1) == 1
        assert stride(dst, 1) == 1
        for i in seq(0, 4):
            for j in seq(0, 4):
                dst[i, j] = src[i, j]

    @instr('asm volatile("mzero "{dst_int});')
    def rvm_mzero(dst: [i32][4, 4] @ RVM_TILE):
        assert stride(dst, 1) == 1
        for i in seq(0, 4):
            for j in seq(0, 4):
                dst[i, j] = 0.0

    @instr('asm volatile("mst.w "{src_int}", (%1), %0" :: '
           '"r"(4*({dst}.strides[0])), "r"(&{dst_data}));')
    def rvm_mst(src: [i32][4, 4] @ RVM_TILE, dst: [i32][4, 4] @ DRAM):
        assert stride(src, 1) == 1
        assert stride(dst, 1) == 1
        for i in seq(0, 4):
            for j in seq(0, 4):
                dst[i, j] = src[i, j]

    @instr('asm volatile("mmasa.w "{md_int}", "{ms1_int}", "{ms2_int});')
    def rvm_mmasa(
        md: [i32][4, 4] @ RVM_TILE, ms1: [i32][4, 4] @ RVM_TILE,
        ms2: [i32][4, 4] @ RVM_TILE
    ):
        assert stride(md, 1) == 1
        assert stride(ms1, 1) == 1
        assert stride(ms2, 1) == 1
        for i in seq(0, 4):
            for j in seq(0, 4):
                for k in seq(0, 4):
                    md[i, j] += ms2[i, k] * ms1[j, k]

    return {"rvm_mld": rvm_mld, "rvm_mzero": rvm_mzero, "rvm_mst": rvm_mst,
            "rvm_mmasa": rvm_mmasa}


def rvm_conv1d_replaced(RVM_TILE, DRAM_STATIC, instrs: dict):
    """Seed 003's procedure after ``replace_all`` with the RVM instructions."""
    rvm_mld = instrs["rvm_mld"]
    rvm_mst = instrs["rvm_mst"]
    rvm_mzero = instrs["rvm_mzero"]
    rvm_mmasa = instrs["rvm_mmasa"]

    @proc
    def exo_conv1d_tile_lt_kw(data: i32[4, 16] @ DRAM,
                              kernels: i32[16, 4, 4] @ DRAM,
                              out: i32[16, 16] @ DRAM):
        for ioo in seq(0, 1):
            for jo in seq(0, 4):
                out_tile: i32[4, 4, 4] @ RVM_TILE
                for ioi in seq(0, 4):
                    rvm_mzero(out_tile[ioi, 0:4, 0:4])
                for c in seq(0, 4):
                    y: i32[4, 4] @ DRAM_STATIC
                    for ji in seq(0, 4):
                        for r in seq(0, 4):
                            if ji + r + 4 * jo < 4:
                                y[ji, r] = data[c, ji + r + 4 * jo]
                            else:
                                y[ji, r] = 0
                    kernel_tile: i32[4, 4, 4] @ RVM_TILE
                    data_tile: i32[4, 4] @ RVM_TILE
                    rvm_mld(data_tile[0:4, 0:4], y[0:4, 0:4])
                    for ioi in seq(0, 4):
                        rvm_mld(
                            kernel_tile[ioi, 0:4, 0:4],
                            kernels[4 * ioi + 16 * ioo:4 + 4 * ioi + 16 * ioo, c,
                                    0:4])
                        rvm_mmasa(out_tile[ioi, 0:4, 0:4], data_tile[0:4, 0:4],
                                  kernel_tile[ioi, 0:4, 0:4])
                for ioi in seq(0, 4):
                    rvm_mst(
                        out_tile[ioi, 0:4, 0:4],
                        out[4 * ioi + 16 * ioo:4 + 4 * ioi + 16 * ioo,
                            4 * jo:4 + 4 * jo])

    return exo_conv1d_tile_lt_kw


def neon_examples(Neon) -> dict:
    """Seed 002: the Neon load instruction, a procedure whose inner loop it
    matches (the seed elides the rest: completed with an ``M / 4`` loop), and
    that procedure after ``replace``."""

    @instr("{dst_data} = vld1q_f32(&{src_data});")
    def neon_vld_4xf32(dst: [f32][4] @ Neon, src: [f32][4] @ DRAM):
        assert stride(src, 0) == 1
        assert stride(dst, 0) == 1

        for i in seq(0, 4):
            dst[i] = src[i]

    @proc
    def foo(M: size, src: [f32][4] @ DRAM, dst: [f32][4] @ Neon):
        for i in seq(0, M / 4):
            for j in seq(0, 4):
                dst[j] = src[j]

    foo_before_replace = foo

    @proc
    def foo(M: size, src: [f32][4] @ DRAM, dst: [f32][4] @ Neon):
        for i in seq(0, M / 4):
            neon_vld_4xf32(dst, src)

    return {"neon_vld_4xf32": neon_vld_4xf32, "foo_before_replace": foo_before_replace,
            "foo_after_replace": foo}


def avx512_examples(AVX512, mm512_loadu_ps=None) -> dict:
    """Seed 000: buffers in AVX512 memory.

    ``foo`` is the direct-annotation example; ``invalid_scalar_write`` is the
    "invalid usage" (``x[0] = 3.0`` on a memory whose ``can_read()`` is False:
    it parses, and code generation must reject it); ``loadu_example`` completes
    the "valid usage" snippet when an ``mm512_loadu_ps`` instruction is given.
    """

    @proc
    def foo(x: f32[16] @ AVX512):
        y: f32[16] @ AVX512
        # Function body

    @proc
    def invalid_scalar_write():
        x: f32[16] @ AVX512
        x[0] = 3.0  # Invalid when can_read() is False

    out = {"foo": foo, "invalid_scalar_write": invalid_scalar_write}
    if mm512_loadu_ps is not None:

        @proc
        def loadu_example(n: size, inp: f32[16 * n] @ DRAM):
            for i in seq(0, n):
                x: f32[16] @ AVX512
                mm512_loadu_ps(x, inp[16*i : 16*i+16])

        out["loadu_example"] = loadu_example
    return out


from exo_codegen.memories import AVX512, DRAM_STATIC, Neon, RVM_TILE  # noqa: E402
from exo_codegen.platforms.x86 import mm512_loadu_ps as _mm512_loadu_ps  # noqa: E402

RVM_INSTRS = rvm_instrs(RVM_TILE)
rvm_mld = RVM_INSTRS["rvm_mld"]
rvm_mzero = RVM_INSTRS["rvm_mzero"]
rvm_mst = RVM_INSTRS["rvm_mst"]
rvm_mmasa = RVM_INSTRS["rvm_mmasa"]
conv1d_rvm = rvm_conv1d_replaced(RVM_TILE, DRAM_STATIC, RVM_INSTRS)
NEON_EXAMPLES = neon_examples(Neon)
neon_vld_4xf32 = NEON_EXAMPLES["neon_vld_4xf32"]
AVX512_EXAMPLES = avx512_examples(AVX512, _mm512_loadu_ps)


def all_seed_procs() -> dict:
    """Every seed procedure available here, by a unique descriptive key."""
    out = {
        "generic_conv1d": generic_conv1d, "foo": foo, "bar": bar,
        "window_statement": window_statement, "extern_sin_foo": extern_sin_foo,
        "case_study_generic_conv1d": case_study_generic_conv1d,
        "conv1d_tiled": conv1d_tiled, "conv1d_staged_out": conv1d_staged_out,
        "conv1d_lifted_out_tile": conv1d_lifted_out_tile,
        "conv1d_c_loop_lifted": conv1d_c_loop_lifted,
        "conv1d_im2col_staged": conv1d_im2col_staged,
    }
    out.update(RVM_INSTRS)
    out["conv1d_rvm"] = conv1d_rvm
    out.update({f"neon_{k}" if k != "neon_vld_4xf32" else k: v
                for k, v in NEON_EXAMPLES.items()})
    out.update({f"avx512_{k}": v for k, v in AVX512_EXAMPLES.items()})
    return out
