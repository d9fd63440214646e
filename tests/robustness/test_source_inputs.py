"""Front-end robustness: odd but plausible Python given to ``@proc`` and
``proc_from_source`` is rejected with an ExoError at the user's line."""

from __future__ import annotations

import pytest

from exo_core import ExoTypeError, ParseError, proc
from exo_core.api import proc_from_source
from exo_core.ir.extern import Extern
from exo_core.ir.printer import source_scope
from tests.robustness.marker_check import expect


def test_duplicate_parameter_names():
    # Python's ast accepts `def f(x, x)`; only its compiler rejects it.
    with expect(ParseError, "duplicate argument x", line=1, filename="<string>"):
        proc_from_source("def f(x: f32, x: f32[4]):\n    x = 1.0\n")


def test_procedure_calling_itself():
    with expect(ParseError, "calls itself; recursion is not supported", "recursion"):
        @proc
        def rec(x: f32[3]):
            rec(x)  # ERR:recursion


class _NoSuperInit(Extern):
    def __init__(self):  # forgets super().__init__(name)
        pass

    def typecheck(self, args):
        return args[0].type

    def compile(self, args, prim_type):
        return args[0]


class _NumberName(Extern):
    def __init__(self):
        super().__init__(3)

    def typecheck(self, args):
        return args[0].type

    def compile(self, args, prim_type):
        return args[0]


def test_extern_without_name():
    no_name = _NoSuperInit()
    assert repr(no_name) == "<extern _NoSuperInit>"
    with expect(ParseError, "must call super().__init__", "noname"):
        @proc
        def p(x: f32[3]):
            x[0] = no_name(x[1])  # ERR:noname


def test_extern_with_non_identifier_name():
    bad_name = _NumberName()
    with expect(ParseError, "has no valid name (got 3)", "badname"):
        @proc
        def p(x: f32[3]):
            x[0] = bad_name(x[1])  # ERR:badname


def test_float_literal_overflowing_to_infinity():
    with expect(ParseError, "too large for a floating-point number", line=2,
                filename="<string>"):
        proc_from_source("def f(x: f32[4]):\n    x[0] = 1e400\n")


def test_non_finite_python_constant():
    with expect(ParseError, "NAN is nan, not a finite number", line=2, filename="<string>"):
        proc_from_source("def f(x: f32[4]):\n    x[0] = NAN\n", {"NAN": float("nan")})


@pytest.mark.parametrize("text", [
    "def f(x: f32[4]):\n    x[0] = " + "-" * 800 + "x[1]\n",
    "def f(x: f32[4], n: size):\n    x[0" + " + n - n" * 400 + "] = 1.0\n",
])
def test_deeply_nested_expression(text):
    # The parse succeeds; the recursive passes after it must not leak a RecursionError.
    with expect(ParseError, "nested too deeply", line=1, filename="<string>"):
        proc_from_source(text)


def test_proc_from_source_scope_must_be_a_dict():
    with expect(ParseError, "scope to be a dict", "scope"):
        proc_from_source("def f(x: f32):\n    pass\n", [("a", 1)])  # ERR:scope


def test_proc_from_source_filename_must_be_a_string():
    with expect(ParseError, "filename to be a string", "filename"):
        proc_from_source("def f(x: f32):\n    pass\n", filename=3)  # ERR:filename


def test_source_scope_of_a_non_procedure():
    with expect(ExoTypeError, "source_scope expects a procedure, got int", "scope_junk"):
        source_scope(3)  # ERR:scope_junk


def test_source_scope_accepts_a_procedure_handle():
    @proc
    def p(x: f32[3]):
        x[0] = sin(x[1])

    assert "sin" in source_scope(p)
