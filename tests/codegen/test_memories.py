"""The memory library (exo_codegen.memories): the C text of allocations and
windows, the errors for buffers a memory cannot hold (with the user's source
position), the StaticMemory allocator, and the memories seed's AVX512 class
behaving like the library's.
"""

from __future__ import annotations

import inspect
import re

import pytest

from exo_core import proc, compile_procs_to_strings, MemGenError, Memory, DRAM
from exo_codegen.memories import (
    AVX2, AVX512 as LibAVX512, DRAM_STACK, DRAM_STATIC, Neon, Neon8f, RVM_TILE,
    StaticMemory,
)
from exo_codegen.platforms.x86 import mm512_loadu_ps, mm512_storeu_ps


def c_of(p) -> str:
    return compile_procs_to_strings([p], "m.h")[0]


def body_of(p) -> str:
    """The text of the C function ``p`` (from its signature to its end)."""
    c = c_of(p)
    start = c.index(f"void {p.name()}(")
    return c[start:]


def line_of(fn, text: str) -> int:
    lines, first = inspect.getsourcelines(fn)
    for k, line in enumerate(lines):
        if text in line:
            return first + k
    raise AssertionError(f"{text!r} not in the source")


# --------------------------------------------------------------------------
# The memories seed's AVX512 class, verbatim (with the helper it relies on)


def _is_const_size(sz, c):
    return sz.isdecimal() and int(sz) == c


class AVX512(Memory):
    @classmethod
    def global_(cls):
        return "#include <immintrin.h>"

    @classmethod
    def can_read(cls):
        return False

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo):
        if not shape:
            raise MemGenError(f"{srcinfo}: AVX512 vectors are not scalar values")
        if not prim_type == "float":
            raise MemGenError(f"{srcinfo}: AVX512 vectors must be f32 (for now)")
        if not _is_const_size(shape[-1], 16):
            raise MemGenError(f"{srcinfo}: AVX512 vectors must be 16-wide")
        shape = shape[:-1]
        if shape:
            result = f'__m512 {new_name}[{"][".join(map(str, shape))}];'
        else:
            result = f"__m512 {new_name};"
        return result

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo):
        return ""

    @classmethod
    def window(cls, basetyp, baseptr, indices, strides, srcinfo):
        assert strides[-1] == "1"
        idxs = indices[:-1] or ""
        if idxs:
            idxs = "[" + "][".join(idxs) + "]"
        return f"{baseptr}{idxs}"


SeedAVX512 = AVX512


def make_copy_kernel(Mem):
    @proc
    def copy16(n: size, x: f32[n, 16], y: f32[n, 16]):
        regs: f32[4, 16] @ Mem
        for i in seq(0, n):
            mm512_loadu_ps(regs[i % 4, 0:16], x[i, 0:16])
            mm512_storeu_ps(y[i, 0:16], regs[i % 4, 0:16])
    return copy16


def test_seed_avx512_class_generates_the_same_c_as_the_library_one():
    # The instructions declare @ AVX512 (the library class); a kernel using the
    # seed's class for its registers must still compile to the same function.
    lib_c = body_of(make_copy_kernel(LibAVX512))
    assert "__m512 regs[4];" in lib_c
    assert "regs[i % 4] = _mm512_loadu_ps(&x[" in lib_c
    try:
        seed_c = body_of(make_copy_kernel(SeedAVX512))
    except MemGenError as err:  # memories must match exactly in calls
        pytest.fail(f"seed AVX512 class rejected: {err}")
    assert seed_c == lib_c


def avx512_error_procs(Mem):
    @proc
    def not_16_wide(x: f32[8]):
        v: f32[8] @ Mem
        pass

    @proc
    def not_f32(x: f64[16]):
        v: f64[16] @ Mem
        pass

    @proc
    def scalar(x: f32):
        v: f32 @ Mem
        pass

    return [(not_16_wide, "16-wide", "v: f32[8] @ Mem"),
            (not_f32, "must be f32", "v: f64[16] @ Mem"),
            (scalar, "not scalar", "v: f32 @ Mem")]


