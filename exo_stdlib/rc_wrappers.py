"""Primitives that can return the cursors they made (Exo's
``exo.stdlib.rc_wrappers``): each takes ``rc=False`` and, with ``rc=True``,
returns ``(proc, cursors)``, ``cursors`` a small record::

    p, c = fission_(p, p.find("y[i] = 0.0").before(), rc=True)
    c.scope1, c.scope2            # the two loops

    p, c = divide_loop_(p, p.find_loop("i"), 4, tail="cut", rc=True)
    c.outer_loop, c.inner_loop, c.tail_loop
"""

from __future__ import annotations

from dataclasses import dataclass

from exo_core.cursors import (AllocCursor, BlockCursor, CallCursor, Cursor, ForCursor, GapCursor,
                              IfCursor, InvalidCursor, StmtCursor)
from exo_core.procedure import Procedure
from exo_core.primitives.buffers_staging import stage_mem
from exo_core.primitives.loop_order import fission
from exo_core.primitives.loops import cut_loop, divide_loop
from exo_core.primitives.scopes import specialize
from exo_core.primitives.subprocs import replace
from exo_core.user_frame import user_entry
from exo_stdlib.loop_helpers import as_loop, err

__all__ = [
    "fission_", "fission_cursors", "divide_loop_", "divide_loop_cursors", "stage_mem_",
    "stage_mem_cursors", "cut_loop_", "cut_loop_cursors", "specialize_", "specialize_cursors",
    "replace_", "replace_cursors",
]


@dataclass
class fission_cursors:
    """The two copies of the scope `fission_` split."""

    scope1: Cursor
    scope2: Cursor


@dataclass
class divide_loop_cursors:
    """The loops `divide_loop_` made (``tail_loop`` invalid without a tail loop)."""

    outer_loop: ForCursor
    inner_loop: ForCursor
    tail_loop: Cursor


@dataclass
class stage_mem_cursors:
    """What `stage_mem_` made: the buffer, the load (or an invalid cursor), the
    staged block, the store back (or an invalid cursor)."""

    alloc: AllocCursor
    load_stage: Cursor
    block: BlockCursor
    store_stage: Cursor


@dataclass
class cut_loop_cursors:
    """The two loops `cut_loop_` made."""

    loop1: ForCursor
    loop2: ForCursor


@dataclass
class replace_cursors:
    call: CallCursor


@dataclass
class specialize_cursors:
    """The (outermost) if `specialize_` made."""

    if_stmt: IfCursor


def enclosing_stmt_at(proc: Procedure, old: Cursor, parent) -> Cursor:
    """The statement of ``proc`` that now holds what ``old`` forwards to, and
    whose parent is ``parent`` forwarded (the statement a rewrite put where
    ``old`` was)."""
    parent = proc.forward(parent) if parent else InvalidCursor()
    c = proc.forward(old)
    if isinstance(c, BlockCursor):
        c = c[0]
    while not isinstance(c, InvalidCursor) and c.parent() != parent:
        c = c.parent()
    return c


@user_entry
def fission_(proc: Procedure, gap, rc: bool = False):
    """`fission` at ``gap`` (one level); ``rc``: the two copies of the scope::

        for i in seq(0, n):          for i in seq(0, n):
            x[i] = 1.0        ->         x[i] = 1.0
            y[i] = 2.0               for i in seq(0, n):
                                         y[i] = 2.0
    """
    if not isinstance(gap, GapCursor):
        raise err("fission_", f"expected a gap cursor (stmt.before() / stmt.after()), got {type(gap).__name__}")
    gap = proc.forward(gap)
    scope = gap.parent()
    proc = fission(proc, gap)
    if not rc:
        return proc
    first = proc.forward(scope)
    return proc, fission_cursors(first, first.next())


