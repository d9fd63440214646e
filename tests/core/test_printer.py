"""The printer: the seeds' printed form, precedence, names, and round trips
(print -> parse -> print is identical and the re-parsed proc is alpha-equal)."""

from __future__ import annotations

import textwrap

import pytest

import exo_codegen.platforms.neon as neon
import exo_codegen.platforms.rvm as rvm
import exo_codegen.platforms.x86 as x86
from exo_core import DRAM, proc, instr
from exo_core import ir
from exo_core.api import proc_from_source
from exo_core.ir.equal import expr_equal, proc_equal, stmt_equal
from exo_core.ir.prelude import Sym
from exo_core.ir.printer import expr_to_str, proc_to_str, source_scope, type_to_str
from exo_core.procedure import Procedure

from tests import seed_examples as seeds


def round_trip(p: Procedure) -> Procedure:
    root = p.INTERNAL_proc()
    text = proc_to_str(root)
    q = proc_from_source(text, source_scope(root))
    assert proc_to_str(q.INTERNAL_proc()) == text
    assert proc_equal(root, q.INTERNAL_proc())
    return q


def test_generic_conv1d_golden():
    assert str(seeds.generic_conv1d) == textwrap.dedent("""\
        def generic_conv1d(data: i32[4, 16] @ DRAM, kernels: i32[16, 4, 4] @ DRAM, out: i32[16, 16] @ DRAM):
            for i in seq(0, 16):
                for j in seq(0, 16):
                    out[i, j] = 0.0
                    for c in seq(0, 4):
                        for r in seq(0, 4):
                            y: i32 @ DRAM
                            if j + r < 16:
                                y = data[c, j + r]
                            else:
                                y = 0
                            out[i, j] += kernels[i, c, r] * y""")


def test_foo_bar_golden():
    assert str(seeds.foo) == textwrap.dedent("""\
        def foo(x: [f32][3] @ DRAM):
            for i in seq(0, 3):
                x[i] = 0.0""")
    assert str(seeds.bar) == textwrap.dedent("""\
        def bar(y: f32[10] @ DRAM, z: f32[20, 20] @ DRAM):
            foo(y[2:5])
            foo(z[1, 10:13])""")


def test_case_study_printed_lines():
    text = str(seeds.conv1d_tiled)
    assert "out[ii + 4 * ioi + 16 * ioo, ji + 4 * jo] += kernels[ii + 4 * ioi + 16 * ioo, c, r] * y" in text
    assert "if ji + r + 4 * jo < 4:" in text
    text = str(seeds.conv1d_rvm)
    assert "rvm_mld(data_tile[0:4, 0:4], y[0:4, 0:4])" in text
    assert "out_tile: i32[4, 4, 4] @ RVM_TILE" in text


def test_instr_prints_with_decorator():
    text = str(seeds.rvm_mmasa)
    assert text.splitlines()[0] == \
        """@instr('asm volatile("mmasa.w "{md_int}", "{ms1_int}", "{ms2_int});')"""
    assert "    assert stride(md, 1) == 1" in text
    assert "                md[i, j] += ms2[i, k] * ms1[j, k]" in text


@pytest.mark.parametrize("name", sorted(seeds.all_seed_procs()))
def test_seed_round_trip(name):
    round_trip(seeds.all_seed_procs()[name])


def test_platform_library_round_trip():
    count = 0
    for mod in (x86, neon, rvm):
        for v in vars(mod).values():
            if isinstance(v, Procedure):
                round_trip(v)
                count += 1
    assert count > 10


@pytest.mark.parametrize("src", [
    "x[0] = (a + b) * 2.0",
    "x[0] = a - (b - c)",
    "x[0] = a - b - c",
    "x[0] = -(a + b) * c",
    "x[0] = a * (b * c)",
    "x[0] = a / (b / c)",
    "x[0] = -a * b",
    "x[0] = 1.5e-07 * a",
    "x[0] = a * -2.0",
    "x[(i + 1) / 2] = a",
    "x[i % 4 + 2 * (i / 3)] = a",
    "x[3 * (i - 1)] = a",
    "x[-1 + i] = a",
])
def test_minimal_parentheses(src):
    text = textwrap.dedent(f"""\
        def p(x: f32[8] @ DRAM, a: f32 @ DRAM, b: f32 @ DRAM, c: f32 @ DRAM):
            for i in seq(1, 3):
                {src}""")
    q = proc_from_source(text)
    assert str(q) == text
    round_trip(q)


