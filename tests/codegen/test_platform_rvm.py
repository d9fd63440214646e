"""RVM instruction library: tile instructions called from object code, run
against the tile-register emulation (exo_rvm_emulation.h), compared with
their object-code specifications and numpy; the emitted C has the case
study's form; register assignment is the same on every compilation.
"""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import proc, compile_procs_to_strings, MemGenError
from exo_codegen.memories import DRAM_STATIC, RVM_TILE
from exo_codegen.platforms.rvm import rvm_mld, rvm_mmasa, rvm_mst, rvm_mzero
from target_tools import Case, assert_cases_match, reference_proc, run_cases

RNG = np.random.default_rng(3)


def ints(shape, lo=-50, hi=50):
    return RNG.integers(lo, hi, size=shape).astype(np.int32)


@proc
def rvm_tile_ops(A: i32[4, 8], B: i32[4, 4], C: i32[8, 4], Z: i32[4, 4]):
    a: i32[4, 4] @ RVM_TILE
    b: i32[4, 4] @ RVM_TILE
    c: i32[4, 4] @ RVM_TILE
    rvm_mld(a[0:4, 0:4], A[0:4, 4:8])
    rvm_mld(b[0:4, 0:4], B[0:4, 0:4])
    rvm_mld(c[0:4, 0:4], C[4:8, 0:4])
    rvm_mmasa(c[0:4, 0:4], a[0:4, 0:4], b[0:4, 0:4])
    rvm_mst(c[0:4, 0:4], C[0:4, 0:4])
    rvm_mzero(c[0:4, 0:4])
    rvm_mst(c[0:4, 0:4], Z[0:4, 0:4])


@proc
def rvm_matmul_16(A: i32[16, 16], BT: i32[16, 16], C: i32[16, 16]):
    # C = A * BT^T, one 4 x 4 output tile at a time
    for io in seq(0, 4):
        for jo in seq(0, 4):
            acc: i32[4, 4] @ RVM_TILE
            rvm_mzero(acc[0:4, 0:4])
            for ko in seq(0, 4):
                a: i32[4, 4] @ RVM_TILE
                b: i32[4, 4] @ RVM_TILE
                rvm_mld(a[0:4, 0:4], A[4 * io:4 * io + 4, 4 * ko:4 * ko + 4])
                rvm_mld(b[0:4, 0:4], BT[4 * jo:4 * jo + 4, 4 * ko:4 * ko + 4])
                rvm_mmasa(acc[0:4, 0:4], b[0:4, 0:4], a[0:4, 0:4])
            rvm_mst(acc[0:4, 0:4], C[4 * io:4 * io + 4, 4 * jo:4 * jo + 4])


def test_rvm_instructions_match_their_specifications(tmp_path):
    A, B, C, Z = ints((4, 8)), ints((4, 4)), ints((8, 4)), ints((4, 4))
    cases = [Case("rvm_tile_ops", "rvm_tile_ops_ref",
                  [("A", A), ("B", B), ("C", C), ("Z", Z)])]
    results = run_cases([rvm_tile_ops, reference_proc(rvm_tile_ops)], cases,
                        "rvm-emulate", tmp_path)
    assert_cases_match(results, cases)
    got_C = results[(0, "C")][0]
    # mmasa.w md, ms1, ms2: md += ms2 * ms1^T
    np.testing.assert_array_equal(got_C[0:4], C[4:8] + B @ A[:, 4:8].T)
    np.testing.assert_array_equal(got_C[4:8], C[4:8])
    assert not results[(0, "Z")][0].any()


def test_rvm_tiled_matmul_matches_numpy(tmp_path):
    A, BT, C = ints((16, 16)), ints((16, 16)), ints((16, 16))
    cases = [Case("rvm_matmul_16", "rvm_matmul_16_ref", [("A", A), ("BT", BT), ("C", C)])]
    results = run_cases([rvm_matmul_16, reference_proc(rvm_matmul_16)], cases,
                        "rvm-emulate", tmp_path)
    got, ref = results[(0, "C")]
    want = (A.astype(np.int64) @ BT.T.astype(np.int64)).astype(np.int32)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(ref, want)


