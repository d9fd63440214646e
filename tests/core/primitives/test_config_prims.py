"""bind_config, write_config, delete_config: goldens (as Exo 1.0 prints
them), each refusal, cursor forwarding, equivalence, and equivalence modulo
configuration fields across call_eqv."""

from __future__ import annotations

import pytest

from exo_core import config, proc, SchedulingError
from exo_core.errors import ParseFragmentError
from exo_core.ir.provenance import modified_configs
from exo_stdlib.scheduling import (FormattedExprStr, bind_config, call_eqv, delete_config,
                                   write_config)

from tests.core.primitives.equivalence import assert_equivalent


@config
class CFG:
    n: size
    s: stride
    f: f32
    d: f64
    b: bool
    i: index


@proc
def scale(n: size, a: f32, flag: bool, x: f32[n]):
    for i in seq(0, n):
        x[i] = a * x[i]
        if flag:
            x[i] = a


HEAD = "def scale(n: size, a: f32 @ DRAM, flag: bool, x: f32[n] @ DRAM):\n"
F = (CFG, "f")


# ---------------------------------------------------------------- bind_config

def test_bind_config_golden_forwarding_and_equivalence():
    keep = scale.find("x[_] = a")
    p = bind_config(scale, scale.find("a * _").lhs(), CFG, "f")
    assert str(p) == HEAD + (
        "    for i in seq(0, n):\n"
        "        CFG.f = a\n"
        "        x[i] = CFG.f * x[i]\n"
        "        if flag:\n"
        "            x[i] = a")
    assert p.forward(keep)._node() is keep._node()
    assert modified_configs(p.INTERNAL_proc()) == {F}
    assert_equivalent(scale, p, n=5, flag=True)
    assert_equivalent(scale, p, n=3, flag=False, backend="interp")


def test_bind_config_pattern_and_bool():
    p = bind_config(scale, "a #1", CFG, "f")
    assert "        if flag:\n            CFG.f = a\n            x[i] = CFG.f" in str(p)
    q = bind_config(scale, scale.find("if _:_").cond(), CFG, "b")
    assert "        CFG.b = flag\n        if CFG.b:\n" in str(q)
    assert_equivalent(scale, q, n=4, flag=True)
    assert_equivalent(scale, q, n=4, flag=False, backend="interp")


def test_bind_config_refusals():
    with pytest.raises(TypeError, match="cannot bind the size value n"):
        bind_config(scale, scale.find_loop("i").hi(), CFG, "n")
    with pytest.raises(TypeError, match="cannot bind the index value i"):
        bind_config(scale, scale.find("a * _").rhs().idx()[0], CFG, "i")
    with pytest.raises(TypeError, match=r"cannot bind the f32 value x\[i\]"):
        bind_config(scale, scale.find("a * _").rhs(), CFG, "f")
    with pytest.raises(TypeError, match="expected a cursor to a single variable read"):
        bind_config(scale, scale.find("a * _"), CFG, "f")
    with pytest.raises(TypeError, match=r"the type of a \(f32\) does not match the type of "
                                        r"CFG.d \(f64\)"):
        bind_config(scale, "a", CFG, "d")
    with pytest.raises(ValueError, match="'zz' is not a field of config 'CFG'"):
        bind_config(scale, "a", CFG, "zz")
    with pytest.raises(TypeError, match="config must be a configuration"):
        bind_config(scale, "a", "CFG", "f")
    with pytest.raises(TypeError, match="field must be a field name"):
        bind_config(scale, "a", CFG, 3)


@proc
def reads_after(a: f32, x: f32[4]):
    x[1] = a
    x[0] = CFG.f


def test_bind_config_refused_when_the_old_value_is_read_later():
    with pytest.raises(SchedulingError, match=r"cannot change the value of CFG.f here: .* read "
                                              r"later in this procedure at .*:\d+:4"):
        bind_config(reads_after, "a", CFG, "f")


@proc
def sub(a: f32):
    a = 1.0


@proc
def passes(a: f32):
    sub(a)


