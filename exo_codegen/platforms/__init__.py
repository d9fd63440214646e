"""Instruction libraries: ``@instr`` procedures whose bodies give each
instruction's semantics as object code and whose C text is emitted at calls.

- `exo_codegen.platforms.x86`: AVX2 and AVX-512 intrinsics (memories `AVX2`,
  `AVX512`), Exo 1.0's whole set; one module per register kind
  (`x86_avx2`, `x86_avx2_f64`, `x86_avx2_int`, `x86_avx2_prefix`,
  `x86_avx512`), re-exported by `x86`;
- `exo_codegen.platforms.neon`: Arm Neon intrinsics, f32 x 4, f16 x 8 and
  (`neon_f64`, re-exported) f64 x 2, all on memory `Neon` (`Neon8f`: f16 only);
- `exo_codegen.platforms.rvm`: the RVM matrix accelerator's inline assembly
  (memory `RVM_TILE`).

Each module re-exports ``instr``, ``DRAM`` and its memories, so
``from exo_codegen.platforms.x86 import *`` is enough to write instructions
and kernels for that target. docs/targets.md tells how to run the generated C
without the hardware.
"""
