"""eliminate_dead_code: one if or loop at a time, only what is proven dead."""

from __future__ import annotations

import pytest

from exo_core import proc, SchedulingError
from exo_stdlib.scheduling import eliminate_dead_code

from tests.core.primitives.scope_equivalence import assert_same_outputs
from tests.core.primitives.scope_golden import check_golden


@proc
def dead(n: size, x: f32[n + 8]):
    for i in seq(0, n):
        if i < n:
            x[i] = 1.0
        else:
            x[i] = 2.0
        if i + n < 0:
            x[0] = 3.0
        if i >= n:
            x[1] = 4.0
        else:
            x[2] = 5.0
    for j in seq(n, n):
        x[j] = 6.0
    if n > 2:
        x[3] = 7.0


def test_each_rule_golden_forwarding_equivalence():
    kept = dead.find("x[i] = 1.0")
    p = eliminate_dead_code(dead, dead.find("if i < n: _"))
    assert p.forward(kept).parent().name() == "i"
    p = eliminate_dead_code(p, p.find("if i + n < 0: _"))
    p = eliminate_dead_code(p, p.find("if i >= n: _"))
    p = eliminate_dead_code(p, p.find_loop("j"))
    check_golden("eliminate_dead_code", p)
    assert_same_outputs(dead, p, n=5)


def test_errors():
    with pytest.raises(SchedulingError, match="could not prove the condition 'n > 2'"):
        eliminate_dead_code(dead, dead.find("if n > 2: _"))
    with pytest.raises(SchedulingError, match="could not prove that loop i runs zero times"):
        eliminate_dead_code(dead, dead.find_loop("i"))
    with pytest.raises(SchedulingError, match="expects an if or a for"):
        eliminate_dead_code(dead, dead.find("x[3] = _"))