@pytest.mark.parametrize("Mem", [LibAVX512, SeedAVX512], ids=["library", "seed"])
def test_avx512_refuses_bad_buffers_with_source_positions(Mem):
    for p, words, alloc_text in avx512_error_procs(Mem):
        with pytest.raises(MemGenError) as info:
            c_of(p)
        msg = str(info.value)
        assert words in msg
        m = re.match(r"(.+):(\d+):(\d+): ", msg)
        assert m, msg
        assert m.group(1) == __file__
        assert int(m.group(2)) == line_of(avx512_error_procs, alloc_text)
        assert msg.count(m.group(0)) == 1  # the position is not repeated


def test_avx512_error_names_the_allocation_line():
    @proc
    def eight(x: f32[8]):
        v: f32[8] @ LibAVX512
        pass

    with pytest.raises(MemGenError) as info:
        c_of(eight)
    line = line_of(test_avx512_error_names_the_allocation_line, "v: f32[8] @ LibAVX512")
    assert f"{__file__}:{line}:" in str(info.value)


def test_element_write_to_avx512_is_refused_with_position():
    @proc
    def poke(x: f32[16]):
        v: f32[16] @ LibAVX512
        v[0] = 3.0

    with pytest.raises(MemGenError) as info:
        c_of(poke)
    line = line_of(test_element_write_to_avx512_is_refused_with_position, "v[0] = 3.0")
    assert f"{__file__}:{line}:" in str(info.value)


# --------------------------------------------------------------------------
# Vector memories


def test_vector_memories_alloc_text_and_errors():
    si = "f.py:3:4"
    assert AVX2.alloc("v", "float", ["8"], si) == "__m256 v;"
    assert AVX2.alloc("v", "double", ["2", "4"], si) == "__m256d v[2];"
    assert Neon.alloc("v", "float", ["3", "n", "4"], si) == "float32x4_t v[3][n];"
    assert Neon8f.alloc("h", "_Float16", ["8"], si) == "float16x8_t h;"
    for mem, prim, shape, words in [
        (AVX2, "float", ["4"], "8-wide"), (AVX2, "int32_t", ["8"], "f32 or f64"),
        (Neon, "float", ["8"], "4-wide"), (Neon8f, "float", ["8"], "f16"),
        (Neon, "float", [], "not scalar"),
    ]:
        with pytest.raises(MemGenError, match=words) as info:
            mem.alloc("v", prim, shape, si)
        assert str(info.value).startswith("f.py:3:4: ")
    assert not AVX2.can_read() and not Neon.can_read()


def test_vector_window_is_the_register_and_refuses_partial_vectors():
    assert AVX2.window(None, "v", ["i", "j", "0"], ["16", "8", "1"], "s") == "v[i][j]"
    assert LibAVX512.window(None, "v", ["0"], ["1"], "s") == "v"
    with pytest.raises(MemGenError, match="first lane"):
        AVX2.window(None, "v", ["i", "4"], ["8", "1"], "s")
    with pytest.raises(MemGenError, match="unit stride"):
        AVX2.window(None, "v", ["0"], ["2"], "s")


def test_global_text_selects_simde_with_one_macro():
    g = LibAVX512.global_()
    assert "#ifdef EXO_USE_SIMDE" in g
    assert "#define SIMDE_ENABLE_NATIVE_ALIASES" in g
    assert "#include <simde/x86/avx512.h>" in g
    assert "#include <immintrin.h>" in g
    assert "#include <simde/arm/neon.h>" in Neon.global_()
    assert "#include <arm_neon.h>" in Neon.global_()
    assert '#include "exo_rvm_emulation.h"' in RVM_TILE.global_()


# --------------------------------------------------------------------------
# DRAM_STATIC and DRAM_STACK


