"""The error classes users see.

Every error carries the user's source position (when known) and a plain
sentence. `str(err)` is ``"file:line:col: message"``.
"""

from __future__ import annotations

import builtins


class ExoError(Exception):
    """Base of all errors the compiler reports to users."""

    def __init__(self, message: str, srcinfo=None):
        self.message = message
        self.srcinfo = srcinfo
        super().__init__(f"{srcinfo}: {message}" if srcinfo is not None else message)


class ParseError(ExoError):
    """The Python text is not object code (syntax the language does not have)."""


class ExoTypeError(ExoError, builtins.TypeError):
    """A front-end type, shape or bounds error.

    Exo reports these as the builtin ``TypeError``; this class subclasses it, so
    ``except TypeError`` keeps working in ported code.
    """


class SchedulingError(ExoError):
    """A scheduling primitive was misused or its rewrite could not be proven safe."""


class ArgumentTypeError(SchedulingError, builtins.TypeError):
    """A primitive was called with a missing, unknown or ill-typed argument (a
    string where an int is needed, a gap where a loop is needed, ...).

    Exo raises the builtin ``TypeError`` for these; this class is both that and
    a SchedulingError, so ``except TypeError`` and ``except SchedulingError``
    both catch it.
    """


class ArgumentValueError(SchedulingError, builtins.ValueError):
    """A primitive argument has the right type but a value outside the ones
    allowed (an unknown ``tail`` mode, ...). Exo raises ``ValueError``."""


class InvalidCursorError(ExoError):
    """A cursor does not point at what the operation needs (or no longer exists)."""


class MemGenError(ExoError):
    """A memory refused an operation during code generation."""

    def __init__(self, message: str, srcinfo=None):
        # Memories often format the srcinfo into their own message already.
        if srcinfo is not None and str(message).startswith(str(srcinfo)):
            srcinfo = None
        super().__init__(message, srcinfo)


class VerificationError(ExoTypeError):
    """A definition-time check (bounds, preconditions, shapes, aliasing) failed."""


class AliasedArgumentsError(ExoTypeError, SchedulingError):
    """One buffer passed as two arguments of a call (refused at definition time).

    Exo raises `SchedulingError` for this mistake; this class is both that and
    `ExoTypeError` (the class of the other definition-time errors), so either
    ``except`` clause catches it.
    """


class UnificationError(SchedulingError):
    """`replace` could not match a block with a subprocedure's body (Exo's
    ``UnificationError``)."""


class MemoryError(SchedulingError):  # noqa: A001 - the reference's name
    """An argument of a replaced call is in a memory its parameter does not
    accept (the name of the reference's error; it shadows the builtin only
    where it is imported by name)."""


class StaleCursorError(SchedulingError, InvalidCursorError):
    """A primitive was given a cursor whose code an earlier rewrite removed
    (or an `InvalidCursor`). The reference raises InvalidCursorError; this is
    that and a SchedulingError, like every other bad primitive argument."""


class CursorNavigationError(SchedulingError):
    """An inspection helper found nothing where it was asked to navigate (no
    enclosing loop of that name, no common ancestor): the reference's
    ``exo.stdlib.inspection.CursorNavigationError``."""


class ParseFragmentError(SchedulingError):
    """An expression given to a primitive as text (or as a `FormattedExprStr`)
    does not parse, names something not visible where it is read, or has
    more holes than expressions (Exo's ``exo.ParseFragmentError``; here also
    a SchedulingError, like every other bad primitive argument)."""
