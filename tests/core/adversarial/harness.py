"""Checks shared by the adversarial (soundness) tests.

A scheduling primitive may either refuse a rewrite (``SchedulingError``) or
return a procedure that computes exactly what the original computes. These
helpers state that contract:

    q = divide_loop(p, "i", 4, ["io", "ii"])                     # must be accepted
    assert_same_results(p, q, n=[1, 2, 5])                       # on random inputs

    rejected_or_equivalent(lambda: fuse(p, l1, l2), p, n=[1, 3]) # either is fine

Procedures run in the reference interpreter (`exo_core.ir.interpret`), which
checks every index against its buffer's bounds, so an out-of-bounds access
introduced by a rewrite is reported too; ``backend="jit"`` compiles them
instead (for what the interpreter does not run). Configuration fields start
from given values and must end up identical as well (interpreter only).

Every accepted rewrite must also be well scoped: `assert_well_scoped` checks
that each name a statement uses is bound (argument, enclosing loop,
allocation or window statement earlier in an enclosing block) where it is
used -- the C code declares names in exactly those scopes.
"""

from __future__ import annotations

import itertools
from typing import Callable

import numpy as np

from exo_codegen.jit_args import eval_ctrl
from exo_core import SchedulingError, ir
from exo_core.errors import ExoError
from exo_core.ir.interpret import dtype_of, interpret
from exo_core.ir.types import TensorType, is_control


def random_args(proc, controls: dict, rng) -> list:
    """Arguments for ``proc``: control values from ``controls``, random data
    (small integers, exact in every precision)."""
    root = proc.INTERNAL_proc()
    env, args = {}, []
    for a in root.args:
        if is_control(a.type):
            v = controls[a.name.name]
            env[a.name] = v
            args.append(v)
        elif isinstance(a.type, TensorType):
            shape = tuple(eval_ctrl(e, env) for e in a.type.shape_exprs)
            args.append(rng.integers(-4, 5, size=shape).astype(dtype_of(a.type)))
        else:
            args.append(np.array(rng.integers(-4, 5), dtype=dtype_of(a.type)))
    return args


def run(proc, args: list, configs: dict | None = None,
        backend: str = "interp") -> tuple[list, dict]:
    """Copies of ``args`` and ``configs`` after running ``proc`` on them."""
    copies = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
    cfg = dict(configs or {})
    if backend == "interp":
        interpret(proc, *copies, configs=cfg)
    elif backend == "jit":
        from exo_codegen.jit import jit

        assert not configs, "configuration state is only compared with the interpreter"
        # the jit takes a scalar data argument as a 1-element array
        jit(proc)(*[x.reshape(1) if isinstance(x, np.ndarray) and x.ndim == 0 else x
                    for x in copies])
    else:
        raise ValueError(f"unknown backend {backend!r}")
    return copies, cfg


def assert_well_scoped(proc) -> None:
    """Every name used in ``proc`` is bound where it is used."""
    root = proc.INTERNAL_proc()
    _scoped_block(root.body, {a.name for a in root.args})


def _scoped_block(stmts, bound: set) -> None:
    bound = set(bound)
    for s in stmts:
        _scoped_stmt(s, bound)
        if isinstance(s, (ir.Alloc, ir.WindowStmt)):
            bound.add(s.name)


def _scoped_stmt(s, bound: set) -> None:
    def use(sym):
        assert sym in bound, (f"{sym.name} is used out of the scope that binds it "
                              f"(line {s.srcinfo.lineno})")

    if isinstance(s, (ir.Assign, ir.Reduce)):
        use(s.name)
        for e in (*s.idx, s.rhs):
            _scoped_expr(e, use)
    elif isinstance(s, ir.WriteConfig):
        _scoped_expr(s.rhs, use)
    elif isinstance(s, ir.If):
        _scoped_expr(s.cond, use)
        _scoped_block(s.body, bound)
        _scoped_block(s.orelse, bound)
    elif isinstance(s, ir.For):
        _scoped_expr(s.lo, use)
        _scoped_expr(s.hi, use)
        _scoped_block(s.body, bound | {s.iter})
    elif isinstance(s, ir.Alloc):
        for e in getattr(s.type, "shape_exprs", ()):
            _scoped_expr(e, use)
    elif isinstance(s, ir.Call):
        for e in s.args:
            _scoped_expr(e, use)
    elif isinstance(s, ir.WindowStmt):
        _scoped_expr(s.rhs, use)


def _scoped_expr(e, use) -> None:
    if isinstance(e, (ir.Read, ir.WindowExpr, ir.StrideExpr)):
        use(e.name)
    if isinstance(e, ir.Read):
        for i in e.idx:
            _scoped_expr(i, use)
    elif isinstance(e, ir.WindowExpr):
        for a in e.idx:
            for sub in ((a.lo, a.hi) if isinstance(a, ir.Interval) else (a.pt,)):
                _scoped_expr(sub, use)
    elif isinstance(e, ir.USub):
        _scoped_expr(e.arg, use)
    elif isinstance(e, ir.BinOp):
        _scoped_expr(e.lhs, use)
        _scoped_expr(e.rhs, use)
    elif isinstance(e, ir.Extern):
        for a in e.args:
            _scoped_expr(a, use)


def assert_same_results(original, scheduled, *, trials: int = 3, seed: int = 0,
                        configs: dict | None = None, backend: str = "interp",
                        **controls) -> None:
    """``scheduled`` is well scoped, and ``original`` and ``scheduled`` leave
    every buffer argument and every configuration field identical. Each
    control argument is given a list of values to try (every combination is
    run)."""
    assert_well_scoped(scheduled)
    rng = np.random.default_rng(seed)
    names = sorted(controls)
    for combo in itertools.product(*(controls[n] for n in names)):
        ctl = dict(zip(names, combo))
        for _ in range(trials):
            args = random_args(original, ctl, rng)
            a, ca = run(original, args, configs, backend)
            try:
                b, cb = run(scheduled, args, configs, backend)
            except ExoError as e:
                raise AssertionError(f"the scheduled procedure fails with {ctl}: {e}") from e
            for arg, x, y in zip(original.INTERNAL_proc().args, a, b):
                if isinstance(x, np.ndarray):
                    np.testing.assert_array_equal(  # ACTUAL: scheduled, DESIRED: original
                        y, x, err_msg=f"argument {arg.name.name} differs with {ctl}")
            assert ca == cb, f"configuration state differs with {ctl}: {ca} vs {cb}"


def rejected_or_equivalent(rewrite: Callable, original, **kwargs) -> None:
    """The rewrite is refused with SchedulingError, or its result computes
    what ``original`` computes (see `assert_same_results`)."""
    try:
        scheduled = rewrite()
    except SchedulingError:
        return
    assert_same_results(original, scheduled, **kwargs)


def assert_scheduling_error(rewrite: Callable, *fragments: str) -> SchedulingError:
    """The rewrite raises SchedulingError (not a raw Python exception), at a
    position in this test file, with a message containing ``fragments``."""
    try:
        rewrite()
    except SchedulingError as e:
        si = e.srcinfo
        assert si is not None and si.filename.endswith(".py") and si.lineno, \
            f"the error has no user position: {e}"
        for f in fragments:
            assert f in str(e), f"{f!r} not in {str(e)!r}"
        return e
    raise AssertionError("the rewrite was accepted")
