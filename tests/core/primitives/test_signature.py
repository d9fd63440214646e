"""exo_core.primitives.signature / arguments: every primitive declares its
parameters and passes through one entry point, which checks the arguments,
reports errors at the user's call and runs the post-application checks."""

from __future__ import annotations

import inspect

import pytest

import exo_stdlib.scheduling as scheduling
from exo_core import SchedulingError, proc
from exo_core.errors import ArgumentTypeError, ArgumentValueError
from exo_core.ir.printer import expr_to_str
from exo_core.primitives import signature
from exo_core.primitives.arguments import (Bool, Conditions, ControlExpr, Int, ListOf, Loop,
                                           NewName, NewNames, OneOf, Optional, Proc, Text)
from exo_core.primitives.signature import POST_APPLICATION_CHECKS, is_primitive, primitive
from exo_core.procedure import Procedure
from exo_stdlib.scheduling import (add_loop, divide_loop, fission, mult_loops, rename,
                                   specialize)


@proc
def nest(n: size, x: f32[n, 4], t: f32[4]):
    for i in seq(0, n):
        for j in seq(0, 4):
            x[i, j] = t[j]


def _public_primitives() -> dict:
    return {name: obj for name, obj in vars(scheduling).items()
            if callable(obj) and not isinstance(obj, type) and not name.startswith("_")
            and getattr(obj, "__module__", "").startswith("exo_core.primitives.")
            # sched_op declares primitives, is_atomic_scheduling_op tests for them
            and obj.__module__ != "exo_core.primitives.sched_op"}


def test_every_exported_primitive_passes_through_the_entry_point():
    prims = _public_primitives()
    assert len(prims) >= 22
    undeclared = sorted(n for n, f in prims.items() if not is_primitive(f))
    assert undeclared == []
    for name, f in prims.items():
        params = list(inspect.signature(f).parameters)
        assert params[0] == "proc"
        assert set(f.__primitive_params__) == set(params[1:]), name


def test_post_application_checks_see_every_application(monkeypatch):
    seen = []
    monkeypatch.setattr(signature, "POST_APPLICATION_CHECKS",
                        [lambda name, before, after: seen.append((name, before, after))])
    p = divide_loop(nest, "i", 2, ["io", "ii"], tail="cut")
    q = rename(p, "nest2")
    assert seen == [("divide_loop", nest, p), ("rename", p, q)]


def test_a_failing_post_application_check_propagates(monkeypatch):
    def broken(name, before, after):
        raise AssertionError(f"{name} broke the procedure")

    monkeypatch.setattr(signature, "POST_APPLICATION_CHECKS", [broken])
    with pytest.raises(AssertionError, match="divide_loop broke"):
        divide_loop(nest, "i", 2, ["io", "ii"])


def test_post_application_checks_are_empty_in_production():
    assert POST_APPLICATION_CHECKS == [] or all(callable(c) for c in POST_APPLICATION_CHECKS)


@pytest.mark.parametrize("call,error,fragment", [
    (lambda: divide_loop(3, "i", 2, ["a", "b"]), ArgumentTypeError,
     "expected a procedure as the first argument, got int"),
    (lambda: divide_loop(nest, "i", True, ["a", "b"]), ArgumentTypeError,
     "div_const must be an integer constant, got True"),
    (lambda: divide_loop(nest, "i", 0, ["a", "b"]), ArgumentTypeError,
     "div_const must be at least 1, got 0"),
    (lambda: divide_loop(nest, "i", 2, ["a"]), ArgumentTypeError,
     "new_iters must be a list of 2 strings"),
    (lambda: divide_loop(nest, "i", 2, ["a", "a"]), ArgumentValueError,
     "the new names must be different"),
    (lambda: divide_loop(nest, "i", 2, ["a", "for"]), ArgumentTypeError,
     "'for' is not a valid variable name (it is a Python keyword)"),
    (lambda: divide_loop(nest, "i", 2, ["t", "b"]), ArgumentValueError,
     "the name t is already used here"),
    (lambda: divide_loop(nest, "j", 2, ["i", "b"]), ArgumentValueError,
     "the name i is already used here"),  # the enclosing loop's iterator
    (lambda: divide_loop(nest, "j", 2, ["n", "b"]), ArgumentValueError,
     "the name n is already used here"),  # visible there, though unused inside
    (lambda: divide_loop(nest, "i", 2, ["a", "b"], tail="round"), ArgumentValueError,
     "tail must be one of guard, cut, cut_and_guard; got 'round'"),
    (lambda: divide_loop(nest, "i", 2, ["a", "b"], perfect=1), ArgumentTypeError,
     "perfect must be True or False, got 1"),
    (lambda: divide_loop(nest, nest.find("x[_] = _"), 2, ["a", "b"]), ArgumentTypeError,
     "expected a loop, got a Assign cursor"),
    (lambda: divide_loop(nest, "i", 2, ["a", "b"], 3, 4, 5), ArgumentTypeError,
     "too many positional arguments"),
    (lambda: divide_loop(nest, "i", 2, ["a", "b"], factor=2), ArgumentTypeError,
     "got an unexpected keyword argument 'factor'"),
    (lambda: divide_loop(nest, "i", 2, ["a", "b"], loop_cursor="i"), ArgumentTypeError,
     "multiple values for argument 'loop_cursor'"),
    (lambda: mult_loops(nest, "i j", "n"), ArgumentValueError, "the name n is already used"),
    (lambda: add_loop(nest, "x[_] = _", "j", 2), ArgumentValueError,
     "the name j is already used"),
    (lambda: add_loop(nest, "x[_] = _", "k", "m"), SchedulingError,
     "m is not a variable visible here"),
    (lambda: fission(nest, nest.find("x[_] = _").after(), 0), ArgumentTypeError,
     "n_lifts must be at least 1"),
    (lambda: fission(nest, "x[_] = _"), ArgumentTypeError, "expected a gap"),
    (lambda: specialize(nest, "x[_] = _", []), ArgumentValueError,
     "conds needs at least one condition"),
    (lambda: specialize(nest, "x[_] = _", 3), ArgumentTypeError,
     "conds must be a condition string or a list of them"),
    (lambda: rename(nest, "9lives"), ArgumentTypeError,
     "'9lives' is not a valid procedure name"),
])
def test_argument_errors(call, error, fragment):
    with pytest.raises(error) as e:
        call()
    assert fragment in e.value.message
    assert isinstance(e.value, SchedulingError)
    assert e.value.message.split(":")[0] in {"divide_loop", "mult_loops", "add_loop", "fission",
                                             "specialize", "rename"}
    assert e.value.srcinfo is not None and e.value.srcinfo.filename == __file__


