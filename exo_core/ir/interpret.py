"""A reference interpreter of procedures on numpy arrays.

    from exo_core.ir.interpret import interpret
    interpret(proc, n, x, y)        # same calling convention as the jit

It runs the IR directly in Python: control arithmetic with floor division
(as the generated C does), data values in Python floats stored into the
buffers' numpy dtypes, windows as numpy views, calls by binding the callee's
arguments. It is slow per statement but needs no compiler, which makes it
the fast path for checking many small schedules (tests validate it against
the jit). Unsupported constructs raise `InterpreterError`.
"""

from __future__ import annotations

import math

import numpy as np

import exo_core.ir as ir
from exo_core.errors import ExoError
from exo_core.ir.types import TensorType

_DTYPES = {"f16": np.float16, "f32": np.float32, "f64": np.float64, "i8": np.int8,
           "ui8": np.uint8, "ui16": np.uint16, "i32": np.int32, "R": np.float32}


class InterpreterError(ExoError):
    """The interpreter cannot run this code (or the arguments are wrong)."""


def dtype_of(t) -> type:
    """The numpy dtype of a data type (``R`` is f32, as in the C code)."""
    elem = t.elem if isinstance(t, TensorType) else t
    return _DTYPES[elem.name]


def interpret(proc, *args, configs: dict | None = None, **kwargs) -> None:
    """Run ``proc`` on ``args`` (numpy arrays are updated in place; scalar
    data arguments are 0-d numpy arrays). ``configs`` maps (config, field)
    to values and is updated by config writes."""
    root = proc._root if hasattr(proc, "_root") else proc
    names = [a.name.name for a in root.args]
    if len(args) > len(names):
        raise InterpreterError(f"{root.name} takes {len(names)} arguments, got {len(args)}")
    bound = dict(zip(names, args))
    for k, v in kwargs.items():
        if k not in names or k in bound:
            raise InterpreterError(f"unexpected or repeated argument {k}")
        bound[k] = v
    missing = [n for n in names if n not in bound]
    if missing:
        raise InterpreterError(f"missing argument {missing[0]} of {root.name}")
    env = {}
    for a in root.args:
        v = bound[a.name.name]
        env[a.name] = v if isinstance(v, np.ndarray) else int(v)
    _Run(configs if configs is not None else {}).block(root.body, env)


def _lookup(env: dict, name, node):
    """The value of a variable; a name used outside its scope (code a faulty
    rewrite produced) is an InterpreterError, not a KeyError."""
    try:
        return env[name]
    except KeyError:
        raise InterpreterError(f"{name.name} is used outside the scope that defines it",
                               getattr(node, "srcinfo", None)) from None