def test_bind_config_refuses_a_call_argument():
    with pytest.raises(SchedulingError, match="argument of a call to sub"):
        bind_config(passes, passes.find("sub(_)").args()[0], CFG, "f")


# --------------------------------------------------------------- write_config

@proc
def tail_read(n: size, a: f32, flag: bool, x: f32[n]):
    for i in seq(0, n):
        x[i] = a
    x[0] = CFG.f


def test_write_config_goldens():
    g = tail_read.find_loop("i").before()
    for rhs, line in [("stride(x, 0)", "CFG.s = stride(x, 0)"), ("True", "CFG.b = True"),
                      ("flag", "CFG.b = flag"), (3, "CFG.n = 3")]:
        fld = line.split(".")[1].split(" ")[0]
        p = write_config(tail_read, g, CFG, fld, rhs)
        assert str(p).splitlines()[1] == "    " + line
    p = write_config(tail_read, tail_read.find("x[0] = _").after(), CFG, "f", "a")
    assert str(p).endswith("    x[0] = CFG.f\n    CFG.f = a")
    assert modified_configs(p.INTERNAL_proc()) == {F}
    # one run: the final value of CFG.f differs (equivalent modulo CFG.f), and a
    # second run would read it
    assert_equivalent(tail_read, p, n=3, flag=True, trials=1)


def test_write_config_of_a_value_the_field_already_holds_changes_nothing():
    @proc
    def same(a: f32, x: f32[4]):
        CFG.f = a
        x[0] = CFG.f
    p = write_config(same, same.find("x[0] = _").before(), CFG, "f", "a")
    assert "    CFG.f = a\n    CFG.f = a\n    x[0] = CFG.f" in str(p)
    assert modified_configs(p.INTERNAL_proc()) == frozenset()


def test_write_config_formatted_expression():
    @proc
    def flagged(flag: bool, x: f32[4]):
        if flag:
            x[0] = 1.0
    p = write_config(flagged, flagged.find("if _:_").before(), CFG, "b",
                     FormattedExprStr("_", flagged.find("if _:_").cond()))
    assert "    CFG.b = flag\n    if flag:" in str(p)


def test_write_config_refusals():
    g = tail_read.find_loop("i").before()
    with pytest.raises(TypeError, match="expected the value to be a variable, a stride "
                                        "expression or a literal, got 'n [+] 1'"):
        write_config(tail_read, g, CFG, "n", "n + 1")
    with pytest.raises(TypeError, match="cannot write the size value n"):
        write_config(tail_read, g, CFG, "n", "n")
    with pytest.raises(TypeError, match="cannot write the index value i"):
        write_config(tail_read, tail_read.find("x[_] = a").before(), CFG, "i", "i")
    with pytest.raises(TypeError, match="the type of a .f32. does not match the type of "
                                        "CFG.n .size."):
        write_config(tail_read, g, CFG, "n", "a")
    with pytest.raises(TypeError, match="CFG.n is a size; 0 is not positive"):
        write_config(tail_read, g, CFG, "n", "0")
    with pytest.raises(SchedulingError, match="cannot change the value of CFG.f here"):
        write_config(tail_read, g, CFG, "f", "a")
    with pytest.raises(ParseFragmentError, match="cannot parse the expression 'n [+]'"):
        write_config(tail_read, g, CFG, "n", "n +")
    with pytest.raises(ParseFragmentError, match="q is not a variable visible here"):
        write_config(tail_read, g, CFG, "n", "q")
    with pytest.raises(TypeError, match="gap_cursor: expected a gap"):
        write_config(tail_read, tail_read.find_loop("i"), CFG, "n", "3")


# -------------------------------------------------------------- delete_config

@proc
def rewritten(a: f32, x: f32[4]):
    CFG.f = a
    x[1] = a
    CFG.f = 2.0
    x[0] = CFG.f


@proc
def twice(a: f32, x: f32[4]):
    CFG.f = a
    CFG.f = a
    x[0] = CFG.f


@proc
def loop_rewrite(a: f32, x: f32[4]):
    CFG.f = a
    for i in seq(0, 4):
        x[i] = CFG.f
        CFG.f = a


