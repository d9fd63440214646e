"""x86 SIMD instructions: AVX2 (8 x f32, 4 x f64, 16 x ui16) and AVX-512
(16 x f32), Exo 1.0's ``exo.platforms.x86``.

Every instruction is an ``@instr`` procedure: its body is the instruction's
meaning in object code (what ``replace`` matches and what the tests check the
intrinsic against), its string the C emitted at each call. Vector operands
live in `AVX2` / `AVX512` registers; memory operands are unit-stride `DRAM`
windows::

    @proc
    def axpy8(a: f32[1], x: f32[8], y: f32[8]):
        va: f32[8] @ AVX2
        vx: f32[8] @ AVX2
        vy: f32[8] @ AVX2
        mm256_broadcast_ss(va[0:8], a[0:1])
        mm256_loadu_ps(vx[0:8], x[0:8])
        mm256_loadu_ps(vy[0:8], y[0:8])
        mm256_fmadd_ps(vy[0:8], va[0:8], vx[0:8])
        mm256_storeu_ps(y[0:8], vy[0:8])

Compile the C with ``-mavx2 -mfma`` (AVX2) or ``-mavx512f`` (AVX-512), or
with ``-DEXO_USE_SIMDE`` to use SIMDe's portable implementation.

The instructions live in one module per register kind: `x86_avx2` (f32),
`x86_avx2_f64`, `x86_avx2_int` (ui16), `x86_avx2_prefix` (masked tails),
`x86_avx512`; this module re-exports them all and defines ``prefetch``.
"""

from __future__ import annotations

from exo_core import DRAM, instr
from exo_codegen.memories import AVX2, AVX512
from exo_codegen.platforms.x86_avx2 import *  # noqa: F401,F403
from exo_codegen.platforms.x86_avx2_f64 import *  # noqa: F401,F403
from exo_codegen.platforms.x86_avx2_int import *  # noqa: F401,F403
from exo_codegen.platforms.x86_avx2_prefix import *  # noqa: F401,F403
from exo_codegen.platforms.x86_avx512 import *  # noqa: F401,F403


@instr("_mm_prefetch((const char *)&{A_data}, {locality_hint});")
def prefetch(A: [R][1] @ DRAM, locality_hint: size):
    # A cache hint: no effect on the values computed. The hint must be a
    # constant in the generated C (0..3 for _MM_HINT_NTA .. _MM_HINT_T0, and
    # the write hints 4..7 where the CPU has them).
    assert 0 <= locality_hint
    assert locality_hint < 8

    pass
