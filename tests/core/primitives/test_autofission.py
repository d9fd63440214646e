"""autofission: fission, then drop loops that no longer need their iterator."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, proc
from exo_stdlib.scheduling import autofission

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.loop_procs import shifted_read, two_stmts
from tests.core.primitives.scope_golden import check_golden


@proc
def hoistable(n: size, x: f32[n], s: f32[1]):
    assert n >= 1
    for i in seq(0, n):
        s[0] = 3.0
        x[i] = 1.0


def test_golden_and_equivalent():
    p = autofission(hoistable, hoistable.find("s[_] = _").after())
    check_golden("loops_autofission", p)
    assert_equivalent(hoistable, p, n=4)
    q = autofission(two_stmts, two_stmts.find("x[_] = _").after())
    assert str(q).count("for i in") == 2
    assert_equivalent(two_stmts, q, n=4)


def test_rejects_like_fission():
    with pytest.raises(SchedulingError, match="autofission: iteration i=0"):
        autofission(shifted_read, shifted_read.find("x[_] = _").after())


def test_cursors_forward():
    s = hoistable.find("s[_] = _")
    p = autofission(hoistable, s.after())
    assert p.forward(s) == p.body()[0]
