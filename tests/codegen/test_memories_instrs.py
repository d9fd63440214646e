"""Code generation through user-defined memories and @instr procedures."""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import proc, instr, f32, i32, size, DRAM, Memory, MemGenError
from exo_core import compile_procs_to_strings
from exo_codegen.errors import CodegenError
from exo_codegen.jit import jit


class TILE(Memory):
    """A register file reachable only through instructions; allocation is a
    ``#define`` of the buffer's name to a register name (as RVM_TILE does)."""

    counter = 0

    @classmethod
    def global_(cls):
        return "#define TILE_MEMORY_IN_USE 1"

    @classmethod
    def can_read(cls):
        return False

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo):
        if shape != ["4"]:
            raise MemGenError("tiles hold exactly 4 values")
        return f'#define {new_name} "t{len(new_name)}"'

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo):
        return f"#undef {new_name}"


class STACK(Memory):
    """Stack arrays with C `window` hook overridden (nested brackets)."""

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo):
        return f"{prim_type} {new_name}[{']['.join(shape)}];"

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo):
        return f"/* end of {new_name} */"

    @classmethod
    def window(cls, basetyp, baseptr, indices, strides, srcinfo):
        return f"{baseptr}[{']['.join(indices)}]"


@instr('tile_load({dst_int}, &{src_data}, {src}.strides[0]);',
       c_global="void tile_load(const char *reg, const float *p, int_fast32_t s);")
def tile_load(dst: [f32][4] @ TILE, src: [f32][4] @ DRAM):
    for i in seq(0, 4):
        dst[i] = src[i]


@instr("memcpy(&{dst_data}, &{src_data}, {n} * sizeof(float));",
       c_global="#include <string.h>")
def copy_contiguous(n: size, dst: [f32][n] @ DRAM, src: [f32][n] @ DRAM):
    assert stride(dst, 0) == 1
    assert stride(src, 0) == 1
    for i in seq(0, n):
        dst[i] = src[i]


@proc
def uses_tiles(a: f32[8, 4]):
    t: f32[4] @ TILE
    for i in seq(0, 8):
        u: f32[4] @ TILE
        tile_load(t, a[i, 0:4])
        tile_load(u[0:4], a[i, 0:4])


def test_instr_holes_and_static_memory_style_defines():
    c_text, h_text = compile_procs_to_strings([uses_tiles], "tiles.h")
    body = c_text[c_text.index("void uses_tiles"):]
    assert '#define t "t1"' in body and '#define u "t1"' in body
    assert "tile_load(t, &a[i * 4], ((struct exo_win_1f32c){ &a[i * 4], { 1 } })" \
           ".strides[0]);" in body
    assert "tile_load(u, &a[i * 4]," in body
    # u is freed at the end of the loop body, t at the end of the procedure
    assert body.index("#undef u") < body.index("#undef t")
    assert "#define TILE_MEMORY_IN_USE 1" in c_text
    assert c_text.count("void tile_load(const char *reg") == 1  # c_global once
    assert "relies on the instruction tile_load(dst, src)" in c_text


def test_can_read_false_element_access_is_refused():
    @proc
    def bad(x: f32[4]):
        t: f32[4] @ TILE
        t[0] = x[0]

    with pytest.raises(MemGenError) as info:
        bad.c_code_str()
    msg = str(info.value)
    assert "cannot read or write TILE buffer t element-wise; use an instruction" in msg
    assert info.value.srcinfo is not None and info.value.srcinfo.lineno > 0
    assert msg.startswith(f"{info.value.srcinfo}:")


def test_memory_hook_error_gets_user_position():
    @proc
    def bad_shape():
        t: f32[8] @ TILE
        pass

    with pytest.raises(MemGenError) as info:
        bad_shape.c_code_str()
    assert "tiles hold exactly 4 values" in str(info.value)
    assert info.value.srcinfo.lineno > 0 and __file__ in str(info.value)


def test_memory_hook_crash_becomes_memgen_error():
    class BROKEN(Memory):
        @classmethod
        def alloc(cls, new_name, prim_type, shape, srcinfo):
            return {}["missing"]

    @proc
    def uses_broken():
        t: f32 @ BROKEN
        pass

    with pytest.raises(MemGenError, match=r"memory BROKEN failed in its alloc\(\) hook "
                                          r"\(KeyError"):
        uses_broken.c_code_str()


