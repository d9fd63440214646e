"""Name resolution for the front end.

Two kinds of names appear in object code:

- *object names*: arguments, allocations, loop variables and window names,
  bound by the procedure itself. `ObjectScope` maps them to `Sym`s with block
  scoping (a loop body or an ``if`` branch opens a new scope).
- *Python names*: everything else (``N = 16`` constants, memories after ``@``,
  callee procedures, configs, externs). `PythonEnv` looks them up in the
  defining frame's locals and globals, as they were at decoration time.
"""

from __future__ import annotations

from exo_core.ir.extern import BUILTIN_EXTERNS
from exo_core.ir.memory import DRAM
from exo_core.ir.prelude import Sym

_MISSING = object()


class ObjectScope:
    """A chain of block scopes mapping object-code names to symbols."""

    def __init__(self, parent: "ObjectScope | None" = None):
        self.parent = parent
        self.names: dict[str, Sym] = {}

    def child(self) -> "ObjectScope":
        return ObjectScope(self)

    def bind(self, name: str) -> Sym:
        """Bind ``name`` to a fresh symbol in this (innermost) scope."""
        sym = Sym(name)
        self.names[name] = sym
        return sym

    def lookup(self, name: str) -> Sym | None:
        scope = self
        while scope is not None:
            sym = scope.names.get(name)
            if sym is not None:
                return sym
            scope = scope.parent
        return None


class PythonEnv:
    """The Python names visible where a procedure was defined."""

    def __init__(self, local_vars: dict | None = None, global_vars: dict | None = None):
        self.local_vars = dict(local_vars or {})
        self.global_vars = global_vars if global_vars is not None else {}

    def lookup(self, name: str):
        """The Python value of ``name``, or `MISSING`."""
        if name in self.local_vars:
            return self.local_vars[name]
        if name in self.global_vars:
            return self.global_vars[name]
        if name in BUILTIN_EXTERNS:
            return BUILTIN_EXTERNS[name]
        if name == "DRAM":
            return DRAM
        return _MISSING

    def has(self, name: str) -> bool:
        return self.lookup(name) is not _MISSING


MISSING = _MISSING
