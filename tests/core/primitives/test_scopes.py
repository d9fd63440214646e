"""fuse, specialize, add_unsafe_guard."""

from __future__ import annotations

import pytest

from exo_core import proc, SchedulingError
from exo_stdlib.scheduling import fuse, specialize, add_unsafe_guard

from tests.core.primitives.scope_equivalence import assert_same_outputs
from tests.core.primitives.scope_golden import check_golden


@proc
def pipeline(n: size, x: f32[n], y: f32[n], flag: bool):
    assert n >= 4
    for i in seq(0, n):
        x[i] = 1.0
    for j in seq(0, n):
        y[j] = x[j] + 2.0
    if n > 3:
        x[0] = 3.0
    if 3 < n:
        y[0] = 2.0
    else:
        y[1] = 2.0
    if flag:
        x[1] = 1.0
    if flag:
        x[2] = 1.0


def test_fuse_loops_golden_forwarding_equivalence():
    s2 = pipeline.find("y[j] = _")
    p = fuse(pipeline, pipeline.find_loop("i"), pipeline.find_loop("j"))
    check_golden("fuse_loops", p)
    moved = p.forward(s2)
    assert moved.parent().name() == "i"
    assert not p.forward(pipeline.find_loop("j"))
    assert_same_outputs(pipeline, p, n=6, flag=True)


def test_fuse_ifs_golden_and_equivalence():
    p = fuse(pipeline, pipeline.find("if n > 3: _"), pipeline.find("if 3 < n: _"))
    check_golden("fuse_ifs", p)
    p = fuse(p, p.find("if flag: _"), p.find("if flag: _ #1"))
    assert "x[2] = 1.0" in str(p.find("if flag: _").body()[1])
    for flag in (True, False):
        assert_same_outputs(pipeline, p, n=6, flag=flag)


@proc
def shifted(n: size, x: f32[n + 1]):
    for i in seq(0, n):
        x[i] = 1.0
    for j in seq(0, n):
        x[j + 1] = x[j] + 1.0


def test_fuse_rejects_a_backward_dependence():
    with pytest.raises(SchedulingError,
                       match=r"iteration j=0 of the second loop writes x\[1\].*later iteration "
                             r"i=1 of the first loop writes x\[1\]"):
        fuse(shifted, shifted.find_loop("i"), shifted.find_loop("j"))


def test_fuse_unsafe_disable_check_skips_only_the_dependence_check():
    p = fuse(shifted, shifted.find_loop("i"), shifted.find_loop("j"), unsafe_disable_check=True)
    assert "for j" not in str(p)


@proc
def bounds(n: size, m: size, x: f32[n], y: f32[m]):
    for i in seq(0, n):
        x[i] = 1.0
    for j in seq(0, m):
        y[j] = 1.0
    x[0] = 2.0
    for k in seq(0, n):
        x[k] = 3.0


def test_fuse_errors():
    with pytest.raises(SchedulingError, match="the loop bounds differ: n vs m"):
        fuse(bounds, bounds.find_loop("i"), bounds.find_loop("j"))
    with pytest.raises(SchedulingError, match="the second right after the first"):
        fuse(bounds, bounds.find_loop("i"), bounds.find_loop("k"))
    with pytest.raises(SchedulingError, match="two loops or two ifs"):
        fuse(bounds, bounds.find_loop("j"), bounds.find("x[0] = _"))
    with pytest.raises(SchedulingError, match="could not prove that the conditions 3 < n and flag are equivalent"):
        fuse(pipeline, pipeline.find("if 3 < n: _"), pipeline.find("if flag: _"))


def test_specialize_golden_forwarding_equivalence():
    body = pipeline.find("x[i] = _")
    p = specialize(pipeline, pipeline.find_loop("i"), ["n < 8", "n == 16"])
    check_golden("specialize", p)
    assert p.forward(body).parent().parent()._node().cond is not None  # first copy
    for n in (5, 16, 20):
        assert_same_outputs(pipeline, p, n=n, flag=True)


def test_specialize_copies_bind_fresh_names():
    p = specialize(pipeline, pipeline.find_loop("i"), "n < 8")
    loops = p.find_loop("i", many=True)
    assert len(loops) == 2
    assert loops[0]._node().iter != loops[1]._node().iter


def test_specialize_errors():
    loop = pipeline.find_loop("i")
    with pytest.raises(SchedulingError, match="specialize: q is not a variable visible here"):
        specialize(pipeline, loop, "q < 3")
    with pytest.raises(SchedulingError, match="not a condition"):
        specialize(pipeline, loop, "n + 1")
    with pytest.raises(SchedulingError, match="at least one condition"):
        specialize(pipeline, loop, [])
    with pytest.raises(SchedulingError, match="not affine: object code cannot multiply"):
        specialize(pipeline, loop, "n * n < 3")


def test_add_unsafe_guard_golden():
    c = pipeline.find("x[i] = _")
    p = add_unsafe_guard(pipeline, pipeline.find_loop("i").body(), "i < n")
    check_golden("add_unsafe_guard", p)
    assert p.forward(c).parent()._node().cond is not None
    with pytest.raises(SchedulingError, match="add_unsafe_guard"):
        add_unsafe_guard(pipeline, pipeline.find_loop("i").body(), "i <")
