"""Definition-time checks: bounds, loop bounds, extents, assertions, windows.

Each failing case asserts the whole message a user sees (position, sentence,
counterexample in the user's names); each passing case is the corrected
program, so a check that rejects everything or nothing fails here.
"""

from __future__ import annotations

import pytest

from exo_core import ExoTypeError, SchedulingError, VerificationError, config, proc
from exo_core.api import proc_from_source
from exo_core.ir.extern import select
from exo_core.ir.printer import source_scope
from exo_stdlib.scheduling import cut_loop


@config
class Cfg:
    n: index


def define(text: str, **scope):
    """Build a procedure from ``text`` (positions are in ``t.py``)."""
    return proc_from_source(text, {"select": select, "Cfg": Cfg, **scope}, filename="t.py")


def failure(text: str, **scope) -> str:
    """The error message defining ``text`` raises."""
    with pytest.raises(VerificationError) as info:
        define(text, **scope)
    return str(info.value)


# ---------------------------------------------------------------------------
# Accesses


def test_index_past_a_constant_extent():
    assert failure('''
def p(x: f32[10]):
    for i in seq(0, 10):
        x[i + 1] = 0.0
''') == "t.py:4:10: index i + 1 of x may be out of bounds [0, 10): it is 10 when i = 9"
    define('''
def p(x: f32[10]):
    for i in seq(0, 9):
        x[i + 1] = 0.0
''')


def test_index_past_a_symbolic_extent():
    assert failure('''
def p(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i + 1] = 0.0
''') == "t.py:4:10: index i + 1 of x may be out of bounds [0, n): it is 1 when i = 0, n = 1"


def test_negative_index():
    assert failure('''
def p(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i - 1] = 0.0
''') == "t.py:4:10: index i - 1 of x may be out of bounds [0, n): it is -1 when i = 0, n = 1"
    define('''
def p(n: size, x: f32[n]):
    for i in seq(1, n):
        x[i - 1] = 0.0
''')


def test_second_dimension_is_named():
    assert failure('''
def p(n: size, y: f32[n, 4]):
    for i in seq(0, n):
        for j in seq(0, 4):
            y[i, j + i] = 0.0
''') == ("t.py:5:17: index j + i of y may be out of bounds [0, 4) in dimension 1: "
         "it is 4 when j = 0, i = 4")


def test_constant_index_out_of_bounds_has_no_counterexample_variables():
    assert failure('''
def p(x: f32[10]):
    x[10] = 0.0
''') == "t.py:3:6: index 10 of x is out of bounds [0, 10)"


def test_reads_on_the_right_hand_side_are_checked():
    assert failure('''
def p(n: size, x: f32[n], y: f32[n]):
    for i in seq(0, n):
        y[i] = x[n - i]
''') == "t.py:4:17: index n - i of x may be out of bounds [0, n): it is 1 when n = 1, i = 0"
    define('''
def p(n: size, x: f32[n], y: f32[n]):
    for i in seq(0, n):
        y[i] = x[n - i - 1]
''')


def test_extern_arguments_are_checked():
    assert failure('''
def p(x: f32[4]):
    for i in seq(0, 4):
        x[i] = select(x[i], x[i + 1], x[i], x[i])
''') == "t.py:4:30: index i + 1 of x may be out of bounds [0, 4): it is 4 when i = 3"


def test_if_conditions_guard_accesses():
    define('''
def p(n: size, y: f32[n]):
    if n > 4:
        y[4] = 1.0
    else:
        y[n - 1] = 1.0
''')
    assert failure('''
def p(n: size, y: f32[n]):
    if n > 4:
        y[4] = 1.0
    else:
        y[n] = 1.0
''') == "t.py:6:10: index n of y may be out of bounds [0, n): it is 1 when n = 1"


def test_assertions_are_assumed():
    define('''
def p(n: size, x: f32[n]):
    assert n >= 4
    x[3] = 0.0
''')
    assert failure('''
def p(n: size, x: f32[n]):
    assert n >= 3
    x[3] = 0.0
''') == "t.py:4:6: index 3 of x may be out of bounds [0, n): it is 3 when n = 3"


def test_quasi_affine_indices_are_exact():
    define('''
def p(n: size, x: f32[n]):
    for io in seq(0, n / 4):
        for ii in seq(0, 4):
            x[(4 * io + ii) / 4 + 3 * io + 4 * ((4 * io + ii) % 4) - 4 * ii] = 0.0
''')


