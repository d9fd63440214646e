"""Kernels whose loop nests `replace` turned into instructions run and
compute what numpy computes: AVX2 natively (when the CPU has it) and through
SIMDe, AVX-512 and Neon through SIMDe, an RVM tiled matmul under the
tile-register emulation. Each run also checks the kernel against its
reference (every instruction replaced by its own body, all buffers in DRAM).
"""

from __future__ import annotations

import numpy as np
import pytest

from target_tools import Case, assert_cases_match, reference_proc, run_cases

from tests.core.primitives.subproc_procs import (avx2_replaced, avx512_replaced,
                                                 neon_replaced, rvm_matmul_replaced)

RNG = np.random.default_rng(12)


def small(shape, dtype=np.float32):
    return RNG.integers(-8, 9, size=shape).astype(dtype)


@pytest.mark.parametrize("profile", ["avx2", "avx2-simde"])
def test_avx2_saxpy(profile, tmp_path):
    p = avx2_replaced()
    n = 3
    a, x, y = small((1,)), small((8 * n,)), small((8 * n,))
    cases = [Case(p.name(), f"{p.name()}_ref", [("n", n), ("a", a), ("x", x), ("y", y)])]
    results = run_cases([p, reference_proc(p)], cases, profile, tmp_path)
    assert_cases_match(results, cases)
    np.testing.assert_array_equal(results[(0, "y")][0], y + a[0] * x)


def test_avx512_sgemv(tmp_path):
    p = avx512_replaced()
    m = 5
    A, x, y = small((m, 16)), small((m,)), small((16,))
    cases = [Case(p.name(), f"{p.name()}_ref", [("m", m), ("A", A), ("x", x), ("y", y)])]
    results = run_cases([p, reference_proc(p)], cases, "avx512-simde", tmp_path)
    assert_cases_match(results, cases)
    np.testing.assert_array_equal(results[(0, "y")][0], y + A.T @ x)


def test_neon_fma(tmp_path):
    p = neon_replaced()
    n = 4
    x, y, z = small((n, 4)), small((n, 4)), small((n, 4))
    cases = [Case(p.name(), f"{p.name()}_ref", [("n", n), ("x", x), ("y", y), ("z", z)])]
    results = run_cases([p, reference_proc(p)], cases, "neon-simde", tmp_path)
    assert_cases_match(results, cases)
    np.testing.assert_array_equal(results[(0, "z")][0], z + x * y)


def test_rvm_matmul(tmp_path):
    p = rvm_matmul_replaced()
    A, BT, C = (RNG.integers(-50, 50, size=(16, 16)).astype(np.int32) for _ in range(3))
    cases = [Case(p.name(), f"{p.name()}_ref", [("A", A), ("BT", BT), ("C", C)])]
    results = run_cases([p, reference_proc(p)], cases, "rvm-emulate", tmp_path)
    assert_cases_match(results, cases)
    want = (A.astype(np.int64) @ BT.T.astype(np.int64)).astype(np.int32)
    np.testing.assert_array_equal(results[(0, "C")][0], want)
