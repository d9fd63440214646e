/*
 * exo_rvm_emulation.h -- run RVM (RISC-V matrix extension) code on an x86-64
 * host, for testing without the accelerator.
 *
 * The RVM instruction procedures emit GNU inline assembly such as
 *
 *     #define data_tile "m0"
 *     asm volatile("mld.w "data_tile", (%1), %0" :: "r"(stride), "r"(ptr));
 *     asm volatile("mmasa.w "out_tile_0", "data_tile", "kernel_tile_0);
 *
 * This header makes exactly that text run on x86-64 with GCC (or Clang):
 *
 *   1. The C compiler still compiles the statements as inline assembly, so
 *      operand substitution ("%0", "%1" -> the registers holding the "r"
 *      inputs) is done by the compiler itself, as on the real target.
 *   2. Assembler macros named like the RVM instructions (mld.w, mst.w, mzero,
 *      mmasa.w) are defined for the x86-64 GNU assembler. Each one only
 *      records the instruction: its opcode, tile register numbers (m0..m7)
 *      and the values of its register operands, into a small static record.
 *      They use no stack and no scratch register that they do not restore.
 *   3. The keyword `volatile`, when directly followed by "(" (as in
 *      `asm volatile(...)`; declarations such as `volatile int x` are
 *      untouched), is a function-like macro that appends a call to
 *      exo_rvm_step_(), a C function that executes the recorded instruction
 *      on an emulated file of eight 4 x 4 int32 tile registers. The call is
 *      also a compiler barrier for the memory the instructions read or write
 *      (their addresses are asm inputs, so that memory is escaped).
 *
 * Use: compile with -DEXO_RVM_EMULATE and this directory on the include path
 * (RVM_TILE's global code includes this header in that case). Requirements
 * and limits:
 *   - x86-64 host, GNU C (gcc or clang) with the AT&T assembler dialect
 *     (the default; not -masm=intel);
 *   - an `asm volatile(...)` statement must not be the unbraced body of an
 *     if/for/while (the generated code always braces bodies);
 *   - include system headers (e.g. <immintrin.h>) before this header where
 *     possible: headers that spell `__asm__ volatile (` get the (harmless)
 *     step call appended;
 *   - the tile registers are per translation unit and not thread-safe.
 *
 * Semantics (as specified by the instruction procedures' bodies):
 *   mld.w   md, (addr), stride : md[i][j] = *(int32_t*)(addr + i*stride + 4*j)
 *   mst.w   ms, (addr), stride : *(int32_t*)(addr + i*stride + 4*j) = ms[i][j]
 *   mzero   md                 : md[i][j] = 0
 *   mmasa.w md, ms1, ms2       : md[i][j] += sum_k ms2[i][k] * ms1[j][k]
 * (stride in bytes; i, j, k in 0..3; arithmetic wraps modulo 2^32).
 */
#ifndef EXO_RVM_EMULATION_H
#define EXO_RVM_EMULATION_H

#if !defined(__x86_64__) || !defined(__GNUC__)
#error "exo_rvm_emulation.h needs GNU C on an x86-64 host"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The recorded instruction: [0] opcode (0 none, 1 mld, 2 mst, 3 mzero,
 * 4 mmasa), [1] [2] [3] tile numbers (-1 if the name was not m0..m7),
 * [4] address, [5] stride in bytes, [6] scratch for saving %r11. */
static volatile int64_t exo_rvm_op_[7] __asm__("exo_rvm_op_")
    __attribute__((used));

/* The eight tile registers m0..m7. */
static int32_t exo_rvm_tiles[8][4][4] __attribute__((used));