def test_dram_static_and_stack_allocations():
    @proc
    def tmp(n: size, x: i32[n]):
        y: i32[4, 4] @ DRAM_STATIC
        z: f32[n, 2] @ DRAM_STACK
        s: f32 @ DRAM_STATIC
        for i in seq(0, 4):
            y[i, i] = x[0]
            z[0, 1] = 2.0
        s = z[0, 1]

    c = c_of(tmp)
    assert "static int32_t y[4 * 4];" in c
    assert "float z[(n) * 2];" in c
    assert "static float s;" in c
    assert "y[i * 4 + i] = x[0];" in c
    assert "free(" not in c


def test_dram_static_needs_constant_sizes():
    @proc
    def var(n: size):
        y: i32[n] @ DRAM_STATIC
        pass

    with pytest.raises(MemGenError, match="constant sizes") as info:
        c_of(var)
    line = line_of(test_dram_static_needs_constant_sizes, "y: i32[n] @ DRAM_STATIC")
    assert f"{__file__}:{line}:" in str(info.value)


# --------------------------------------------------------------------------
# StaticMemory


def test_static_memory_free_list():
    class Slots(StaticMemory):
        pass

    Slots.init_state(3)
    assert Slots.find_free_chunk() == 0
    Slots.mark(0)
    Slots.mark(1)
    assert Slots.find_free_chunk() == 2
    Slots.unmark(0)
    assert Slots.find_free_chunk() == 0
    Slots.mark(0)
    Slots.mark(2)
    with pytest.raises(MemGenError, match="cannot allocate more than 3"):
        Slots.find_free_chunk()
    with pytest.raises(MemGenError, match="no slot 7"):
        Slots.mark(7)
    Slots.reset_allocations()
    assert Slots.allocated_slots() == []
    # state is per class: another subclass is unaffected
    assert StaticMemory.allocated_slots() == []


def test_seed_style_static_memory_shares_state_set_on_the_base():
    class Regs(StaticMemory):
        StaticMemory.init_state(2)

        @classmethod
        def alloc(cls, new_name, prim_type, shape, srcinfo):
            n = cls.find_free_chunk()
            cls.mark(n)
            return f"#define {new_name} {n}"

    try:
        assert Regs.alloc("a", "float", [], None) == "#define a 0"
        assert StaticMemory.allocated_slots() == [0]
        Regs.reset_allocations()
        assert Regs.alloc("b", "float", [], None) == "#define b 0"
    finally:
        StaticMemory.init_state(0)


def test_rvm_tile_alloc_free_and_errors():
    RVM_TILE.reset_allocations()
    si = "conv.py:10:8"
    assert RVM_TILE.alloc("a", "int32_t", ["4", "4"], si) == '#define a "m7"'
    assert RVM_TILE.alloc("b", "int32_t", ["4", "4"], si) == '#define b "m6"'
    assert RVM_TILE.free("a", "int32_t", ["4", "4"], si) == "#undef a"
    assert RVM_TILE.alloc("c", "int32_t", ["4", "4"], si) == '#define c "m7"'
    for shape, prim, words in [(["4", "8"], "int32_t", "columns must be 4"),
                               (["2", "4"], "int32_t", "rows must be 4"),
                               (["4", "4", "4"], "int32_t", "2D"),
                               (["4", "4"], "float", "i32")]:
        with pytest.raises(MemGenError, match=words) as info:
            RVM_TILE.alloc("t", prim, shape, si)
        assert str(info.value).startswith(si + ": ")
    for k in range(6):
        RVM_TILE.alloc(f"t{k}", "int32_t", ["4", "4"], si)
    with pytest.raises(MemGenError, match="all 8 tile registers are in use"):
        RVM_TILE.alloc("t9", "int32_t", ["4", "4"], si)
    RVM_TILE.reset_allocations()
    assert RVM_TILE.allocated_slots() == [] and RVM_TILE.tile_dict == {}
