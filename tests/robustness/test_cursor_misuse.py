"""Cursor robustness: wrong argument kinds to navigation give an
InvalidCursorError at the caller's line."""

from __future__ import annotations

import pytest

from exo_core import InvalidCursorError
from tests.robustness.marker_check import expect
from tests.seed_examples import generic_conv1d


@pytest.mark.parametrize("amount", ["a", 1.5, True])
def test_expand_with_a_non_integer_amount(amount):
    loop = generic_conv1d.find_loop("j")
    with expect(InvalidCursorError, "expand takes numbers of statements", "expand_lo"):
        loop.expand(amount, 0)  # ERR:expand_lo
    with expect(InvalidCursorError, "expand takes numbers of statements", "expand_hi"):
        loop.body().expand(0, amount)  # ERR:expand_hi


def test_expand_with_ints_and_none_still_works():
    loop = generic_conv1d.find_loop("c")
    assert len(loop.expand(0, 0)) == 1
    assert len(loop.expand(None, None)) == 2  # the whole enclosing block
