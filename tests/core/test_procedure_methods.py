"""Procedure methods that change or compare procedures: partial_eval,
transpose, add_assertion, is_eq, unsafe_assert_eq, has_dup; and the
`ExoType` that cursor ``.type()`` returns. Expected printed procedures were
compared with Exo 1.0's output."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from exo_core import ExoType, SchedulingError, VerificationError, config, proc
from exo_core.errors import ParseFragmentError
from exo_core.cursors import ExoType as CursorsExoType
from exo_stdlib.scheduling import call_eqv, divide_loop
from tests.core.primitives.equivalence import outputs_after, random_inputs


@proc
def foo(n: size, m: size, x: f32[n, m], y: f32[m, n], a: f32):
    assert n > 2
    for i in seq(0, n):
        for j in seq(0, m):
            x[i, j] = y[j, i] * a


def _same(p, text: str) -> None:
    assert str(p).strip() == textwrap.dedent(text).strip()


# --- partial_eval --------------------------------------------------------------


def test_partial_eval_positional():
    _same(foo.partial_eval(8), """
        def foo(m: size, x: f32[8, m] @ DRAM, y: f32[m, 8] @ DRAM, a: f32 @ DRAM):
            assert 8 > 2
            for i in seq(0, 8):
                for j in seq(0, m):
                    x[i, j] = y[j, i] * a
    """)
    _same(foo.partial_eval(8, 4), """
        def foo(x: f32[8, 4] @ DRAM, y: f32[4, 8] @ DRAM, a: f32 @ DRAM):
            assert 8 > 2
            for i in seq(0, 8):
                for j in seq(0, 4):
                    x[i, j] = y[j, i] * a
    """)


def test_partial_eval_keyword():
    _same(foo.partial_eval(m=4), """
        def foo(n: size, x: f32[n, 4] @ DRAM, y: f32[4, n] @ DRAM, a: f32 @ DRAM):
            assert n > 2
            for i in seq(0, n):
                for j in seq(0, 4):
                    x[i, j] = y[j, i] * a
    """)


def test_partial_eval_of_nothing_is_the_procedure():
    assert foo.partial_eval() is foo


@proc
def _callee(n: size, z: f32[n, n]):
    z[0, 0] = 1.0


@proc
def guarded(n: size, b: bool, k: index, x: f32[n, n]):
    assert n > 2
    assert k < n
    assert k >= 0
    if b:
        x[k, 0] = 2.0
    _callee(n, x)
    w = x[0:2, 1]
    w[0] = 3.0


def test_partial_eval_bool_index_and_call():
    _same(guarded.partial_eval(4, True, 2), """
        def guarded(x: f32[4, 4] @ DRAM):
            assert 4 > 2
            assert 2 < 4
            assert 2 >= 0
            if True:
                x[2, 0] = 2.0
            _callee(4, x)
            w = x[0:2, 1]
            w[0] = 3.0
    """)


def test_partial_eval_computes_the_same():
    p = guarded.partial_eval(n=5, k=3)
    rng = np.random.default_rng(1)
    for b in (True, False):
        args = random_inputs(guarded, {"n": 5, "b": b, "k": 3}, rng)
        want = outputs_after(guarded, args, "jit")
        got = outputs_after(p, [b, args[3]], "jit")
        np.testing.assert_array_equal(want[3], got[1])


@pytest.mark.parametrize("call, error, message", [
    (lambda: foo.partial_eval(8, m=4), ValueError, "either in order or by name, not both"),
    (lambda: foo.partial_eval(1, 2, 3, 4, 5, 6), TypeError, "foo has 5 arguments, but 6"),
    (lambda: foo.partial_eval(k=3), SchedulingError, "foo has no argument named 'k'"),
    (lambda: foo.partial_eval(1), SchedulingError,
     "with n = 1 the preconditions of foo cannot hold (assert n > 2)"),
    (lambda: guarded.partial_eval(4, False, 7), SchedulingError,
     "with n = 4, b = False, k = 7 the preconditions"),
    (lambda: foo.partial_eval(8, 4, 3), SchedulingError, "cannot partially evaluate x"),
    (lambda: foo.partial_eval(n=2.5), SchedulingError, "n is a size argument; expected an int"),
    (lambda: foo.partial_eval(n=True), SchedulingError, "n is a size argument; expected an int"),
    (lambda: foo.partial_eval(n=0), SchedulingError, "expected a positive int, got 0"),
    (lambda: guarded.partial_eval(b=3), SchedulingError, "b is a bool argument"),
])
def test_partial_eval_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
    assert "test_procedure_methods.py" in str(info.value)  # the user's line


# --- transpose -----------------------------------------------------------------


def test_transpose():
    t = foo.transpose(foo.args()[2])
    _same(t, """
        def foo(n: size, m: size, x: f32[m, n] @ DRAM, y: f32[m, n] @ DRAM, a: f32 @ DRAM):
            assert n > 2
            for i in seq(0, n):
                for j in seq(0, m):
                    x[j, i] = y[j, i] * a
    """)
    rng = np.random.default_rng(2)
    args = random_inputs(foo, {"n": 3, "m": 5}, rng)
    want = outputs_after(foo, args, "jit")
    got = outputs_after(t, [3, 5, np.ascontiguousarray(args[2].T)] + args[3:], "jit")
    np.testing.assert_array_equal(want[2], got[2].T)


@proc
def windowed(n: size, x: f32[n, 4], w: [f32][4, n]):
    assert n > 2
    v = x[0:2, 1]
    v[0] = w[1, 0]


def test_transpose_window_argument_and_one_dimensional_window():
    _same(windowed.transpose(windowed.args()[1]), """
        def windowed(n: size, x: f32[4, n] @ DRAM, w: [f32][4, n] @ DRAM):
            assert n > 2
            v = x[1, 0:2]
            v[0] = w[1, 0]
    """)
    _same(windowed.transpose(windowed.args()[2]), """
        def windowed(n: size, x: f32[n, 4] @ DRAM, w: [f32][n, 4] @ DRAM):
            assert n > 2
            v = x[0:2, 1]
            v[0] = w[0, 1]
    """)


@proc
def wide_window(n: size, x: f32[n, 4]):
    assert n > 2
    z = x[0:2, 0:4]
    z[0, 1] = 1.0


@proc
def strided(n: size, x: f32[n, 4]):
    assert stride(x, 1) == 1
    x[0, 0] = 1.0


def test_transpose_errors():
    with pytest.raises(TypeError, match="expected a 2D argument cursor, but n has type size"):
        foo.transpose(foo.args()[0])
    with pytest.raises(TypeError, match="expected a 2D argument cursor, got str"):
        foo.transpose("x")
    with pytest.raises(SchedulingError, match="x is passed to _callee .*type would change"):
        guarded.transpose(guarded.args()[3])
    with pytest.raises(SchedulingError, match=r"the window x\[0:2, 0:4\] .* spans both"):
        wide_window.transpose(wide_window.args()[1])
    with pytest.raises(SchedulingError, match=r"stride\(x, 1\) is used"):
        strided.transpose(strided.args()[1])


def test_transpose_forwards_a_cursor_of_an_earlier_version():
    g = divide_loop(foo, "i", 3, ["io", "ii"], tail="cut")
    t = g.transpose(foo.args()[3])
    assert str(t.args()[3]._node().type) == "f32[n, m]"


# --- add_assertion -------------------------------------------------------------


def test_add_assertion():
    _same(foo.add_assertion("m == n"), """
        def foo(n: size, m: size, x: f32[n, m] @ DRAM, y: f32[m, n] @ DRAM, a: f32 @ DRAM):
            assert n > 2
            assert m == n
            for i in seq(0, n):
                for j in seq(0, m):
                    x[i, j] = y[j, i] * a
    """)


def test_add_assertion_errors():
    with pytest.raises(TypeError, match="the assertion must be a string, got int"):
        foo.add_assertion(3)
    with pytest.raises(SchedulingError, match="k is not a variable visible here"):
        foo.add_assertion("k > 3")
    with pytest.raises(SchedulingError, match="a is not a control variable"):
        foo.add_assertion("a > 3")
    with pytest.raises(SchedulingError, match="cannot parse the expression 'm \\+'"):
        foo.add_assertion("m +")


@config
class CFG:
    k: size
    on: bool
    f: f32


def test_add_assertion_on_configuration_fields():
    p = foo.add_assertion("CFG.k == n", configs=[CFG])
    assert str(p).splitlines()[2] == "    assert CFG.k == n"
    assert str(foo.add_assertion("CFG.on", configs=[CFG])).splitlines()[2] == \
        "    assert CFG.on"
    # the new precondition is checked at every call
    q = foo.add_assertion("CFG.k > 3", configs=[CFG])

    @proc
    def ok(x: f32[4, 4], y: f32[4, 4], a: f32):
        CFG.k = 4
        q(4, 4, x, y, a)
    assert "CFG.k = 4" in str(ok)
    with pytest.raises(VerificationError, match="the precondition CFG.k > 3 of foo .* may not "
                                                "hold at this call when CFG.k = 2"):
        @proc
        def bad(x: f32[4, 4], y: f32[4, 4], a: f32):
            CFG.k = 2
            q(4, 4, x, y, a)
    assert "EXO_ASSUME(exo_cfg_CFG.k > 3);" in q.c_code_str()


def test_add_assertion_on_configuration_fields_errors():
    with pytest.raises(ParseFragmentError, match="CFG is not a variable visible here"):
        foo.add_assertion("CFG.k > 3")
    with pytest.raises(TypeError, match="configs must be a list of configurations"):
        foo.add_assertion("CFG.k > 3", configs=CFG)
    with pytest.raises(SchedulingError, match="CFG.f has type f32 and cannot be used in the "
                                              "condition"):
        foo.add_assertion("CFG.f > 2.0", configs=[CFG])


# --- equivalence ---------------------------------------------------------------


@proc
def bar(n: size, m: size, x: f32[n, m], y: f32[m, n], a: f32):
    assert n > 2
    for i in seq(0, n):
        for j in seq(0, m):
            x[i, j] = y[j, i] * a


@proc
def uses_bar(x: f32[4, 4], y: f32[4, 4], a: f32):
    bar(4, 4, x, y, a)


def test_is_eq_follows_scheduling():
    g = divide_loop(foo, "i", 2, ["io", "ii"], tail="cut")
    assert foo.is_eq(foo) and foo.is_eq(g) and g.is_eq(foo)
    h = divide_loop(g, "j", 2, ["jo", "ji"], tail="cut")
    assert h.is_eq(foo)
    assert not foo.is_eq(bar)
    for changed in (foo.partial_eval(8), foo.add_assertion("m > 4"),
                    foo.transpose(foo.args()[2])):
        assert not foo.is_eq(changed)


def test_unsafe_assert_eq_lets_call_eqv_swap():
    @proc
    def baz(n: size, m: size, x: f32[n, m], y: f32[m, n], a: f32):
        assert n > 2
        for i in seq(0, n):
            for j in seq(0, m):
                x[i, j] = y[j, i] * a

    g = divide_loop(baz, "i", 2, ["io", "ii"], tail="cut")
    with pytest.raises(SchedulingError):
        call_eqv(uses_bar, "bar(_)", g)
    assert baz.unsafe_assert_eq(bar) is baz
    assert bar.is_eq(g) and g.is_eq(bar)
    swapped = call_eqv(uses_bar, "bar(_)", g)
    assert "baz(4, 4, x, y, a)" in str(swapped)


def test_equivalence_errors():
    with pytest.raises(TypeError, match="unsafe_assert_eq: expected a procedure, got int"):
        bar.unsafe_assert_eq(3)
    with pytest.raises(TypeError, match="is_eq: expected a procedure, got str"):
        foo.is_eq("foo")


def test_has_dup():
    assert not foo.has_dup()
    assert not divide_loop(foo, "i", 2, ["io", "ii"], tail="cut").has_dup()
    s = foo.INTERNAL_proc().body[0]
    shared = type(foo)(foo.INTERNAL_proc().update(body=[s, s]))
    assert shared.has_dup()


# --- ExoType -------------------------------------------------------------------


def test_exo_type_members_and_import_paths():
    assert ExoType is CursorsExoType
    assert [t.name for t in ExoType] == ["F16", "F32", "F64", "UI8", "I8", "UI16", "I32", "R",
                                         "Index", "Bool", "Size", "Int", "Stride"]
    assert ExoType.Size.is_indexable() and ExoType.R.is_numeric() and ExoType.Bool.is_bool()
    assert not ExoType.F32.is_indexable() and not ExoType.Int.is_numeric()


@proc
def typed(n: size, k: index, b: bool, x: f32[n], y: i8[n], z: ui16, w: [f64][n]):
    t: R
    t = 1.0
    for i in seq(0, n):
        x[i] = x[i] + 1.0
        if b:
            y[i] = 2


def test_cursor_types():
    assert [a.type() for a in typed.args()] == [
        ExoType.Size, ExoType.Index, ExoType.Bool, ExoType.F32, ExoType.I8, ExoType.UI16,
        ExoType.F64]
    assert typed.find("t : _").type() is ExoType.R
    assert typed.find("t = _").type() is ExoType.R
    assert typed.find("x[_] = _").type() is ExoType.F32
    assert typed.find("x[_] + _").type() is ExoType.F32
    assert typed.find("x[_] + _").lhs().type() is ExoType.F32
    assert typed.find("1.0").type() is ExoType.R
    assert typed.find("for i in _: _").hi().type() is ExoType.Size
    assert typed.find("if _: _").cond().type() is ExoType.Bool
