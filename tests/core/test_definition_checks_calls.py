"""Definition-time checks at calls: sizes, shapes, preconditions, strides,
aliasing; the seeds' examples; deferred checking."""

from __future__ import annotations

import pytest

from exo_core import ExoTypeError, VerificationError, proc
from exo_core import ir
from exo_core.api import proc_from_source
from exo_core.analysis.definition_checks import (
    check_procedure,
    deferred_definition_checks,
    implied_preconditions,
)

from tests import seed_examples


def define(text: str, **scope):
    return proc_from_source(text, scope, filename="t.py")


def failure(text: str, **scope) -> str:
    with pytest.raises(VerificationError) as info:
        define(text, **scope)
    return str(info.value)


foo = define('''
def foo(x: [f32][3]):
    for i in seq(0, 3):
        x[i] = 0.0
''')

mult4 = define('''
def mult4(n: size, x: [f32][n]):
    assert n % 4 == 0
    for i in seq(0, n):
        x[i] = 0.0
''')

unit = define('''
def unit(x: [f32][4]):
    assert stride(x, 0) == 1
    x[0] = 0.0
''')

two = define('''
def two(a: [f32][4], b: [f32][4]):
    for i in seq(0, 4):
        a[i] = b[i]
''')

scalar_copy = define('''
def scalar_copy(a: f32, b: f32):
    a = b
''')


# ---------------------------------------------------------------------------
# The seeds


def test_seed_001_window_extent_mismatch():
    """Seed 001: foo(y[2:6]) where foo takes [f32][3], at the argument's position."""
    with pytest.raises(ExoTypeError) as info:
        @proc
        def bar(y: f32[10], z: f32[20, 20]):
            foo(y[2:6])
            foo(z[1, 10:13])
    err = info.value
    assert err.message == "window y[2:6] has extent 4 but foo's parameter x expects 3"
    assert err.srcinfo.filename == __file__ and err.srcinfo.col_offset == 16


@pytest.mark.parametrize("name", sorted(seed_examples.all_seed_procs()))
def test_every_seed_procedure_passes(name):
    p = seed_examples.all_seed_procs()[name]
    report = check_procedure(p.INTERNAL_proc())
    assert report.ok, [o.message for o in report.failures]


def test_seed_002_stride_requirement_passes_to_callers():
    """Seed 002: foo calls the Neon load on its own window arguments, whose
    strides are unknown; the load's stride assertions become foo's requirements."""
    after = seed_examples.NEON_EXAMPLES["foo_after_replace"].INTERNAL_proc()
    implied = implied_preconditions(after)
    assert [str(f) for f, _ in implied] == ["stride(src, 0) == 1", "stride(dst, 0) == 1"]
    assert implied[0][1].startswith("the precondition stride(src, 0) == 1 of neon_vld_4xf32")


# ---------------------------------------------------------------------------
# Sizes and shapes


def test_symbolic_window_extent_mismatch():
    assert failure('''
def bar(n: size, y: f32[n]):
    assert n >= 3
    foo(y[2:n])
''', foo=foo) == ("t.py:4:8: window y[2:n] has extent n - 2 but foo's parameter x expects 3: "
                  "they differ when n = 6 (4 vs 3)")
    define('''
def bar(n: size, y: f32[n]):
    assert n == 5
    foo(y[2:n])
''', foo=foo)


def test_empty_window_argument():
    msg = failure('''
def bar(n: size, y: f32[n]):
    foo(y[2:n])
''', foo=foo)
    assert msg.startswith("t.py:3:10: window y[2:n] may be empty: it runs from 2 to 1 when n = 1\n"
                          "1 more problem in bar:\n")


def test_whole_buffer_size_mismatch():
    assert failure('''
def bar(n: size, m: size, y: f32[n], x: f32[m]):
    mult4(m, y)
''', mult4=mult4).startswith(
        "t.py:3:13: buffer y has size n but mult4's parameter x expects m: they differ when "
        "n = 1, m = 2 (1 vs 2)")


def test_size_argument_must_be_positive():
    msg = failure('''
def bar(n: size, y: f32[4 * n]):
    mult4(4 * n - 4, y[0:4 * n - 4])
''', mult4=mult4)
    assert msg.startswith("t.py:3:10: argument n of mult4 is a size and must be positive, but "
                          "4 * n - 4 is 0 when n = 1\n")


# ---------------------------------------------------------------------------
# Preconditions


def test_precondition_may_fail():
    assert failure('''
def bar(n: size, y: f32[n]):
    mult4(n, y)
''', mult4=mult4) == ("t.py:3:4: the precondition n % 4 == 0 of mult4 (at t.py:3:11) may not "
                      "hold at this call when n = 1")
    define('''
def bar(n: size, y: f32[4 * n]):
    mult4(4 * n, y)
''', mult4=mult4)


