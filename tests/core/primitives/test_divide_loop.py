"""divide_loop: tails, perfect division, errors, forwarding, equivalence."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import divide_loop

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.loop_procs import add1, copy2d
from tests.core.primitives.scope_golden import check_golden


@pytest.mark.parametrize("tail", ["guard", "cut", "cut_and_guard"])
def test_tails_golden_and_equivalent(tail):
    p = divide_loop(add1, "i", 4, ["io", "ii"], tail=tail)
    check_golden(f"loops_divide_{tail}", p)
    for n in (1, 7, 8):
        assert_equivalent(add1, p, n=n)


def test_perfect_constant_bound_folds():
    p = divide_loop(copy2d, "j", 4, ("jo", "ji"), perfect=True)
    check_golden("loops_divide_perfect", p)
    assert_equivalent(copy2d, p)


def test_perfect_needs_a_proof():
    with pytest.raises(SchedulingError, match=r"divide_loop: the trip count must be divisible "
                                              r"by 4, but this fails when n = \d+"):
        divide_loop(add1, "i", 4, ["io", "ii"], perfect=True)
    with pytest.raises(SchedulingError, match="divisible by 3"):
        divide_loop(copy2d, "j", 3, ["jo", "ji"], perfect=True)


@pytest.mark.parametrize("args, message", [
    ((0, ["io", "ii"]), "div_const must be at least 1"),
    (("4", ["io", "ii"]), "div_const must be an integer constant"),
    ((4, ["io"]), "new_iters must be a list of 2 strings"),
    ((4, ["io", "io"]), "must be different"),
    ((4, ["io", "y"]), "the name y is already used"),
    ((4, ["io", "1x"]), "not a valid variable name"),
])
def test_bad_arguments(args, message):
    with pytest.raises(SchedulingError, match=message) as e:
        divide_loop(add1, "i", *args)
    assert e.value.srcinfo is not None and e.value.srcinfo.filename == __file__


def test_bad_tail_and_location():
    with pytest.raises(SchedulingError, match="tail must be one of"):
        divide_loop(add1, "i", 4, ["io", "ii"], tail="peel")
    with pytest.raises(SchedulingError, match="expected a loop"):
        divide_loop(add1, add1.find("x[_] = _"), 4, ["io", "ii"])
    with pytest.raises(SchedulingError, match="no code matches"):
        divide_loop(add1, "k", 4, ["io", "ii"])


def test_cursors_forward():
    loop = add1.find_loop("i")
    stmt = add1.find("x[_] = _")
    p = divide_loop(add1, loop, 4, ["io", "ii"])
    assert p.forward(loop).name() == "io"
    s = p.forward(stmt)
    assert s.parent().parent().name() == "ii"  # inside the guard inside ii
    q = divide_loop(add1, loop, 4, ["io", "ii"], tail="cut")
    assert q.forward(stmt).parent().name() == "ii"
    assert q.forward(stmt).parent().parent().name() == "io"


@proc
def shaped_by_iter(n: size, x: f32[n]):
    for i in seq(0, n):
        t: f32[i + 1]
        t[0] = 1.0
        x[i] = t[0]


def test_iterator_in_allocation_shape_is_refused():
    with pytest.raises(SchedulingError, match="the shape of t uses the iterator i; this is "
                                              "not supported yet"):
        divide_loop(shaped_by_iter, "i", 4, ["io", "ii"])
