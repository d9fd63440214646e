"""FormattedExprStr (expression text with holes filled by cursors) and
ParseFragmentError, in the primitives that read expressions as text."""

from __future__ import annotations

import pytest

import exo_core
from exo_core import proc
from exo_core.errors import ParseFragmentError, SchedulingError
from exo_stdlib.scheduling import FormattedExprStr, cut_loop, rewrite_expr, specialize


@proc
def foo(n: size, m: size, x: f32[n]):
    assert n > 4
    for i in seq(0, n - 1):
        if i < m:
            x[i] = 1.0


def test_holes_are_filled_in_order():
    hi = foo.find_loop("i").hi()
    p = rewrite_expr(foo, hi, FormattedExprStr("(_) - 1 + 1", hi))
    assert "for i in seq(0, n - 1 - 1 + 1):" in str(p)
    cond = foo.find("i < m")
    q = rewrite_expr(foo, cond, FormattedExprStr("_ > _", cond.rhs(), cond.lhs()))
    assert "if m > i:" in str(q)
    r = cut_loop(foo, "i", FormattedExprStr("_ - 3", hi))
    assert "for i in seq(0, n - 1 - 3):" in str(r)
    s = specialize(foo, foo.find("x[_] = _"), FormattedExprStr("_ > 2", cond.lhs()))
    assert "            if i > 2:" in str(s)
    # extra expressions are ignored, as in Exo
    assert str(rewrite_expr(foo, hi, FormattedExprStr("n - 1", hi, hi))) == str(
        rewrite_expr(foo, hi, "n - 1"))


def test_unequal_filled_expression_is_refused():
    hi = foo.find_loop("i").hi()
    with pytest.raises(SchedulingError, match="must equal"):
        rewrite_expr(foo, hi, FormattedExprStr("_ + 1", hi))


def test_errors():
    hi = foo.find_loop("i").hi()
    with pytest.raises(ParseFragmentError, match="more holes than expressions"):
        rewrite_expr(foo, hi, FormattedExprStr("_ + _", hi))
    with pytest.raises(TypeError, match="must be a ExprCursor"):
        FormattedExprStr("_", 3)
    with pytest.raises(TypeError, match="expr_str must be a string"):
        FormattedExprStr(3)
    # the loop iterator is not visible at the loop's own bound
    with pytest.raises(SchedulingError, match="hole 1 uses i, which is not visible here"):
        rewrite_expr(foo, hi, FormattedExprStr("_ + n - 1 - i", foo.find("i < m").lhs()))
    with pytest.raises(ParseFragmentError, match="cannot parse"):
        rewrite_expr(foo, hi, "n -")


def test_exported_where_exo_exports_them():
    import exo_stdlib.scheduling as S
    assert exo_core.ParseFragmentError is ParseFragmentError is S.ParseFragmentError
    assert issubclass(ParseFragmentError, SchedulingError)
    assert S.FormattedExprStr is FormattedExprStr
