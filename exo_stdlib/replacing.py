"""Replacing code by calls everywhere it matches (Exo's ``replace_all``,
``replace_once``, ``call_site_mem_aware_replace``, ``check_call_site``,
``checked_replace``, ``replace_all_stmts``), built only from the public
`replace` primitive and cursors::

    p = replace_all(p, [rvm_mzero, rvm_mst, rvm_mld, rvm_mmasa])

Each candidate site is a statement and the statements after it, as many as
the instruction's body has; sites are tried in program order, outer
statements before the statements inside them. `replace` itself checks the
memories of the arguments (a mismatch is a `MemoryError`), so every
replacement made here is memory-consistent, with ``mem_aware`` or without.
"""

from __future__ import annotations

from typing import Iterator, Sequence, Union

from exo_core.cursors.stmt_cursors import (BlockCursor, CallCursor, ForCursor, IfCursor,
                                           InvalidCursor, StmtCursor)
from exo_core.errors import ArgumentTypeError, MemoryError, SchedulingError
from exo_core.procedure import Procedure
from exo_core.primitives.subprocs import replace
from exo_stdlib.analysis import check_call_mem_types

__all__ = ["call_site_mem_aware_replace", "replace_all", "replace_once", "check_call_site",
           "checked_replace", "replace_all_stmts"]

Subprocs = Union[Procedure, Sequence[Procedure]]


def _subproc_list(subprocs: Subprocs, who: str) -> list:
    if isinstance(subprocs, Procedure):
        return [subprocs]
    if not isinstance(subprocs, (list, tuple)) or not all(isinstance(s, Procedure)
                                                          for s in subprocs):
        raise ArgumentTypeError(f"{who}: expected a procedure or a list of procedures")
    return list(subprocs)


def _all_stmts(block) -> Iterator[StmtCursor]:
    """Every statement of ``block`` and inside it, in program order (a loop
    or if before its body)."""
    for s in block:
        yield s
        if isinstance(s, (ForCursor, IfCursor)):
            yield from _all_stmts(s.body())
        if isinstance(s, IfCursor) and not isinstance(s.orelse(), InvalidCursor):
            yield from _all_stmts(s.orelse())


def _site(proc: Procedure, stmt: StmtCursor, subproc: Procedure):
    """The block of ``len(subproc.body())`` statements starting at ``stmt``
    (None when its block has fewer statements left)."""
    stmt = proc.forward(stmt)
    if isinstance(stmt, InvalidCursor):
        return None
    n = len(subproc.body())
    if n == 1:
        return stmt.as_block()
    if isinstance(stmt.next(n - 1), InvalidCursor):
        return None
    return stmt.expand(0, n - 1)


def call_site_mem_aware_replace(proc: Procedure, block_cursor, subproc: Procedure,
                                quiet: bool = False) -> Procedure:
    """`replace`, refused with `MemoryError` when an argument of the new call
    is in a memory its parameter does not accept::

        for i in seq(0, 4):          zero4(x[0:4])     (x @ DRAM, zero4's dst @ DRAM)
            x[i] = 0.0         -->

    A block that does not match raises `UnificationError` (with ``quiet=False``
    the two pieces of code are printed first).
    """
    new = replace(proc, block_cursor, subproc, quiet=quiet)
    call = new.forward(block_cursor)
    if isinstance(call, BlockCursor):
        call = call[0]
    if isinstance(call, CallCursor) and not check_call_mem_types(call):
        raise MemoryError("replace failed due to memory type mismatch between block and subproc")
    return new


def _try(proc: Procedure, block, subproc: Procedure, mem_aware: bool):
    try:
        if mem_aware:
            return call_site_mem_aware_replace(proc, block, subproc, quiet=True)
        return replace(proc, block, subproc, quiet=True)
    except SchedulingError:
        return None


def _replace_sites(proc: Procedure, sub: Procedure, mem_aware: bool, once: bool) -> Procedure:
    """Replace the blocks matching ``sub``, visiting statements in program
    order; with ``once``, stop after the first replacement."""
    for stmt in list(_all_stmts(proc.body())):
        block = _site(proc, stmt, sub)
        if block is None:
            continue
        new = _try(proc, block, sub, mem_aware)
        if new is not None:
            proc = new
            if once:
                break
    return proc


def replace_all(proc: Procedure, subprocs: Subprocs, mem_aware: bool = True) -> Procedure:
    """Replace every block that matches the body of one of ``subprocs`` by a
    call, taking the subprocedures in order and, for each, every site in
    program order::

        for i in seq(0, 4):                  zero4(x[0:4])
            x[i] = 0.0                       zero4(x[4:8])
        for i in seq(0, 4):          -->     add4(y[0:4], x[0:4])
            x[i + 4] = 0.0
        for j in seq(0, 4):
            y[j] += x[j]                     # replace_all(p, [zero4, add4])

    Sites that do not match (or whose arguments are in the wrong memories)
    are left as they are.
    """
    for sub in _subproc_list(subprocs, "replace_all"):
        proc = _replace_sites(proc, sub, mem_aware, once=False)
    return proc


def replace_once(proc: Procedure, subprocs: Subprocs, mem_aware: bool = True) -> Procedure:
    """Like `replace_all`, but each subprocedure replaces only the first
    block (in program order) that matches it."""
    for sub in _subproc_list(subprocs, "replace_once"):
        proc = _replace_sites(proc, sub, mem_aware, once=True)
    return proc


def replace_all_stmts(proc: Procedure, instructions: Subprocs) -> Procedure:
    """Visit every statement once, in program order, and replace the first of
    ``instructions`` that matches there (memory-aware)::

        for i in seq(0, 4):                  zero4(x[0:4])
            x[i] = 0.0               -->     add4(y[0:4], x[0:4])
        for j in seq(0, 4):
            y[j] += x[j]                     # replace_all_stmts(p, [zero4, add4])
    """
    subs = _subproc_list(instructions, "replace_all_stmts")
    for stmt in list(_all_stmts(proc.body())):
        for sub in subs:
            block = _site(proc, stmt, sub)
            if block is None:
                continue
            new = _try(proc, block, sub, True)
            if new is not None:
                proc = new
                break
    return proc


def check_call_site(proc: Procedure, call_cursor: CallCursor) -> bool:
    """Whether the call (forwarded to ``proc``) passes every buffer in a
    memory its parameter accepts (`check_call_mem_types`)."""
    call = proc.forward(call_cursor) if not isinstance(call_cursor, str) else proc.find(call_cursor)
    if not isinstance(call, CallCursor):
        raise ArgumentTypeError("check_call_site: expected a call cursor (CallCursor), got "
                                f"{type(call).__name__}")
    return check_call_mem_types(call)


def checked_replace(proc: Procedure, stmt, subproc: Procedure, quiet: bool = False) -> Procedure:
    """`replace` whose failure is a plain SchedulingError ("failed to
    replace"), and which is refused when the new call site is inconsistent
    (an argument in a memory its parameter does not accept)."""
    try:
        new = replace(proc, stmt, subproc, quiet=quiet)
    except MemoryError as e:
        raise SchedulingError(f"checked_replace: call site inconsistency: {e}") from None
    except SchedulingError as e:
        raise SchedulingError(f"checked_replace: failed to replace: {e}") from None
    call = new.forward(stmt)
    if isinstance(call, BlockCursor):
        call = call[0]
    if isinstance(call, CallCursor) and not check_call_site(new, call):
        raise SchedulingError("checked_replace: call site inconsistency")
    return new
