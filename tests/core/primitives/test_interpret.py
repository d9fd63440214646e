"""The IR interpreter agrees with the jit (it stands in for it in the
property tests)."""

from __future__ import annotations

import numpy as np
import pytest

from exo_core import proc
from exo_core.api import proc_from_source
from exo_core.ir.interpret import InterpreterError, interpret

from tests.core.primitives.equivalence import outputs_after, random_inputs
from tests.core.primitives.loop_procs import matmul, shifted_read, two_stmts
from tests.core.primitives.test_tutorial import exo_conv1d_tile_lt_kw


@proc
def windows_and_divs(n: size, x: f32[n, 8], y: f32[8], s: f32):
    for i in seq(0, n):
        row = x[i, 0:8]
        for j in seq(0, 8):
            if (i + j) % 3 == 1:
                y[j] += row[j] * 2.0 - s
            else:
                y[(j + 7) / 2] = -row[j]
        s = s + y[i % 8]


@proc
def bump(a: f32, b: f32):
    a += b
    b = a * 2.0


@proc
def element_calls(n: size, x: f32[n, 4], y: f32[4], s: f32):
    for i in seq(0, n):
        bump(x[i, (i + 1) % 4], y[i % 4])
        bump(s, x[i, 3])


@pytest.mark.parametrize("p, controls", [
    (matmul, {"n": 3, "m": 4, "k": 5}), (two_stmts, {"n": 6}), (shifted_read, {"n": 5}),
    (exo_conv1d_tile_lt_kw, {}), (windows_and_divs, {"n": 5}), (element_calls, {"n": 3}),
])
def test_interpreter_matches_jit(p, controls):
    rng = np.random.default_rng(1)
    args = random_inputs(p, controls, rng)
    via_jit = outputs_after(p, args, "jit")
    via_interp = outputs_after(p, args, "interp")
    for a, b in zip(via_jit, via_interp):
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b)


def test_out_of_bounds_is_reported():
    args = random_inputs(two_stmts, {"n": 3}, np.random.default_rng(0))
    args[3] = args[3][:2]  # z too short
    with pytest.raises(InterpreterError, match="out of bounds"):
        interpret(two_stmts, *args)


def test_element_argument_is_checked_against_its_buffer():
    args = random_inputs(element_calls, {"n": 3}, np.random.default_rng(0))
    args[1] = args[1][:, :1]  # x[i, (i + 1) % 4] is out of bounds
    with pytest.raises(InterpreterError, match="out of bounds"):
        interpret(element_calls, *args)


def test_a_name_outside_its_scope_is_an_interpreter_error():
    # what an unsound rewrite could produce: x[i] after the loop over i
    p = proc_from_source('''
def f(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i] = 1.0
''', {})
    root = p.INTERNAL_proc()
    loop = root.body[0]
    broken = root.update(body=[loop, loop.body[0]])
    with pytest.raises(InterpreterError, match="i is used outside the scope that defines it"):
        interpret(broken, 2, np.zeros(2, np.float32))