def test_bool_conditions():
    define('''
def p(b: bool, x: f32[8]):
    if b:
        x[7] = 1.0
''')
    assert failure('''
def p(b: bool, x: f32[8]):
    if b:
        x[8] = 1.0
''') == "t.py:4:10: index 8 of x is out of bounds [0, 8)"


# ---------------------------------------------------------------------------
# Configs


def test_config_value_is_unknown_until_written():
    assert failure('''
def p(x: f32[8]):
    x[Cfg.n] = 1.0
''') == "t.py:3:6: index Cfg.n of x may be out of bounds [0, 8): it is -1 when Cfg.n = -1"
    define('''
def p(x: f32[8]):
    Cfg.n = 3
    x[Cfg.n] = 1.0
''')


def test_config_written_in_a_loop_is_not_its_first_value():
    # From the second iteration on, the read sees the value written by the previous
    # one (2, 4, ... 14): the value is unknown there, not the first write's 0.
    # (Writing an iteration-dependent value such as ``i + 2`` is refused earlier:
    # tests/core/test_config_writes_in_loops.py.)
    assert failure('''
def p(x: f32[8]):
    Cfg.n = 0
    for i in seq(0, 8):
        x[Cfg.n] = 1.0
        Cfg.n = Cfg.n + 2
''') == "t.py:5:10: index Cfg.n of x may be out of bounds [0, 8): it is -1 when Cfg.n = -1"


# ---------------------------------------------------------------------------
# Loops, extents, assertions


def test_reversed_loop_bounds():
    assert failure('''
def p(n: size, y: f32[n]):
    for i in seq(0, n - 2):
        y[i] = 0.0
''') == ("t.py:3:4: the bounds of loop i may be reversed: seq(0, n - 2) runs from 0 to -1 "
         "when n = 1")
    define('''
def p(n: size, y: f32[n]):
    assert n >= 2
    for i in seq(0, n - 2):
        y[i] = 0.0
''')


def test_allocation_extent_must_be_positive():
    assert failure('''
def p(n: size):
    x: f32[n - 1]
''') == "t.py:3:11: extent n - 1 of x must be positive, but it is 0 when n = 1"


def test_argument_extent_must_be_positive():
    assert failure('''
def p(n: size, x: f32[n - 1]):
    pass
''') == "t.py:2:22: extent n - 1 of x must be positive, but it is 0 when n = 1"


def test_assertion_that_can_never_hold():
    assert failure('''
def p(n: size):
    assert n == 0
''') == "t.py:3:11: the assertion n == 0 can never hold (sizes are positive)"
    assert failure('''
def p(n: size, m: size):
    assert n < m
    assert m < n
''') == ("t.py:4:11: the assertion m < n can never hold (sizes are positive, and the "
         "assertions before it hold)")


# ---------------------------------------------------------------------------
# Windows


def test_window_past_the_end():
    assert failure('''
def p(n: size, y: f32[n]):
    z = y[1:n + 1]
''') == ("t.py:3:12: window y[1:n + 1] may extend past the end of y: it ends at 2 but the "
         "extent is 1 when n = 1")
    define('''
def p(n: size, y: f32[n]):
    z = y[1:n]
''')


def test_window_before_the_start():
    assert failure('''
def p(n: size, y: f32[n]):
    for i in seq(0, n):
        z = y[i - 1:n]
''') == ("t.py:4:14: window y[i - 1:n] may start before the beginning of y: it starts at -1 "
         "when i = 0")


def test_window_ending_before_it_starts():
    assert failure('''
def p(n: size, y: f32[n]):
    for i in seq(0, n):
        z = y[i + 1:i]
''') == "t.py:4:14: window y[i + 1:i] may end before it starts: it runs from 1 to 0 when i = 0"


def test_accesses_through_a_window_use_its_extent():
    assert failure('''
def p(n: size, y: f32[n]):
    z = y[1:n]
    z[n - 1] = 1.0
''') == "t.py:4:6: index n - 1 of z may be out of bounds [0, n - 1): it is 0 when n = 1"
    define('''
def p(n: size, y: f32[n]):
    assert n >= 2
    z = y[1:n]
    z[n - 2] = 1.0
''')


