"""Externs: functions implemented outside object code (``sin``, ``select``...).

An extern is an instance of an `Extern` subclass. It may appear in data
expressions (the right-hand side of ``=`` and ``+=``)::

    class _Sin(Extern):
        def __init__(self):
            super().__init__("sin")

        def typecheck(self, args):
            if len(args) != 1:
                raise _EErr(f"expected 1 argument, got {len(args)}")
            return args[0].type

        def compile(self, args, prim_type):
            return f"sin(({prim_type}){args[0]})"

        def globl(self, prim_type):
            return "#include <math.h>"

        def interpret(self, args):
            return math.sin(args[0])

    sin = _Sin()

The front end calls ``typecheck`` with the typed argument expressions and turns
an `_EErr` into a type error at the call's source position. Code generation
calls ``compile`` with the arguments as C strings and the destination's C type,
and emits ``globl`` once per C type used.
"""

from __future__ import annotations

import math
import re


class _EErr(Exception):
    """Raised by `Extern.typecheck` for a bad call; the front end reports it as
    a type error at the user's source position."""

    def __init__(self, msg: str):
        self.msg = msg
        super().__init__(msg)


class Extern:
    """Base of extern functions. Subclasses call ``super().__init__(name)`` and
    override `typecheck`, `compile`, `globl` and optionally `interpret`."""

    def __init__(self, name: str):
        self._name = name

    def name(self) -> str:
        """The name printed in object code."""
        return self._name

    def typecheck(self, args) -> object:
        """Given typed argument expressions, return the result type (or raise
        `_EErr`)."""
        raise NotImplementedError(f"extern {self._name} defines no typecheck")

    def compile(self, args, prim_type: str) -> str:
        """C text of a call given C argument strings and the C element type."""
        raise NotImplementedError(f"extern {self._name} defines no compile")

    def globl(self, prim_type: str) -> str:
        """C text emitted once per compilation unit and C element type."""
        return ""

    def interpret(self, args):
        """The value of the call on Python numbers (for interpreters/tests)."""
        raise NotImplementedError(f"extern {self._name} cannot be interpreted")

    def __call__(self, *args):
        # Externs are only meaningful inside @proc bodies, which are parsed,
        # never executed by Python.
        raise _EErr(
            f"extern {self._name} can only be called inside object code (@proc)"
        )

    def __repr__(self):
        return f"<extern {getattr(self, '_name', type(self).__name__)}>"


def _check_real_scalars(name: str, args, arity: int):
    if len(args) != arity:
        raise _EErr(f"{name} expects {arity} argument{'s' if arity != 1 else ''}, got {len(args)}")
    for i, a in enumerate(args):
        t = a.type
        if t is None or not t.is_real_scalar():
            raise _EErr(
                f"argument {i + 1} of {name} must be a real scalar value, but got type {t}"
            )
    return args[0].type


_ATOMIC_C = re.compile(r"^\*?[A-Za-z_][\w.]*(\[[^\[\]]*\])?$|^[\d.]+f?$")


def _cast(prim_type: str, arg: str) -> str:
    """``(float)x`` for an atomic C operand, ``(float)(a + b)`` otherwise (a
    cast binds tighter than any binary operator)."""
    return f"({prim_type}){arg}" if _ATOMIC_C.match(arg) else f"({prim_type})({arg})"


class _MathFunction(Extern):
    """A function of C's ``<math.h>`` on real scalars (``sin``, ``expf``, ...)."""

    def __init__(self, name: str, arity: int, py_fn):
        super().__init__(name)
        self._arity = arity
        self._py_fn = py_fn

    def typecheck(self, args):
        return _check_real_scalars(self.name(), args, self._arity)

    def compile(self, args, prim_type):
        return f"{self.name()}({', '.join(_cast(prim_type, a) for a in args)})"

    def globl(self, prim_type):
        return "#include <math.h>"

    def interpret(self, args):
        return self._py_fn(*args)


class _Relu(Extern):
    def __init__(self):
        super().__init__("relu")

    def typecheck(self, args):
        return _check_real_scalars("relu", args, 1)

    def compile(self, args, prim_type):
        return f"_relu_{prim_type.replace(' ', '_')}(({prim_type}){args[0]})"

    def globl(self, prim_type):
        fn = f"_relu_{prim_type.replace(' ', '_')}"
        return (
            f"{prim_type} {fn}({prim_type} x) {{\n"
            f"    if (x > 0.0) return x;\n"
            f"    else return 0.0;\n"
            f"}}\n"
        )

    def interpret(self, args):
        return args[0] if args[0] > 0 else type(args[0])(0)


class _Select(Extern):
    """``select(x, v, y, z)`` is ``y`` if ``x < v`` else ``z``."""

    def __init__(self):
        super().__init__("select")

    def typecheck(self, args):
        return _check_real_scalars("select", args, 4)

    def compile(self, args, prim_type):
        fn = f"_select_{prim_type.replace(' ', '_')}"
        return f"{fn}(({prim_type}){args[0]}, ({prim_type}){args[1]}, ({prim_type}){args[2]}, ({prim_type}){args[3]})"

    def globl(self, prim_type):
        fn = f"_select_{prim_type.replace(' ', '_')}"
        return (
            f"{prim_type} {fn}({prim_type} x, {prim_type} v, {prim_type} y, {prim_type} z) {{\n"
            f"    if (x < v) return y;\n"
            f"    else return z;\n"
            f"}}\n"
        )

    def interpret(self, args):
        x, v, y, z = args
        return y if x < v else z


class _Sigmoid(Extern):
    def __init__(self):
        super().__init__("sigmoid")

    def typecheck(self, args):
        return _check_real_scalars("sigmoid", args, 1)

    def compile(self, args, prim_type):
        return f"_sigmoid_{prim_type.replace(' ', '_')}(({prim_type})({args[0]}))"

    def globl(self, prim_type):
        fn = f"_sigmoid_{prim_type.replace(' ', '_')}"
        return (
            "#include <math.h>\n"
            f"{prim_type} {fn}({prim_type} x) {{\n"
            "    return 1 / (1 + exp(-x));\n"
            "}\n"
        )

    def interpret(self, args):
        return 1.0 / (1.0 + math.exp(-args[0]))


sin = _MathFunction("sin", 1, math.sin)
relu = _Relu()
select = _Select()
expf = _MathFunction("expf", 1, math.exp)
fmaxf = _MathFunction("fmaxf", 2, max)
sigmoid = _Sigmoid()
sqrt = _MathFunction("sqrt", 1, math.sqrt)

BUILTIN_EXTERNS = {e.name(): e for e in (sin, relu, select, expf, fmaxf, sigmoid, sqrt)}
"""Externs every proc body can name without importing them."""

__all__ = ["Extern", "_EErr", "sin", "relu", "select", "expf", "fmaxf", "sigmoid",
           "sqrt", "BUILTIN_EXTERNS"]