def test_precondition_names_the_argument_when_it_differs():
    msg = failure('''
def bar(n: size, y: f32[n]):
    assert n >= 2
    mult4(n - 1, y[1:n])
''', mult4=mult4)
    assert msg == ("t.py:4:4: the precondition n % 4 == 0 of mult4 (at t.py:3:11) may not hold "
                   "at this call: n (the argument n - 1) is 1 when n = 2")


def test_known_tensor_strides():
    assert failure('''
def bar(y: f32[4, 4]):
    unit(y[0:4, 1])
''', unit=unit) == ("t.py:3:4: the precondition stride(x, 0) == 1 of unit (at t.py:3:11) does "
                    "not hold at this call: stride(x, 0) is 4")
    define('''
def bar(y: f32[4, 4]):
    unit(y[1, 0:4])
''', unit=unit)


def test_symbolic_tensor_strides():
    assert failure('''
def bar(n: size, y: f32[4, n]):
    unit(y[0:4, 0])
''', unit=unit) == ("t.py:3:4: the precondition stride(x, 0) == 1 of unit (at t.py:3:11) may "
                    "not hold at this call: stride(x, 0) is 2 when n = 2")


def test_window_statement_keeps_the_strides_of_its_base():
    define('''
def bar(y: f32[4, 4]):
    z = y[2, 0:4]
    unit(z)
''', unit=unit)
    assert failure('''
def bar(y: f32[4, 4]):
    z = y[0:4, 2]
    unit(z)
''', unit=unit).endswith("does not hold at this call: stride(x, 0) is 4")


def test_asserted_window_argument_stride():
    define('''
def bar(y: [f32][4, 4]):
    assert stride(y, 0) == 1
    unit(y[0:4, 0])
''', unit=unit)


def test_stride_requirement_of_a_window_argument_is_checked_at_callers():
    relay = define('''
def relay(y: [f32][4]):
    unit(y)
''', unit=unit)
    assert [str(f) for f, _ in implied_preconditions(relay.INTERNAL_proc())] == \
        ["stride(y, 0) == 1"]
    define('''
def bar(z: f32[4, 4]):
    relay(z[1, 0:4])
''', relay=relay)
    assert failure('''
def bar(z: f32[4, 4]):
    relay(z[0:4, 1])
''', relay=relay) == ("t.py:3:4: relay requires stride(y, 0) == 1 for the precondition "
                      "stride(x, 0) == 1 of unit (at t.py:3:11); it does not hold at this "
                      "call: stride(y, 0) is 4")


def test_requirements_pass_through_several_callers():
    relay = define('''
def relay(y: [f32][4]):
    unit(y)
''', unit=unit)
    relay2 = define('''
def relay2(w: [f32][4, 4]):
    relay(w[2, 0:4])
''', relay=relay)
    assert [str(f) for f, _ in implied_preconditions(relay2.INTERNAL_proc())] == \
        ["stride(w, 1) == 1"]
    define('''
def bar(z: f32[4, 4]):
    relay2(z)
''', relay2=relay2)


# ---------------------------------------------------------------------------
# Scalars by reference and aliasing


def test_scalar_argument_element_in_bounds():
    assert failure('''
def bar(x: f32[4], y: f32[4]):
    for i in seq(0, 4):
        scalar_copy(x[i], y[i + 1])
''', scalar_copy=scalar_copy) == ("t.py:4:28: index i + 1 of y may be out of bounds [0, 4): "
                                  "it is 4 when i = 3")


def test_front_end_rejects_the_same_buffer_twice():
    """Kept consistent with the front end, which sees aliasing syntactically."""
    with pytest.raises(ExoTypeError) as info:
        define('''
def bar(y: f32[8]):
    two(y[0:4], y[4:8])
''', two=two)
    assert info.value.message == ("buffer y is passed to two as both a and b; procedure "
                                  "arguments must not alias")


def _with_second_window_on_first_buffer(bar, lo: int, hi: int) -> ir.ProcIR:
    """``bar``'s call with its second argument re-pointed into the first buffer
    (IR a scheduling rewrite could build; the front end never does)."""
    root = bar.INTERNAL_proc()
    call = root.body[0]
    first, second = call.args
    iv = second.idx[0]
    lo_c = ir.Const(lo, iv.lo.type, iv.lo.srcinfo)
    hi_c = ir.Const(hi, iv.hi.type, iv.hi.srcinfo)
    moved = second.update(name=first.name, idx=(iv.update(lo=lo_c, hi=hi_c),))
    return root.update(body=[call.update(args=(first, moved))])