@pytest.mark.parametrize("cond", [
    "i < 3 and (i > 1 or n == 4)",
    "i < 3 or i > 1 and n == 4",
    "(i < 3 or i > 1) and n == 4",
    "i + 1 <= n - 2",
])
def test_condition_printing(cond):
    text = textwrap.dedent(f"""\
        def p(n: size, x: f32[n] @ DRAM):
            for i in seq(0, n):
                if {cond}:
                    pass""")
    assert str(proc_from_source(text)) == text


def test_chained_comparison_prints_as_conjunction():
    q = proc_from_source("def p(n: size):\n    assert 0 < n <= 8\n")
    assert str(q) == "def p(n: size):\n    assert 0 < n and n <= 8"


def test_comparison_of_comparisons_is_parenthesised():
    # (i < 3) == (n < 4) must not print as a chained comparison
    i, n = Sym("i"), Sym("n")
    from exo_core.ir.types import BOOL, INDEX, INT, SIZE

    lt1 = ir.BinOp("<", ir.Read(i, (), INDEX), ir.Const(3, INT), BOOL)
    lt2 = ir.BinOp("<", ir.Read(n, (), SIZE), ir.Const(4, INT), BOOL)
    assert expr_to_str(ir.BinOp("==", lt1, lt2, BOOL)) == "(i < 3) == (n < 4)"


def test_shadowed_names_are_renamed_and_round_trip():
    base = proc_from_source(textwrap.dedent("""\
        def p(x: f32[4, 4] @ DRAM):
            for i in seq(0, 4):
                for j in seq(0, 4):
                    x[i, j] = 0.0"""))
    root = base.INTERNAL_proc()
    outer = root.body[0]
    inner = outer.body[0]
    new_j = Sym("i")  # a different symbol with the outer loop's name
    asg = inner.body[0]
    new_asg = asg.update(idx=(asg.idx[0], ir.Read(new_j, (), asg.idx[1].type)))
    new_inner = inner.update(iter=new_j, body=[new_asg])
    clashing = root.update(body=[outer.update(body=[new_inner])])
    text = proc_to_str(clashing)
    assert text == textwrap.dedent("""\
        def p(x: f32[4, 4] @ DRAM):
            for i in seq(0, 4):
                for i_1 in seq(0, 4):
                    x[i, i_1] = 0.0""")
    q = proc_from_source(text)
    assert proc_equal(clashing, q.INTERNAL_proc())
    assert proc_equal(root, q.INTERNAL_proc())  # renaming is alpha-equivalence
    assert str(q) == text


def test_sibling_loops_keep_their_names():
    text = textwrap.dedent("""\
        def p(x: f32[4] @ DRAM):
            for i in seq(0, 4):
                x[i] = 0.0
            for i in seq(0, 4):
                x[i] += 1.0""")
    q = proc_from_source(text)
    assert str(q) == text
    a, b = q.INTERNAL_proc().body
    assert a.iter != b.iter


def test_rename_avoids_names_used_elsewhere():
    base = proc_from_source(textwrap.dedent("""\
        def p(x: f32[4, 4] @ DRAM):
            for i in seq(0, 4):
                for i_1 in seq(0, 4):
                    for j in seq(0, 4):
                        x[i, j] = x[i_1, j]"""))
    root = base.INTERNAL_proc()
    l_i = root.body[0]
    l_i1 = l_i.body[0]
    l_j = l_i1.body[0]
    s = l_j.body[0]
    clash = Sym("i")
    jt = s.idx[1].type
    s2 = s.update(idx=(s.idx[0], ir.Read(clash, (), jt)),
                  rhs=s.rhs.update(idx=(s.rhs.idx[0], ir.Read(clash, (), jt))))
    root2 = root.update(body=[l_i.update(body=[l_i1.update(body=[l_j.update(iter=clash, body=[s2])])])])
    text = proc_to_str(root2)
    assert "for i_2 in seq(0, 4):" in text
    assert "x[i, i_2] = x[i_1, i_2]" in text
    assert proc_equal(root2, proc_from_source(text).INTERNAL_proc())