def test_replaced_iterators_may_be_reused():
    p = divide_loop(nest, "i", 2, ["i", "ii"], perfect=False)
    assert "for i in seq(0, (n + 1) / 2):" in str(p)
    q = mult_loops(nest, "i j", "j")
    assert "for j in seq(0, n * 4):" in str(q)


def test_declaration_mistakes_are_caught_at_import_time():
    with pytest.raises(TypeError, match="undeclared parameters \\['k'\\]"):
        @primitive()
        def f(proc, k):
            return proc
    with pytest.raises(TypeError, match="first parameter of a primitive must be 'proc'"):
        @primitive(k=Int())
        def g(k, proc):
            return proc
    with pytest.raises(TypeError, match="declared but absent \\['m'\\]"):
        @primitive(k=Int(), m=Bool())
        def h(proc, k):
            return proc
    with pytest.raises(TypeError, match="must be declared with a Param"):
        @primitive(k=int)
        def i(proc, k):
            return proc


def test_each_kind_hands_the_body_checked_values():
    got = {}

    @primitive(loop=Loop(), name=NewName(near="loop"), names=NewNames(2, near="loop"),
               bound=ControlExpr(at="loop"), cond=ControlExpr(at="loop", condition=True),
               conds=Conditions(at="loop"), mode=OneOf("a", "b"), flag=Bool(),
               other=Optional(Proc()), text=Text(), sizes=ListOf(Int(min=0), length=2))
    def probe(proc, loop, name, names, bound, cond, conds, mode="a", flag=False, other=None,
              text="", sizes=(0, 0)):
        got.update(locals())
        return proc

    assert probe(nest, "j", "k", ["a", "b"], "n - 1", "n > 2", ["i < 2", "n > 1"],
                 sizes=[1, 2]) is nest
    assert got["loop"] == nest.find_loop("j")
    assert got["name"].name == "k" and [s.name for s in got["names"]] == ["a", "b"]
    assert expr_to_str(got["bound"]) == "n - 1" and expr_to_str(got["cond"]) == "n > 2"
    assert len(got["conds"]) == 2 and got["mode"] == "a" and got["flag"] is False
    assert got["other"] is None and got["sizes"] == [1, 2]
    with pytest.raises(ArgumentTypeError, match="other must be a procedure"):
        probe(nest, "j", "k", ["a", "b"], 1, "n > 2", "n > 1", other=3)
    with pytest.raises(ArgumentTypeError, match="sizes must be a list of 2 items"):
        probe(nest, "j", "k", ["a", "b"], 1, "n > 2", "n > 1", sizes=[1])
    with pytest.raises(ArgumentTypeError, match="each item of sizes must be at least 0"):
        probe(nest, "j", "k", ["a", "b"], 1, "n > 2", "n > 1", sizes=[1, -1])
    with pytest.raises(ArgumentTypeError, match="text must be a string"):
        probe(nest, "j", "k", ["a", "b"], 1, "n > 2", "n > 1", text=1)
    with pytest.raises(SchedulingError, match="i is not a variable visible here"):
        probe(nest, "i", "k", ["a", "b"], "i + 1", "n > 2", "n > 1")  # i is not in scope at i
    assert isinstance(probe(nest, "i", "k", ["a", "b"], 3, "n > 2", "n > 1"), Procedure)
