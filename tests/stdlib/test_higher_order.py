"""attempt, apply, predicate, make_pass, lift_rc, repeate (Exo's
exo.stdlib.higher_order); printed results compared with Exo 1.0's."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import proc, SchedulingError
from exo_core.cursors import ForCursor
from exo_stdlib.scheduling import (apply, attempt, divide_loop_, lift_rc, lift_scope, make_pass,
                                   nlr_stmts, predicate, repeate)

from tests.core.primitives.equivalence import assert_equivalent


def _same(p, src: str) -> None:
    assert str(p).strip() == textwrap.dedent(src).strip()


@proc
def cube(x: f32[8, 4, 2]):
    for i in seq(0, 8):
        for j in seq(0, 4):
            for k in seq(0, 2):
                x[i, j, k] = 1.0


def lift(p, c, rc=False):
    """lift_scope that can return the lifted loop."""
    p = lift_scope(p, c)
    return (p, p.forward(c)) if rc else p


def test_attempt_returns_the_procedure_unchanged_on_refusal():
    assert attempt(lift_scope)(cube, cube.find_loop("i")) is cube
    p, c = attempt(divide_loop_)(cube, cube.find_loop("i"), 0, rc=True)
    assert p is cube and c is None
    with pytest.raises(SchedulingError):
        attempt(lift_scope, errs=[KeyError])(cube, cube.find_loop("i"))
    assert str(attempt(lift_scope)(cube, cube.find_loop("k"))) == str(lift_scope(cube, cube.find_loop("k")))


def test_lift_rc_returns_one_cursor_of_the_record():
    p, inner = lift_rc(divide_loop_, "inner_loop")(cube, cube.find_loop("i"), 2, tail="perfect")
    assert isinstance(inner, ForCursor) and inner.name() == "ii" and inner == p.body()[0].body()[0]
    assert_equivalent(cube, p)


def test_repeate_feeds_each_result_to_the_next_call():
    p, c = repeate(lift)(cube, cube.find_loop("k"), rc=True)
    _same(p, """
        def cube(x: f32[8, 4, 2] @ DRAM):
            for k in seq(0, 2):
                for i in seq(0, 8):
                    for j in seq(0, 4):
                        x[i, j, k] = 1.0
    """)
    assert c == p.body()[0]
    assert str(repeate(lift)(cube, cube.find_loop("k"))) == str(p)


@proc
def two(x: f32[8, 4], y: f32[8, 4]):
    for i in seq(0, 8):
        for j in seq(0, 4):
            x[i, j] = 1.0
    for i in seq(0, 8):
        for j in seq(0, 4):
            y[i, j] = 2.0


def test_apply_to_each_cursor():
    loops = two.find_loop("j", many=True)
    p, out = apply(lift)(two, loops, rc=True)
    _same(p, """
        def two(x: f32[8, 4] @ DRAM, y: f32[8, 4] @ DRAM):
            for j in seq(0, 4):
                for i in seq(0, 8):
                    x[i, j] = 1.0
            for j in seq(0, 4):
                for i in seq(0, 8):
                    y[i, j] = 2.0
    """)
    assert out == [p.body()[0], p.body()[1]]
    assert str(apply(lift)(two, loops)) == str(p)
    assert_equivalent(two, p)


def test_predicate_applies_only_when_it_holds():
    named_k = predicate(lift, lambda p, c: c.name() == "k")
    assert named_k(cube, cube.find_loop("j")) is cube
    assert str(named_k(cube, cube.find_loop("k"))) == str(lift_scope(cube, cube.find_loop("k")))
    assert named_k(cube, cube.find_loop("j"), rc=True) == (cube, None)


def test_make_pass_visits_every_statement_in_pre_order():
    p = make_pass(attempt(lift))(cube)
    _same(p, """
        def cube(x: f32[8, 4, 2] @ DRAM):
            for j in seq(0, 4):
                for k in seq(0, 2):
                    for i in seq(0, 8):
                        x[i, j, k] = 1.0
    """)
    assert_equivalent(cube, p)
    seen = []
    make_pass(lambda p, c: seen.append(type(c).__name__) or p)(cube, cube.find_loop("j"))
    assert seen == ["ForCursor", "ForCursor", "AssignCursor"]
    assert [type(c).__name__ for c in nlr_stmts(cube)] == ["ForCursor"] * 3 + ["AssignCursor"]
