"""Exceptions raised by the verifier engine.

``exo_verify`` sits below ``exo_core`` and cannot use its error classes; callers
translate these into user-facing errors (with source positions) at their level.
"""

from __future__ import annotations


class VerifyError(Exception):
    """Base class of every error the verifier engine raises."""


class TermError(VerifyError, ValueError):
    """A term or formula was built from unsupported pieces.

    Examples: division by a non-constant or non-positive divisor, a float
    constant, a variable bound twice by the same quantifier.
    """


class NotPresburgerError(VerifyError):
    """The question cannot be stated in Presburger arithmetic (for example a
    product of two variables) and the operation requires isl."""


class UsageError(VerifyError, TypeError):
    """An engine object was used in a way that has no meaning, such as asking
    for the truth value of a symbolic formula with ``if``."""