# --------------------------------------------------------------------------
# The case study's final conv1d, written directly with the RVM instructions


@proc
def exo_conv1d_tile_lt_kw(data: i32[4, 16], kernels: i32[16, 4, 4], out: i32[16, 16]):
    for ioo in seq(0, 1):
        for jo in seq(0, 4):
            out_tile_0: i32[4, 4] @ RVM_TILE
            out_tile_1: i32[4, 4] @ RVM_TILE
            out_tile_2: i32[4, 4] @ RVM_TILE
            out_tile_3: i32[4, 4] @ RVM_TILE
            rvm_mzero(out_tile_0[0:4, 0:4])
            rvm_mzero(out_tile_1[0:4, 0:4])
            rvm_mzero(out_tile_2[0:4, 0:4])
            rvm_mzero(out_tile_3[0:4, 0:4])
            for c in seq(0, 4):
                y: i32[4, 4] @ DRAM_STATIC
                for ji in seq(0, 4):
                    for r in seq(0, 4):
                        if ji + r + 4 * jo < 16:
                            y[ji, r] = data[c, ji + r + 4 * jo]
                        else:
                            y[ji, r] = 0
                kernel_tile_0: i32[4, 4] @ RVM_TILE
                kernel_tile_1: i32[4, 4] @ RVM_TILE
                kernel_tile_2: i32[4, 4] @ RVM_TILE
                data_tile: i32[4, 4] @ RVM_TILE
                rvm_mld(data_tile[0:4, 0:4], y[0:4, 0:4])
                rvm_mld(kernel_tile_0[0:4, 0:4],
                        kernels[16 * ioo:4 + 16 * ioo, c, 0:4])
                rvm_mmasa(out_tile_0[0:4, 0:4], data_tile[0:4, 0:4],
                          kernel_tile_0[0:4, 0:4])
                rvm_mld(kernel_tile_1[0:4, 0:4],
                        kernels[4 + 16 * ioo:8 + 16 * ioo, c, 0:4])
                rvm_mmasa(out_tile_1[0:4, 0:4], data_tile[0:4, 0:4],
                          kernel_tile_1[0:4, 0:4])
                rvm_mld(kernel_tile_2[0:4, 0:4],
                        kernels[8 + 16 * ioo:12 + 16 * ioo, c, 0:4])
                rvm_mmasa(out_tile_2[0:4, 0:4], data_tile[0:4, 0:4],
                          kernel_tile_2[0:4, 0:4])
                rvm_mld(kernel_tile_0[0:4, 0:4],
                        kernels[12 + 16 * ioo:16 + 16 * ioo, c, 0:4])
                rvm_mmasa(out_tile_3[0:4, 0:4], data_tile[0:4, 0:4],
                          kernel_tile_0[0:4, 0:4])
            rvm_mst(out_tile_0[0:4, 0:4], out[16 * ioo:4 + 16 * ioo, 4 * jo:4 + 4 * jo])
            rvm_mst(out_tile_1[0:4, 0:4], out[4 + 16 * ioo:8 + 16 * ioo, 4 * jo:4 + 4 * jo])
            rvm_mst(out_tile_2[0:4, 0:4], out[8 + 16 * ioo:12 + 16 * ioo, 4 * jo:4 + 4 * jo])
            rvm_mst(out_tile_3[0:4, 0:4], out[12 + 16 * ioo:16 + 16 * ioo, 4 * jo:4 + 4 * jo])


def conv1d_numpy(data, kernels):
    IC, N = data.shape
    OC, _, W = kernels.shape
    out = np.zeros((OC, N), dtype=np.int64)
    for i in range(OC):
        for j in range(N):
            for c in range(IC):
                for r in range(W):
                    if j + r < N:
                        out[i, j] += int(data[c, j + r]) * int(kernels[i, c, r])
    return out.astype(np.int32)


