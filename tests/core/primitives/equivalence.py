"""Does a scheduled procedure compute what the original computes?

    assert_equivalent(original, scheduled, n=7)                  # jit, 2 trials
    assert_equivalent(original, scheduled, backend="interp", n=7)

Both procedures run on the same random inputs (small integers, so float
sums are exact whatever the order) and every buffer argument must end up
identical. Control arguments (sizes, indices) are given by name. The
``"jit"`` backend compiles the C code; ``"interp"`` uses
`exo_core.ir.interpret` (no compiler: the fast path for property tests; it is
cross-checked against the jit in test_interpret.py).
"""

from __future__ import annotations

import numpy as np

from exo_codegen.jit import jit
from exo_codegen.jit_args import DTYPES, eval_ctrl
from exo_core.ir.interpret import interpret
from exo_core.ir.types import TensorType, is_control


def random_inputs(proc, controls: dict, rng) -> list:
    """Arguments for ``proc``: the given control values, random buffers."""
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
            args.append(rng.integers(-4, 5, size=shape).astype(DTYPES[a.type.elem]))
        else:
            args.append(np.array([rng.integers(-4, 5)], dtype=DTYPES[a.type]))
    return args


def runner(proc, backend: str):
    """A callable running ``proc`` on arguments (in place)."""
    if backend == "jit":
        return jit(proc)
    if backend == "interp":
        return lambda *args: interpret(proc, *[_scalar_view(a) for a in args])
    raise ValueError(f"unknown backend {backend!r}")


def _scalar_view(a):
    # the jit takes a scalar data argument as a 1-element array; the
    # interpreter indexes scalars with () -- give it a 0-d view
    if isinstance(a, np.ndarray) and a.ndim == 1 and a.shape == (1,):
        return a.reshape(())
    return a


def outputs_after(proc, args, backend: str) -> list:
    """Copies of ``args`` after running ``proc`` on them."""
    copies = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
    runner(proc, backend)(*copies)
    return copies


def assert_equivalent(original, scheduled, *, trials: int = 2, seed: int = 0,
                      backend: str = "jit", **controls) -> None:
    """Both procedures leave every buffer argument identical."""
    rng = np.random.default_rng(seed)
    f, g = runner(original, backend), runner(scheduled, backend)
    for _ in range(trials):
        a = random_inputs(original, controls, rng)
        b = [x.copy() if isinstance(x, np.ndarray) else x for x in a]
        f(*a)
        g(*b)
        for arg, x, y in zip(original.INTERNAL_proc().args, a, b):
            if isinstance(x, np.ndarray):
                np.testing.assert_array_equal(
                    x, y, err_msg=f"argument {arg.name.name} differs after scheduling")