def test_overlapping_windows_of_one_buffer():
    bar = define('''
def bar(y: f32[8], z: f32[8]):
    two(y[0:4], z[0:4])
''', two=two)
    report = check_procedure(_with_second_window_on_first_buffer(bar, 2, 6))
    assert [o.error_line() for o in report.failures] == [
        "t.py:3:16: buffer y is passed to two as both a and b; procedure arguments must not "
        "alias: y[0:4] and y[2:6] overlap"]
    assert check_procedure(_with_second_window_on_first_buffer(bar, 4, 8)).ok


# ---------------------------------------------------------------------------
# Division, IR built by hand


def test_division_by_a_non_constant():
    p = define('''
def p(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i / 2] = 0.0
''')
    root = p.INTERNAL_proc()
    loop = root.body[0]
    assign = loop.body[0]
    div = assign.idx[0]
    n_read = ir.Read(root.args[0].name, (), root.args[0].type, div.rhs.srcinfo)
    bad = root.update(body=[loop.update(body=[assign.update(idx=(div.update(rhs=n_read),))])])
    report = check_procedure(bad)
    assert [o.error_line() for o in report.failures] == [
        "t.py:4:14: n is not a constant; / and % in control expressions need a positive "
        "constant divisor"]


def test_index_arguments_are_unconstrained():
    assert failure('''
def p(k: index, x: f32[8]):
    x[k] = 0.0
''').startswith("t.py:3:6: index k of x may be out of bounds [0, 8): it is ")


# ---------------------------------------------------------------------------
# Deferred checking (the CLI's mode)


def test_deferred_checks_record_instead_of_raising():
    with deferred_definition_checks() as reports:
        bad = define('''
def bad(x: f32[4]):
    x[4] = 0.0
''')
        good = define('''
def good(x: f32[4]):
    x[3] = 0.0
''')
    assert [(r.name, r.ok) for r in reports] == [("bad", False), ("good", True)]
    assert bad.name() == "bad" and good.name() == "good"
    assert [o.message for o in reports[0].failures] == ["index 4 of x is out of bounds [0, 4)"]
    with pytest.raises(VerificationError):
        define('''
def bad(x: f32[4]):
    x[4] = 0.0
''')


def test_reports_are_cached_per_procedure():
    p = define('''
def p(x: f32[4]):
    x[3] = 0.0
''')
    assert check_procedure(p.INTERNAL_proc()) is check_procedure(p.INTERNAL_proc())


# Non-linear strides: a tensor's strides are products of its extents. Their
# equality is decided without sympy: the engine's polynomial normal form puts
# both sides in one canonical form, and z3 answers what needs the assumptions.

SAME_ROWS = '''
def same_rows(x: [f32][2, 4], y: [f32][2, 4]):
    assert stride(x, 0) == stride(y, 0)
    for i in seq(0, 2):
        for j in seq(0, 4):
            y[i, j] = x[i, j]
'''


def _precondition_solvers(p) -> list:
    return [(o.solver, o.status) for o in check_procedure(p.INTERNAL_proc()).outcomes
            if o.obligation.kind == "precondition"]


def test_product_strides_in_canonical_form():
    same_rows = define(SAME_ROWS)
    p = define('''
def p(n: size, m: size, k: size, A: f32[n, m, k], B: f32[n, k, m]):
    assert n >= 2 and m >= 4 and k >= 4
    same_rows(A[0:2, 0, 0:4], B[0:2, 0, 0:4])
''', same_rows=same_rows)
    assert _precondition_solvers(p) == [("normaliser", "proved")]  # m * k == k * m
    assert failure('''
def p(n: size, m: size, k: size, A: f32[n, m, k], B: f32[n, k, k]):
    assert n >= 2 and m >= 4 and k >= 4
    same_rows(A[0:2, 0, 0:4], B[0:2, 0, 0:4])
''', same_rows=same_rows).startswith(
        "t.py:4:4: the precondition stride(x, 0) == stride(y, 0) of same_rows (at t.py:3:11) "
        "may not hold at this call: stride(x, 0) is ")


def test_product_strides_equal_under_the_assertions():
    same_rows = define(SAME_ROWS)
    p = define('''
def p(n: size, m: size, k: size, A: f32[n, m, k], B: f32[n, 4, m]):
    assert n >= 2 and m >= 4 and k == 4
    same_rows(A[0:2, 0, 0:4], B[0:2, 0, 0:4])
''', same_rows=same_rows)
    assert _precondition_solvers(p) == [("z3", "proved")]  # m * k == 4 * m when k == 4


def test_sympy_is_not_a_runtime_dependency():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys\n"
        "from tests.core import test_definition_checks_calls as t\n"
        "t.test_product_strides_in_canonical_form()\n"
        "t.test_product_strides_equal_under_the_assertions()\n"
        "print('sympy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root)
    assert out.stdout.split()[-1] == "False"
    meta = (root / "pyproject.toml").read_text()
    runtime = meta.split("dependencies = [", 1)[1].split("]", 1)[0]
    assert "sympy" not in runtime