def test_case_study_conv1d_runs_under_the_emulation(tmp_path):
    data, kernels = ints((4, 16)), ints((16, 4, 4))
    out = ints((16, 16))
    cases = [Case("exo_conv1d_tile_lt_kw", "exo_conv1d_tile_lt_kw_ref",
                  [("data", data), ("kernels", kernels), ("out", out)])]
    results = run_cases([exo_conv1d_tile_lt_kw, reference_proc(exo_conv1d_tile_lt_kw)],
                        cases, "rvm-emulate", tmp_path)
    got, ref = results[(0, "out")]
    want = conv1d_numpy(data, kernels)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(ref, want)


# Lines of the case study's emitted C that our C must contain verbatim
# (whitespace-normalised).
CASE_STUDY_LINES = [
    '#define out_tile_0 "m7"',
    '#define out_tile_1 "m6"',
    '#define out_tile_2 "m5"',
    '#define out_tile_3 "m4"',
    'asm volatile("mzero "out_tile_0);',
    'asm volatile("mzero "out_tile_3);',
    'static int32_t y[4 * 4];',
    '#define kernel_tile_0 "m3"',
    '#define kernel_tile_1 "m2"',
    '#define kernel_tile_2 "m1"',
    '#define data_tile "m0"',
    'asm volatile("mld.w "data_tile", (%1), %0" :: "r"(4*(((struct exo_win_2i32c){ '
    '&y[0], { 4, 1 } }).strides[0])), "r"(&y[0]));',
    'asm volatile("mmasa.w "out_tile_0", "data_tile", "kernel_tile_0);',
    'asm volatile("mmasa.w "out_tile_1", "data_tile", "kernel_tile_1);',
    'asm volatile("mmasa.w "out_tile_3", "data_tile", "kernel_tile_0);',
    '#undef kernel_tile_1',
    '#undef data_tile',
    '#undef out_tile_3',
]


def _normalise(text: str) -> str:
    return " ".join(text.split())


def test_emitted_c_has_the_case_study_form():
    c_text, _ = compile_procs_to_strings([exo_conv1d_tile_lt_kw], "conv1d.h")
    flat = _normalise(c_text)
    missing = [line for line in CASE_STUDY_LINES if _normalise(line) not in flat]
    assert not missing, "lines of the case study missing:\n" + "\n".join(missing) + \
        "\n--- C ---\n" + c_text
    # the kernel and output windows are passed as the case study's structs
    assert "asm volatile(\"mld.w \"kernel_tile_0\", (%1), %0\" :: \"r\"(4*(((struct " \
           "exo_win_2i32c){" in flat
    assert "asm volatile(\"mst.w \"out_tile_0\", (%1), %0\" :: \"r\"(4*(((struct " \
           "exo_win_2i32){" in flat
    # the instructions are announced once each in a comment block
    assert flat.count("relies on the instruction rvm_mld(") == 1


def test_compiling_twice_gives_the_same_registers():
    first = compile_procs_to_strings([exo_conv1d_tile_lt_kw], "conv1d.h")[0]

    @proc
    def too_many_tiles(x: i32[4, 4]):
        t0: i32[4, 4] @ RVM_TILE
        t1: i32[4, 4] @ RVM_TILE
        t2: i32[4, 4] @ RVM_TILE
        t3: i32[4, 4] @ RVM_TILE
        t4: i32[4, 4] @ RVM_TILE
        t5: i32[4, 4] @ RVM_TILE
        t6: i32[4, 4] @ RVM_TILE
        t7: i32[4, 4] @ RVM_TILE
        t8: i32[4, 4] @ RVM_TILE
        rvm_mld(t8[0:4, 0:4], x[0:4, 0:4])

    # A failed compilation leaves tiles allocated in the memory class...
    with pytest.raises(MemGenError, match="all 8 tile registers are in use"):
        compile_procs_to_strings([too_many_tiles], "bad.h")
    # ...and the next compilation starts from a fresh allocator anyway.
    second = compile_procs_to_strings([exo_conv1d_tile_lt_kw], "conv1d.h")[0]
    assert first == second
    assert '#define data_tile "m0"' in second
