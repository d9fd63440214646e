"""Plain arguments every primitive takes: the procedure comes first, and
every new name must be a valid identifier that is not a Python keyword."""

from __future__ import annotations

import inspect

import pytest

import exo_stdlib.scheduling as S
from exo_core import proc
from exo_core.primitives.signature import is_primitive

from tests.core.adversarial.harness import assert_scheduling_error

PRIMITIVES = sorted(n for n in dir(S) if not n.startswith("_")
                    and inspect.isfunction(getattr(S, n))
                    and getattr(S, n).__module__.startswith("exo_core.primitives")
                    and is_primitive(getattr(S, n)))


def test_every_primitive_is_listed():
    assert {"divide_loop", "eliminate_dead_code", "rename", "lift_scope", "specialize",
            "simplify", "fuse", "add_loop"} <= set(PRIMITIVES)


@pytest.mark.parametrize("name", PRIMITIVES)
def test_first_argument_must_be_a_procedure(name):
    fn = getattr(S, name)
    required = [p for p in inspect.signature(fn).parameters.values()
                if p.default is inspect.Parameter.empty]
    dummies = ["i"] * (len(required) - 1)
    assert_scheduling_error(lambda: fn(None, *dummies), name, "procedure", "NoneType")


@proc
def nest(x: f32[4, 8]):
    for i in seq(0, 4):
        for j in seq(0, 8):
            x[i, j] = 1.0


@pytest.mark.parametrize("bad", ["for", "lambda", "None", "1a", "a b", ""])
def test_new_names_must_be_identifiers_and_not_keywords(bad):
    assert_scheduling_error(lambda: S.divide_loop(nest, "j", 2, [bad, "ji"]), "divide_loop",
                            "not a valid variable name")
    assert_scheduling_error(lambda: S.divide_with_recompute(nest, "j", 2, 4, ["jo", bad]),
                            "divide_with_recompute", "not a valid variable name")
    assert_scheduling_error(lambda: S.mult_loops(nest, "i j", bad), "mult_loops",
                            "not a valid variable name")
    assert_scheduling_error(lambda: S.add_loop(nest, "x[_] = _", bad, 2), "add_loop",
                            "not a valid variable name")
    assert_scheduling_error(lambda: S.rename(nest, bad), "rename", "not a valid procedure name")


def test_keyword_is_named_as_the_reason():
    e = assert_scheduling_error(lambda: S.mult_loops(nest, "i j", "while"))
    assert "Python keyword" in str(e)