@user_entry
def divide_loop_(proc: Procedure, loop_cursor, div_const: int, tail: str = "guard", rc: bool = False):
    """`divide_loop` into ``<i>o`` and ``<i>i`` (``tail`` also "perfect");
    ``rc``: the outer, inner and tail loops::

        for i in seq(0, n):       for io in seq(0, n / 4):
            x[i] = 1.0     ->         for ii in seq(0, 4):
                                          x[4 * io + ii] = 1.0
                                  for ii in seq(0, n % 4): ...        # tail="cut"
    """
    loop = as_loop(proc, loop_cursor, "divide_loop_")
    name = loop.name()
    perfect = tail == "perfect"
    proc = divide_loop(proc, loop, div_const, [name + "o", name + "i"],
                       tail="guard" if perfect else tail, perfect=perfect)
    if not rc:
        return proc
    outer = proc.forward(loop)
    tail_loop = outer.next()
    if isinstance(tail_loop, IfCursor) and tail == "cut_and_guard":
        tail_loop = tail_loop.body()[0]
    if tail not in ("cut", "cut_and_guard") or not isinstance(tail_loop, ForCursor) \
            or tail_loop.name() != name + "i":
        tail_loop = InvalidCursor()
    return proc, divide_loop_cursors(outer, outer.body()[0], tail_loop)


@user_entry
def stage_mem_(proc: Procedure, block, buff: str, new_buff_name: str, accum: bool = False,
               rc: bool = False):
    """`stage_mem`; ``rc``: the new buffer, its load, the block, its store::

        for j in seq(0, 4):            xt: f32[4] @ DRAM
            x[i, j] = 1.0      ->      for j in seq(0, 4):
                                           xt[j] = 1.0
                                       for i0 in seq(0, 4):
                                           x[i, i0] = xt[i0]
    """
    if isinstance(block, str):
        block = proc.find(block)
    elif not isinstance(block, Cursor):
        raise err("stage_mem_", f"expected a block or statement cursor, got {type(block).__name__}")
    block = proc.forward(block)
    if isinstance(block, StmtCursor):
        block = block.as_block()
    following = block[len(block) - 1].next()
    proc = stage_mem(proc, block, buff, new_buff_name, accum)
    if not rc:
        return proc
    staged = proc.forward(block)
    before = staged[0].prev()
    if isinstance(before, AllocCursor) and before.name() == new_buff_name:
        alloc, load = before, InvalidCursor()
    else:
        alloc, load = before.prev(), before
    after = staged[len(staged) - 1].next()
    if following and after == proc.forward(following):
        after = InvalidCursor()
    return proc, stage_mem_cursors(alloc, load, staged, after)


@user_entry
def cut_loop_(proc: Procedure, loop, expr, rc: bool = False):
    """`cut_loop` at ``expr``; ``rc``: the two loops::

        for i in seq(0, 8):       for i in seq(0, 3): ...
            ...            ->     for i in seq(3, 8): ...
    """
    loop = as_loop(proc, loop, "cut_loop_")
    proc = cut_loop(proc, loop, expr)
    if not rc:
        return proc
    first = proc.forward(loop)
    return proc, cut_loop_cursors(first, first.next())


@user_entry
def specialize_(proc: Procedure, stmt, cond, rc: bool = False):
    """`specialize` ``stmt`` on ``cond`` (a condition or a list); ``rc``: the if::

        y[i] = 0.0     ->     if i < 2:
                                  y[i] = 0.0
                              else:
                                  y[i] = 0.0
    """
    if isinstance(stmt, str):
        stmt = proc.find(stmt)
    elif not isinstance(stmt, Cursor):
        raise err("specialize_", f"expected a statement or block cursor, got {type(stmt).__name__}")
    stmt = proc.forward(stmt)
    first = stmt[0] if isinstance(stmt, BlockCursor) else stmt
    parent = first.parent()
    proc = specialize(proc, stmt, cond)
    if not rc:
        return proc
    return proc, specialize_cursors(enclosing_stmt_at(proc, first, parent))


@user_entry
def replace_(proc: Procedure, block, subproc: Procedure, quiet: bool = False, rc: bool = False):
    """`replace` ``block`` (a cursor or a pattern) by a call of ``subproc``;
    ``rc``: the call::

        for i in seq(0, 8):              ->     mm256_sub_ps(out[0:8], x[0:8], y[0:8])
            out[i] = x[i] - y[i]
    """
    if isinstance(block, str):
        block = proc.find(block)
    elif not isinstance(block, Cursor):
        raise err("replace_", f"expected a statement or block cursor, got {type(block).__name__}")
    block = proc.forward(block)
    if isinstance(block, StmtCursor):
        block = block.as_block()  # a block forwards to the call that replaces it
    proc = replace(proc, block, subproc, quiet=quiet)
    if not rc:
        return proc
    call = proc.forward(block)
    return proc, replace_cursors(call[0] if isinstance(call, BlockCursor) else call)
