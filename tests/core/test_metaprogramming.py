"""Metaprogramming (quote/unquote, exo_core.frontend.quote): every example of
Exo's Metaprogramming.md, and the misuses."""

from __future__ import annotations

import os

import numpy as np
import pytest

from exo_core import DRAM, ParseError, proc
from exo_codegen.jit import jit

HERE = os.path.basename(__file__)


def body(p) -> list[str]:
    return str(p).splitlines()[1:]


def test_an_exo_block_that_never_runs_pastes_nothing():
    @proc
    def foo(a: i32):
        pass
        with python:
            if False:
                with exo:
                    a += 1
    assert body(foo) == ["    pass"]


def test_an_exo_block_pastes_once_per_run():
    @proc
    def foo(a: i32):
        with python:
            for i in range(10):
                with exo:
                    a += 1
    assert body(foo) == ["    a += 1"] * 10


def test_quoted_and_unquoted_expressions():
    @proc
    def foo(a: i32, b: i32):
        with python:
            exprs = [~{a}, ~{b * 2}]
            for expr in exprs:
                with exo:
                    a += {expr}
    assert body(foo) == ["    a += a", "    a += b * 2"]
    f = jit(foo)
    a, b = np.array([3], np.int32), np.array([5], np.int32)
    f(a, b)
    assert a[0] == 16


def test_implicit_quotes_and_unquotes():
    @proc
    def foo(a: i32, b: i32):
        with python:
            exprs = [a, ~{b * 2}]
            for expr in exprs:
                with exo:
                    a += expr
    assert body(foo) == ["    a += a", "    a += b * 2"]


def test_implicit_unquote_on_the_left_hand_side():
    @proc
    def foo(a: i32, b: i32):
        with python:
            syms = [a, b]
            for sym in syms:
                with exo:
                    sym += 1
    assert body(foo) == ["    a += 1", "    b += 1"]


def test_unquoted_numbers():
    @proc
    def foo(a: i32):
        with python:
            for i in range(4):
                with exo:
                    a += {i % 2}
    assert body(foo) == ["    a += 0", "    a += 1", "    a += 0", "    a += 1"]


T = "i32"


def test_unquoted_types():
    @proc
    def foo(a: {T}[5], b: {T}):
        a[0] += b
    assert str(foo).splitlines()[0] == "def foo(a: i32[5] @ DRAM, b: i32 @ DRAM):"


@proc
def take(n: size, a: R[n]):
    a[0] = 1.0


def test_unquoted_indices_and_slices():
    @proc
    def bar(n: size, a: R[n]):
        assert n > 2
        with python:
            slices = [slice(1, ~{n - 1}), slice(0, 1), slice(0, ~{n})]
            for s in slices:
                with exo:
                    take({s.stop} - {s.start}, a[{s}])
    assert body(bar) == ["    assert n > 2",
                         "    take(n - 1 - 1, a[1:n - 1])",
                         "    take(1 - 0, a[0:1])",
                         "    take(n - 0, a[0:n])"]


mems = [DRAM]


def test_memories_are_python_expressions():
    @proc
    def foo(a: i32 @ mems[0], b: i32 @ mems[0]):
        a += b
    assert str(foo).splitlines()[0] == "def foo(a: i32 @ DRAM, b: i32 @ DRAM):"


def test_quoted_statements_bound_to_a_name():
    @proc
    def foo(a: i32, b: i32):
        with python:
            with exo as stmt:
                a += b
            with exo:
                {stmt}
                {stmt}
    assert body(foo) == ["    a += b", "    a += b"]


def test_pasted_loops_bind_their_own_iterators():
    @proc
    def foo(n: size, x: f32[n]):
        with python:
            for c in [1.0, 2.0]:
                with exo:
                    for i in seq(0, n):
                        x[i] += {c}
    assert body(foo) == ["    for i in seq(0, n):", "        x[i] += 1.0",
                         "    for i in seq(0, n):", "        x[i] += 2.0"]


# --------------------------------------------------------------------------
# Misuse


def _line_of(marker: str) -> int:
    with open(__file__) as f:
        for k, line in enumerate(f, 1):
            if marker in line and "_line_of" not in line:
                return k
    raise AssertionError(marker)


def test_statements_while_unquoting_an_expression():
    with pytest.raises(ParseError, match="while an expression was being unquoted"):
        @proc
        def foo(a: i32):
            with python:
                def bar():
                    with exo:
                        a += 1
                    return 2
                with exo:
                    a += {bar()}


def test_with_exo_outside_python():
    with pytest.raises(ParseError) as e:
        @proc
        def foo(a: i32):
            with exo:  # MARK-exo-outside
                a += 1
    assert "only allowed inside a `with python:` block" in str(e.value)
    assert f"{HERE}:{_line_of('MARK-exo-outside')}:" in str(e.value)


def test_nested_python_blocks():
    with pytest.raises(ParseError, match="cannot be nested"):
        @proc
        def foo(a: i32):
            with python:
                with python:
                    pass


def test_python_code_that_raises():
    with pytest.raises(ParseError) as e:
        @proc
        def foo(a: i32):
            with python:  # MARK-raises
                x = 1 // 0
    assert "raised ZeroDivisionError" in str(e.value)
    assert f"{HERE}:{_line_of('MARK-raises')}:" in str(e.value)


def test_unquoting_something_that_is_not_an_expression():
    with pytest.raises(ParseError, match="cannot unquote a Python str as an expression"):
        @proc
        def foo(a: i32):
            with python:
                s = "a + 1"
                with exo:
                    a += {s}


def test_unquoting_an_expression_as_statements():
    with pytest.raises(ParseError, match="must unquote statements quoted with"):
        @proc
        def foo(a: i32):
            with python:
                e = ~{a + 1}
                with exo:
                    {e}


def test_an_unquoted_type_must_be_a_type_name():
    with pytest.raises(ParseError, match="an unquoted type must be a type name"):
        @proc
        def foo(a: {3}):
            pass


def test_a_with_statement_of_something_else():
    with pytest.raises(ParseError, match="with statements are not supported"):
        @proc
        def foo(a: i32):
            with open("x"):
                pass
