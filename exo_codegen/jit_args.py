"""Checking and converting Python arguments of a jitted procedure.

Per parameter kind:

- ``size``/``index``/``stride``: a Python (or numpy) integer; sizes must be
  positive (at least 1: the language assumes it, and every check made at
  definition and scheduling time relies on it); all must fit in 32 bits;
- ``bool``: a Python or numpy bool;
- numeric scalar ``x: f32``: a numpy array of the precision's dtype with one
  element (shape ``()`` or ``(1,)``); the procedure may write it;
- tensor ``x: f32[N, 4]``: a C-contiguous numpy array of that dtype and shape
  (shapes are evaluated from the size arguments);
- window ``x: [f32][N, 4]``: a numpy array of that dtype and shape with any
  strides that are whole elements (strided views welcome).

Then the ``assert`` preconditions are evaluated (strides of windows included)
and buffers the procedure writes must not overlap other buffer arguments.
Every violation raises `JitArgumentError` naming the parameter.
"""

from __future__ import annotations

import ctypes
import numbers

import numpy as np

import exo_core.ir as ir
from exo_core.ir.types import (F16, F32, F64, I8, UI8, UI16, I32, R, BOOL, SIZE,
                            ScalarType, TensorType, is_control)

from exo_codegen.errors import JitArgumentError
from exo_codegen.header import shape_expr_text, type_text

DTYPES = {F16: np.float16, F32: np.float32, F64: np.float64, I8: np.int8, UI8: np.uint8,
          UI16: np.uint16, I32: np.int32, R: np.float32}

_INT32_MIN, _INT32_MAX = -(2 ** 31), 2 ** 31 - 1


def _known(srcinfo):
    """``srcinfo`` when it names a real position (else None)."""
    return srcinfo if srcinfo is not None and srcinfo.lineno > 0 else None


class _NotEvaluable(Exception):
    pass


def eval_ctrl(e, env: dict):
    """The value of a control expression under ``env`` (Sym -> int/bool);
    ``/`` and ``%`` with floor semantics."""
    if isinstance(e, ir.Const):
        return e.val
    if isinstance(e, ir.Read) and not e.idx:
        if e.name in env:
            return env[e.name]
        raise _NotEvaluable(e.name)
    if isinstance(e, ir.StrideExpr):
        key = (e.name, e.dim)
        if key in env:
            return env[key]
        raise _NotEvaluable(key)
    if isinstance(e, ir.USub):
        return -eval_ctrl(e.arg, env)
    if isinstance(e, ir.BinOp):
        if e.op == "and":
            return bool(eval_ctrl(e.lhs, env)) and bool(eval_ctrl(e.rhs, env))
        if e.op == "or":
            return bool(eval_ctrl(e.lhs, env)) or bool(eval_ctrl(e.rhs, env))
        a, b = eval_ctrl(e.lhs, env), eval_ctrl(e.rhs, env)
        ops = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
               "/": lambda: a // b, "%": lambda: a % b, "<": lambda: a < b,
               ">": lambda: a > b, "<=": lambda: a <= b, ">=": lambda: a >= b,
               "==": lambda: a == b, "!=": lambda: a != b}
        if e.op in ops and not (e.op in "/%" and b == 0):
            return ops[e.op]()
    raise _NotEvaluable(e)


class IntFastTypes:
    """ctypes types matching the C ABI of the loaded library."""

    def __init__(self, sizeof_int_fast32: int):
        self.int_fast32 = {4: ctypes.c_int32, 8: ctypes.c_int64}[sizeof_int_fast32]
        self._structs: dict[int, type] = {}

    def window_struct(self, ndim: int) -> type:
        """A ctypes struct laid out as ``struct exo_win_<ndim>...``."""
        if ndim not in self._structs:
            self._structs[ndim] = type(f"exo_win_{ndim}", (ctypes.Structure,), {
                "_fields_": [("data", ctypes.c_void_p),
                             ("strides", self.int_fast32 * ndim)]})
        return self._structs[ndim]


