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

Equivalence is *modulo configuration fields*, as in Exo: a primitive that
changes what a field holds when the procedure returns (`bind_config`,
`write_config`, `delete_config`; every later read of the field is proven to
see the same value) records the field with `add_modified_configs`, and a
version inherits the fields of the version it was derived from. Two
procedures of one class compute the same thing except, possibly, the final
values of ``modified_configs(a) | modified_configs(b)``.
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
_modified: "weakref.WeakKeyDictionary[ProcIR, frozenset]" = weakref.WeakKeyDictionary()


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
    inherited = _modified.get(original)
    if inherited:
        _modified[derived] = inherited | _modified.get(derived, frozenset())


def add_modified_configs(root: ProcIR, fields) -> None:
    """Record that ``root`` may leave the configuration fields ``fields``
    (``(config, field_name)`` pairs) with other final values than the
    procedures it is equivalent to."""
    fields = frozenset(fields)
    if fields:
        _modified[root] = _modified.get(root, frozenset()) | fields


def modified_configs(root: ProcIR) -> frozenset:
    """The ``(config, field_name)`` pairs whose final value ``root`` may
    leave differently from the procedures of its class (see the module
    docstring)."""
    return _modified.get(root, frozenset())


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


__all__ = ["add_modified_configs", "assert_equivalent", "derive", "equivalent",
           "modified_configs"]
