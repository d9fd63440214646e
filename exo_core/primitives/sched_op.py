"""User-defined scheduling operations, as Exo 1.0's ``sched_op``: a function
of a procedure and checked arguments, declared with one argument processor
per parameter after the procedure::

    from exo_stdlib.scheduling import *
    from exo_core.primitives.sched_op import ForCursorA, PosIntA

    @sched_op([ForCursorA, PosIntA])
    def split_by(proc, loop, n):
        # ``loop`` is a ForCursor of ``proc``, ``n`` a positive int
        return divide_loop(proc, loop, n, ["io", "ii"], tail="cut")

    p = split_by(p, "i", 4)        # a loop name, pattern or cursor

The result is a primitive like the built-in ones (`is_atomic_scheduling_op`
is true of it): a bad argument is an `ArgumentTypeError` /
`ArgumentValueError` at the user's call, and the suite's after-application
checks run on its result. A processor is given as a class (``ForCursorA``)
or an instance (``BlockCursorA(many=True)``).
"""

from __future__ import annotations

import functools
import inspect
from typing import Callable

from exo_core.primitives.arguments import (Alloc, Block, Bool, CallStmt, Expr, Exprs, Gap,
                                           Identifier, Int, ListOf, Loop, Param, Proc, Stmt)
from exo_core.primitives.signature import is_primitive, primitive


class ArgumentProcessor:
    """One parameter of a `sched_op`: `param` gives the argument kind of
    `exo_core.primitives.arguments` that checks and converts it."""

    def param(self) -> Param:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class ProcA(ArgumentProcessor):
    """Another procedure (a callee, an equivalent procedure)."""

    def param(self) -> Param:
        return Proc()


class BoolA(ArgumentProcessor):
    """True or False."""

    def param(self) -> Param:
        return Bool()


class IntA(ArgumentProcessor):
    """Any Python int."""

    def param(self) -> Param:
        return Int(min=-(2 ** 63))


class PosIntA(ArgumentProcessor):
    """A positive Python int."""

    def param(self) -> Param:
        return Int(min=1)


class NameA(ArgumentProcessor):
    """A valid identifier (a new name), as a string."""

    def param(self) -> Param:
        return Identifier()


class _CursorA(ArgumentProcessor):
    """A location: a cursor of the procedure, a pattern or a name; with
    ``many``, a list of them."""

    def __init__(self, many: bool = False):
        self.many = many

    def _one(self) -> Param:  # pragma: no cover - abstract
        raise NotImplementedError

    def param(self) -> Param:
        return ListOf(self._one()) if self.many else self._one()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(many={self.many})"


class BlockCursorA(_CursorA):
    """A block of statements (a statement counts as a block of one); with
    ``block_size``, of exactly that many statements."""

    def __init__(self, many: bool = False, block_size: int | None = None):
        super().__init__(many)
        self.block_size = block_size

    def _one(self) -> Param:
        return _SizedBlock(self.block_size) if self.block_size is not None else Block()


class _SizedBlock(Param):
    def __init__(self, size: int):
        self.size, self.block = size, Block()

    def convert(self, value, call):
        self.block.name = self.name
        block = self.block.convert(value, call)
        if len(block) != self.size:
            raise call.value_error(f"{self.name} must be a block of {self.size} statements, "
                                   f"got {len(block)}")
        return block


class ForCursorA(_CursorA):
    """A loop."""

    def _one(self) -> Param:
        return Loop()


class StmtCursorA(_CursorA):
    """A statement."""

    def _one(self) -> Param:
        return Stmt()


class GapCursorA(_CursorA):
    """A gap between statements."""

    def _one(self) -> Param:
        return Gap()


class ExprCursorA(_CursorA):
    """An expression (with ``many``: every match of a pattern, or a list)."""

    def param(self) -> Param:
        return Exprs() if self.many else Expr()


class AllocCursorA(_CursorA):
    """An allocation."""

    def _one(self) -> Param:
        return Alloc()


class ArgOrAllocCursorA(_CursorA):
    """An allocation or a procedure argument."""

    def _one(self) -> Param:
        return Alloc(allow_arg=True)


class CallCursorA(_CursorA):
    """A call statement."""

    def _one(self) -> Param:
        return CallStmt()


def _processor(a) -> ArgumentProcessor:
    if isinstance(a, type) and issubclass(a, ArgumentProcessor):
        return a()
    if isinstance(a, ArgumentProcessor):
        return a
    raise TypeError(f"sched_op: {a!r} is not an argument processor (ForCursorA, BoolA, ...)")


def sched_op(arg_procs: list) -> Callable[[Callable], Callable]:
    """Declare ``fn(proc, a1, a2, ...)`` a scheduling operation whose
    arguments after the procedure are checked by ``arg_procs`` (one argument
    processor per parameter, in order)."""
    processors = [_processor(a) for a in arg_procs]

    def decorate(fn: Callable) -> Callable:
        sig = inspect.signature(fn)
        params = list(sig.parameters.values())
        if len(params) != len(processors) + 1:
            raise TypeError(f"sched_op: {fn.__name__} takes {len(params)} parameters, but "
                            f"{len(processors)} argument processors were given (one for each "
                            f"parameter after the procedure)")
        names = [p.name for p in params[1:]]
        if "proc" in names:
            raise TypeError(f"sched_op: {fn.__name__}: only the first parameter may be "
                            f"named 'proc'")

        @functools.wraps(fn)
        def op(proc, **kwargs):
            return fn(proc, **kwargs)

        op.__signature__ = sig.replace(parameters=[params[0].replace(name="proc"), *params[1:]])
        del op.__wrapped__
        return primitive(**{n: a.param() for n, a in zip(names, processors)})(op)

    return decorate


def is_atomic_scheduling_op(x) -> bool:
    """Whether ``x`` is a scheduling operation: a built-in primitive or one
    made with `sched_op`."""
    return is_primitive(x)


__all__ = ["sched_op", "is_atomic_scheduling_op", "ArgumentProcessor", "ProcA", "BoolA",
           "IntA", "PosIntA", "NameA", "BlockCursorA", "ForCursorA", "StmtCursorA",
           "GapCursorA", "ExprCursorA", "AllocCursorA", "ArgOrAllocCursorA", "CallCursorA"]
