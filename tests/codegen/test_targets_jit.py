"""The jit builds target code with a profile's flags: RVM code against the
tile emulation, AVX2 natively and AVX-512 through SIMDe, called on numpy
arrays from this process."""

from __future__ import annotations

import numpy as np
import pytest

from exo_codegen.jit import jit
from exo_codegen.targets import include_dir
from target_tools import require
from test_platform_rvm import conv1d_numpy, exo_conv1d_tile_lt_kw
from test_platform_x86 import assert_jit_sgemm_6x16, sgemm_6x16_avx2, sgemm_6x16_avx512


def test_jit_runs_rvm_code_under_the_emulation():
    require("rvm-emulate")
    f = jit(exo_conv1d_tile_lt_kw, cflags=("-DEXO_RVM_EMULATE",),
            include_dirs=(include_dir(),))
    rng = np.random.default_rng(11)
    data = rng.integers(-20, 20, (4, 16)).astype(np.int32)
    kernels = rng.integers(-20, 20, (16, 4, 4)).astype(np.int32)
    out = np.zeros((16, 16), dtype=np.int32)
    f(data, kernels, out)
    np.testing.assert_array_equal(out, conv1d_numpy(data, kernels))


@pytest.mark.parametrize("kernel,profile_name", [(sgemm_6x16_avx2, "avx2"),
                                                 (sgemm_6x16_avx512, "avx512-simde")])
def test_jit_runs_simd_kernels_with_profile_flags(kernel, profile_name):
    assert_jit_sgemm_6x16(kernel, require(profile_name).cflags, K=9, seed=12)
