"""The one entry point of every scheduling primitive: `primitive`.

A primitive declares each of its parameters with a kind from
`exo_core.primitives.arguments` and is written against the *checked* values;
the decorator binds the user's call, validates and converts each argument in
order, runs the primitive, then runs the `POST_APPLICATION_CHECKS`::

    from exo_core.primitives.arguments import Bool, Int, Loop, NewNames, OneOf
    from exo_core.primitives.signature import primitive

    @primitive(loop_cursor=Loop(), div_const=Int(min=2),
               new_iters=NewNames(2, near="loop_cursor", replacing=True),
               tail=OneOf("guard", "cut", "cut_and_guard"), perfect=Bool())
    def divide_loop(proc, loop_cursor, div_const, new_iters, tail="guard", perfect=False):
        loop = loop_cursor._node()      # a ForCursor in ``proc``, not a string
        io, ii = new_iters              # two fresh Syms
        ...

The first parameter is always the procedure (checked to be a `Procedure`);
every other parameter must be declared (a missing declaration is an error when
the module is imported). Kinds are processed in parameter order, and a kind may
refer to an earlier parameter by name (``near="loop_cursor"``: the names
visible at that location; ``at="loop_cursor"``: parse an expression there).

What a user sees: a wrong call (missing or unknown argument) or a bad value is
an `ArgumentTypeError` / `ArgumentValueError` (both SchedulingErrors, and the
builtin TypeError / ValueError as in Exo) whose message starts with the
primitive's name and whose position is the user's call (file:line:column);
every `ExoError` leaves the primitive with the library's frames hidden
(`exo_core.user_frame.user_entry`).

New kinds: subclass `arguments.Param` and implement ``convert(value, call)``
(raise with ``call.type_error(...)`` / ``call.value_error(...)``).
"""

from __future__ import annotations

import copy
import functools
import inspect
from dataclasses import dataclass, field
from typing import Callable

from exo_core.errors import ArgumentTypeError, ArgumentValueError
from exo_core.ir.prelude import SrcInfo
from exo_core.procedure import Procedure
from exo_core.user_frame import caller_srcinfo, user_entry

POST_APPLICATION_CHECKS: list[Callable[[str, Procedure, Procedure], None]] = []
"""Checks run after every successful primitive application, as
``check(primitive_name, proc_before, proc_after)`` (once per Procedure the
primitive returns). Empty in production; the test suite installs its
well-formedness check here. A check signals a problem by raising."""


@dataclass
class Call:
    """One call of a primitive while its arguments are checked: the primitive's
    name, the procedure, the converted arguments so far (``args[name]``, in
    parameter order) and the user's position (found when an error needs it)."""

    primitive: str
    proc: Procedure
    args: dict = field(default_factory=dict)

    @property
    def srcinfo(self) -> SrcInfo | None:
        return caller_srcinfo()

    def type_error(self, message: str) -> ArgumentTypeError:
        """An `ArgumentTypeError` ``"<primitive>: <message>"`` at the user's call."""
        return ArgumentTypeError(f"{self.primitive}: {message}", self.srcinfo)

    def value_error(self, message: str) -> ArgumentValueError:
        """An `ArgumentValueError` ``"<primitive>: <message>"`` at the user's call."""
        return ArgumentValueError(f"{self.primitive}: {message}", self.srcinfo)


class Param:
    """A parameter kind: ``convert`` checks one argument and returns what the
    primitive's body receives (a resolved cursor, a Sym, a parsed expression,
    the value itself). ``name`` is the parameter's name (set by `primitive`)."""

    name: str = "?"

    def convert(self, value, call: Call):  # pragma: no cover - abstract
        raise NotImplementedError


def _returned_procs(result) -> list:
    if isinstance(result, Procedure):
        return [result]
    if isinstance(result, (tuple, list)):
        return [r for r in result if isinstance(r, Procedure)]
    return []


def primitive(**params: Param):
    """Decorator declaring a scheduling primitive's parameters (see the module
    docstring). The decorated function is the single point the primitive's
    calls pass through: arguments checked, result checked by
    `POST_APPLICATION_CHECKS`, errors raised at the user's call."""

    def decorate(fn: Callable) -> Callable:
        sig = inspect.signature(fn)
        names = list(sig.parameters)
        if not names or names[0] != "proc":
            raise TypeError(f"{fn.__name__}: the first parameter of a primitive must be 'proc'")
        missing = [n for n in names[1:] if n not in params]
        unknown = [n for n in params if n not in names[1:]]
        if missing or unknown:
            raise TypeError(f"{fn.__name__}: undeclared parameters {missing}, "
                            f"declared but absent {unknown}")
        kinds = []
        for n in names[1:]:
            if not isinstance(params[n], Param):
                raise TypeError(f"{fn.__name__}: {n} must be declared with a Param, "
                                f"got {params[n]!r}")
            kind = copy.copy(params[n])  # a kind object may be shared by declarations
            kind.name = n
            kinds.append((n, kind))
        P = fn.__name__
        for p in sig.parameters.values():
            if p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
                raise TypeError(f"{fn.__name__}: parameter {p.name} must be a plain parameter")
        positional = [n for n, p in sig.parameters.items() if p.kind == p.POSITIONAL_OR_KEYWORD]
        defaults = {n: p.default for n, p in sig.parameters.items() if p.default is not p.empty}

        def bind(args, kwargs) -> dict:
            """The arguments by name, defaults filled in (`inspect.Signature.bind`
            semantics, without its cost on every call)."""
            values = dict(defaults)
            values.update(zip(positional, args))
            if len(args) > len(positional) or any(
                    k not in params and k != "proc" or k in positional[:len(args)]
                    for k in kwargs):
                sig.bind(*args, **kwargs)  # raises the TypeError naming the problem
            values.update(kwargs)
            if len(values) != len(names):
                sig.bind(*args, **kwargs)  # a required argument is missing
            return values

        @functools.wraps(fn)
        def checked(*args, **kwargs):
            try:
                values = bind(args, kwargs)
            except TypeError as e:
                raise ArgumentTypeError(f"{P}: {e}", caller_srcinfo()) from None
            proc = values["proc"]
            if not isinstance(proc, Procedure):
                raise ArgumentTypeError(f"{P}: expected a procedure as the first argument, "
                                        f"got {type(proc).__name__}", caller_srcinfo())
            call = Call(P, proc)
            for n, kind in kinds:
                call.args[n] = kind.convert(values[n], call)
            result = fn(proc, **call.args)
            if POST_APPLICATION_CHECKS:
                for after in _returned_procs(result):
                    for check in POST_APPLICATION_CHECKS:
                        check(P, proc, after)
            return result

        entry = user_entry(checked)
        entry.__primitive_params__ = dict(kinds)
        return entry

    return decorate


def is_primitive(obj) -> bool:
    """Whether ``obj`` is a primitive declared with `primitive`."""
    return callable(obj) and hasattr(obj, "__primitive_params__")


__all__ = ["primitive", "Param", "Call", "POST_APPLICATION_CHECKS", "is_primitive"]
