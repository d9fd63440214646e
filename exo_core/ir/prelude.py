"""Names and source positions shared by every IR node.

A `Sym` is a readable name plus a process-unique id, so that two variables both
called ``i`` (say, in sibling loops) stay distinct through every rewrite.
A `SrcInfo` is a position in the user's file; every node built from user text
carries one, and every error a user sees is reported with it.
"""

from __future__ import annotations

import itertools

from attrs import frozen, field

_sym_ids = itertools.count(1)


@frozen(slots=True, eq=False)
class Sym:
    """A variable name with a unique identity.

    Equality and hashing go by identity (``id``), never by the readable name.
    """

    name: str
    id: int = field(factory=lambda: next(_sym_ids))

    def copy(self) -> "Sym":
        """A fresh symbol with the same readable name."""
        return Sym(self.name)

    def __eq__(self, other):
        return isinstance(other, Sym) and other.id == self.id

    def __hash__(self):
        return hash(self.id)

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"{self.name}_{self.id}"


@frozen(slots=True)
class SrcInfo:
    """A position in user source: file, 1-based line, 0-based column."""

    filename: str
    lineno: int
    col_offset: int = 0
    end_lineno: int | None = None
    end_col_offset: int | None = None
    function: str | None = None

    def __str__(self):
        return f"{self.filename}:{self.lineno}:{self.col_offset}"


null_srcinfo = SrcInfo("<unknown>", 0, 0)
