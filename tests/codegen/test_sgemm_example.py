"""examples/sgemm.py: the scheduled SGEMMs equal numpy for random sizes, and
their micro-kernels keep the accumulators in registers."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from exo_codegen.jit import jit
from target_tools import require

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import sgemm as example  # noqa: E402

GCC = shutil.which("gcc")


def random_shapes(seed: int, count: int) -> list:
    rng = np.random.default_rng(seed)
    fixed = [(1, 1, 1), (6, 16, 1), (7, 17, 257), (67, 61, 67), (12, 32, 256), (13, 9, 300)]
    return fixed + [tuple(int(v) for v in rng.integers(1, 68, 3)) for _ in range(count)]


def check_against_numpy(f, shapes, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for M, N, K in shapes:
        A = rng.standard_normal((M, K), dtype=np.float32)
        B = rng.standard_normal((K, N), dtype=np.float32)
        C = rng.standard_normal((M, N), dtype=np.float32)
        want = C.astype(np.float64) + A.astype(np.float64) @ B.astype(np.float64)
        f(M, N, K, A, B, C)
        np.testing.assert_allclose(C, want, rtol=1e-4, atol=1e-4,
                                   err_msg=f"M, N, K = {M}, {N}, {K}")


def avx512_profile():
    """Native AVX-512 where the CPU has it, else through SIMDe."""
    from exo_codegen.targets import profile

    if profile("avx512").missing() is None:
        return require("avx512")
    return require("avx512-simde")


def test_sgemm_avx2_equals_numpy():
    f = jit(example.sgemm_avx2, cflags=require("avx2").cflags + ("-O2", "-Wno-psabi"))
    check_against_numpy(f, random_shapes(seed=14, count=14), seed=1)


def test_sgemm_avx512_equals_numpy():
    # (its 8-column panels use the AVX2 + FMA kernel)
    f = jit(example.sgemm_avx512, cflags=avx512_profile().cflags + ("-mavx2", "-mfma", "-O2",
                                                                    "-Wno-psabi"))
    check_against_numpy(f, random_shapes(seed=15, count=14), seed=2)


def test_the_procedures_keep_the_signature():
    for p in (example.sgemm_avx2, example.sgemm_avx512):
        head = str(p).splitlines()[0]
        assert head == (f"def {p.name()}(M: size, N: size, K: size, A: f32[M, K] @ DRAM, "
                        "B: f32[K, N] @ DRAM, C: f32[M, N] @ DRAM):")


# --------------------------------------------------------------------------
# Accumulators in registers


def kernel_c_body(kernel) -> str:
    return kernel.c_code_str().rsplit(f"void {kernel.name()}(", 1)[1]


def test_the_kernel_c_names_each_accumulator():
    _, k = example.micro_kernel(6, 16, example.AVX2_ISA)
    body = kernel_c_body(k)
    assert re.findall(r"__m256 (c_reg_\d_\d);", body) == [f"c_reg_{i}_{j}" for i in range(6)
                                                         for j in range(2)]
    assert "c_reg[" not in body
    assert "c_reg_5_1 = _mm256_fmadd_ps(a_reg_5, b_reg_1, c_reg_5_1);" in body


def vector_stores_in_the_k_loop(kernel, flags: tuple, tmp_path) -> int:
    """Compile ``kernel`` with gcc -O3 and count the vector stores in the loop
    that holds its FMAs (from the loop's label to the jump back to it)."""
    src, asm = tmp_path / "k.c", tmp_path / "k.s"
    src.write_text(kernel.c_code_str())
    r = subprocess.run([GCC, "-O3", "-std=c11", *flags, "-S", str(src), "-o", str(asm)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    text = asm.read_text()
    lines = text[text.index(f"{kernel.name()}:"):].splitlines()
    lines = lines[:next(i for i, line in enumerate(lines) if line.strip().startswith(".size"))]
    fmas = [i for i, line in enumerate(lines) if "vfmadd" in line]
    assert fmas, "no FMA in the kernel"
    labels = {line[:-1]: i for i, line in enumerate(lines[:fmas[0]]) if re.match(r"\.L\w+:$", line)}
    back = [(labels[m.group(1)], i) for i, line in enumerate(lines) if i > fmas[-1]
            for m in [re.match(r"\s+j\w+\s+(\.L\w+)$", line)] if m and m.group(1) in labels]
    assert back, "no loop around the FMAs"
    start, end = min(back)
    return sum(1 for line in lines[start:end]
               if re.search(r"vmov\w*ps\s+%[yz]mm\d+, [^%\n]*\(", line))


@pytest.mark.skipif(GCC is None, reason="needs the C compiler gcc")
@pytest.mark.parametrize("mr,nr,isa,flags,array_spills", [
    (6, 16, example.AVX2_ISA, ("-mavx2", "-mfma"), True),
    # gcc keeps even the array form of this one in zmm registers in the loop
    (12, 32, example.AVX512_ISA, ("-mavx512f",), False),
])
def test_no_vector_store_in_the_k_loop(mr, nr, isa, flags, array_spills, tmp_path):
    """The unrolled kernel stores nothing in its k loop; the AVX2 kernel with
    the register loops kept (array form, the control) stores there."""
    _, kernel = example.micro_kernel(mr, nr, isa)
    assert vector_stores_in_the_k_loop(kernel, flags, tmp_path) == 0
    if array_spills:
        _, arrays = example.micro_kernel(mr, nr, isa, unroll=False)
        assert vector_stores_in_the_k_loop(arrays, flags, tmp_path) > 0
