"""repeat: apply a scheduling function until it fails, or a given number of times."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import proc, SchedulingError
from exo_stdlib.scheduling import lift_scope, repeat

from tests.core.primitives.equivalence import assert_equivalent


@proc
def zero3(x: f32[4, 4, 8]):
    for i in seq(0, 4):
        for j in seq(0, 4):
            for k in seq(0, 8):
                x[i, j, k] = 0.0


def _text(src: str) -> str:
    return textwrap.dedent(src).strip()


def test_repeat_until_failure_matches_exo():
    p = repeat(lift_scope)(zero3, "for k in _: _")
    assert str(p).strip() == _text("""
        def zero3(x: f32[4, 4, 8] @ DRAM):
            for k in seq(0, 8):
                for i in seq(0, 4):
                    for j in seq(0, 4):
                        x[i, j, k] = 0.0
    """)
    assert_equivalent(zero3, p)


def test_repeat_n_times_matches_exo():
    p = repeat(lift_scope, n_times=1)(zero3, "for k in _: _")
    assert str(p).strip() == _text("""
        def zero3(x: f32[4, 4, 8] @ DRAM):
            for i in seq(0, 4):
                for k in seq(0, 8):
                    for j in seq(0, 4):
                        x[i, j, k] = 0.0
    """)
    assert_equivalent(zero3, p)


def test_repeat_n_times_lets_the_error_through():
    with pytest.raises(SchedulingError, match="not inside a loop"):
        repeat(lift_scope, n_times=3)(zero3, "for k in _: _")


def test_repeat_verbose_prints_the_ending_error(capsys):
    repeat(lift_scope, verbose=True)(zero3, "for k in _: _")
    assert "repeat ended with error" in capsys.readouterr().out


def test_repeat_names_the_schedule():
    assert repeat(lift_scope).__name__ == "repeat_lift_scope"


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2"])
def test_repeat_rejects_a_bad_count(bad):
    with pytest.raises(TypeError, match="None or a positive int"):
        repeat(lift_scope, n_times=bad)
