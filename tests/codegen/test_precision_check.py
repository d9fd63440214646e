"""Precision checking at code generation: mixing precisions in arithmetic,
in extern arguments, and at calls (after set_precision) is a PrecisionError
(a TypeError, as in Exo) listing every position; assignments convert."""

from __future__ import annotations

import pytest

from exo_core import proc
from exo_core.api import proc_from_source
from exo_core.ir.printer import proc_to_str, source_scope
from exo_core.ir.extern import relu, select
from exo_codegen.precision import PrecisionError
from exo_stdlib.scheduling import set_precision


@proc
def mixed(x: f32[4] @ DRAM, y: f32[4] @ DRAM, z: f32[4] @ DRAM):
    x[0] = y[0] * x[1] + z[0] * x[2]


@proc
def callee(x: f32[4] @ DRAM):
    x[0] = 1.0


@proc
def caller(y: f32[4] @ DRAM):
    callee(y)


def test_arithmetic_between_precisions():
    p = set_precision(set_precision(mixed, "y", "i8"), "z", "f64")
    with pytest.raises(TypeError) as e:
        p.c_code_str()
    err = e.value
    assert isinstance(err, PrecisionError)
    text = str(err)
    assert "Errors occurred during precision checking:" in text
    assert "cannot compute operation '*' between inconsistent precision types: i8 and f32" in text
    assert "cannot compute operation '*' between inconsistent precision types: f64 and f32" in text
    assert len(err.problems) == 2
    assert err.srcinfo.lineno == mixed.INTERNAL_proc().body[0].srcinfo.lineno
    assert "test_precision_check.py" in text


def test_literals_generic_and_assignment_convert():
    @proc
    def ok(x: f32[4] @ DRAM, y: i8[4] @ DRAM, r: R[4] @ DRAM):
        x[0] = -y[0] * 2.0
        x[1] += y[1]
        x[2] = x[3] + r[0]
    assert "x[0] = -y[0] * ((int8_t) 2);" in ok.c_code_str()


def test_extern_arguments_and_results():
    @proc
    def ext(x: f32[4] @ DRAM, y: f32[4] @ DRAM):
        x[0] = select(x[1], y[0], x[2], x[3])
        x[1] = relu(y[1]) + x[1]
    p = set_precision(ext, "y", "i8")
    with pytest.raises(PrecisionError, match="all extern arguments must have a same type, "
                                             "got f32 and i8") as e:
        p.c_code_str()
    assert "'+' between inconsistent precision types: i8 and f32" in str(e.value)


def test_call_argument_of_another_precision():
    p = set_precision(caller, "y", "i8")
    with pytest.raises(PrecisionError, match="expected precision f32, but got i8"):
        p.c_code_str()
    q = set_precision(caller, "y", "R")  # R is compiled as f32
    assert "callee" in q.c_code_str()


def test_a_call_of_another_precision_is_defined_and_refused_when_compiled():
    # as in Exo: the front end accepts the call (so the printed result of
    # set_precision loads again); code generation reports the argument
    @proc
    def user(y: i8[4] @ DRAM):
        callee(y)  # the argument

    with pytest.raises(PrecisionError, match="expected precision f32, but got i8") as e:
        user.c_code_str()
    assert e.value.srcinfo.lineno == user.INTERNAL_proc().body[0].srcinfo.lineno
    root = set_precision(caller, "y", "i8").INTERNAL_proc()
    again = proc_from_source(proc_to_str(root), source_scope(root))
    assert proc_to_str(again.INTERNAL_proc()) == proc_to_str(root)
