"""The cursor API of Cursors.md, item by item, that the navigation and
forwarding tests do not already cover: printing, ``is_ancestor_of``, the
lowest common ancestor, invalid cursors after a rewrite deletes their code
(and primitives refusing them), CursorNavigationError, and forwarding --
explicit and implicit -- across every family of primitives, the
subprocedure primitives included."""

from __future__ import annotations

import pytest

from exo_core import InvalidCursorError, SchedulingError, proc
from exo_core.cursors import (AssignCursor, BlockCursor, CallCursor, ForCursor, GapCursor,
                              InvalidCursor, PassCursor)
from exo_core.errors import StaleCursorError
from exo_codegen.memories import DRAM_STATIC
from exo_stdlib.inspection import CursorNavigationError, get_depth, get_enclosing_loop_by_name, \
    get_lca
import exo_stdlib.scheduling as S

from tests.core.primitives.scope_golden import check_golden


@proc
def foo(n: size, x: f32[n]):
    assert n >= 2
    for i in seq(0, n):
        if n < 1:
            x[i] = 1.0
        else:
            x[i] = 2.0
        x[i] += 1.0


# --------------------------------------------------------------------------
# Printing


def test_printing_marks_the_node_block_or_gap():
    texts = [foo.find("x[_] = _ #1"), foo.find("x[_] += _").before(),
             foo.find("x[_] = _ #1").after(), foo.find_loop("i").body()[0].orelse(),
             foo.body(), foo.find_loop("i").body()[1].after(), foo.find_loop("i")]
    check_golden("cursor_printing", "\n----\n".join(str(c) for c in texts))


def test_printing_expressions_arguments_and_invalid_cursors():
    red = foo.find("x[_] += _")
    assert str(red.rhs()) == "1.0"
    assert str(red.idx()) == "[i]"
    assert str(foo.args()[1]) == "x: f32[n] @ DRAM"
    assert str(red.next()) == "<InvalidCursor>"


# --------------------------------------------------------------------------
# Ancestry


def test_is_ancestor_of():
    loop, red = foo.find_loop("i"), foo.find("x[_] += _")
    assert loop.is_ancestor_of(red) and not red.is_ancestor_of(loop)
    assert red.is_ancestor_of(red)
    assert loop.is_ancestor_of(loop.body()) and loop.is_ancestor_of(red.before())
    assert red.is_ancestor_of(red.rhs())
    assert not foo.find("x[_] = _ #0").is_ancestor_of(red)
    # a cursor of an earlier version is forwarded first
    p = S.insert_pass(foo, red.after())
    assert p.forward(loop).is_ancestor_of(red)
    with pytest.raises(InvalidCursorError):
        loop.is_ancestor_of(red.next())


def test_lowest_common_ancestor_and_depth():
    a, b = foo.find("x[_] = _ #1"), foo.find("x[_] += _")
    assert get_lca(foo, a, b) == foo.find_loop("i")
    assert get_lca(foo, a, a) == a
    assert get_lca(foo, foo.find("if _:_").orelse(), b) == foo.find_loop("i")
    assert get_depth(foo, foo.find_loop("i")) == 2 and get_depth(foo, a) == 4

    @proc
    def two(x: f32[2]):
        x[0] = 1.0
        x[1] = 2.0

    with pytest.raises(CursorNavigationError, match="do not have a common ancestor"):
        get_lca(two, two.find("x[0] = _"), two.find("x[1] = _"))
    with pytest.raises(CursorNavigationError, match="no loop named 'q'"):
        get_enclosing_loop_by_name(foo, a, "q")


# --------------------------------------------------------------------------
# Deleted code


@proc
def deletable(n: size, x: f32[8]):
    x[0] = 0.0
    pass
    for k in seq(0, 1):
        x[1] = 1.0
    if n > 0:
        x[2] = 2.0
    else:
        x[3] = 3.0


@pytest.mark.parametrize("rewrite, victim", [
    (lambda p: S.delete_pass(p), "pass"),
    (lambda p: S.remove_loop(p, "k"), "for k in _:_"),
    (lambda p: S.eliminate_dead_code(p, "if _:_"), "x[3] = _"),
    (lambda p: S.eliminate_dead_code(p, "if _:_"), "if _:_"),
])
def test_deleted_code_forwards_to_an_invalid_cursor(rewrite, victim):
    c = deletable.find(victim)
    after = rewrite(deletable)
    fwd = after.forward(c)
    assert isinstance(fwd, InvalidCursor) and not fwd
    with pytest.raises(InvalidCursorError):
        fwd.parent()
    # a primitive given the stale cursor refuses it with an InvalidCursorError
    # (a gap at the edge of deleted code stays valid: it is still a place)
    with pytest.raises(StaleCursorError, match="removed by an earlier rewrite") as e:
        S.add_loop(after, c, "q", 2)
    assert isinstance(e.value, InvalidCursorError) and isinstance(e.value, SchedulingError)


