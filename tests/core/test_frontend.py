"""The front end: @proc/@instr/@config parsing, name resolution and typing."""

from __future__ import annotations

import importlib.util
import inspect
import sys
import textwrap

import pytest

from exo_core import DRAM, Memory, ExoTypeError, config, instr, proc
from exo_core import ir
from exo_core.api import DEFINITION_CHECKS, proc_from_source, register_definition_check
from exo_core.ir.extern import Extern, _EErr
from exo_core.frontend.affine import constant_value
from exo_core.ir.types import BOOL, F32, I32, INDEX, INT, R, SIZE, STRIDE, TensorType

from tests import seed_examples as seeds


# ------------------------------------------------------------------ helpers

def walk_exprs(e):
    yield e
    if isinstance(e, ir.Read):
        for i in e.idx:
            yield from walk_exprs(i)
    elif isinstance(e, ir.USub):
        yield from walk_exprs(e.arg)
    elif isinstance(e, ir.BinOp):
        yield from walk_exprs(e.lhs)
        yield from walk_exprs(e.rhs)
    elif isinstance(e, ir.Extern):
        for a in e.args:
            yield from walk_exprs(a)
    elif isinstance(e, ir.WindowExpr):
        for a in e.idx:
            if isinstance(a, ir.Interval):
                yield from walk_exprs(a.lo)
                yield from walk_exprs(a.hi)
            else:
                yield from walk_exprs(a.pt)


def stmt_exprs(block):
    for s in block:
        for attr in ("rhs", "cond", "lo", "hi"):
            v = getattr(s, attr, None)
            if v is not None:
                yield from walk_exprs(v)
        for e in getattr(s, "idx", ()) or ():
            yield from walk_exprs(e)
        for e in getattr(s, "args", ()) or ():
            yield from walk_exprs(e)
        for attr in ("body", "orelse"):
            yield from stmt_exprs(getattr(s, attr, ()) or ())


def all_stmts(block):
    for s in block:
        yield s
        for attr in ("body", "orelse"):
            yield from all_stmts(getattr(s, attr, ()) or ())


def line_of(marker: str) -> int:
    lines = open(__file__).read().splitlines()
    hits = [n for n, t in enumerate(lines, 1) if t.rstrip().endswith(f"# LINE:{marker}")]
    assert len(hits) == 1
    return hits[0]


# ---------------------------------------------------------------- seeds

@pytest.mark.parametrize("name", sorted(seeds.all_seed_procs()))
def test_seed_procs_are_fully_typed(name):
    p = seeds.all_seed_procs()[name].INTERNAL_proc()
    exprs = list(stmt_exprs(p.body)) + [x for e in p.preds for x in walk_exprs(e)]
    for t in [a.type for a in p.args] + [s.type for s in all_stmts(p.body)
                                         if isinstance(s, ir.Alloc)]:
        if isinstance(t, TensorType):
            exprs.extend(x for d in t.shape_exprs for x in walk_exprs(d))
    assert exprs
    for e in exprs:
        assert e.type is not None, (name, e)
    for e in p.preds:
        assert e.type is BOOL
    for s in all_stmts(p.body):
        if isinstance(s, (ir.Assign, ir.Reduce)):
            assert s.type.is_numeric() and not isinstance(s.type, TensorType)
        if isinstance(s, ir.For):
            assert s.lo.type in (INT, INDEX, SIZE) and s.hi.type in (INT, INDEX, SIZE)


def test_generic_conv1d_ir():
    p = seeds.generic_conv1d.INTERNAL_proc()
    data, kernels, out = p.args
    assert data.type.elem is I32 and not data.type.is_window and data.mem is DRAM
    assert [constant_value(d) for d in kernels.type.shape_exprs] == [16, 4, 4]
    loop_i = p.body[0]
    assert isinstance(loop_i, ir.For) and loop_i.loop_mode == "seq"
    assert isinstance(loop_i.hi, ir.Const) and loop_i.hi.val == 16 and loop_i.hi.type is INT
    zero = loop_i.body[0].body[0]
    assert isinstance(zero, ir.Assign) and zero.type is I32
    assert zero.rhs.val == 0.0 and isinstance(zero.rhs.val, float) and zero.rhs.type is R
    inner = loop_i.body[0].body[1].body[0].body
    alloc, branch, red = inner
    assert isinstance(alloc, ir.Alloc) and alloc.type is I32 and alloc.mem is DRAM
    assert isinstance(branch, ir.If) and branch.cond.type is BOOL
    y_zero = branch.orelse[0]
    assert y_zero.name is alloc.name and y_zero.rhs.val == 0 and isinstance(y_zero.rhs.val, int)
    assert y_zero.rhs.type is R  # integer literal in data context
    assert isinstance(red, ir.Reduce) and red.rhs.type is I32
    assert red.rhs.rhs.name is alloc.name


