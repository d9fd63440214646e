"""Errors raised by code generation and the jit.

`CodegenError` reports object code that the C generator cannot express (a bad
``@instr`` template, an extern whose hooks fail, two different procedures with
one name, ...). `JitArgumentError` reports a bad Python-side call of a jitted
procedure (wrong number of arguments, dtype, shape, contiguity). It subclasses
`exo_core.ExoTypeError`, hence also the builtin ``TypeError``, so
``except TypeError`` catches it as it would for a mistyped Python call.
"""

from __future__ import annotations

from exo_core.errors import ExoError, ExoTypeError


class CodegenError(ExoError):
    """The C generator cannot compile this (valid) object code as written."""


class JitArgumentError(ExoTypeError):
    """A jitted procedure was called with arguments that do not fit its signature."""


class CCompilerError(ExoError):
    """The system C compiler failed on the generated code."""