def test_inline_invalidates_the_call():
    @proc
    def callee(x: [f32][2]):
        x[0] = 1.0

    @proc
    def caller(x: f32[4]):
        callee(x[0:2])
        x[3] = 0.0

    call = caller.find("callee(_)")
    p = S.inline(caller, call)
    assert not p.forward(call)
    with pytest.raises(StaleCursorError):
        S.inline(p, call)
    assert str(p.forward(caller.find("x[3] = _"))._node().rhs.val) == "0.0"


# --------------------------------------------------------------------------
# Forwarding across every family


@proc
def kernel(n: size, x: f32[8], y: f32[8], z: f32[2]):
    z[0] = 1.0
    for i in seq(0, 8):
        t: f32
        t = x[i] * 2.0
        y[i] = t
    z[1] = 2.0


@proc
def copy8(dst: [f32][8], src: [f32][8]):
    for j in seq(0, 8):
        dst[j] = src[j]


@proc
def copy_kernel(x: f32[8], y: f32[8], z: f32[2]):
    z[0] = 1.0
    for i in seq(0, 8):
        y[i] = x[i]
    z[1] = 2.0


REWRITES = {
    "divide_loop": (kernel, lambda p: S.divide_loop(p, "i", 4, ["io", "ii"], perfect=True)),
    "cut_loop": (kernel, lambda p: S.cut_loop(p, "i", 4)),
    "shift_loop": (kernel, lambda p: S.shift_loop(p, "i", 1)),
    "unroll_loop": (copy_kernel, lambda p: S.unroll_loop(p, "i")),
    "parallelize_loop": (copy_kernel, lambda p: S.parallelize_loop(p, "i")),
    "add_loop": (kernel, lambda p: S.add_loop(p, "z[0] = _", "k", 2)),
    "insert_pass": (kernel, lambda p: S.insert_pass(p, p.find("t = _").after())),
    "simplify": (kernel, lambda p: S.simplify(p)),
    "set_memory": (kernel, lambda p: S.set_memory(p, "t", DRAM_STATIC)),
    "set_precision": (kernel, lambda p: S.set_precision(p, "t", "f64")),
    "expand_dim": (kernel, lambda p: S.expand_dim(p, "t", 8, "i")),
    "stage_mem": (copy_kernel, lambda p: S.stage_mem(p, "for i in _:_", "x[0:8]", "xs")),
    "replace": (copy_kernel, lambda p: S.replace(p, "for i in _:_", copy8)),
    "extract_subproc": (kernel, lambda p: S.extract_subproc(p, "for i in _:_", "body_i")[0]),
    "rename": (kernel, lambda p: S.rename(p, "kernel2")),
    "make_instr": (kernel, lambda p: S.make_instr(p, "kernel_c();")),
}


@pytest.mark.parametrize("name", sorted(REWRITES))
def test_untouched_statements_forward_and_forward_implicitly(name):
    p0, rewrite = REWRITES[name]
    first, last = p0.find("z[0] = _"), p0.find("z[1] = _")
    p1 = rewrite(p0)
    for c, text in ((first, "z[0] = 1.0"), (last, "z[1] = 2.0")):
        f = p1.forward(c)
        assert isinstance(f, AssignCursor)
        marked = [line.strip() for line in str(f).splitlines() if "# <-- NODE" in line]
        assert marked == [f"{text}  # <-- NODE"]
    # implicit forwarding: the old cursors work as arguments of the next primitive
    p2 = S.insert_pass(p1, last.after())
    assert isinstance(p2.forward(last).next(), PassCursor)
    p3 = S.reorder_stmts(p2, p2.forward(last).expand(0, 1))
    assert isinstance(p3.forward(last).prev(), PassCursor)


def test_forwarding_across_call_eqv_keeps_the_call():
    @proc
    def caller(x: f32[8], y: f32[8]):
        copy8(y[0:8], x[0:8])

    call = caller.find("copy8(_)")
    fast = S.divide_loop(copy8, "j", 2, ["jo", "ji"], perfect=True)
    p = S.call_eqv(caller, call, fast)
    f = p.forward(call)
    assert isinstance(f, CallCursor) and f.subproc()._root is fast._root
    assert isinstance(p.forward(call.after()), GapCursor)
    assert isinstance(p.body(), BlockCursor) and isinstance(p.find("copy8(_)"), CallCursor)


def test_navigation_and_forwarding_do_not_commute():
    c = kernel.find("z[0] = _")
    p = S.insert_pass(kernel, c.after())
    assert isinstance(p.forward(c).next(), PassCursor)   # what follows it now
    assert isinstance(p.forward(c.next()), ForCursor)    # what followed it before
