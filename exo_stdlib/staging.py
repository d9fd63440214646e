"""Staging helpers (Exo's ``exo.stdlib.stdlib`` family): moving values into
temporaries and temporaries into registers.

Written only with public primitives and cursors::

    t : f32[2]                          t_0 : f32
    t[0] = x[0]                 -->     t_1 : f32
    t[1] = x[1]                         t_0 = x[0]
                                        t_1 = x[1]
    # unroll_buffers(p)
"""

from __future__ import annotations

from exo_core.cursors.base import Cursor, InvalidCursor
from exo_core.cursors.stmt_cursors import (AllocCursor, BlockCursor, ForCursor, IfCursor,
                                           StmtCursor)
from exo_core.errors import InvalidCursorError
from exo_core.procedure import Procedure
from exo_core.primitives.buffers_dims import unroll_buffer
from exo_core.user_frame import scheduling_error, user_entry

__all__ = ["unroll_buffers"]


@user_entry
def unroll_buffers(proc: Procedure, block=InvalidCursor(), mem=None) -> Procedure:
    """Unroll every buffer allocated in ``block`` (the whole procedure when
    ``block`` is not given) into scalars, one per constant index used::

        t : f32[2, 8] @ AVX2                t_0 : f32[8] @ AVX2
        t[0, i] = ...               -->     t_1 : f32[8] @ AVX2
        t[1, i] = ...                       t_0[i] = ...
                                            t_1[i] = ...
        # unroll_buffers(p, mem=AVX2)

    A buffer in memory ``mem`` keeps its last dimension (a vector register
    holds a row); any other buffer loses all its dimensions. Each step is
    `unroll_buffer` of dimension 0, so an index that is not a constant
    raises its error (unroll the loop first). Buffers are taken in program
    order, the buffers a step creates after the ones already there.
    """
    work = [a for a in _stmts_in(proc, block) if isinstance(a, AllocCursor)]
    while work:
        alloc = proc.forward(work.pop(0))
        keep = 1 if mem is not None and alloc.mem() is mem else 0
        if len(alloc.shape()) <= keep:
            continue
        proc = unroll_buffer(proc, alloc, 0)
        try:
            parts = proc.forward(alloc.as_block())
        except InvalidCursorError:
            parts = InvalidCursor()
        if isinstance(parts, InvalidCursor):  # no index was used: the buffer is gone
            continue
        work.extend(s for s in parts if isinstance(s, AllocCursor))
    return proc


def _stmts_in(proc: Procedure, where) -> list:
    """The statements of ``where`` (a statement or block of ``proc``; the whole
    body when it is an `InvalidCursor`), nested ones included, in program order."""
    if isinstance(where, InvalidCursor):
        where = proc.body()
    elif isinstance(where, Cursor):
        where = proc.forward(where)
    if isinstance(where, StmtCursor):
        where = where.as_block()
    if not isinstance(where, BlockCursor):
        raise scheduling_error(f"unroll_buffers: expected a statement or a block cursor, got "
                               f"{type(where).__name__}")
    out = []
    for s in where:
        out.append(s)
        if isinstance(s, (ForCursor, IfCursor)):
            out.extend(_stmts_in(proc, s.body()))
            if isinstance(s, IfCursor) and s.orelse():
                out.extend(_stmts_in(proc, s.orelse()))
    return out
