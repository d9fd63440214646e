"""Which procedures are equivalent because one was scheduled from the other.

Every procedure belongs to an equivalence class. A procedure written by the
user (``@proc``, ``@instr``) or built by `extract_subproc` starts a class of
its own; a procedure a primitive derives from another (every version a
`ProcEditor` makes, `make_instr`, ...) joins that one's class. `call_eqv`
swaps a call only between procedures of one class::

    g = divide_loop(f, "i", 4, ["io", "ii"], tail="cut")
    equivalent(f_root, g_root)        # True: g was scheduled from f

Classes are tokens held weakly by the procedure roots, so a version that is
no longer used does not keep anything alive.
"""

from __future__ import annotations

import weakref

from exo_core.ir.nodes import ProcIR


class _Class:
    """The identity of one equivalence class."""

    __slots__ = ("__weakref__",)


_classes: "weakref.WeakKeyDictionary[ProcIR, _Class]" = weakref.WeakKeyDictionary()


def _class_of(root: ProcIR) -> _Class:
    c = _classes.get(root)
    if c is None:
        c = _classes[root] = _Class()
    return c


def derive(original: ProcIR, derived: ProcIR) -> None:
    """Record that ``derived`` was scheduled from ``original`` (they compute
    the same thing)."""
    if derived is original:
        return
    _classes[derived] = _class_of(original)


def equivalent(a: ProcIR, b: ProcIR) -> bool:
    """Whether ``a`` and ``b`` are in one class (one was scheduled from the
    other, or both from a common procedure)."""
    return a is b or _class_of(a) is _class_of(b)


__all__ = ["derive", "equivalent"]
