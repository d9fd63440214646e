"""Every DRAM-only object-code example of the seeds compiles with
``cc -std=c11 -Wall -Werror -c``, and the case study's procedures compute the
same results as numpy through the jit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from exo_core import DRAM, compile_procs_to_strings
from exo_codegen.compile import as_proc_ir
from exo_codegen.jit import jit
from exo_core.ir.walk import walk_stmts
from exo_core import ir

from tests import seed_examples as seeds


def _dram_only(p) -> bool:
    root = as_proc_ir(p)
    if root.instr is not None:
        return False
    mems = [a.mem for a in root.args if a.mem is not None]
    mems += [s.mem for s in walk_stmts(root.body) if isinstance(s, ir.Alloc)]
    return all(m is DRAM for m in mems)


DRAM_SEEDS = {k: p for k, p in seeds.all_seed_procs().items() if _dram_only(p)}


def test_the_dram_seed_examples_are_all_there():
    assert {"generic_conv1d", "foo", "bar", "window_statement", "extern_sin_foo",
            "case_study_generic_conv1d", "conv1d_im2col_staged"} <= set(DRAM_SEEDS)


@pytest.mark.parametrize("key", sorted(DRAM_SEEDS))
def test_seed_example_compiles_with_gcc(key, c_syntax_check):
    c_text, h_text = compile_procs_to_strings([DRAM_SEEDS[key]], f"{key}.h")
    c_syntax_check(c_text, h_text, f"{key}.h")


def conv1d_reference(data, kernels, bound):
    """``out[i, j] = sum_{c,r} kernels[i, c, r] * (data[c, j + r] if j + r < bound else 0)``."""
    ic, n = data.shape
    oc, _, w = kernels.shape
    out = np.zeros((oc, n), np.int64)
    for j in range(n):
        for r in range(w):
            if j + r < bound:
                out[:, j] += kernels[:, :, r].astype(np.int64) @ data[:, j + r]
    return out.astype(np.int32)


@pytest.fixture(scope="module")
def conv_inputs():
    rng = np.random.default_rng(3)
    data = rng.integers(-100, 100, (seeds.IC, seeds.N), dtype=np.int32)
    kernels = rng.integers(-100, 100, (seeds.OC, seeds.IC, seeds.W), dtype=np.int32)
    return data, kernels


def test_generic_conv1d_seed(cc, conv_inputs):
    data, kernels = conv_inputs
    out = np.zeros((seeds.OC, seeds.N), np.int32)
    jit(seeds.generic_conv1d, cc=cc)(data, kernels, out)
    np.testing.assert_array_equal(out, conv1d_reference(data, kernels, seeds.N))


@pytest.mark.parametrize("step", [seeds.case_study_generic_conv1d, *seeds.CASE_STUDY_STEPS],
                         ids=lambda p: p.name() + f"@{id(p) % 997}")
def test_case_study_steps_compute_the_algorithm(cc, conv_inputs, step):
    data, kernels = conv_inputs
    out = np.full((seeds.OC, seeds.N), 12345, np.int32)
    jit(step, cc=cc)(data, kernels, out)
    # the seed's printouts differ in the padding bound (`j + r < 4` in some,
    # `< 16` in others): take the bound each procedure states
    (cond,) = {s.cond for s in walk_stmts(as_proc_ir(step).body) if isinstance(s, ir.If)}
    assert cond.op == "<" and isinstance(cond.rhs, ir.Const)
    np.testing.assert_array_equal(out, conv1d_reference(data, kernels, cond.rhs.val))


def test_extern_sin_seed(cc):
    x = np.array([0.25], np.float32)
    jit(seeds.extern_sin_foo, cc=cc)(x)
    assert x[0] == pytest.approx(math.sin(0.25) * 3.0, rel=1e-6)
    assert "*x = sin((float)*x) * 3.0f;" in seeds.extern_sin_foo.c_code_str()