def test_window_and_call_arguments():
    p = seeds.bar.INTERNAL_proc()
    c1, c2 = p.body
    w1 = c1.args[0]
    assert isinstance(w1, ir.WindowExpr) and w1.type.is_window
    assert [constant_value(d) for d in w1.type.shape_exprs] == [3]
    w2 = c2.args[0]
    assert isinstance(w2.idx[0], ir.Point) and isinstance(w2.idx[1], ir.Interval)
    assert w2.type.ndim() == 1 and c2.f is seeds.foo.INTERNAL_proc()
    ws = seeds.window_statement.INTERNAL_proc()
    stmt, call = ws.body
    assert isinstance(stmt, ir.WindowStmt) and stmt.rhs.type.is_window
    assert call.args[0].name is stmt.name and call.args[0].type is stmt.rhs.type


def test_symbolic_window_extents():
    @proc
    def p(n: size, x: f32[n], y: f32[n]):
        for i in seq(0, n / 4):
            a = x[4 * i:4 * i + 4]
            b = x[i:n]
            c = y[0:n]
            d = y[:]

    a, b, c, d = p.INTERNAL_proc().body[0].body
    assert constant_value(a.rhs.type.shape_exprs[0]) == 4
    eb = b.rhs.type.shape_exprs[0]
    assert isinstance(eb, ir.BinOp) and eb.op == "-"
    assert c.rhs.type.shape_exprs[0].name is p.INTERNAL_proc().args[0].name
    assert d.rhs.idx[0].hi.name is p.INTERNAL_proc().args[0].name


def test_control_types():
    @proc
    def p(n: size, m: size, k: index, b: bool, x: f32[n + m, 4 * n]):
        assert n + m > 2 and b
        assert stride(x, 1) == 1
        for i in seq(0, n + m):
            if b and 0 <= i - k < 3:
                x[i, i % 4] = 1.0

    r = p.INTERNAL_proc()
    shape = r.args[4].type.shape_exprs
    assert shape[0].type is SIZE and shape[1].type is SIZE
    pred = r.preds[1]
    assert pred.op == "==" and pred.lhs.type is STRIDE and pred.rhs.type is INT
    loop = r.body[0]
    cond = loop.body[0].cond
    assert cond.op == "and" and cond.rhs.op == "and"  # chained comparison desugared
    assert cond.rhs.lhs.lhs.type is INT and cond.rhs.lhs.rhs.type is INDEX
    idx = loop.body[0].body[0].idx
    assert idx[1].op == "%" and idx[1].type is INDEX


def test_names_from_enclosing_function_scope():
    # Names resolve in the defining frame (its locals, then the module globals),
    # as they are when the decorator runs.
    class MyMem(Memory):
        pass

    K = 8

    @proc
    def callee(x: [f32][K] @ MyMem):
        pass

    def make(scale_const, Mem, callee, K):
        @proc
        def user(y: f32[2 * K] @ Mem):
            for i in seq(0, K):
                y[i] = scale_const
            callee(y[K:2 * K])
        return user

    u = make(2.5, MyMem, callee, K).INTERNAL_proc()
    assert u.args[0].mem is MyMem
    assert constant_value(u.args[0].type.shape_exprs[0]) == 16
    assert u.body[0].body[0].rhs.val == 2.5
    assert u.body[1].f is callee.INTERNAL_proc()
    with pytest.raises(ExoTypeError, match="has extent 4 but callee's parameter x expects 8"):
        make(1.0, MyMem, callee, 4)


def test_srcinfo_is_the_real_file_position():
    @proc
    def p(x: f32[4]):
        for i in seq(0, 4):  # LINE:loop
            x[i] = 1.0  # LINE:assign

    loop = p.INTERNAL_proc().body[0]
    assert loop.srcinfo.filename == __file__
    assert loop.srcinfo.lineno == line_of("loop")
    assert loop.body[0].srcinfo.lineno == line_of("assign")
    assert loop.body[0].srcinfo.col_offset == 12
    assert loop.body[0].rhs.srcinfo.col_offset == 19


