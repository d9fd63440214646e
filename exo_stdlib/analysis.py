"""Queries about calls and the statements a statement can observe (Exo's
``exo.stdlib.analysis``), written only with public cursors::

    ok = check_call_mem_types(p.find("rvm_mld(_)"))   # every argument in an accepted memory
    for s in get_observed_stmts(p.find("y = _")):     # the previous statements, nearest first
        ...
"""

from __future__ import annotations

from typing import Iterator, Optional

from exo_core.cursors.expr_cursors import ReadCursor, WindowExprCursor
from exo_core.cursors.stmt_cursors import (AllocCursor, CallCursor, InvalidCursor, StmtCursor,
                                           WindowStmtCursor)
from exo_core.errors import ArgumentTypeError

__all__ = ["check_call_mem_types", "get_observed_stmts", "buffer_memory"]


def _previous_and_enclosing(stmt: StmtCursor) -> Iterator[StmtCursor]:
    cur = stmt
    while True:
        prev = cur.prev()
        while not isinstance(prev, InvalidCursor):
            yield prev
            prev = prev.prev()
        parent = cur.parent()
        if isinstance(parent, InvalidCursor) or not isinstance(parent, StmtCursor):
            return
        yield parent
        cur = parent


def get_observed_stmts(stmt_cursor: StmtCursor) -> Iterator[StmtCursor]:
    """The statements that run before ``stmt_cursor`` and may be observed by
    it, nearest first: its previous siblings, then its enclosing statement,
    that statement's previous siblings, and so on up to the procedure's
    body (the bodies of earlier loops and ifs are not entered)::

        s1
        s2
        if _:          (s3)
            s4
        for _:         (s6)
            s7
            s8         <- stmt_cursor      yields s7, s6, s3, s2, s1
    """
    if not isinstance(stmt_cursor, StmtCursor):
        raise ArgumentTypeError("get_observed_stmts: expected a statement cursor, got "
                                f"{type(stmt_cursor).__name__}")
    return _previous_and_enclosing(stmt_cursor)


def buffer_memory(stmt: StmtCursor, name: str):
    """The memory of the buffer ``name`` as seen at ``stmt``: its allocation
    (or the window statement that names it, followed to its buffer) in an
    enclosing block, else the procedure's argument; None when not found."""
    for s in _previous_and_enclosing(stmt):
        if isinstance(s, AllocCursor) and s.name() == name:
            return s.mem()
        if isinstance(s, WindowStmtCursor) and s.name() == name:
            return buffer_memory(s, s.winexpr().name())
    for a in stmt.proc().args():
        if a.name() == name:
            return a.mem() if a.is_tensor() else None
    return None


def _accepts(arg_mem, param_mem) -> bool:
    if arg_mem is None or param_mem is None:
        return True
    return arg_mem is param_mem or (isinstance(arg_mem, type) and isinstance(param_mem, type)
                                    and issubclass(arg_mem, param_mem))


def check_call_mem_types(call_cursor: CallCursor) -> bool:
    """Whether every buffer passed at the call is in a memory the callee's
    parameter accepts (the parameter's memory or one derived from it)::

        x : f32[4] @ DRAM
        zero4_static(x[0:4])     # parameter @ DRAM_STATIC   -> False
    """
    if not isinstance(call_cursor, CallCursor):
        raise ArgumentTypeError("check_call_mem_types: expected a call cursor (CallCursor), got "
                                f"{type(call_cursor).__name__}")
    params = list(call_cursor.subproc().args())
    for param, arg in zip(params, call_cursor.args()):
        if not param.is_tensor() or not isinstance(arg, (ReadCursor, WindowExprCursor)):
            continue
        arg_mem: Optional[type] = buffer_memory(call_cursor, arg.name())
        if not _accepts(arg_mem, param.mem()):
            return False
    return True

