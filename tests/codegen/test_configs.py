"""Configuration state in generated C: one global struct per configuration."""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import proc, config, f32, index, size, stride, compile_procs_to_strings
from exo_codegen.jit import jit


@config
class ConfigScale:
    scale: f32
    offset: index


@proc
def set_scale(s: f32, k: index):
    ConfigScale.scale = s
    ConfigScale.offset = k


@proc
def apply_scale(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i] = x[i] * ConfigScale.scale


def test_config_struct_in_header_and_accesses():
    c_text, h_text = compile_procs_to_strings([set_scale, apply_scale], "cfg.h")
    assert "struct exo_config_ConfigScale {\n    float scale;\n    int_fast32_t offset;\n};" \
        in h_text
    assert "extern struct exo_config_ConfigScale exo_cfg_ConfigScale;" in h_text
    assert "struct exo_config_ConfigScale exo_cfg_ConfigScale;" in c_text
    assert "exo_cfg_ConfigScale.scale = *s;" in c_text
    assert "exo_cfg_ConfigScale.offset = k;" in c_text
    assert "x[i] = x[i] * exo_cfg_ConfigScale.scale;" in c_text


def test_config_state_through_jit(cc):
    lib = jit([set_scale, apply_scale], cc=cc)
    lib.set_scale(np.array(3.0, np.float32), 7)
    assert lib.get_config(ConfigScale, "scale") == 3.0
    assert lib.get_config(ConfigScale, "offset") == 7
    x = np.arange(4, dtype=np.float32)
    lib.apply_scale(4, x)
    np.testing.assert_array_equal(x, np.arange(4) * 3.0)
    lib.set_config(ConfigScale, "scale", 0.5)
    lib.apply_scale(4, x)
    np.testing.assert_array_equal(x, np.arange(4) * 1.5)


def test_compiles_with_gcc(c_syntax_check):
    c_text, h_text = compile_procs_to_strings([set_scale, apply_scale], "cfg.h")
    c_syntax_check(c_text, h_text, "cfg.h")