def test_proc_equal_detects_differences():
    def parse(body):
        return proc_from_source(
            f"def p(n: size, x: f32[n, n] @ DRAM):\n    for i in seq(0, n):\n"
            f"        for j in seq(0, n):\n            {body}\n").INTERNAL_proc()

    ref = parse("x[i, j] = 1.0")
    assert proc_equal(ref, parse("x[i, j] = 1.0"))
    assert not proc_equal(ref, parse("x[j, i] = 1.0"))
    assert not proc_equal(ref, parse("x[i, j] = 2.0"))
    assert not proc_equal(ref, parse("x[i, j] = 1"))
    assert not proc_equal(ref, parse("x[i, j] += 1.0"))
    assert not proc_equal(ref, parse("x[i, i] = 1.0"))
    # blocks with no free symbols compare on their own
    closed = "def p():\n    y: f32[2] @ DRAM\n    for i in seq(0, 2):\n        y[i] = 1.0\n"
    b1 = proc_from_source(closed).INTERNAL_proc().body
    b2 = proc_from_source(closed).INTERNAL_proc().body
    assert stmt_equal(b1, b2)
    assert not stmt_equal(b1[1], b2[0])
    # free symbols must be the same symbol
    assert not stmt_equal(ref.body, parse("x[i, j] = 1.0").body)


def test_proc_equal_compares_memories_and_instr_text():
    class Other(DRAM):
        pass

    a = proc_from_source("def p(x: f32[4] @ DRAM):\n    x[0] = 1.0\n").INTERNAL_proc()
    b = proc_from_source("def p(x: f32[4] @ Other):\n    x[0] = 1.0\n",
                         {"Other": Other}).INTERNAL_proc()
    assert not proc_equal(a, b)
    c = proc_from_source("@instr('A')\ndef p(x: f32[4] @ DRAM):\n    x[0] = 1.0\n")
    d = proc_from_source("@instr('B')\ndef p(x: f32[4] @ DRAM):\n    x[0] = 1.0\n")
    assert c.is_instr() and not proc_equal(c.INTERNAL_proc(), d.INTERNAL_proc())
    assert not proc_equal(a, c.INTERNAL_proc())


def test_expr_and_type_strings():
    p = seeds.bar.INTERNAL_proc()
    w = p.body[1].args[0]
    assert expr_to_str(w) == "z[1, 10:13]"
    assert type_to_str(w.type) == "[f32][3]"
    assert str(p.args[1].type) == "f32[20, 20]"
    assert expr_equal(p.body[0].args[0].type.shape_exprs[0], w.type.shape_exprs[0])


def test_config_and_stride_printing():
    from exo_core import config

    @config
    class CfgP:
        n: index
        v: f32

    @proc
    def p(k: index, x: [f32][8] @ DRAM):
        assert stride(x, 0) == 1
        assert k >= 0 and k < 8
        CfgP.n = k
        x[CfgP.n] = CfgP.v

    assert str(p) == textwrap.dedent("""\
        def p(k: index, x: [f32][8] @ DRAM):
            assert stride(x, 0) == 1
            assert k >= 0 and k < 8
            CfgP.n = k
            x[CfgP.n] = CfgP.v""")
    round_trip(p)


def test_par_loops_round_trip():
    text = textwrap.dedent("""\
        def p(n: size, x: f32[n] @ DRAM):
            for i in par(0, n):
                x[i] = 0.0""")
    q = proc_from_source(text)
    assert q.INTERNAL_proc().body[0].loop_mode == "par"
    assert str(q) == text
