"""Compile-and-run equivalence of a procedure before and after scheduling
(helper for the scope/statement/simplify primitive tests).

    assert_same_outputs(original, scheduled, n=7, flag=True)

Both procedures are compiled with the jit and run on the same random inputs
(small integers, exact in every precision); every buffer argument must end
up identical. Size/index/bool arguments are given by name.
"""

from __future__ import annotations

import numpy as np

from exo_codegen.jit import jit
from exo_codegen.jit_args import DTYPES, eval_ctrl
from exo_core.ir.types import TensorType, is_control


def _inputs(proc, controls: dict, rng) -> list:
    root = proc.INTERNAL_proc()
    env, args = {}, []
    for a in root.args:
        if is_control(a.type):
            if a.name.name not in controls:
                raise AssertionError(f"give a value for the argument {a.name.name}")
            v = controls[a.name.name]
            env[a.name] = v
            args.append(v)
        elif isinstance(a.type, TensorType):
            shape = tuple(eval_ctrl(e, env) for e in a.type.shape_exprs)
            dt = DTYPES[a.type.elem]
            args.append(rng.integers(-4, 5, size=shape).astype(dt))
        else:
            args.append(np.array([rng.integers(-4, 5)], dtype=DTYPES[a.type]))
    return args


def assert_same_outputs(original, scheduled, trials: int = 2, seed: int = 0,
                        **controls) -> None:
    """Run both procedures on the same random inputs; all buffers must agree."""
    f, g = jit(original), jit(scheduled)
    rng = np.random.default_rng(seed)
    for _ in range(trials):
        a = _inputs(original, controls, rng)
        b = [x.copy() if isinstance(x, np.ndarray) else x for x in a]
        f(*a)
        g(*b)
        for k, (x, y) in enumerate(zip(a, b)):
            if isinstance(x, np.ndarray):
                np.testing.assert_array_equal(
                    x, y, err_msg=f"argument {k} differs after scheduling")