@proc
def stack_user(x: f32[3, 2]):
    s: f32[3, 2] @ STACK
    for i in seq(0, 3):
        for j in seq(0, 2):
            s[i, j] = x[i, j] * 2.0
    for i in seq(0, 3):
        for j in seq(0, 2):
            x[i, j] = s[i, j] + 1.0


def test_custom_window_hook_for_element_access(cc):
    text = stack_user.c_code_str()
    assert "float s[3][2];" in text and "s[i][j] = x[i * 2 + j] * 2.0f;" in text
    assert "/* end of s */" in text
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    jit(stack_user, cc=cc)(x)
    np.testing.assert_array_equal(x, np.arange(6).reshape(3, 2) * 2 + 1)


@proc
def copy_rows(n: size, dst: f32[n, 4], src: f32[n, 4]):
    for i in seq(0, n):
        copy_contiguous(4, dst[i, 0:4], src[i, 0:4])


def test_instr_runs_through_jit(cc):
    text = copy_rows.c_code_str()
    assert "memcpy(&dst[i * 4], &src[i * 4], 4 * sizeof(float));" in text
    assert "#include <string.h>" in text
    src = np.arange(12, dtype=np.float32).reshape(3, 4)
    dst = np.zeros_like(src)
    jit(copy_rows, cc=cc)(3, dst, src)
    np.testing.assert_array_equal(dst, src)


def test_bad_instr_hole_is_reported():
    @instr("foo({nothing});")
    def bad_instr(x: [f32][4] @ DRAM):
        for i in seq(0, 4):
            x[i] = 0.0

    @proc
    def calls_bad(y: f32[4]):
        bad_instr(y[0:4])

    with pytest.raises(CodegenError, match=r"hole \{nothing\} that names none of its "
                                           r"arguments \(x\)") as info:
        calls_bad.c_code_str()
    assert info.value.srcinfo.lineno > 0


def test_dram_alloc_and_free_order(cc):
    @proc
    def two_temps(n: size, x: f32[n]):
        a: f32[n]
        b: f32[n, 2]
        for i in seq(0, n):
            a[i] = x[i]
            b[i, 1] = a[i] * 3.0
            x[i] = b[i, 1]

    text = two_temps.c_code_str()
    assert "float *a = (float*) malloc((n) * sizeof(*a));" in text
    assert "float *b = (float*) malloc((n) * 2 * sizeof(*b));" in text
    assert text.index("free(b);") < text.index("free(a);")
    x = np.arange(4, dtype=np.float32)
    jit(two_temps, cc=cc)(4, x)
    np.testing.assert_array_equal(x, np.arange(4) * 3)


class POOL(Memory):
    """A two-slot register pool with allocation state, reset per compilation."""

    taken: list = []

    @classmethod
    def reset_allocations(cls):
        cls.taken.clear()

    @classmethod
    def can_read(cls):
        return False

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo):
        if len(cls.taken) == 2:
            raise MemGenError("the pool has only 2 slots")
        cls.taken.append(new_name)
        return f"#define {new_name} {len(cls.taken) - 1}"

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo):
        cls.taken.remove(new_name)
        return f"#undef {new_name}"


def test_pool_state_is_reset_before_each_compilation():
    @proc
    def three_slots():
        a: f32 @ POOL
        b: f32 @ POOL
        c: f32 @ POOL
        pass

    @proc
    def two_slots():
        a: f32 @ POOL
        b: f32 @ POOL
        pass

    with pytest.raises(MemGenError, match="only 2 slots"):
        three_slots.c_code_str()  # leaves two slots taken
    text = two_slots.c_code_str()
    assert "#define a 0" in text and "#define b 1" in text
    assert two_slots.c_code_str() == text


def test_register_buffers_cannot_go_to_main_memory_params_or_window_stmts():
    @proc
    def takes_window(x: [f32][4]):
        pass

    @proc
    def passes_tile():
        t: f32[4] @ TILE
        takes_window(t[0:4])

    with pytest.raises(CodegenError, match="argument x of takes_window must be in DRAM "
                                           "memory, but t is in TILE"):
        passes_tile.c_code_str()

    @proc
    def windows_tile():
        t: f32[4] @ TILE
        w = t[0:2]
        pass

    with pytest.raises(CodegenError, match="window statements over TILE buffers"):
        windows_tile.c_code_str()