__asm__(
    ".macro exo_rvm_tileno_ slot, name\n"
    "  movq $-1, \\slot(%rip)\n"
    "  .irp n, 0,1,2,3,4,5,6,7\n"
    "    .ifc \\name,m\\n\n"
    "      movq $\\n, \\slot(%rip)\n"
    "    .endif\n"
    "  .endr\n"
    ".endm\n"
    ".macro exo_rvm_value_ slot, reg\n"
    "  movq $0, \\slot(%rip)\n"
    "  mov \\reg, \\slot(%rip)\n"
    ".endm\n"
    ".macro exo_rvm_address_ slot, mem\n"
    "  movq %r11, exo_rvm_op_+48(%rip)\n"
    "  leaq \\mem, %r11\n"
    "  movq %r11, \\slot(%rip)\n"
    "  movq exo_rvm_op_+48(%rip), %r11\n"
    ".endm\n"
    ".macro mld.w md, addr, stride\n"
    "  exo_rvm_tileno_ exo_rvm_op_+8, \\md\n"
    "  exo_rvm_address_ exo_rvm_op_+32, \\addr\n"
    "  exo_rvm_value_ exo_rvm_op_+40, \\stride\n"
    "  movq $1, exo_rvm_op_(%rip)\n"
    ".endm\n"
    ".macro mst.w ms, addr, stride\n"
    "  exo_rvm_tileno_ exo_rvm_op_+8, \\ms\n"
    "  exo_rvm_address_ exo_rvm_op_+32, \\addr\n"
    "  exo_rvm_value_ exo_rvm_op_+40, \\stride\n"
    "  movq $2, exo_rvm_op_(%rip)\n"
    ".endm\n"
    ".macro mzero md\n"
    "  exo_rvm_tileno_ exo_rvm_op_+8, \\md\n"
    "  movq $3, exo_rvm_op_(%rip)\n"
    ".endm\n"
    ".macro mmasa.w md, ms1, ms2\n"
    "  exo_rvm_tileno_ exo_rvm_op_+8, \\md\n"
    "  exo_rvm_tileno_ exo_rvm_op_+16, \\ms1\n"
    "  exo_rvm_tileno_ exo_rvm_op_+24, \\ms2\n"
    "  movq $4, exo_rvm_op_(%rip)\n"
    ".endm\n");

#if defined(__has_attribute)
#if __has_attribute(noipa)
#define EXO_RVM_OPAQUE_ __attribute__((noinline, noipa, used))
#endif
#endif
#ifndef EXO_RVM_OPAQUE_
#define EXO_RVM_OPAQUE_ __attribute__((noinline, used))
#endif

static int exo_rvm_tile_arg_(int64_t t, const char *instr)
{
    if (t < 0 || t > 7) {
        fprintf(stderr, "RVM emulation: %s names a register that is not "
                        "one of m0..m7\n", instr);
        abort();
    }
    return (int)t;
}

/* Execute the recorded instruction (if any) on the emulated tiles. */
static EXO_RVM_OPAQUE_ void exo_rvm_step_(void)
{
    int64_t op = exo_rvm_op_[0];
    exo_rvm_op_[0] = 0;
    if (op == 1 || op == 2) {
        const char *name = op == 1 ? "mld.w" : "mst.w";
        int t = exo_rvm_tile_arg_(exo_rvm_op_[1], name);
        char *base = (char *)(intptr_t)exo_rvm_op_[4];
        int64_t stride = exo_rvm_op_[5];
        for (int i = 0; i < 4; i++) {
            int32_t *row = (int32_t *)(base + i * stride);
            for (int j = 0; j < 4; j++) {
                if (op == 1)
                    exo_rvm_tiles[t][i][j] = row[j];
                else
                    row[j] = exo_rvm_tiles[t][i][j];
            }
        }
    } else if (op == 3) {
        int t = exo_rvm_tile_arg_(exo_rvm_op_[1], "mzero");
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                exo_rvm_tiles[t][i][j] = 0;
    } else if (op == 4) {
        int d = exo_rvm_tile_arg_(exo_rvm_op_[1], "mmasa.w");
        int s1 = exo_rvm_tile_arg_(exo_rvm_op_[2], "mmasa.w");
        int s2 = exo_rvm_tile_arg_(exo_rvm_op_[3], "mmasa.w");
        int32_t acc[4][4];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
                uint32_t sum = (uint32_t)exo_rvm_tiles[d][i][j];
                for (int k = 0; k < 4; k++)
                    sum += (uint32_t)exo_rvm_tiles[s2][i][k] *
                           (uint32_t)exo_rvm_tiles[s1][j][k];
                acc[i][j] = (int32_t)sum;
            }
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                exo_rvm_tiles[d][i][j] = acc[i][j];
    }
}

/* asm volatile(...)  ->  asm __volatile__(...); exo_rvm_step_() */
#ifndef asm
#define asm __asm__
#endif
#define volatile(...) __volatile__(__VA_ARGS__); exo_rvm_step_()

#endif /* EXO_RVM_EMULATION_H */
