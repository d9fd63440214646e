"""Jit robustness: bad build options, odd arrays and bad configuration values
give ExoErrors (with the caller's line where the mistake is the caller's)."""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import config, proc
from exo_codegen.errors import CCompilerError, JitArgumentError
from exo_codegen.jit import find_c_compiler, jit
from tests.robustness.marker_check import expect


@pytest.fixture(scope="module")
def cc() -> str:
    path = find_c_compiler()
    if path is None:
        pytest.skip("no C compiler (cc/$CC) installed")
    return path


@config
class _State:
    gain: f32


@proc
def _scale(n: size, x: f32[n]):  # ERR:scale_def
    for i in seq(0, n):
        x[i] = x[i] * _State.gain


@pytest.fixture(scope="module")
def lib(cc):
    return jit([_scale], cc=cc)


def test_include_dirs_that_are_not_a_list(cc):
    with expect(CCompilerError, "include_dirs must be a list of strings, got 3", "incl"):
        jit(_scale, cc=cc, include_dirs=3)  # ERR:incl


def test_cflags_given_as_one_string_is_one_flag(cc):
    f = jit(_scale, cc=cc, cflags="-O1")  # used to be split into characters
    f(2, np.ones(2, np.float32))


def test_compiler_that_is_not_a_name():
    with expect(CCompilerError, "cc must be the compiler's name or path", "cc_int"):
        jit(_scale, cc=7)  # ERR:cc_int


def test_jit_cache_directory_that_is_a_file(cc, tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("")
    monkeypatch.setenv("EXO_JIT_CACHE", str(blocker))
    with expect(CCompilerError, "as the jit cache directory", "cache"):
        jit(_scale, cc=cc)  # ERR:cache


def test_set_config_to_a_value_of_the_wrong_kind(lib):
    with expect(JitArgumentError, "cannot set _State.gain to 'fast'", "set_cfg"):
        lib.set_config(_State, "gain", "fast")  # ERR:set_cfg
    lib.set_config(_State, "gain", 2.5)
    assert lib.get_config(_State, "gain") == 2.5


def test_unknown_config_field_names_the_caller(lib):
    with expect(JitArgumentError, "does not use _State.speed", "cfg_field"):
        lib.get_config(_State, "speed")  # ERR:cfg_field


def test_non_native_byte_order_is_named(lib):
    with expect(JitArgumentError, "got >f4 (non-native byte order", "scale_def"):
        lib._scale(2, np.ones(2, ">f4"))


def test_numpy_scalar_for_a_buffer_is_named(lib):
    with expect(JitArgumentError, "got a numpy float32 scalar", "scale_def"):
        lib._scale(1, np.float32(1.0))
