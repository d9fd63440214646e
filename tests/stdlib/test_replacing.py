"""replace_all, replace_once, replace_all_stmts, call_site_mem_aware_replace,
checked_replace, check_call_site; check_call_mem_types and
get_observed_stmts. The printed results are Exo 1.0's (ours prints the
window ``y[4 * k:4 + 4 * k]`` where Exo prints ``y[4 * k + 0:4 * k + 4]``)."""

from __future__ import annotations

import textwrap

import pytest

from exo_core import DRAM, SchedulingError, instr, proc
from exo_core.errors import MemoryError, UnificationError
from exo_codegen.memories import AVX2, DRAM_STATIC
from exo_stdlib.rc_wrappers import replace_
from exo_stdlib.scheduling import (call_site_mem_aware_replace, check_call_mem_types,
                                   check_call_site, checked_replace, get_observed_stmts,
                                   inline, replace, replace_all, replace_all_stmts,
                                   replace_once, set_memory)

from tests.core.primitives.equivalence import assert_equivalent


@instr("{dst_data}[0] = 0; /* zero4 */")
def zero4(dst: [f32][4] @ DRAM):
    for i in seq(0, 4):
        dst[i] = 0.0


@instr("/* zero4 in registers */")
def zero4_reg(dst: [f32][8] @ AVX2):
    for i in seq(0, 8):
        dst[i] = 0.0


@instr("/* add4 */")
def add4(dst: [f32][4] @ DRAM, src: [f32][4] @ DRAM):
    for i in seq(0, 4):
        dst[i] += src[i]


@proc
def foo(x: f32[8], y: f32[8]):
    for i in seq(0, 4):
        x[i] = 0.0
    for i in seq(0, 4):
        x[i + 4] = 0.0
    for j in seq(0, 4):
        y[j] += x[j]
    for k in seq(0, 2):
        for i in seq(0, 4):
            y[i + 4 * k] = 0.0


def _text(src: str) -> str:
    return textwrap.dedent(src).strip()


ALL_REPLACED = _text("""
    def foo(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
        zero4(x[0:4])
        zero4(x[4:8])
        add4(y[0:4], x[0:4])
        for k in seq(0, 2):
            zero4(y[4 * k:4 + 4 * k])
""")


def test_replace_all():
    p = replace_all(foo, [zero4, add4])
    assert str(p) == ALL_REPLACED
    assert replace_all(foo, zero4).body()[2].name() == "j"  # one proc, not a list
    assert str(replace_all_stmts(foo, [zero4, add4])) == ALL_REPLACED
    assert replace_all(foo, []) is foo


def test_replace_all_skips_memory_mismatches():
    # zero4_reg's body does not match an 8-wide DRAM row here either way:
    # nothing is replaced, nothing is raised
    assert str(replace_all(foo, [zero4_reg])) == str(foo)
    assert str(replace_all(foo, [zero4_reg], mem_aware=False)) == str(foo)


def test_replace_once_each_subproc_once():
    p = replace_once(foo, [add4, zero4])
    assert str(p) == _text("""
        def foo(x: f32[8] @ DRAM, y: f32[8] @ DRAM):
            zero4(x[0:4])
            for i in seq(0, 4):
                x[i + 4] = 0.0
            add4(y[0:4], x[0:4])
            for k in seq(0, 2):
                for i in seq(0, 4):
                    y[i + 4 * k] = 0.0
    """)


@proc
def tmp_row(y: f32[8]):
    t: f32[8] @ DRAM
    for i in seq(0, 8):
        t[i] = 0.0
    for i in seq(0, 8):
        y[i] = t[i]


def test_call_site_mem_aware_replace_and_checked_replace():
    p = call_site_mem_aware_replace(foo, foo.find_loop("i"), zero4)
    assert str(p).splitlines()[1].strip() == "zero4(x[0:4])"
    with pytest.raises(MemoryError, match="zero4_reg is in AVX2, but the block's buffer t is in DRAM"):
        call_site_mem_aware_replace(tmp_row, tmp_row.find_loop("i"), zero4_reg)
    with pytest.raises(UnificationError):
        call_site_mem_aware_replace(foo, foo.find_loop("j"), zero4, quiet=True)
    q = checked_replace(foo, foo.find_loop("i"), zero4)
    assert str(q) == str(p)
    with pytest.raises(SchedulingError, match="call site inconsistency"):
        checked_replace(tmp_row, tmp_row.find_loop("i"), zero4_reg)
    with pytest.raises(SchedulingError, match="failed to replace"):
        checked_replace(foo, foo.find_loop("j"), zero4, quiet=True)


def test_check_call_mem_types():
    p = replace(foo, foo.find_loop("i"), zero4)
    assert check_call_mem_types(p.body()[0]) and check_call_site(p, p.body()[0])

    @instr("/* zero8 */")
    def zero8(dst: [f32][8] @ DRAM):
        for i in seq(0, 8):
            dst[i] = 0.0
    q = replace(tmp_row, tmp_row.find_loop("i"), zero8)
    assert check_call_site(q, q.body()[1])
    # a later set_memory puts the argument in a memory the parameter does not accept
    r = set_memory(q, "t : _", AVX2)
    assert not check_call_mem_types(r.body()[1]) and not check_call_site(r, r.body()[1])
    s = set_memory(q, "t : _", DRAM_STATIC)  # derived from DRAM: accepted
    assert check_call_mem_types(s.body()[1])
    with pytest.raises(TypeError, match="expected a call cursor"):
        check_call_mem_types(p.body()[1])
    with pytest.raises(SchedulingError, match="expected a call cursor"):
        check_call_site(p, p.body()[1])


def test_get_observed_stmts():
    seen = list(get_observed_stmts(foo.find("y[_] += _")))
    # the enclosing loop, then its previous siblings, nearest first (as Exo)
    assert [s.name() for s in seen] == ["j", "i", "i"]
    assert seen[1].body()[0].idx()[0].__str__() == "i + 4"
    with pytest.raises(TypeError, match="statement cursor"):
        list(get_observed_stmts(foo.find("y[_] += _").rhs()))


def _calls_inlined(p):
    """The instructions' bodies are their meaning: inlining each call gives the
    block back, which runs without the instructions' C."""
    while "zero4(" in str(p) or "add4(" in str(p):
        p = inline(p, p.find("zero4(_)") if "zero4(" in str(p) else p.find("add4(_)"))
    return p


def test_replaced_code_computes_the_same():
    assert_equivalent(foo, _calls_inlined(replace_all(foo, [zero4, add4])))
    assert_equivalent(foo, _calls_inlined(replace_all_stmts(foo, [zero4, add4])))
    assert_equivalent(foo, _calls_inlined(replace_once(foo, [add4, zero4])))
    p = call_site_mem_aware_replace(foo, foo.find_loop("i"), zero4)
    assert_equivalent(foo, _calls_inlined(p))
    assert_equivalent(foo, _calls_inlined(checked_replace(foo, foo.find_loop("i"), zero4)))
    p, c = replace_(foo, foo.find_loop("i"), zero4, rc=True)
    assert c.call == p.body()[0] and c.call.subproc().name() == "zero4"
    assert_equivalent(foo, _calls_inlined(p))