def test_config_reads_and_writes():
    @config
    class ConfigLoad:
        scale: f32
        src_stride: stride
        n: index
        on: bool

    assert ConfigLoad.name() == "ConfigLoad"
    assert [f for f, _ in ConfigLoad.fields()] == ["scale", "src_stride", "n", "on"]
    assert ConfigLoad.lookup_type("src_stride") is STRIDE

    @proc
    def p(k: index, x: f32[8]):
        assert k >= 0 and k < 7
        ConfigLoad.n = k + 1
        ConfigLoad.src_stride = stride(x, 0)
        ConfigLoad.on = k < 3
        if ConfigLoad.on:
            x[ConfigLoad.n] = ConfigLoad.scale * 2.0

    w1, w2, w3, branch = p.INTERNAL_proc().body
    assert isinstance(w1, ir.WriteConfig) and w1.config is ConfigLoad and w1.rhs.type is INDEX
    assert w2.rhs.type is STRIDE and w3.rhs.type is BOOL
    asg = branch.body[0]
    assert isinstance(asg.idx[0], ir.ReadConfig) and asg.idx[0].type is INDEX
    assert asg.rhs.lhs.type is F32
    with pytest.raises(ExoTypeError, match="cannot be used as data"):
        @proc
        def bad(x: f32[8]):
            x[0] = ConfigLoad.n


def test_config_disable_rw():
    @config(disable_rw=True)
    class Hidden:
        v: f32

    assert not Hidden.is_allow_rw()
    from exo_core import ParseError

    with pytest.raises(ParseError, match="disable_rw"):
        @proc
        def p(x: f32[8]):
            x[0] = Hidden.v


def test_externs_builtin_and_user_defined():
    class _Twice(Extern):
        def __init__(self):
            super().__init__("twice")

        def typecheck(self, args):
            if len(args) != 1:
                raise _EErr("twice takes one argument")
            return args[0].type

        def compile(self, args, prim_type):
            return f"(2*{args[0]})"

    twice = _Twice()

    @proc
    def p(x: f32[4], a: f32):
        x[0] = twice(a) + relu(x[1]) + sqrt(a)  # builtins need no import

    e = p.INTERNAL_proc().body[0].rhs
    assert e.lhs.lhs.f is twice and e.lhs.lhs.type is F32
    assert e.lhs.rhs.f.name() == "relu" and e.rhs.f.name() == "sqrt"
    with pytest.raises(ExoTypeError, match="twice takes one argument"):
        @proc
        def q(a: f32):
            a = twice(a, a)


def test_instr_procedure():
    @instr("{dst_data} = {src_data};", c_global="#include <x.h>")
    def copy4(dst: [f32][4] @ DRAM, src: [f32][4] @ DRAM):
        assert stride(src, 0) == 1
        for i in seq(0, 4):
            dst[i] = src[i]

    assert copy4.is_instr() and copy4.get_instr() == "{dst_data} = {src_data};"
    assert copy4.INTERNAL_proc().instr.c_global == "#include <x.h>"
    assert copy4.name() == "copy4"


def test_definition_check_hook_runs_after_typecheck():
    seen = []

    def check(p):
        seen.append((p.name, p.body[0].rhs.type))

    register_definition_check(check)
    try:
        @proc
        def hooked(x: f32[2]):
            x[0] = 1.0
    finally:
        DEFINITION_CHECKS.remove(check)
    assert seen == [("hooked", R)]


def test_docstring_and_string_comments_are_ignored():
    @proc
    def p(x: f32[2]):
        """A docstring."""
        x[0] = 1.0
        "a string statement used as a comment"

    assert len(p.INTERNAL_proc().body) == 1


def test_without_future_annotations(tmp_path):
    src = textwrap.dedent('''\
        from exo_core import *

        M = 4

        @proc
        def plain(n: size, b: bool, s: f32, x: f32[16] @ DRAM, y: i8[M, 4]):
            for i in seq(0, 16):
                x[i] += s
    ''')
    path = tmp_path / "no_future_mod.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location("no_future_mod", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    p = mod.plain.INTERNAL_proc()
    assert [a.type.name if not isinstance(a.type, TensorType) else str(a.type) for a in p.args] \
        == ["size", "bool", "f32", "f32[16]", "i8[4, 4]"]
    assert p.body[0].srcinfo.filename == str(path) and p.body[0].srcinfo.lineno == 7


def test_proc_from_source_with_indentation_and_scope():
    text = """
        def g(n: size, x: f32[n]):
            for i in seq(0, n):
                x[i] = C
    """
    p = proc_from_source(text, {"C": 3})
    asg = p.INTERNAL_proc().body[0].body[0]
    assert asg.rhs.val == 3 and asg.rhs.type is R
    assert asg.srcinfo.lineno == 4 and asg.srcinfo.col_offset == 16
