"""Instruction libraries: ``@instr`` procedures whose bodies give each
instruction's semantics as object code and whose C text is emitted at calls.

- `exo_codegen.platforms.x86`: AVX2 and AVX-512 intrinsics (memories `AVX2`,
  `AVX512`);
- `exo_codegen.platforms.neon`: Arm Neon intrinsics, f32 x 4 and f16 x 8
  (memories `Neon`, `Neon8f`);
- `exo_codegen.platforms.rvm`: the RVM matrix accelerator's inline assembly
  (memory `RVM_TILE`).

Each module re-exports ``instr``, ``DRAM`` and its memories, so
``from exo_codegen.platforms.x86 import *`` is enough to write instructions
and kernels for that target. docs/targets.md tells how to run the generated C
without the hardware.
"""