def test_window_of_a_window():
    assert failure('''
def p(y: f32[16]):
    for i in seq(0, 4):
        z = y[4 * i:4 * i + 4]
        w = z[1:4]
        w[3] = 0.0
''') == "t.py:6:10: index 3 of w is out of bounds [0, 3)"
    define('''
def p(y: f32[16]):
    for i in seq(0, 4):
        z = y[4 * i:4 * i + 4]
        w = z[1:4]
        w[2] = 0.0
''')


def test_point_index_in_a_window():
    assert failure('''
def p(n: size, y: f32[n, 4]):
    z = y[n, 0:4]
''') == ("t.py:3:10: index n of y may be out of bounds [0, n) in dimension 0: it is 1 "
         "when n = 1")


# ---------------------------------------------------------------------------
# Errors and reporting


def test_error_is_a_type_error_with_position():
    with pytest.raises(TypeError) as info:
        define('''
def p(x: f32[4]):
    x[4] = 0.0
''')
    err = info.value
    assert isinstance(err, VerificationError) and isinstance(err, ExoTypeError)
    assert (err.srcinfo.filename, err.srcinfo.lineno, err.srcinfo.col_offset) == ("t.py", 3, 6)
    assert err.message == "index 4 of x is out of bounds [0, 4)"


def test_every_failure_is_listed():
    msg = failure('''
def p(x: f32[4]):
    x[4] = 0.0
    x[5] = 0.0
    x[3] = 0.0
    x[-1] = 0.0
''')
    assert msg == ("t.py:3:6: index 4 of x is out of bounds [0, 4)\n"
                   "2 more problems in p:\n"
                   "  t.py:4:6: index 5 of x is out of bounds [0, 4)\n"
                   "  t.py:6:6: index -1 of x is out of bounds [0, 4)")


def test_decorator_positions_are_in_the_users_file():
    with pytest.raises(VerificationError) as info:
        @proc
        def p(n: size, x: f32[n]):
            for i in seq(0, n):
                x[i + 1] = 0.0  # out of bounds
    err = info.value
    assert err.srcinfo.filename == __file__
    with open(__file__) as f:
        line = f.read().splitlines()[err.srcinfo.lineno - 1]
    assert line.strip() == "x[i + 1] = 0.0  # out of bounds"
    assert err.message == ("index i + 1 of x may be out of bounds [0, n): it is 1 when i = 0, "
                           "n = 1")


# --------------------------------------------------------------------------
# Facts of the enclosing code: a loop cut inside a loop (or if) that only
# runs when the cut is in range is accepted when its printed text is loaded.

_GUARDS = {
    "loop to n - 1": ("for k in seq(0, n - 1):", "x[i]"),
    "loop to n / 2": ("for k in seq(0, n / 2):", "x[i]"),
    "loop from 1": ("for k in seq(1, n):", "x[i]"),
    "if": ("if n >= 2:", "x[i]"),
    "triangular": ("for k in seq(2, n + 2):", "x[k - 2]"),
}


@pytest.mark.parametrize("guard", sorted(_GUARDS))
def test_a_loop_cut_inside_a_guard_loads_again(guard):
    head, access = _GUARDS[guard]
    inner = "seq(0, k)" if guard == "triangular" else "seq(0, n)"
    src = (f"def f(n: size, x: f32[n]):\n    {head}\n        for i in {inner}:\n"
           f"            {access} = 0.0\n")
    p = cut_loop(proc_from_source(src, {}), "i", 2)
    text = str(p)
    assert "for i in seq(0, 2):" in text and "for i in seq(2, " in text
    again = proc_from_source(text + "\n", source_scope(p))  # the definition checks run
    assert str(again) == text


def test_a_loop_cut_outside_its_guard_is_refused():
    src = "def f(n: size, x: f32[n]):\n    for i in seq(0, n):\n        x[i] = 0.0\n"
    with pytest.raises(SchedulingError, match="the cut point must lie within the loop's range"):
        cut_loop(proc_from_source(src, {}), "i", 2)
    cut = src.replace("seq(0, n):", "seq(0, 2):").replace("x[i] = 0.0", "x[i] = 0.0\n"
                                                           "    for i in seq(2, n):\n"
                                                           "        x[i] = 0.0")
    with pytest.raises(VerificationError, match="may be out of bounds|may be reversed"):
        proc_from_source(cut, {})
