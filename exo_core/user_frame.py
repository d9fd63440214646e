"""The user's side of an error: where it is reported and what traceback it shows.

Pattern strings and cursor misuse are reported at the call of the schedule
that made it: the first stack frame outside the compiler's packages, with the
line and the column of the call (the column comes from the frame's code
positions, so ``p = divide_loop(...)`` reports the column of ``divide_loop``).
Walking frames with ``sys._getframe`` is cheap (no source reading), unlike
``inspect.stack()``.

Every public entry point (the scheduling primitives, ``@proc`` / ``@instr`` /
``@config``, code generation, the jit) is wrapped with `user_entry`: an
`ExoError` leaves it with the library's frames removed from its traceback, so
the printed traceback ends in the user's own frame, and without the
``raise ... from`` chain (the message already says what went wrong)::

    Traceback (most recent call last):
      File "sched.py", line 12, in <module>
        p = divide_loop(p, "i", 0, ["io", "ii"])
    exo_core.errors.ArgumentTypeError: sched.py:12:4: divide_loop: div_const must be ...

The hidden part stays reachable for debugging: ``err.internal_traceback`` (the
library's frames, innermost entry point's) and ``err.internal_cause`` (the
exception it was raised from, if any). Setting the environment variable
``EXO_DEBUG_TRACEBACK=1`` turns the hiding off, so the full trace prints.
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
from typing import Callable, TypeVar

from exo_core.errors import ExoError, SchedulingError
from exo_core.ir.prelude import SrcInfo

_PACKAGE_DIRS = tuple(
    os.path.dirname(os.path.abspath(__file__)).rsplit(os.sep, 1)[0] + os.sep + name + os.sep
    for name in ("exo_core", "exo_codegen", "exo_stdlib", "exo_verify")
)

DEBUG_TRACEBACK_ENV = "EXO_DEBUG_TRACEBACK"
"""Environment variable: when set to anything but ``""`` or ``"0"``, errors keep
the library's frames and their cause chain (read at each error)."""


_LIBRARY_FILE: dict[str, bool] = {}
"""`is_library_file`'s answers by file name (a frame's file name is fixed once
its code is compiled, and abspath resolves relative names against a working
directory that may change, so a name is resolved the first time it is seen)."""


def is_library_file(filename: str) -> bool:
    """Whether ``filename`` is a source file of the compiler's own packages."""
    known = _LIBRARY_FILE.get(filename)
    if known is None:
        known = _LIBRARY_FILE[filename] = os.path.abspath(filename).startswith(_PACKAGE_DIRS)
    return known


_COLUMNS: dict = {}
"""`frame_column`'s answers by (code object, instruction offset): fixed once
the code is compiled, and reading them walks the code's positions up to the
instruction (long for a call near the end of a long script)."""


def frame_column(frame) -> int:
    """The 0-based column of the expression a frame is executing (for a frame
    that is calling into the library: the start of the call expression), or
    0 when the code object records no position."""
    key = (frame.f_code, frame.f_lasti)
    col = _COLUMNS.get(key)
    if col is None:
        col = _COLUMNS[key] = _column(frame.f_code, frame.f_lasti)
    return col


def _column(code, lasti: int) -> int:
    positions = getattr(code, "co_positions", None)
    if positions is None or lasti < 0:  # pragma: no cover - Python < 3.11
        return 0
    pos = next(itertools.islice(positions(), lasti // 2, None), None)
    return pos[2] if pos is not None and pos[2] is not None else 0


def caller_srcinfo() -> SrcInfo | None:
    """SrcInfo (file, line, column) of the innermost frame that is not compiler code."""
    frame = sys._getframe(1)
    while frame is not None:
        if not is_library_file(frame.f_code.co_filename):
            return SrcInfo(frame.f_code.co_filename, frame.f_lineno, frame_column(frame),
                           function=frame.f_code.co_name)
        frame = frame.f_back
    return None


def scheduling_error(message: str) -> SchedulingError:
    """A `SchedulingError` at the user's calling line."""
    return SchedulingError(message, caller_srcinfo())


def debug_traceback() -> bool:
    """Whether ``EXO_DEBUG_TRACEBACK`` asks for the library's frames."""
    return os.environ.get(DEBUG_TRACEBACK_ENV, "") not in ("", "0")


def hide_internals(err: ExoError) -> None:
    """Drop the library's frames and the cause chain from ``err`` (keeping them
    as ``internal_traceback`` / ``internal_cause``). The caller must re-raise
    ``err`` with a bare ``raise``, which adds no frame of its own."""
    if getattr(err, "internal_traceback", None) is None:
        err.internal_traceback = err.__traceback__
        err.internal_cause = err.__cause__ or err.__context__
    err.__traceback__ = None
    err.__cause__ = None
    err.__suppress_context__ = True


F = TypeVar("F", bound=Callable)


def user_entry(fn: F) -> F:
    """Decorator for a public entry point: an `ExoError` raised below it reaches
    the user with a traceback that ends in the user's calling frame (see the
    module docstring). Other exceptions (bugs) keep their full traceback."""

    @functools.wraps(fn)
    def entry(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ExoError as err:
            if not debug_traceback():
                hide_internals(err)
            raise  # a bare raise adds no traceback entry for this frame

    entry.__wrapped_entry__ = fn
    return entry  # type: ignore[return-value]