def test_delete_config_goldens():
    keep = rewritten.find("x[0] = _")
    p = delete_config(rewritten, "CFG.f = _ #0")
    assert str(p) == ("def rewritten(a: f32 @ DRAM, x: f32[4] @ DRAM):\n"
                      "    x[1] = a\n    CFG.f = 2.0\n    x[0] = CFG.f")
    assert p.forward(keep)._node() is keep._node()
    assert_equivalent(rewritten, p, backend="interp")
    for k in (0, 1):  # either copy of a repeated write can go
        q = delete_config(twice, f"CFG.f = _ #{k}")
        assert str(q).endswith("    CFG.f = a\n    x[0] = CFG.f")
    q = delete_config(loop_rewrite, "CFG.f = _ #1")
    assert str(q).endswith("    for i in seq(0, 4):\n        x[i] = CFG.f")
    assert modified_configs(q.INTERNAL_proc()) == frozenset()  # the value was already there
    assert_equivalent(loop_rewrite, q, backend="interp")


def test_delete_config_of_a_final_write_is_equivalent_modulo_the_field():
    @proc
    def last(a: f32, x: f32[4]):
        CFG.f = a
        x[1] = a
    p = delete_config(last, "CFG.f = _")
    assert str(p) == "def last(a: f32 @ DRAM, x: f32[4] @ DRAM):\n    x[1] = a"
    assert modified_configs(p.INTERNAL_proc()) == {F}


@proc
def next_iteration(a: f32, x: f32[4]):
    for i in seq(0, 4):
        x[i] = CFG.f
        CFG.f = a


@proc
def bound_read(n: size, x: f32[4]):
    CFG.n = n
    for i in seq(0, CFG.n):
        x[0] = 1.0


@proc
def reads_cfg(x: f32[4]):
    x[0] = CFG.f


@proc
def calls_reader(a: f32, x: f32[4]):
    CFG.f = a
    reads_cfg(x)


@proc
def maybe_killed(n: size, a: f32, x: f32[4]):
    CFG.f = a
    for i in seq(0, n - 1):
        CFG.f = 2.0
    x[0] = CFG.f


def test_delete_config_refusals():
    msg = r"cannot delete this write of CFG.{}: the value it writes may be read later"
    cases = [(rewritten, "CFG.f = _ #1", "f"), (next_iteration, "CFG.f = _", "f"),
             (loop_rewrite, "CFG.f = _ #0", "f"), (bound_read, "CFG.n = _", "n"),
             (calls_reader, "CFG.f = _", "f"), (maybe_killed, "CFG.f = _ #0", "f")]
    for p, pattern, fld in cases:
        with pytest.raises(SchedulingError, match=msg.format(fld)):
            delete_config(p, pattern)
    with pytest.raises(SchedulingError, match="expected a cursor to a configuration write"):
        delete_config(rewritten, "x[1] = _")


def test_delete_config_behind_a_loop_that_surely_runs():
    @proc
    def killed(n: size, a: f32, x: f32[4]):
        CFG.f = a
        for i in seq(0, n):
            CFG.f = 2.0
        x[0] = CFG.f
    p = delete_config(killed, "CFG.f = _ #0")
    assert str(p).splitlines()[1] == "    for i in seq(0, n):"


# ------------------------------------------------ equivalence modulo configs

@proc
def callee(a: f32, x: f32[4]):
    x[1] = a


@proc
def caller(a: f32, x: f32[4]):
    callee(a, x)


@proc
def caller_reads(a: f32, x: f32[4]):
    callee(a, x)
    x[0] = CFG.f


def test_call_eqv_modulo_configuration_fields():
    bound = bind_config(callee, "a", CFG, "f")
    p = call_eqv(caller, "callee(_)", bound)
    assert modified_configs(p.INTERNAL_proc()) == {F}
    with pytest.raises(SchedulingError, match="equivalent only up to the final value of CFG.f, "
                                              "which is read after the call"):
        call_eqv(caller_reads, "callee(_)", bound)
    # unrelated fields do not matter
    other = bind_config(callee, "a", CFG, "f")
    assert call_eqv(caller, "callee(_)", other) is not None
