"""RVM (RISC-V matrix extension) instructions on 4 x 4 i32 tile registers.

As in the RVM case study: `RVM_TILE` buffers are ``#define``-d to register
names (``#define data_tile "m0"``) and each instruction is one inline
assembly statement whose operands paste those names::

    asm volatile("mmasa.w "out_tile_0", "data_tile", "kernel_tile_0);

Loads and stores take the row stride in bytes (4 x the window's row stride)
and the address of the first element. The bodies are the instructions'
meaning; note ``mmasa.w md, ms1, ms2`` accumulates ``ms2 * ms1^T``.

To run the C on an x86-64 host, compile with ``-DEXO_RVM_EMULATE`` and
``-I`` `exo_codegen.targets.include_dir()` (docs/targets.md).
"""

from __future__ import annotations

from exo_core import DRAM, instr
from exo_codegen.memories import RVM_TILE, StaticMemory, MemGenError


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
def rvm_mmasa(md: [i32][4, 4] @ RVM_TILE, ms1: [i32][4, 4] @ RVM_TILE,
              ms2: [i32][4, 4] @ RVM_TILE):
    assert stride(md, 1) == 1
    assert stride(ms1, 1) == 1
    assert stride(ms2, 1) == 1

    for i in seq(0, 4):
        for j in seq(0, 4):
            for k in seq(0, 4):
                md[i, j] += ms2[i, k] * ms1[j, k]
