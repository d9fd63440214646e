"""Effects: accesses as integer relations, windows, calls, configs, caching."""

from __future__ import annotations

from exo_verify import IntMap, Var, conj, in_range
from exo_core import config
from exo_core.api import proc_from_source
from exo_core.analysis.effects import block_effects, proc_effects, scope_at, stmt_effects
from exo_core.analysis.logic import sym_var


@config
class Cfg:
    n: index


def define(text: str, **scope):
    return proc_from_source(text, {"Cfg": Cfg, **scope}, filename="t.py").INTERNAL_proc()


FOO = proc_from_source('''
def foo(n: size, x: [f32][n]):
    for i in seq(0, n):
        x[i] = 0.0
''', {}, filename="t.py")

BAR = define('''
def bar(m: size, y: f32[m, 8], z: f32[8]):
    for j in seq(0, m):
        w = y[j, 0:8]
        for k in seq(0, 4):
            w[k + 4] = z[2 * k] + 1.0
        foo(4, y[j, 2:6])
''', foo=FOO)


def _expected(in_dims, out_dims, cond):
    return IntMap.of(in_dims, out_dims, cond)


def test_kinds_and_window_resolution_in_a_block():
    eff = proc_effects(BAR)
    y, z = BAR.args[1].name, BAR.args[2].name
    assert [(a.buffer, a.kind) for a in eff.accesses] == [(z, "read"), (y, "write"),
                                                         (y, "write")]
    assert eff.buffers(("read",)) == (z,) and eff.buffers(("write",)) == (y,)


def test_relation_of_a_loop_over_the_procedure():
    loop = BAR.body[0]
    eff = stmt_effects(loop, scope_at(BAR, (("body", 0),)))
    y = BAR.args[1].name
    m = sym_var(BAR.args[0].name)
    a, b = Var("a"), Var("b")
    want = _expected((), (a, b), conj(m >= 1, in_range(a, 0, m), in_range(b, 2, 8)))
    assert eff.relation(y, ("write",)).is_equal(want)
    zeros = eff.relation(y, ("read",))
    assert zeros.is_empty()


def test_relation_from_the_enclosing_iteration():
    inner = BAR.body[0].body[1]
    scope = scope_at(BAR, (("body", 0), ("body", 1)))
    eff = stmt_effects(inner, scope)
    j = sym_var(BAR.body[0].iter)
    m = sym_var(BAR.args[0].name)
    a, b = Var("a"), Var("b")
    assert eff.iters == (j,)
    want = _expected((j,), (a, b), conj(m >= 1, in_range(j, 0, m), a.eq(j), in_range(b, 4, 8)))
    assert eff.relation(BAR.args[1].name, ("write",)).is_equal(want)
    z = Var("c")
    reads = _expected((j,), (z,), conj(m >= 1, in_range(j, 0, m),
                                       (z % 2).eq(0), in_range(z, 0, 7)))
    assert eff.relation(BAR.args[2].name, ("read",)).is_equal(reads)


def test_call_effects_go_through_the_argument_window():
    call = BAR.body[0].body[2]
    eff = stmt_effects(call, scope_at(BAR, (("body", 0), ("body", 2))))
    j = sym_var(BAR.body[0].iter)
    m = sym_var(BAR.args[0].name)
    a, b = Var("a"), Var("b")
    want = _expected((j,), (a, b), conj(m >= 1, in_range(j, 0, m), a.eq(j), in_range(b, 2, 6)))
    assert eff.relation(BAR.args[1].name).is_equal(want)
    assert [a.srcinfo for a in eff.accesses] == [call.srcinfo]


def test_local_buffers_leave_no_effect():
    p = define('''
def p(x: f32[4]):
    for i in seq(0, 4):
        t: f32[4]
        t[i] = x[i]
        x[i] = t[i]
''')
    eff = proc_effects(p)
    assert eff.buffers() == (p.args[0].name,)


def test_conditions_restrict_the_domain():
    p = define('''
def p(n: size, x: f32[n]):
    for i in seq(0, n):
        if i < 2:
            x[i] = 0.0
        else:
            x[i - 2] = 1.0
''')
    eff = stmt_effects(p.body[0], scope_at(p, (("body", 0),)))
    n = sym_var(p.args[0].name)
    o = Var("o")
    x = p.args[1].name
    # x[0], x[1] from the first branch; x[0 .. n - 3] from the second
    assert eff.relation(x, ("write",)).is_equal(
        _expected((), (o,), conj(n >= 1, in_range(o, 0, n), (o < 2) | (o < n - 2))))
    assert len(eff.writes) == 2


def test_config_reads_and_writes():
    p = define('''
def p(x: f32[8]):
    Cfg.n = 3
    for i in seq(0, 8):
        x[Cfg.n] = 1.0
''')
    eff = proc_effects(p)
    assert [(c.field, c.kind) for c in eff.configs] == [("n", "write"), ("n", "read")]
    assert eff.written_configs() == ((Cfg, "n"),)
    # a config value in an index is an unknown: any element may be written
    loop_eff = stmt_effects(p.body[1], scope_at(p, (("body", 1),)))
    assert not loop_eff.relation(p.args[0].name).is_empty()


def test_effects_are_cached_by_node_identity():
    loop = BAR.body[0]
    assert stmt_effects(loop) is stmt_effects(loop)
    assert proc_effects(BAR) is proc_effects(BAR)
    assert block_effects(loop.body).accesses[0].buffer == BAR.args[2].name


def test_reduce_and_scalar_by_reference():
    acc = proc_from_source('''
def acc(a: f32, b: f32):
    a += b
''', {}, filename="t.py")
    p = define('''
def p(x: f32[4], y: f32[4]):
    for i in seq(0, 4):
        acc(x[i], y[3 - i])
''', acc=acc)
    eff = stmt_effects(p.body[0], scope_at(p, (("body", 0),)))
    assert [(a.buffer.name, a.kind) for a in eff.accesses] == [("y", "read"), ("x", "reduce")]
    o = Var("o")
    assert eff.relation(p.args[1].name, ("read",)).is_equal(
        _expected((), (o,), in_range(o, 0, 4)))


def test_element_passed_to_a_scalar_parameter_is_written():
    """``set_one(x[i])`` passes &x[i]: the callee's write of its scalar
    parameter is a write of x[i] (and its read, a read of x[i])."""
    bump = proc_from_source('''
def bump(a: f32):
    a = a + 1.0
''', {}, filename="t.py")
    p = define('''
def p(x: f32[8]):
    for i in seq(0, 4):
        bump(x[2 * i + 1])
''', bump=bump)
    x = p.args[0].name
    eff = proc_effects(p)
    assert sorted(a.kind for a in eff.accesses if a.buffer is x) == ["read", "write"]
    o = Var("o")
    want = _expected((), (o,), conj(in_range(o, 1, 8), (o % 2).eq(1)))
    assert eff.relation(x, ("write",)).is_equal(want)
    assert eff.relation(x, ("read",)).is_equal(want)
