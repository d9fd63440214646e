"""What each object-code name is in C: `Binding`, and `NameScope`, which picks
C identifiers.

Distinct symbols may share a readable name (``i`` in two loops) or clash with
a C keyword or a function of the file. `NameScope` keeps the readable name
when no live binding uses it and otherwise appends ``_1``, ``_2``...; names
are released when their C block closes, so sibling loops both get ``i``.
"""

from __future__ import annotations

from attrs import define, field

from exo_codegen.c_types import c_ident_ok

# Binding kinds
CTRL = "ctrl"            # size/index/stride/bool value (parameter or loop iterator)
SCALAR_PTR = "scalar_ptr"  # numeric scalar parameter, passed as a pointer
SCALAR_VAL = "scalar_val"  # numeric scalar allocation: a C variable
TENSOR = "tensor"        # dense buffer: flat pointer (or what its memory allocates)
WINDOW = "window"        # window struct (parameter or window statement)


@define
class Binding:
    """How an object-code name is represented in the generated C.

    ``strides`` are C expressions (strings) per dimension for tensors and
    windows; ``known_strides`` the ones that are compile-time integers (else
    None). ``root`` is the C name of the allocated or parameter buffer behind a
    window statement (the buffer itself otherwise). ``nonneg`` says a control
    value is known to be non-negative. ``parts`` is set for a register buffer
    emitted as one C variable per register.
    """

    cname: str
    kind: str
    type: object
    mem: object = None
    strides: list = field(factory=list)
    known_strides: list = field(factory=list)
    is_const: bool = False
    nonneg: bool = False
    root: str = ""
    # A register buffer split into named variables (`exo_codegen.register_split`):
    # leading constant indices -> the C variable of that register.
    parts: dict = field(factory=dict)

    @property
    def base_ptr(self) -> str:
        """The C pointer expression elements are indexed from."""
        return f"{self.cname}.data" if self.kind == WINDOW else self.cname


class NameScope:
    """Scoped allocation of C identifiers for the symbols of one procedure."""

    def __init__(self, reserved=()):
        self._reserved = set(reserved)
        self._live: dict[str, int] = {}
        self._frames: list[list[str]] = [[]]

    def push(self):
        self._frames.append([])

    def pop(self):
        for name in self._frames.pop():
            self._live[name] -= 1
            if not self._live[name]:
                del self._live[name]

    def fresh(self, readable: str) -> str:
        """A C identifier for a new symbol named ``readable`` in the current frame."""
        base = readable if readable.isidentifier() and readable.isascii() else "v"
        cand, n = base, 0
        while cand in self._live or cand in self._reserved or not c_ident_ok(cand):
            n += 1
            cand = f"{base}_{n}"
        self._live[cand] = self._live.get(cand, 0) + 1
        self._frames[-1].append(cand)
        return cand