class ArgMarshaller:
    """Turns a call's Python arguments into ctypes values for one procedure."""

    def __init__(self, proc: ir.ProcIR, types: IntFastTypes, written: frozenset):
        self.proc = proc
        self.types = types
        self.written = written
        self.argtypes = [ctypes.c_void_p] + [self._argtype(a) for a in proc.args]

    def _argtype(self, a: ir.FnArg):
        t = a.type
        if isinstance(t, ScalarType) and t is BOOL:
            return ctypes.c_bool
        if isinstance(t, ScalarType) and is_control(t):
            return self.types.int_fast32
        if isinstance(t, TensorType) and t.is_window:
            return self.types.window_struct(t.ndim())
        return ctypes.c_void_p

    def _err(self, a: ir.FnArg, msg: str):
        return JitArgumentError(f"{self.proc.name}: argument {a.name.name} "
                                f"({type_text(a.type)}) {msg}", _known(a.srcinfo))

    def bind(self, args, kwargs) -> dict:
        """Match positional and keyword arguments to parameters."""
        params = self.proc.args
        if len(args) > len(params):
            raise JitArgumentError(f"{self.proc.name} takes {len(params)} arguments but "
                                   f"{len(args)} were given", _known(self.proc.srcinfo))
        bound = {p.name.name: v for p, v in zip(params, args)}
        names = {p.name.name for p in params}
        for k, v in kwargs.items():
            if k not in names:
                raise JitArgumentError(f"{self.proc.name} has no parameter named {k}",
                                       _known(self.proc.srcinfo))
            if k in bound:
                raise JitArgumentError(f"{self.proc.name} got two values for {k}",
                                       _known(self.proc.srcinfo))
            bound[k] = v
        missing = [p.name.name for p in params if p.name.name not in bound]
        if missing:
            raise JitArgumentError(f"{self.proc.name} takes {len(params)} arguments; "
                                   f"missing {', '.join(missing)}", _known(self.proc.srcinfo))
        return bound

    def convert(self, args, kwargs) -> tuple[list, list]:
        """``(ctypes values, objects to keep alive)`` for one call."""
        bound = self.bind(args, kwargs)
        env: dict = {}
        values: dict = {}
        arrays = []
        for a in self.proc.args:  # control values first: shapes depend on them
            t = a.type
            if isinstance(t, ScalarType) and is_control(t):
                values[a.name] = self._control(a, bound[a.name.name], env)
        for a in self.proc.args:
            t = a.type
            if isinstance(t, ScalarType) and is_control(t):
                continue
            arr = self._array(a, bound[a.name.name], env)
            arrays.append((a, arr))
            values[a.name] = self._buffer_value(a, arr)
        self._check_preds(env)
        self._check_aliasing(arrays)
        out = [None] + [values[a.name] for a in self.proc.args]
        return out, [arr for _, arr in arrays]

    def _control(self, a, v, env):
        t = a.type
        if t is BOOL:
            if not isinstance(v, (bool, np.bool_)):
                raise self._err(a, f"must be a bool, got {type(v).__name__}")
            env[a.name] = bool(v)
            return bool(v)
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
            raise self._err(a, f"must be an int, got {type(v).__name__}")
        v = int(v)
        if t is SIZE and v < 1:
            raise self._err(a, f"must be a positive size (at least 1), got {v}")
        if not (_INT32_MIN <= v <= _INT32_MAX):
            raise self._err(a, f"does not fit in 32 bits: {v}")
        env[a.name] = v
        return v

    def _array(self, a, v, env) -> np.ndarray:
        t = a.type
        elem = t.basetype()
        dtype = np.dtype(DTYPES[elem])
        if not isinstance(v, np.ndarray):
            got = (f"a numpy {type(v).__name__} scalar (use np.array(...) to pass it)"
                   if isinstance(v, np.generic) else type(v).__name__)
            raise self._err(a, f"must be a numpy array of dtype {dtype.name}, got {got}")
        if v.dtype != dtype:
            got = v.dtype.name
            if got == dtype.name:  # same kind and size, other byte order
                got = f"{v.dtype.str} (non-native byte order; use arr.astype({dtype.name}))"
            raise self._err(a, f"must have dtype {dtype.name}, got {got}")
        if a.name in self.written and not v.flags.writeable:
            raise self._err(a, "is written by the procedure but the array is read-only")
        if isinstance(t, ScalarType):
            if v.size != 1 or v.ndim > 1:
                raise self._err(a, f"must be a 0-d or 1-element array, got shape {v.shape}")
            return v
        try:
            shape = tuple(eval_ctrl(e, env) for e in t.shape_exprs)
        except _NotEvaluable:
            raise self._err(a, "has a shape that cannot be computed from the size "
                               "arguments") from None
        if v.shape != shape:
            want = "[" + ", ".join(f"{shape_expr_text(e)}={n}" if not isinstance(e, ir.Const)
                                   else str(n) for e, n in zip(t.shape_exprs, shape)) + "]"
            raise self._err(a, f"must have shape {want}, got {list(v.shape)}")
        if t.is_window:
            if any(s % dtype.itemsize for s in v.strides):
                raise self._err(a, "has strides that are not whole elements")
            for d, s in enumerate(v.strides):
                env[(a.name, d)] = s // dtype.itemsize
        else:
            if not v.flags.c_contiguous:
                raise self._err(a, "must be C-contiguous (use np.ascontiguousarray, or "
                                   "declare the parameter as a window [T][...])")
            stride = 1
            for d in reversed(range(len(shape))):
                env[(a.name, d)] = stride
                stride *= shape[d]
        return v

    def _buffer_value(self, a, arr: np.ndarray):
        t = a.type
        if isinstance(t, TensorType) and t.is_window:
            struct = self.types.window_struct(t.ndim())
            strides = [s // arr.itemsize for s in arr.strides]
            if any(not (_INT32_MIN <= s <= _INT32_MAX) for s in strides):
                raise self._err(a, "has strides that do not fit in 32 bits")
            return struct(arr.ctypes.data, (self.types.int_fast32 * t.ndim())(*strides))
        return ctypes.c_void_p(arr.ctypes.data)

    def _check_preds(self, env):
        for pred in self.proc.preds:
            try:
                ok = eval_ctrl(pred, env)
            except _NotEvaluable:
                continue  # e.g. a configuration value: only the C code knows it
            if not ok:
                raise JitArgumentError(f"{self.proc.name}: precondition "
                                       f"`assert {shape_expr_text(pred)}` does not hold "
                                       f"for these arguments", _known(pred.srcinfo))

    def _check_aliasing(self, arrays):
        for k, (a, x) in enumerate(arrays):
            for b, y in arrays[k + 1:]:
                if a.name not in self.written and b.name not in self.written:
                    continue
                try:
                    overlap = np.shares_memory(x, y, max_work=10_000)
                except np.exceptions.TooHardError:
                    overlap = True
                if overlap:
                    raise JitArgumentError(
                        f"{self.proc.name}: arguments {a.name.name} and {b.name.name} "
                        f"overlap in memory, and the procedure writes one of them "
                        f"(object code assumes buffers do not alias)", _known(self.proc.srcinfo))
