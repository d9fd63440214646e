"""examples/rvm_conv1d: every procedure the case study prints equals the
one its text shows (tests/seed_examples.py holds them), the C has the case
study's register assignment and free points, compiles with -Wall -Werror and
computes conv1d under the RVM tile emulation for random inputs."""

from __future__ import annotations

import re

import numpy as np
import pytest

from exo_core import compile_procs_to_strings

from examples.rvm_conv1d.conv1d import STEPS, generic_conv1d, schedule_conv1d
from tests.codegen.target_tools import Case, reference_proc, run_cases
from tests.core.primitives.equivalence import assert_equivalent
from tests.seed_examples import (conv1d_c_loop_lifted, conv1d_im2col_staged,
                                 conv1d_lifted_out_tile, conv1d_rvm, conv1d_staged_out,
                                 conv1d_tiled)


@pytest.fixture(scope="module")
def steps():
    return schedule_conv1d()


def _printed(p) -> str:
    # the case study's text prints the guard of y as `< 4` in some steps and
    # `< 16` in others (its algorithm says `< W`); we compute the convolution
    # of its formula (`j + r < N`), so the guard is compared up to that
    return re.sub(r"< (4|16):", "< N:", str(p))


SEED_PRINTS = {
    "tiled": conv1d_tiled,
    "staged_out": conv1d_staged_out,
    "lifted_out_tile": conv1d_lifted_out_tile,
    "c_loop_lifted": conv1d_c_loop_lifted,
    "im2col_staged": conv1d_im2col_staged,
    "replaced": conv1d_rvm,
}


@pytest.mark.parametrize("name", list(SEED_PRINTS))
def test_each_printed_step_equals_the_case_study(steps, name):
    assert _printed(steps[name]) == _printed(SEED_PRINTS[name])


@pytest.mark.parametrize("name", ["tiled", "lifted_out_tile", "c_loop_lifted", "im2col_staged"])
def test_steps_in_dram_compute_the_convolution(steps, name):
    assert_equivalent(generic_conv1d, steps[name])


def test_final_procedure(steps):
    final = str(steps["final"])
    for tile in ("out_tile_0", "out_tile_1", "out_tile_2", "out_tile_3", "kernel_tile_0",
                 "kernel_tile_1", "kernel_tile_2", "data_tile"):
        assert f"{tile}: i32[4, 4] @ RVM_TILE" in final
    assert "kernel_tile_3" not in final  # reused kernel_tile_0's register
    assert final.count("rvm_mmasa(") == 4 and final.count("rvm_mld(") == 5


# The register lines and products of the case study's C, in order
CASE_STUDY_C = [
    '#define out_tile_0 "m7"', '#define out_tile_1 "m6"', '#define out_tile_2 "m5"',
    '#define out_tile_3 "m4"',
    '#define kernel_tile_0 "m3"', '#define kernel_tile_1 "m2"', '#define kernel_tile_2 "m1"',
    '#define data_tile "m0"',
    'asm volatile("mmasa.w "out_tile_0", "data_tile", "kernel_tile_0);',
    'asm volatile("mmasa.w "out_tile_1", "data_tile", "kernel_tile_1);',
    '#undef kernel_tile_1',
    'asm volatile("mmasa.w "out_tile_2", "data_tile", "kernel_tile_2);',
    '#undef kernel_tile_2',
    'asm volatile("mmasa.w "out_tile_3", "data_tile", "kernel_tile_0);',
    '#undef data_tile', '#undef kernel_tile_0',
    '#undef out_tile_0', '#undef out_tile_1', '#undef out_tile_2', '#undef out_tile_3',
]


def test_c_has_the_case_study_registers_and_free_points(steps):
    c_text, _ = compile_procs_to_strings([steps["final"]], "conv1d.h")
    lines = [line.strip() for line in c_text.splitlines()
             if line.strip().startswith(("#define ", "#undef ", 'asm volatile("mmasa'))]
    lines = [line for line in lines if "_tile" in line]
    assert lines == CASE_STUDY_C
    # mld and mst take the row stride in bytes and the first element's address
    assert ('asm volatile("mld.w "data_tile", (%1), %0" :: "r"(4*(((struct exo_win_2i32c){ '
            '&y[0], { 4, 1 } }).strides[0])), "r"(&y[0]));') in c_text
    assert c_text.count('asm volatile("mst.w "out_tile_') == 4


def conv1d_numpy(data, kernels):
    ic, n = data.shape
    padded = np.concatenate([data, np.zeros_like(data)], axis=1).astype(np.int64)
    windows = np.stack([padded[:, j:j + kernels.shape[2]] for j in range(n)], axis=0)
    return np.einsum("ocr,jcr->oj", kernels.astype(np.int64), windows).astype(np.int32)


def test_final_c_runs_under_the_rvm_emulation(steps, tmp_path):
    rng = np.random.default_rng(11)
    final = steps["final"]
    cases = []
    for k in range(3):
        data = rng.integers(-50, 50, size=(4, 16)).astype(np.int32)
        kernels = rng.integers(-50, 50, size=(16, 4, 4)).astype(np.int32)
        out = rng.integers(-50, 50, size=(16, 16)).astype(np.int32)
        cases.append(Case("exo_conv1d_tile_lt_kw", "exo_conv1d_tile_lt_kw_ref",
                          [("data", data), ("kernels", kernels), ("out", out)]))
    # built with -Wall -Werror; the reference is the same procedure with the
    # instructions' bodies in place of the calls, in DRAM
    results = run_cases([final, reference_proc(final)], cases, "rvm-emulate", tmp_path)
    for k, case in enumerate(cases):
        got, ref = results[(k, "out")]
        want = conv1d_numpy(case.args[0][1], case.args[1][1])
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(ref, want)


def test_every_step_is_listed(steps):
    assert list(steps) == list(STEPS)
