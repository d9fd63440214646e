"""Code generation and jit errors surface at the user's call: the traceback
ends in the calling frame (compile_procs, compile_procs_to_strings,
Procedure.c_code_str / compile_c, jit and calls of jitted procedures)."""

from __future__ import annotations

import os
import sys
import traceback

import numpy as np
import pytest

import exo_core
from exo_core import ExoError, f32, instr, proc, size
from exo_codegen.compile import compile_procs, compile_procs_to_strings
from exo_codegen.errors import CodegenError, JitArgumentError
from exo_codegen.jit import jit


@proc
def scale(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i] = 2.0 * x[i]


@instr("{x_data}[0] = 0;")
def zero_one(x: [f32][1]):
    x[0] = 0.0


def _ends_here(err: ExoError, line: int) -> None:
    last = traceback.extract_tb(err.__traceback__)[-1]
    assert (os.path.abspath(last.filename), last.lineno) == (os.path.abspath(__file__), line), \
        traceback.format_tb(err.__traceback__)
    assert err.__cause__ is None


def _line() -> int:
    return sys._getframe(1).f_lineno + 1


def test_compile_entry_points(tmp_path):
    for compile_to_strings in (compile_procs_to_strings, exo_core.compile_procs_to_strings):
        with pytest.raises(CodegenError, match="expected a procedure or a list") as e:
            line = _line()
            compile_to_strings(3, "x.h")
        _ends_here(e.value, line)
    with pytest.raises(CodegenError) as e:
        line = _line()
        compile_procs([scale], "", "x.c", "x.h")
    _ends_here(e.value, line)
    with pytest.raises(CodegenError, match="instruction") as e:
        line = _line()
        zero_one.c_code_str()
    _ends_here(e.value, line)
    with pytest.raises(CodegenError) as e:
        line = _line()
        zero_one.compile_c(str(tmp_path), "z")
    _ends_here(e.value, line)


def test_jit_entry_points(cc):
    with pytest.raises(CodegenError) as e:
        line = _line()
        jit(zero_one, cc=cc)
    _ends_here(e.value, line)
    f = jit(scale, cc=cc)
    with pytest.raises(JitArgumentError) as e:
        line = _line()
        f(4, np.zeros(4, np.float64))
    _ends_here(e.value, line)  # (the message points at the parameter's declaration)
