"""Effects: accesses as integer relations, windows, calls, configs, caching."""

from __future__ import annotations

from exo_verify import TRUE, IntMap, Var, conj, in_range
from exo_core import config
from exo_core.api import proc_from_source
from exo_core.analysis.effects import block_effects, proc_effects, stmt_effects
from exo_core.analysis.scopes import scope_at
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
    assert [(c.buffer.field, c.kind) for c in eff.configs] == [("n", "write"), ("n", "read")]
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


def test_callee_loops_are_renamed_apart_at_every_call():
    """A caller whose loop reuses the callee's loop symbol (as a scheduled copy
    of the callee would): the two loops are still independent variables."""
    fill = proc_from_source('''
def fill(x: [f32][4]):
    for k in seq(0, 4):
        x[k] = 0.0
''', {}, filename="t.py")
    p = define('''
def p(y: f32[4, 4]):
    for i in seq(0, 4):
        fill(y[i, 0:4])
''', fill=fill)
    k = fill.INTERNAL_proc().body[0].iter
    loop = p.body[0]
    call = loop.body[0]
    w = call.args[0]
    row = w.idx[0].update(pt=w.idx[0].pt.update(name=k))
    same_sym = loop.update(iter=k, body=[call.update(args=(w.update(idx=(row, w.idx[1])),))])
    a, b = Var("a"), Var("b")
    want = _expected((), (a, b), conj(in_range(a, 0, 4), in_range(b, 0, 4)))
    assert stmt_effects(same_sym).relation(p.args[0].name, ("write",)).is_equal(want)


def test_a_control_argument_that_cannot_be_stated_is_any_value():
    set_at = proc_from_source('''
def set_at(k: index, x: [f32][8]):
    assert k >= 0 and k < 8
    x[k] = 1.0
''', {}, filename="t.py")
    p = define('''
def p(y: f32[8]):
    Cfg.n = 3
    set_at(Cfg.n, y[0:8])
''', set_at=set_at)
    eff = stmt_effects(p.body[1])
    assert [(a.buffer.name, a.kind) for a in eff.accesses] == [("Cfg.n", "read"), ("y", "write")]
    o = Var("o")
    # k is an unknown: any element (any integer location) may be written
    assert eff.relation(p.args[0].name, ("write",)).is_equal(_expected((), (o,), TRUE))


def test_window_statements_read_the_configs_in_their_bounds():
    p = define('''
def p(x: f32[8]):
    Cfg.n = 3
    w = x[Cfg.n:Cfg.n + 2]
    w[0] = 1.0
''')
    eff = block_effects(p.body)
    assert [(a.buf_name, a.kind) for a in eff.accesses] == [
        ("Cfg.n", "write"), ("Cfg.n", "read"), ("Cfg.n", "read"), ("x", "write")]
    # the window's offset is a config value: the write may hit any element
    assert eff.writes[0].index == (None,)


def test_copies_of_a_block_share_only_the_enclosing_variables():
    from exo_core.analysis.effects import collect_accesses

    p = define('''
def p(n: size, x: f32[n, 4]):
    for i in seq(0, n):
        for j in seq(0, 4):
            t: f32
            t = x[i, j]
            x[i, j] = t + 1.0
''')
    outer = p.body[0]
    inner = outer.body[0]
    A, B = collect_accesses(inner.body), collect_accesses([inner])
    assert A.tag != B.tag and {a.instance for a in A.accesses} == {A.tag}
    i, j = outer.iter, inner.iter
    # the enclosing iterator i is the scope's variable in both; j is fresh in B
    assert {v for a in A.accesses for v in a.index if v is not None} >= {sym_var(i)}
    xb = [a for a in B.accesses if a.buffer is p.args[1].name]
    assert xb[0].index == (sym_var(i), B.loop_vars[j]) and B.loop_vars[j] != sym_var(j)
    # t is allocated inside the j loop: a new buffer in every iteration of j
    tb = [a for a in B.accesses if a.buffer.name == "t"]
    assert all(a.local and a.n_prefix == 1 and a.index == (B.loop_vars[j],) for a in tb)
    ta = [a for a in A.accesses if a.buffer.name == "t"]
    assert all(a.local and a.n_prefix == 0 and a.index == () for a in ta)
