"""fission: splitting loops and ifs, dependence checks, lifts, forwarding."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_core.cursors import InvalidCursor
from exo_stdlib.scheduling import fission

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.loop_procs import matmul, shifted_read, two_stmts
from tests.core.primitives.scope_golden import check_golden


def test_one_level_golden_and_equivalent():
    p = fission(two_stmts, two_stmts.find("x[_] = _").after())
    check_golden("loops_fission_one", p)
    assert_equivalent(two_stmts, p, n=6)


def test_two_levels():
    p = fission(matmul, matmul.find("c[_] = 0.0").after(), n_lifts=2)
    check_golden("loops_fission_two", p)
    assert_equivalent(matmul, p, n=3, m=4, k=2)


def test_rejects_later_write_read_earlier():
    gap = shifted_read.find("x[_] = _").after()
    with pytest.raises(SchedulingError) as e:
        fission(shifted_read, gap)
    msg = e.value.message
    assert "iteration i=0 of the statements after the cut reads x[1]" in msg
    assert "later iteration i=1 of the statements before the cut writes x[1]" in msg
    p = fission(shifted_read, gap, unsafe_disable_checks=True)  # the user's risk
    assert str(p).count("for i in") == 2


@proc
def with_if(n: size, x: f32[n], y: f32[n]):
    for i in seq(0, n):
        if i < 3:
            x[i] = 1.0
            y[i] = 2.0


@proc
def alloc_used(n: size, x: f32[n]):
    for i in seq(0, n):
        t: f32
        t = 1.0
        x[i] = t


def test_if_then_loop():
    p = fission(with_if, with_if.find("x[_] = _").after(), n_lifts=2)
    check_golden("loops_fission_if", p)
    assert_equivalent(with_if, p, n=5)


def test_errors():
    with pytest.raises(SchedulingError, match="not at the edge"):
        fission(two_stmts, two_stmts.find("x[_] = _").before())
    with pytest.raises(SchedulingError, match="past the procedure body"):
        fission(two_stmts, two_stmts.find("x[_] = _").after(), n_lifts=2)
    with pytest.raises(SchedulingError, match="n_lifts must be at least 1"):
        fission(two_stmts, two_stmts.find("x[_] = _").after(), n_lifts=0)
    with pytest.raises(SchedulingError, match="t is defined before the cut and used after"):
        fission(alloc_used, alloc_used.find("t = _").after())
    with pytest.raises(SchedulingError, match="expected a gap"):
        fission(two_stmts, two_stmts.find("x[_] = _"))


def test_cursors_forward():
    s1, s2 = two_stmts.find("x[_] = _"), two_stmts.find("z[_] = _")
    loop = two_stmts.find_loop("i")
    p = fission(two_stmts, s1.after())
    assert p.forward(loop).body()[0] == p.forward(s1)
    assert p.forward(s2).parent() == p.forward(loop).next()



@proc
def nest_sized_by_iter(n: size, x: f32[n, 4], y: f32[n, 4]):
    for i in seq(0, n):
        for j in seq(0, 4):
            x[i, j] = 1.0
            t: f32[j + 1]
            for k in seq(0, j + 1):
                t[k] = y[i, k % 4]
            y[i, j] = x[i, j] + t[0]


def test_second_copies_bind_their_own_iterators():
    # Every use in the second copies is renamed, an allocation's shape too
    # (the suite's well-formedness check runs on the result).
    p = fission(nest_sized_by_iter, nest_sized_by_iter.find("x[_] = _").after(), n_lifts=2)
    first, second = p.find_loop("i"), p.find_loop("i #1")
    assert first._node().iter is not second._node().iter
    assert first.body()[0]._node().iter is not second.body()[0]._node().iter
    j2 = second.body()[0]._node()
    assert j2.body[0].type.shape_exprs[0].lhs.name is j2.iter
    assert_equivalent(nest_sized_by_iter, p, n=3)


def test_expression_cursors_in_the_second_copy():
    # The second copy's statements stay valid; its expressions that mention
    # a renamed iterator are rewritten, so their cursors become invalid; the
    # others, and everything in the first copy, stay valid.
    # (as with every rewrite of expressions in place: a cursor at or below a
    # rewritten top-level expression is invalid, t[0] in y's right-hand side
    # too)
    p0 = nest_sized_by_iter
    s, t = p0.find("y[_] = _ + _"), p0.find("t[_] = _")
    j_idx, t_in_rhs, k_idx = s.idx()[1], s.rhs().rhs().idx()[0], t.idx()[0]
    first = p0.find("x[_] = _")
    p = fission(p0, first.after(), n_lifts=2)
    assert p.forward(s) == p.find("y[_] = _ + _")
    assert isinstance(p.forward(j_idx), InvalidCursor)
    assert isinstance(p.forward(t_in_rhs), InvalidCursor)
    assert p.forward(k_idx) == p.find("t[_] = _").idx()[0]
    assert p.forward(p0.find_loop("k").lo()) == p.find_loop("k").lo()
    assert p.forward(first.idx()[1]) == p.find("x[_] = _").idx()[1]


# A prefix that does not use the iterator and is idempotent writes the same
# values in every iteration: running all its iterations first changes
# nothing, provided the statements after the cut do not write what it
# accesses (the case study's im2col step; Exo 1.0 accepts it too).


@proc
def invariant_prefix(x: f32[4], out: f32[4, 4]):
    y: f32[4]
    for i in seq(0, 4):
        for j in seq(0, 4):
            y[j] = x[j] * 2.0
        for j in seq(0, 4):
            out[i, j] += y[j]


@proc
def prefix_input_overwritten(x: f32[4], out: f32[4, 4]):
    y: f32[4]
    for i in seq(0, 4):
        for j in seq(0, 4):
            y[j] = x[j] * 2.0
        for j in seq(0, 4):
            out[i, j] += y[j]
            x[j] = out[i, j]


@proc
def prefix_not_idempotent(x: f32[4], out: f32[4, 4]):
    y: f32[4]
    for i in seq(0, 4):
        for j in seq(0, 4):
            y[j] += x[j]
        for j in seq(0, 4):
            out[i, j] += y[j]


def test_invariant_prefix_is_fissioned():
    p = fission(invariant_prefix, invariant_prefix.find_loop("j").after())
    assert str(p).count("for i in seq(0, 4)") == 2
    assert_equivalent(invariant_prefix, p)


@pytest.mark.parametrize("p", [prefix_input_overwritten, prefix_not_idempotent])
def test_invariant_prefix_needs_untouched_inputs_and_idempotence(p):
    # the reported reason is the dependence itself
    with pytest.raises(SchedulingError, match="fission would reorder them"):
        fission(p, p.find_loop("j").after())
