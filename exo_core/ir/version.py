"""`ProcVersion`: one version of a procedure, as cursors and edits see it.

A version is an immutable IR root plus its history: the version it was made
from (``_parent``) and the elementary edits that made it (``_edits``, see
`exo_core.cursors.edits`), which is what cursor forwarding composes. The
user-facing class, `exo_core.procedure.Procedure`, adds printing, cursor
navigation and compilation on top; the layers below it (the front end, which
meets procedures as callees, and the cursors and edits) only need this part,
and make new versions of the same class with `successor`.
"""

from __future__ import annotations

from typing import Iterable

from exo_core.ir.nodes import ProcIR
from exo_core.ir.provenance import derive


class ProcVersion:
    __slots__ = ("_root", "_parent", "_edits", "_cache", "__weakref__")

    def __init__(self, root: ProcIR, parent: "ProcVersion | None" = None, edits: Iterable = ()):
        self._root = root
        if parent is not None:
            derive(parent._root, root)  # scheduled from the parent: equivalent
        self._parent = parent
        self._edits = tuple(edits)
        self._cache = {}

    def successor(self, root: ProcIR, edits: Iterable) -> "ProcVersion":
        """The version made from this one by ``edits`` (same class as this one)."""
        return type(self)(root, parent=self, edits=edits)

    def unrelated(self, root: ProcIR) -> "ProcVersion":
        """A version of another procedure ``root``, with no history (e.g. the
        callee of a call statement), of the same class as this one."""
        return type(self)(root)

    def name(self) -> str:
        return self._root.name
