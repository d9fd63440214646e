"""Parallel loops compile to OpenMP, run, and racing ones are refused."""

from __future__ import annotations

import os
import shutil
import subprocess

import numpy as np
import pytest

from exo_core import ExoTypeError, ir, proc
from exo_core.analysis.parallel import ParallelRaceError
from exo_codegen.jit import jit
from exo_stdlib.scheduling import parallelize_loop

HERE = os.path.basename(__file__)


def _openmp_missing() -> str | None:
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        return "needs a C compiler"
    r = subprocess.run([cc, "-fopenmp", "-x", "c", "-", "-o", os.devnull],
                       input="#include <omp.h>\nint main(void){return omp_get_max_threads() < 1;}\n",
                       capture_output=True, text=True)
    return None if r.returncode == 0 else f"the C compiler has no OpenMP (-fopenmp): {r.stderr[:200]}"


@proc
def row_sums(n: size, x: f32[n, 8], y: f32[n]):
    for i in seq(0, n):
        acc: f32
        acc = 0.0
        for j in seq(0, 8):
            acc += x[i, j]
        y[i] = acc


def test_a_parallel_loop_runs_with_openmp():
    why = _openmp_missing()
    if why:
        pytest.skip(why)
    p = parallelize_loop(row_sums, "i")
    assert "#pragma omp parallel for" in p.c_code_str()
    f = jit(p)
    rng = np.random.default_rng(3)
    n = 1000
    x = rng.integers(-4, 5, (n, 8)).astype(np.float32)
    y = np.zeros(n, np.float32)
    f(n, x, y)
    np.testing.assert_array_equal(y, x.sum(axis=1))


def test_the_library_is_linked_with_openmp(tmp_path):
    why = _openmp_missing()
    if why:
        pytest.skip(why)
    p = parallelize_loop(row_sums, "i")
    src = tmp_path / "rows.c"
    src.write_text(p.c_code_str())
    obj = tmp_path / "rows.o"
    subprocess.run([shutil.which("gcc") or "cc", "-fopenmp", "-O2", "-c", str(src), "-o", str(obj)],
                   check=True)
    syms = subprocess.run(["nm", str(obj)], capture_output=True, text=True).stdout
    assert "GOMP_parallel" in syms


@proc
def total(n: size, x: f32[n], s: f32):
    for i in seq(0, n):
        s += x[i]


@proc
def last_wins(n: size, x: f32[n], y: f32[4]):
    for i in seq(0, n):
        y[0] = x[i]


@proc
def row_reduce(n: size, x: f32[n, n], y: f32[n]):
    for i in seq(0, n):
        for j in seq(0, n):
            y[i] += x[i, j]


@proc
def shifted(n: size, x: f32[n + 1]):
    for i in seq(0, n):
        x[i + 1] = x[i]


@proc
def halves(n: size, x: f32[2 * n]):
    for i in seq(0, n):
        x[i] = x[i + n]


@pytest.mark.parametrize("p,loop,fragment", [
    (total, "i", "iteration i=0 adds to s"),
    (last_wins, "i", "writes y[0]"),
    (row_reduce, "j", "adds to y[0]"),
    (shifted, "i", "x[1]"),
])
def test_racing_parallel_loops_are_refused(p, loop, fragment):
    q = parallelize_loop(p, loop)
    with pytest.raises(ParallelRaceError) as e:
        q.c_code_str()
    msg = str(e.value)
    assert isinstance(e.value, TypeError) and isinstance(e.value, ExoTypeError)
    assert f"parallel loop {loop} may race" in msg and fragment in msg, msg
    line = next(s.srcinfo.lineno for s in _loops(q) if s.iter.name == loop)
    assert f"{HERE}:{line}:" in msg


def _loops(p):
    out = []

    def walk(block):
        for s in block:
            if isinstance(s, ir.For):
                out.append(s)
                walk(s.body)
    walk(p.INTERNAL_proc().body)
    return out


def test_independent_iterations_are_accepted():
    assert "#pragma omp parallel for" in parallelize_loop(halves, "i").c_code_str()
    assert "#pragma omp parallel for" in parallelize_loop(row_reduce, "i").c_code_str()
