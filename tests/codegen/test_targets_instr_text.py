"""The C emitted for ``@instr`` calls: holes ``{x}``, ``{x_data}``,
``{x_int}`` and control-value holes are filled from the arguments as
compiled, an instruction's ``c_global`` is emitted once per file, and each
instruction used is announced once in a comment block.
"""

from __future__ import annotations

from exo_core import proc, instr, DRAM, compile_procs_to_strings
from exo_codegen.memories import AVX2, RVM_TILE
from exo_codegen.platforms.x86 import mm256_loadu_ps, mm256_storeu_ps


@instr("my_accumulate({dst}, {dst_data}, {dst_int}, {n}, {s_data});",
       c_global="static inline void my_helper_decl(void);")
def my_acc(n: size, dst: [f32][4] @ DRAM, s: f32 @ DRAM):
    assert n <= 4
    for i in seq(0, 4):
        if i < n:
            dst[i] += s


@proc
def user_one(k: size, y: f32[3, 8], a: f32[2]):
    assert k <= 4
    my_acc(k, y[1, 2:6], a[1])
    my_acc(2, y[2, 4:8], a[0])


@proc
def user_two(z: f32[4]):
    t: f32 @ DRAM
    t = 1.0
    my_acc(4, z[0:4], t)


def test_holes_are_filled_from_the_compiled_arguments():
    c_text, h_text = compile_procs_to_strings([user_one, user_two], "u.h")
    flat = " ".join(c_text.split())
    # {dst}: the window struct literal; {dst_data}: the first element;
    # {dst_int}: the buffer's C name; {n}: the control value; {s_data}: scalar lvalue
    # (a window struct hole is parenthesised, as the case study's
    # ``4*({src}.strides[0])`` needs)
    assert ("my_accumulate(((struct exo_win_1f32){ &y[10], { 1 } }), y[10], y, k, a[1]);"
            in flat), c_text
    assert "my_accumulate(((struct exo_win_1f32){ &y[20], { 1 } }), y[20], y, 2, a[0]);" \
        in flat
    assert "my_accumulate(((struct exo_win_1f32){ &z[0], { 1 } }), z[0], z, 4, t);" in flat
    # c_global once, even though two procedures use the instruction
    assert c_text.count("static inline void my_helper_decl(void);") == 1
    # one comment block for the instruction, quoting its C text
    assert c_text.count("relies on the instruction my_acc(n, dst, s)") == 1
    assert "my_accumulate({dst}, {dst_data}, {dst_int}, {n}, {s_data});" in c_text
    # instructions are not compiled as functions
    assert "void my_acc(" not in c_text and "my_acc(" not in h_text


@proc
def avx_copy(x: f32[2, 8], y: f32[2, 8]):
    v: f32[2, 8] @ AVX2
    for i in seq(0, 2):
        mm256_loadu_ps(v[1 - i, 0:8], x[i, 0:8])
    for i in seq(0, 2):
        mm256_storeu_ps(y[i, 0:8], v[i, 0:8])


def test_vector_register_holes_use_the_memory_window():
    c_text, _ = compile_procs_to_strings([avx_copy], "a.h")
    assert "__m256 v[2];" in c_text
    assert "v[1 - i] = _mm256_loadu_ps(&x[i * 8]);" in c_text
    assert "_mm256_storeu_ps(&y[i * 8], v[i]);" in c_text


def test_instruction_c_text_is_emitted_verbatim_for_rvm():
    from exo_codegen.platforms.rvm import rvm_mzero

    @proc
    def zero_tile():
        t: i32[4, 4] @ RVM_TILE
        rvm_mzero(t[0:4, 0:4])

    c_text, _ = compile_procs_to_strings([zero_tile], "z.h")
    body = c_text[c_text.index("void zero_tile("):]
    assert body.split("\n")[1:4] == [
        '    #define t "m7"',
        '    asm volatile("mzero "t);',
        '    #undef t',
    ]
