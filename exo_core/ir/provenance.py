"""Which procedures are equivalent because one was scheduled from the other.

Every procedure belongs to an equivalence class. A procedure written by the
user (``@proc``, ``@instr``) or built by `extract_subproc` starts a class of
its own; a procedure a primitive derives from another (every version a
`ProcEditor` makes, `make_instr`, ...) joins that one's class, and
`Procedure.unsafe_assert_eq` merges two classes on the user's word. `call_eqv`
swaps a call only between procedures of one class, and `Procedure.is_eq` asks
this question::

    g = divide_loop(f, "i", 4, ["io", "ii"], tail="cut")
    equivalent(f_root, g_root)        # True: g was scheduled from f

Classes are tokens held weakly by the procedure roots, so a version that is
no longer used does not keep anything alive.
"""

from __future__ import annotations

import weakref

from exo_core.ir.nodes import ProcIR


class _Class:
    """The identity of one equivalence class; a class merged into another
    one points to it (``merged_into``), union-find style."""

    __slots__ = ("merged_into", "__weakref__")

    def __init__(self):
        self.merged_into: "_Class | None" = None

    def representative(self) -> "_Class":
        c = self
        while c.merged_into is not None:
            c = c.merged_into
        return c


_classes: "weakref.WeakKeyDictionary[ProcIR, _Class]" = weakref.WeakKeyDictionary()


def _class_of(root: ProcIR) -> _Class:
    c = _classes.get(root)
    if c is None:
        c = _classes[root] = _Class()
    return c.representative()


def derive(original: ProcIR, derived: ProcIR) -> None:
    """Record that ``derived`` was scheduled from ``original`` (they compute
    the same thing)."""
    if derived is original:
        return
    _classes[derived] = _class_of(original)


def assert_equivalent(a: ProcIR, b: ProcIR) -> None:
    """Merge the classes of ``a`` and ``b`` (the user asserts that they
    compute the same thing; nothing is checked)."""
    ca, cb = _class_of(a), _class_of(b)
    if ca is not cb:
        cb.merged_into = ca


def equivalent(a: ProcIR, b: ProcIR) -> bool:
    """Whether ``a`` and ``b`` are in one class (one was scheduled from the
    other, or both from a common procedure)."""
    return a is b or _class_of(a) is _class_of(b)


__all__ = ["assert_equivalent", "derive", "equivalent"]
