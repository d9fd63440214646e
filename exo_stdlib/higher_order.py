"""Combinators that make scheduling functions out of others (Exo's
``exo.stdlib.higher_order``)::

    attempt(lift_scope)(p, loop)                 # p unchanged if lift_scope refuses
    apply(attempt(lift_scope))(p, loops)         # to each cursor, forwarded
    predicate(unroll_loop, is_small)(p, loop)    # only when is_small(p, loop)
    make_pass(attempt(lift_scope))(p)            # to every statement, pre-order
    lift_rc(divide_loop_, "inner_loop")(p, loop, 4)     # -> (p, inner loop)
    repeate(lift_rc(...))(p, loop)               # feed each result cursor to the next call

A scheduling function here takes ``(proc, cursor, *args, **kwargs)``; with
``rc=True`` it returns ``(proc, cursor)``.
"""

from __future__ import annotations

import functools
from typing import Callable

from exo_core.cursors import Cursor, InvalidCursor
from exo_core.errors import InvalidCursorError, SchedulingError
from exo_core.procedure import Procedure
from exo_core.primitives.simplify import eliminate_dead_code
from exo_stdlib.traversals import nlr_stmts  # the default traversal of make_pass, as Exo's

__all__ = ["attempt", "apply", "predicate", "make_pass", "lift_rc", "repeate", "nlr_stmts", "dce"]

_SCHEDULING_ERRORS = (SchedulingError, TypeError, ValueError, InvalidCursorError)


def _forwarded(proc: Procedure, results: list) -> list:
    return [proc.forward(r) if isinstance(r, Cursor) and not isinstance(r, InvalidCursor) else r
            for r in results]


def _name(op) -> str:
    return getattr(op, "__name__", "sched")


def attempt(op: Callable, errs=_SCHEDULING_ERRORS) -> Callable:
    """``op``, but a call that raises one of ``errs`` returns the procedure
    unchanged (``(proc, None)`` when called with ``rc=True``)."""
    errs = tuple(errs)

    @functools.wraps(op)
    def attempted(proc: Procedure, *args, **kwargs):
        try:
            return op(proc, *args, **kwargs)
        except errs:
            return (proc, None) if kwargs.get("rc") else proc

    attempted.__name__ = f"attempt_{_name(op)}"
    return attempted


def apply(op: Callable) -> Callable:
    """``op`` applied to each cursor of a list, in order, each forwarded to the
    procedure made so far; with ``rc=True`` the result is ``(proc, [the
    cursor each call returned])``."""

    @functools.wraps(op)
    def applied(proc: Procedure, cursors, *args, rc: bool = False, **kwargs):
        results = []
        for c in list(cursors):
            c = proc.forward(c) if isinstance(c, Cursor) else c
            if rc:
                proc, out = op(proc, c, *args, rc=True, **kwargs)
                results.append(out)
            else:
                proc = op(proc, c, *args, **kwargs)
        return (proc, _forwarded(proc, results)) if rc else proc

    applied.__name__ = f"apply_{_name(op)}"
    return applied


def predicate(op: Callable, pred: Callable) -> Callable:
    """``op``, applied only when ``pred(proc, cursor)`` holds (otherwise the
    procedure is returned unchanged, ``(proc, None)`` with ``rc=True``)."""

    @functools.wraps(op)
    def guarded(proc: Procedure, cursor, *args, **kwargs):
        c = proc.forward(cursor) if isinstance(cursor, Cursor) else cursor
        if pred(proc, c):
            return op(proc, c, *args, **kwargs)
        return (proc, None) if kwargs.get("rc") else proc

    guarded.__name__ = f"predicate_{_name(op)}"
    return guarded


def make_pass(op: Callable, trav_start: Callable = nlr_stmts) -> Callable:
    """A pass: ``op(proc, stmt)`` for every statement ``trav_start(proc, block)``
    lists (all statements, pre-order, by default), each forwarded; statements
    an earlier call deleted are skipped. With ``rc=True``: ``(proc, [the
    cursor each call returned])``."""

    @functools.wraps(op)
    def pass_(proc: Procedure, block=InvalidCursor(), rc: bool = False):
        results = []
        for s in trav_start(proc, block):
            s = proc.forward(s)
            if isinstance(s, InvalidCursor):
                continue
            if rc:
                proc, out = op(proc, s, rc=True)
                results.append(out)
            else:
                proc = op(proc, s)
        return (proc, _forwarded(proc, results)) if rc else proc

    pass_.__name__ = f"pass_{_name(op)}"
    return pass_


def lift_rc(op: Callable, attr: str) -> Callable:
    """``op`` called with ``rc=True``, returning ``(proc, cursors.<attr>)``."""

    @functools.wraps(op)
    def lifted(proc: Procedure, *args, **kwargs):
        proc, cursors = op(proc, *args, rc=True, **kwargs)
        return proc, getattr(cursors, attr)

    lifted.__name__ = f"lift_rc_{_name(op)}_{attr}"
    return lifted


def repeate(op: Callable, errs=_SCHEDULING_ERRORS) -> Callable:
    """``op`` called again and again, each call on the cursor the previous one
    returned (``op`` is called with ``rc=True``), until it raises one of
    ``errs``; returns the last procedure (and cursor, with ``rc=True``)."""
    errs = tuple(errs)

    @functools.wraps(op)
    def repeated(proc: Procedure, cursor, *args, rc: bool = False, **kwargs):
        while True:
            try:
                proc, nxt = op(proc, cursor, *args, rc=True, **kwargs)
            except errs:
                break
            if nxt is None:
                break
            cursor = nxt
        return (proc, proc.forward(cursor) if isinstance(cursor, Cursor) else cursor) if rc else proc

    repeated.__name__ = f"repeate_{_name(op)}"
    return repeated


dce = make_pass(attempt(eliminate_dead_code))
dce.__name__ = dce.__qualname__ = "dce"
dce.__module__ = __name__
dce.__doc__ = """Exo's ``dce``: `eliminate_dead_code` tried at every statement, pre-order
(an ``if`` whose condition is decided, a loop that never runs)::

    for i in seq(0, 8):            for i in seq(0, 8):
        if i < 0:            ->        x[i] = 3.0
            x[i] = 1.0
        x[i] = 3.0
"""
