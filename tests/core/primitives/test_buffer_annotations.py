"""set_memory, set_precision, set_window: goldens (equal to Exo 1.0's print),
argument errors, forwarding, jit equivalence."""

from __future__ import annotations

import pytest

from exo_core import SchedulingError, f64, proc
from exo_codegen.memories import DRAM_STACK, DRAM_STATIC
from exo_stdlib.scheduling import set_memory, set_precision, set_window

from tests.core.primitives.buffer_procs import tmp_buffer
from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.scope_golden import check_golden


@proc
def staged(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM):
    t: f32[4] @ DRAM
    for i in seq(0, n):
        t[0] = x[i]
        y[i] = t[0]


def test_set_memory_of_allocation_and_argument():
    p = set_memory(staged, "t : _", DRAM_STATIC)
    check_golden("buffers_set_memory", p)
    assert_equivalent(staged, p, n=4)
    q = set_memory(staged, "t", DRAM_STACK)
    assert "t: f32[4] @ DRAM_STACK" in str(q)
    assert_equivalent(staged, q, n=4)
    r = set_memory(staged, "x", DRAM_STATIC)
    assert "x: f32[n] @ DRAM_STATIC" in str(r)


def test_set_precision_retypes_the_accesses():
    p = set_precision(staged, "t : _", "f64")
    check_golden("buffers_set_precision", p)
    assert_equivalent(staged, p, n=4)
    assert "double *t" in p.c_code_str()
    q = set_precision(tmp_buffer, "t", f64)
    assert "t: f64 @ DRAM" in str(q)
    assert_equivalent(tmp_buffer, q, n=3)
    r = set_precision(staged, "y", "f64")
    assert "y: f64[n] @ DRAM" in str(r)


def test_set_window():
    p = set_window(staged, "x", True)
    check_golden("buffers_set_window", p)
    assert_equivalent(staged, p, backend="interp", n=4)
    assert "x: f32[n] @ DRAM" in str(set_window(p, "x", False))


@pytest.mark.parametrize("call, message", [
    (lambda: set_memory(staged, "t : _", "DRAM"), "memory_type must be a Memory subclass"),
    (lambda: set_memory(staged, "n", DRAM_STATIC), "n is a control value, not a buffer"),
    (lambda: set_precision(staged, "t : _", "float"), "typ must be one of the precisions"),
    (lambda: set_precision(staged, "t : _", 3), "typ must be a precision"),
    (lambda: set_precision(staged, "n", "i32"), "n is a control value"),
    (lambda: set_window(staged, "t : _", True), "t is an allocation; only a procedure argument"),
    (lambda: set_window(staged, "n", True), "n is not a tensor argument"),
    (lambda: set_window(staged, "x", 1), "is_window must be True or False"),
])
def test_errors(call, message):
    with pytest.raises(SchedulingError, match=message):
        call()


def test_cursors_forward():
    a = staged.find("t : _")
    s = staged.find("y = _")
    p = set_precision(set_memory(staged, a, DRAM_STATIC), a, "f64")
    assert p.forward(a).mem() is DRAM_STATIC
    assert p.forward(s).parent().name() == "i"
