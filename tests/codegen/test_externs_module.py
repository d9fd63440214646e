"""exo_codegen.externs: a script written for Exo 1.0 that imports its externs
from ``exo.libs.externs`` runs once its imports are replaced as
docs/porting.md says, and the C it compiles computes what numpy computes."""

from __future__ import annotations

import math

import numpy as np

import exo_codegen.externs as externs
import exo_core.ir.extern as core_extern
from exo_codegen.jit import jit

# as Exo 1.0's examples write it
EXO_SCRIPT = '''
from __future__ import annotations
from exo import proc
from exo.libs.externs import *

@proc
def activations(n: size, x: f32[n], y: f32[n]):
    for i in seq(0, n):
        y[i] = select(x[i], 0.5, sigmoid(x[i]), relu(x[i])) + sqrt(fmaxf(x[i], 0.25))
        y[i] += expf(x[i] * 0.5)

@proc
def wave(n: size, x: f64[n]):
    for i in seq(0, n):
        x[i] = sin(x[i]) * 3.0
'''

PORTING = [("from exo import ", "from exo_core import "),
           ("from exo.libs.externs import ", "from exo_codegen.externs import ")]


def _run_ported(tmp_path) -> dict:
    text = EXO_SCRIPT
    for old, new in PORTING:
        text = text.replace(old, new)
    assert "exo." not in text.replace("exo_", "")
    path = tmp_path / "ported_externs.py"
    path.write_text(text)
    namespace = {"__name__": "ported_externs"}
    exec(compile(text, str(path), "exec"), namespace)
    return namespace


def test_the_module_holds_exos_names():
    assert externs.__all__ == ["Extern", "expf", "fmaxf", "relu", "select", "sigmoid", "sin",
                               "sqrt"]
    for name in externs.__all__:
        assert getattr(externs, name) is getattr(core_extern, name)


def test_a_ported_script_using_every_extern_compiles_and_runs(tmp_path, cc):
    ns = _run_ported(tmp_path)
    x = np.linspace(-2.0, 3.0, 21).astype(np.float32)
    y = np.zeros_like(x)
    jit(ns["activations"], cc=cc)(21, x, y)
    xs = x.astype(np.float64)
    want = (np.where(xs < 0.5, 1 / (1 + np.exp(-xs)), np.maximum(xs, 0))
            + np.sqrt(np.maximum(xs, 0.25)) + np.exp(xs * 0.5))
    np.testing.assert_allclose(y, want, rtol=1e-5)

    w = np.linspace(-1.0, 1.0, 5)
    want_w = np.array([math.sin(v) * 3.0 for v in w])
    jit(ns["wave"], cc=cc)(5, w)
    np.testing.assert_allclose(w, want_w, rtol=1e-12)
    text = ns["activations"].c_code_str()
    for fn in ("expf(", "fmaxf(", "sqrt("):
        assert fn in text
