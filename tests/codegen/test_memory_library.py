"""The memory library: every memory usable in an annotation and with
set_memory, the C each emits (the forms Exo 1.0 emits), and what each
refuses (MemGenError with the position)."""

from __future__ import annotations

import pytest

from exo_core import DRAM, MemGenError, instr, proc
from exo_codegen.memories import (AMX_TILE, AVX2, AVX512, DRAM_STACK, DRAM_STATIC, GEMM_ACCUM,
                                  GEMM_SCRATCH, MDRAM, Neon, Neon8f, RVM_TILE, StaticMemory)
from exo_stdlib.scheduling import set_memory

ALL = [DRAM, DRAM_STATIC, DRAM_STACK, MDRAM, AVX2, AVX512, AMX_TILE, GEMM_SCRATCH, GEMM_ACCUM,
       Neon, Neon8f, RVM_TILE]


@proc
def scratch(x: f32[16] @ DRAM):
    t: f32[16] @ DRAM
    for i in seq(0, 16):
        t[i] = x[i]
        x[i] = t[i] + 1.0


@pytest.mark.parametrize("mem", ALL, ids=lambda m: m.__name__)
def test_every_memory_in_set_memory(mem):
    p = set_memory(scratch, "t : _", mem)
    assert f"t: f32[16] @ {mem.__name__}" in str(p)
    if mem.can_read():
        assert "t[" in p.c_code_str()
    else:
        with pytest.raises(MemGenError) as e:
            p.c_code_str()
        assert e.value.srcinfo is not None and e.value.srcinfo.lineno


def test_mdram_uses_the_custom_allocator():
    @proc
    def f(n: size, x: f32[n] @ MDRAM):
        t: f32[n] @ MDRAM
        for i in seq(0, n):
            t[i] = x[i]
            x[i] = t[i] * 2.0
    c = f.c_code_str()
    assert '#include "custom_malloc.h"' in c
    assert "float *t = (float*) malloc_dram ((n) * sizeof(float));" in c or \
        "float *t = (float*) malloc_dram (n * sizeof(float));" in c
    assert "free_dram(t);" in c


@instr("gemm_op({x_data});")
def gemm_op(x: [i8][16, 16] @ GEMM_SCRATCH):
    for i in seq(0, 16):
        for j in seq(0, 16):
            x[i, j] = 0.0


@instr("acc_op({x_data});")
def acc_op(x: [i32][16, 16] @ GEMM_ACCUM):
    for i in seq(0, 16):
        for j in seq(0, 16):
            x[i, j] = 0.0


def test_gemmini_memories_allocate_and_window_by_rows():
    @proc
    def f():
        s: i8[32, 16] @ GEMM_SCRATCH
        gemm_op(s[16:32, :])
        a: i32[32, 16] @ GEMM_ACCUM
        acc_op(a[16:32, :])
    c = f.c_code_str()
    assert "#include <include/gemmini.h>" in c and '#include "gemm_malloc.h"' in c
    assert "int8_t *s = (int8_t*) ((uint64_t)gemm_malloc (16 * 32 * sizeof(int8_t)));" in c
    assert "gemm_op(*(int8_t*)((uint64_t)( ((uint32_t)((uint64_t)s)) + ((16) * (16))/16)));" in c
    assert "gemm_free((uint64_t)(s));" in c
    assert "int32_t *a = (int32_t*) ((uint32_t)gemm_acc_malloc (16 * 32 * sizeof(int32_t)));" in c
    assert "gemm_acc_free((uint32_t)(a));" in c


def test_gemmini_needs_rows_of_16():
    @proc
    def f(n: size):
        s: i8[n, 8] @ GEMM_SCRATCH
        pass
    with pytest.raises(MemGenError, match="innermost dimension is exactly 16; got 8") as e:
        f.c_code_str()
    assert e.value.srcinfo.lineno


def test_amx_tiles_take_registers_and_limits():
    assert AMX_TILE.alloc("a", "int8_t", ["16", "64"], None) == "#define a 0"
    assert AMX_TILE.alloc("b", "int8_t", ["8", "32"], None) == "#define b 1"
    assert AMX_TILE.free("a", "int8_t", ["16", "64"], None) == "#undef a"
    assert AMX_TILE.alloc("c", "int8_t", ["4", "4"], None) == "#define c 0"
    AMX_TILE.reset_allocations()
    assert AMX_TILE.allocated_slots() == []
    with pytest.raises(MemGenError, match="rows must be a constant and <= 16"):
        AMX_TILE.alloc("a", "int8_t", ["17", "4"], None)
    with pytest.raises(MemGenError, match="bytes per row must be a constant and <= 64"):
        AMX_TILE.alloc("a", "int32_t", ["16", "17"], None)
    with pytest.raises(MemGenError, match="AMX tiles must be 2-d"):
        AMX_TILE.alloc("a", "int8_t", ["4"], None)
    assert issubclass(AMX_TILE, StaticMemory)
    for _ in range(8):
        AMX_TILE.alloc("t", "int8_t", ["4", "4"], None)
    with pytest.raises(MemGenError, match="AMX_TILE is full"):
        AMX_TILE.alloc("t", "int8_t", ["4", "4"], None)
    AMX_TILE.reset_allocations()


def test_static_stack_and_vector_refusals():
    @proc
    def f(n: size):
        t: f32[n] @ DRAM_STATIC
        pass
    with pytest.raises(MemGenError, match="constant sizes"):
        f.c_code_str()
    p = set_memory(scratch, "t : _", AVX2)
    with pytest.raises(MemGenError, match="AVX2"):
        p.c_code_str()
