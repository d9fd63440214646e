"""IR control expressions -> verifier terms and formulas; scopes."""

from __future__ import annotations

import pytest

from exo_verify import Assignment, Var, is_valid, prove
from exo_core import VerificationError, ir
from exo_core.api import proc_from_source
from exo_core.analysis.logic import (
    format_assignment,
    proc_scope,
    stride_var,
    sym_var,
    tensor_strides,
)
from exo_core.ir.prelude import Sym
from exo_core.ir.types import BOOL, INDEX, INT


def define(text: str, **scope):
    return proc_from_source(text, scope, filename="t.py").INTERNAL_proc()


def test_symbols_map_to_canonical_variables_shown_by_name():
    a, b = Sym("i"), Sym("i")
    assert sym_var(a) == sym_var(a) and sym_var(a) != sym_var(b)
    assert sym_var(a).label == "i" == sym_var(b).label
    assert stride_var(a, 1).label == "stride(i, 1)"


def test_same_named_variables_are_told_apart_in_counterexamples():
    a, b, n = sym_var(Sym("i")), sym_var(Sym("i")), sym_var(Sym("n"))
    values = Assignment([(a, 1), (b, 2), (n, 3)])
    assert format_assignment(values, [a, b, n]) == "i = 1, i_1 = 2, n = 3"
    assert format_assignment(values, [n]) == "n = 3"


def test_control_expressions_translate_exactly():
    p = define('''
def p(n: size, x: f32[n]):
    for io in seq(0, n / 4):
        for ii in seq(0, 4):
            x[(4 * io + ii) / 4 - (-io) + (4 * io + ii) % 4] = 0.0
''')
    loop = p.body[0]
    scope = proc_scope(p).enter_loop(loop).enter_loop(loop.body[0])
    idx = scope.term(loop.body[0].body[0].idx[0])
    io, ii = sym_var(loop.iter), sym_var(loop.body[0].iter)
    assert is_valid(idx.eq(2 * io + ii), scope.assumptions())
    assert str(idx) == "(4 * io + ii) / 4 - -io + (4 * io + ii) % 4"


def test_scope_facts_sizes_loops_conditions_assertions():
    p = define('''
def p(n: size, b: bool, x: f32[n]):
    assert n >= 4
    for i in seq(1, n):
        if i < 3 and b:
            x[i] = 0.0
''')
    n = sym_var(p.args[0].name)
    loop = p.body[0]
    i = sym_var(loop.iter)
    scope = proc_scope(p)
    assert is_valid(n >= 4, scope.assumptions())
    inner = scope.enter_loop(loop).enter_branch(loop.body[0], True)
    assert is_valid((1 <= i) & (i < 3), inner.assumptions())
    other = scope.enter_loop(loop).enter_branch(loop.body[0], False)
    assert not is_valid(i >= 3, other.assumptions())  # b may be false
    assert inner.iters == (i,)


def test_tensor_strides_are_products_of_inner_extents():
    n, m = Var("n"), Var("m")
    strides = tensor_strides([n, m, 4])
    assert is_valid(strides[0].eq(m * 4))
    assert [str(s) for s in strides[1:]] == ["4", "1"]
    assert "n" not in str(strides[0])


def test_window_strides_and_views():
    p = define('''
def p(y: f32[4, 8], w: [f32][4, 4]):
    z = y[1, 2:6]
    v = w[0:4, 1]
''')
    scope = proc_scope(p)
    scope = scope.bind_window(p.body[0]).bind_window(p.body[1])
    z, v = p.body[0].name, p.body[1].name
    assert [str(s) for s in scope.buffer_strides(z)] == ["1"]
    assert [str(s) for s in scope.buffer_strides(v)] == ["stride(w, 0)"]
    view = scope.windows[z]
    k = Var("k")
    assert [str(t) for t in view.to_base([k])] == ["1", "2 + k"]
    # window argument strides are positive unknowns
    assert is_valid(stride_var(p.args[1].name, 0) >= 1, scope.assumptions())


def test_division_needs_a_positive_constant():
    n = Sym("n")
    scope = proc_scope(ir.ProcIR("p", (ir.FnArg(n, INDEX),), (), ()))
    i = ir.Read(n, (), INDEX)
    with pytest.raises(VerificationError, match="is not a constant; / and %"):
        scope.term(ir.BinOp("/", i, i, INDEX))
    with pytest.raises(VerificationError, match="the divisor 0 is 0"):
        scope.term(ir.BinOp("%", i, ir.Const(0, INT), INDEX))
    assert str(scope.term(ir.BinOp("/", ir.Const(7, INT), ir.Const(2, INT), INT))) == "3"


def test_data_in_control_is_reported_not_crashed():
    x = Sym("x")
    scope = proc_scope(ir.ProcIR("p", (), (), ()))
    with pytest.raises(VerificationError, match="cannot be used in a control expression"):
        scope.term(ir.Read(x, (ir.Const(0, INT),), None))


def test_counterexamples_use_user_names():
    p = define('''
def p(n: size):
    for i in seq(0, n):
        pass
''')
    loop = p.body[0]
    scope = proc_scope(p).enter_loop(loop)
    i, n = sym_var(loop.iter), sym_var(p.args[0].name)
    res = prove(i + 1 < n, scope.assumptions())
    assert sorted(res.assignment) == ["i", "n"]
    assert res.assignment["i"] + 1 == res.assignment["n"]
    assert format_assignment(res.values, [i, n]) == \
        f"i = {res.assignment['i']}, n = {res.assignment['n']}"


def test_partial_mode_drops_what_it_cannot_state():
    from exo_core.analysis.logic import fresh_var
    from exo_core.analysis.logic_partial import context_at, cond_formula, ctrl_term, partial_proc_scope

    p = define('''
def f(n: size, b: bool, x: f32[n], y: i32):
    assert n % 4 == 0
    for i in seq(0, n):
        if i < n - 1:
            x[i] = 0.0
''')
    n, b, x, y = (a.name for a in p.args)
    loop = p.body[0]
    i = loop.iter
    read_y = ir.Read(y, (), p.args[3].type)
    assert ctrl_term(read_y) is None                      # a data value
    assert ctrl_term(ir.Read(b, (), p.args[1].type)) is None  # a bool used as integer
    assert cond_formula(ir.Read(b, (), p.args[1].type)) is None
    # renaming: the same index seen from another iteration i'
    other = fresh_var(i)
    idx = loop.body[0].body[0].idx[0]
    assert ctrl_term(idx, {i: other}) == other
    # sizes are positive, the assert translates
    facts = partial_proc_scope(p).assumptions()
    assert is_valid(sym_var(n) >= 1, facts) and is_valid((sym_var(n) % 4).eq(0), facts)
    # inside the if: the loop bounds and the condition
    ctx, loops = context_at(p, (("body", 0), ("body", 0), ("body", 0)))
    assert loops == [loop]
    assert is_valid(sym_var(i) < sym_var(n) - 1, ctx)
    # a data-dependent condition is dropped, never guessed
    assert cond_formula(ir.BinOp("<", read_y, ir.Const(1, INT), BOOL)) is None
