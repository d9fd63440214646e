"""Exo's abstract cursor kinds, for ``isinstance`` tests in ported scripts:
`StmtCursorPrototype` (statements, blocks and gaps: locations in a
statement list) and `ExprCursorPrototype` (expressions)::

    isinstance(p.find_loop("i"), StmtCursorPrototype)   # True
    isinstance(p.body(), StmtCursorPrototype)           # True (a block)
    isinstance(p.find("x[_]"), ExprCursorPrototype)     # True
"""

from __future__ import annotations

from abc import ABC

from exo_core.cursors.stmt_cursors import BlockCursor, ExprCursor, GapCursor, StmtCursor


class StmtCursorPrototype(ABC):
    """Any statement-list location: a statement, a block or a gap."""


class ExprCursorPrototype(ABC):
    """Any expression cursor."""


for _cls in (StmtCursor, BlockCursor, GapCursor):
    StmtCursorPrototype.register(_cls)
ExprCursorPrototype.register(ExprCursor)

__all__ = ["StmtCursorPrototype", "ExprCursorPrototype"]