class _Run:
    def __init__(self, configs: dict):
        self.configs = configs

    def block(self, stmts, env):
        for s in stmts:
            self.stmt(s, env)
        # names the block defines go out of scope with it
        for s in stmts:
            if isinstance(s, (ir.Alloc, ir.WindowStmt)):
                env.pop(s.name, None)

    def stmt(self, s, env):
        if isinstance(s, ir.Assign):
            buf = _lookup(env, s.name, s)
            idx = tuple(self.ctrl(e, env) for e in s.idx)
            self._check(buf, idx, s)
            buf[idx] = self.data(s.rhs, env)
        elif isinstance(s, ir.Reduce):
            buf = _lookup(env, s.name, s)
            idx = tuple(self.ctrl(e, env) for e in s.idx)
            self._check(buf, idx, s)
            buf[idx] = buf[idx] + self.data(s.rhs, env)
        elif isinstance(s, ir.For):
            lo, hi = self.ctrl(s.lo, env), self.ctrl(s.hi, env)
            for v in range(lo, hi):
                env[s.iter] = v
                self.block(s.body, env)
            env.pop(s.iter, None)
        elif isinstance(s, ir.If):
            self.block(s.body if self.ctrl(s.cond, env) else s.orelse, env)
        elif isinstance(s, ir.Alloc):
            shape = tuple(self.ctrl(e, env) for e in s.type.shape_exprs) \
                if isinstance(s.type, TensorType) else ()
            # fresh storage, filled with a value no correct program reads
            env[s.name] = np.full(shape, np.nan if np.issubdtype(dtype_of(s.type), np.floating)
                                  else 0, dtype_of(s.type))
        elif isinstance(s, ir.WindowStmt):
            env[s.name] = self.window(s.rhs, env)
        elif isinstance(s, ir.WriteConfig):
            self.configs[(s.config, s.field)] = self.value(s.rhs, env)
        elif isinstance(s, ir.Call):
            self.call(s, env)
        elif isinstance(s, ir.Pass):
            pass
        else:  # pragma: no cover - every statement kind is listed above
            raise InterpreterError(f"cannot interpret {type(s).__name__}", s.srcinfo)

    def _check(self, buf, idx, s):
        if not isinstance(buf, np.ndarray) or len(idx) != buf.ndim:
            raise InterpreterError("bad access", s.srcinfo)
        for i, n in zip(idx, buf.shape):
            if not 0 <= i < n:
                raise InterpreterError(f"index {i} out of bounds 0..{n - 1}", s.srcinfo)

    def call(self, s, env):
        f = s.f
        inner = {}
        for a, e in zip(f.args, s.args):
            if isinstance(e, ir.WindowExpr):
                inner[a.name] = self.window(e, env)
            elif isinstance(e, ir.Read) and not e.idx and isinstance(env.get(e.name), np.ndarray):
                inner[a.name] = _lookup(env, e.name, e)
            elif isinstance(e, ir.Read) and isinstance(env.get(e.name), np.ndarray):
                # a buffer element passed to a scalar parameter: the callee
                # reads and writes the element itself (a 0-d view)
                buf = _lookup(env, e.name, e)
                idx = tuple(self.ctrl(i, env) for i in e.idx)
                self._check(buf, idx, e)
                inner[a.name] = buf[idx + (Ellipsis,)]
            else:
                inner[a.name] = self.ctrl(e, env)
        self.block(f.body, inner)

    def window(self, w, env):
        arr = _lookup(env, w.name, w)
        key = []
        for a in w.idx:
            if isinstance(a, ir.Interval):
                key.append(slice(self.ctrl(a.lo, env), self.ctrl(a.hi, env)))
            else:
                key.append(self.ctrl(a.pt, env))
        return arr[tuple(key)]

    # --- expressions -------------------------------------------------------
    def ctrl(self, e, env) -> int:
        """A control value (index, bound, condition)."""
        return self.value(e, env)

    data = ctrl  # data values are computed the same way; stores cast them

    def value(self, e, env):
        if isinstance(e, ir.Const):
            return e.val
        if isinstance(e, ir.Read):
            v = _lookup(env, e.name, e)
            if isinstance(v, np.ndarray):
                idx = tuple(self.value(i, env) for i in e.idx)
                if len(idx) != v.ndim:
                    raise InterpreterError("bad access", e.srcinfo)
                for i, n in zip(idx, v.shape):
                    if not 0 <= i < n:
                        raise InterpreterError(f"index {i} out of bounds 0..{n - 1}",
                                               e.srcinfo)
                x = v[idx]
                return float(x) if np.issubdtype(v.dtype, np.floating) else int(x)
            return v
        if isinstance(e, ir.USub):
            return -self.value(e.arg, env)
        if isinstance(e, ir.BinOp):
            op = e.op
            if op == "and":
                return bool(self.value(e.lhs, env)) and bool(self.value(e.rhs, env))
            if op == "or":
                return bool(self.value(e.lhs, env)) or bool(self.value(e.rhs, env))
            a, b = self.value(e.lhs, env), self.value(e.rhs, env)
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            if op == "/":
                if isinstance(a, int) and isinstance(b, int):
                    if getattr(e.type, "kind", None) == "ctrl":
                        return a // b
                    return int(a / b) if b else 0
                return a / b
            if op == "%":
                return a % b if getattr(e.type, "kind", None) == "ctrl" else math.fmod(a, b)
            return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b, "==": a == b}[op]
        if isinstance(e, ir.Extern):
            try:
                return e.f.interpret([self.value(a, env) for a in e.args])
            except NotImplementedError as err:
                raise InterpreterError(str(err), e.srcinfo) from None
        if isinstance(e, ir.StrideExpr):
            arr = _lookup(env, e.name, e)
            return arr.strides[e.dim] // arr.itemsize
        if isinstance(e, ir.ReadConfig):
            return self.configs.get((e.config, e.field), 0)
        raise InterpreterError(f"cannot interpret the expression {type(e).__name__}",
                               getattr(e, "srcinfo", None))
