"""Memories: how buffers of a memory space are allocated, freed and accessed in C.

Users describe hardware memories outside the compiler by subclassing `Memory`
(see docs/targets.md and the memories seed). Every hook is a classmethod that
returns C text; a hook that refuses an operation raises `MemGenError`, which
code generation reports with the user's source position.
"""

from __future__ import annotations

from exo_core.errors import MemGenError


def generate_offset(indices, strides) -> str:
    """The C expression ``i0 * s0 + i1 * s1 + ...`` (terms that are 0 dropped,
    strides of 1 omitted)."""
    terms = []
    for i, s in zip(indices, strides):
        i, s = str(i), str(s)
        if i == "0" or s == "0":
            continue
        if s == "1":
            terms.append(i)
        elif i == "1":
            terms.append(s)
        else:
            terms.append(f"({i}) * ({s})")
    return " + ".join(terms) if terms else "0"


class Memory:
    """Base class of memory annotations (``x : f32[16] @ MyMemory``).

    Hooks (all classmethods returning C text):

    - ``global_()``: headers or definitions emitted once per C file.
    - ``can_read()``: False forbids element access (``x[0] = 3.0``); such
      buffers may only be passed to instructions.
    - ``alloc(new_name, prim_type, shape, srcinfo)``: the declaration of a
      buffer; ``prim_type`` is a C type string and ``shape`` a list of C
      expression strings (empty for scalars).
    - ``free(new_name, prim_type, shape, srcinfo)``: text at the end of the
      buffer's scope.
    - ``window(basetyp, baseptr, indices, strides, srcinfo)``: the C lvalue of
      an element (or the base of a window) given C index and stride strings.
    - ``read(...)``/``write(...)``/``reduce(...)``: optional overrides of scalar
      access text; the default (None) means "ordinary C lvalue access" where
      ``can_read()`` is True.
    """

    @classmethod
    def name(cls) -> str:
        return cls.__name__

    @classmethod
    def global_(cls) -> str:
        return ""

    @classmethod
    def can_read(cls) -> bool:
        return True

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo) -> str:
        raise MemGenError(f"memory {cls.name()} does not support allocation", srcinfo)

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo) -> str:
        return ""

    @classmethod
    def window(cls, basetyp, baseptr, indices, strides, srcinfo) -> str:
        return f"{baseptr}[{generate_offset(indices, strides)}]"

    @classmethod
    def read(cls, basetyp, baseptr, indices, strides, srcinfo):
        return None

    @classmethod
    def write(cls, basetyp, baseptr, indices, strides, rhs, srcinfo):
        return None

    @classmethod
    def reduce(cls, basetyp, baseptr, indices, strides, rhs, srcinfo):
        return None


class DRAM(Memory):
    """Main memory: heap-allocated tensors (malloc/free), scalars on the stack."""

    @classmethod
    def global_(cls):
        return "#include <stdio.h>\n#include <stdlib.h>"

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo):
        if not shape:
            return f"{prim_type} {new_name};"
        size = " * ".join(f"({s})" if not str(s).isdecimal() else str(s) for s in shape)
        return f"{prim_type} *{new_name} = ({prim_type}*) malloc({size} * sizeof(*{new_name}));"

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo):
        return "" if not shape else f"free({new_name});"
