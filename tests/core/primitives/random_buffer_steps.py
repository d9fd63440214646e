"""Random applications of the buffer primitives for the property test
(`test_property_buffers`): like `random_schedules.OPS`, each step finds the
places in ``p`` where its primitive could apply (allocations, window
statements, assignments to a buffer), draws one and arguments for it, and
returns the primitive's result, or ``None`` when there is no such place.
"""

from __future__ import annotations

from hypothesis import strategies as st

import exo_stdlib.scheduling as S
from exo_core import ir
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import TensorType
from exo_codegen.memories import DRAM_STACK

from tests.core.primitives.random_procs import DIM
from tests.core.primitives.random_schedules import (_choose, _control, _cursor, loops, new_name,
                                                    stmt_locs)


def _allocs(p, tensor=False):
    return [(s, n) for s, n in stmt_locs(p._root) if isinstance(n, ir.Alloc)
            and (not tensor or isinstance(n.type, TensorType))]


def _writes(p):
    return [(s, n) for s, n in stmt_locs(p._root) if isinstance(n, (ir.Assign, ir.Reduce))]


def stage_mem(draw, p):
    kind = draw(st.integers(0, 2))
    if kind == 2:  # a whole tensor temporary, around the loop after its allocation
        place = _choose(draw, [(s, n, scope) for s, n, scope in _before_scope(p)
                               if isinstance(n.type, TensorType) and isinstance(scope, ir.For)])
        if place is None:
            return None
        steps, a, _ = place
        dims = ", ".join(f"0:{expr_to_str(e)}" for e in a.type.shape_exprs)
        loop = steps[:-1] + ((steps[-1][0], steps[-1][1] + 1),)
        return S.stage_mem(p, _cursor(p, loop), f"{a.name.name}[{dims}]", new_name(),
                           accum=draw(st.booleans()))
    if kind == 1:
        place = _choose(draw, _writes(p))  # the point a statement writes, around it
        if place is None:
            return None
        steps, s = place
        if not s.idx:
            return None
        win = f"{s.name.name}[{', '.join(expr_to_str(e) for e in s.idx)}]"
        return S.stage_mem(p, _cursor(p, steps), win, new_name(),
                           accum=isinstance(s, ir.Reduce) and draw(st.booleans()))
    place = _choose(draw, loops(p))  # a whole argument buffer, around a loop
    if place is None:
        return None
    steps, _ = place
    buf = draw(st.sampled_from(["x", "y", "z"]))
    dims = ", ".join([f"0:{DIM}"] * (1 if buf == "z" else 2))
    return S.stage_mem(p, _cursor(p, steps), f"{buf}[{dims}]", new_name(),
                       accum=draw(st.booleans()))


def _on_alloc(fn, tensor=False):
    def step(draw, p):
        place = _choose(draw, _allocs(p, tensor))
        if place is None:
            return None
        steps, a = place
        return fn(draw, p, steps, a)
    return step


@_on_alloc
def lift_alloc(draw, p, steps, a):
    return S.lift_alloc(p, _cursor(p, steps), draw(st.integers(1, 2)))


def _before_scope(p):
    """Allocations right before a loop or an if (where sink_alloc can
    apply), with that statement."""
    follows = dict(stmt_locs(p._root))
    out = []
    for s, n in _allocs(p):
        nxt = follows.get(s[:-1] + ((s[-1][0], s[-1][1] + 1),))
        if isinstance(nxt, (ir.For, ir.If)):
            out.append((s, n, nxt))
    return out


def _through_calls(node, buf) -> bool:
    """Does ``node`` pass ``buf`` to a call or take a window statement of it?"""
    for _, s in stmt_locs(node):
        if isinstance(s, ir.Call) and any(getattr(a, "name", None) is buf for a in s.args):
            return True
        if isinstance(s, ir.WindowStmt) and s.rhs.name is buf:
            return True
    return False


def sink_alloc(draw, p):
    # steered to allocations right before a loop or an if, where it can apply
    places = [(s, n) for s, n, _ in _before_scope(p)]
    place = _choose(draw, places or _allocs(p))
    if place is None:
        return None
    return S.sink_alloc(p, _cursor(p, place[0]))


def sink_alloc_calls(draw, p):
    # sink_alloc of a buffer the scope passes to calls or windows
    places = [(s, n) for s, n, scope in _before_scope(p) if _through_calls(scope, n.name)]
    place = _choose(draw, places)
    if place is None:
        return None
    return S.sink_alloc(p, _cursor(p, place[0]))


@_on_alloc
def expand_dim(draw, p, steps, a):
    return S.expand_dim(p, _cursor(p, steps), draw(st.sampled_from(["4", "n + 8", "2"])),
                        _control(draw, p, steps))


@_on_alloc
def delete_buffer(draw, p, steps, a):
    return S.delete_buffer(p, _cursor(p, steps))


@_on_alloc
def set_precision(draw, p, steps, a):
    return S.set_precision(p, _cursor(p, steps), "f64")


@_on_alloc
def set_memory(draw, p, steps, a):
    return S.set_memory(p, _cursor(p, steps), DRAM_STACK)


def _dim(draw, a):
    return draw(st.integers(0, a.type.ndim() - 1))


def _resize(draw, p, steps, a):
    d = _dim(draw, a)
    same = expr_to_str(a.type.shape_exprs[d])
    return S.resize_dim(p, _cursor(p, steps), d, draw(st.sampled_from([same, same, "1", "2", "3"])),
                        draw(st.sampled_from(["0", "0", "1"])), fold=draw(st.booleans()))


def _divide(draw, p, steps, a):
    return S.divide_dim(p, _cursor(p, steps), _dim(draw, a), draw(st.sampled_from([2, 4])))


def _mult(draw, p, steps, a):
    nd = a.type.ndim()
    if nd < 2:
        return None
    hi, lo = draw(st.sampled_from([(h, l) for h in range(nd) for l in range(nd) if h != l]))
    return S.mult_dim(p, _cursor(p, steps), hi, lo)


def _rearrange(draw, p, steps, a):
    nd = a.type.ndim()
    perm = draw(st.permutations(list(range(nd))))
    return S.rearrange_dim(p, _cursor(p, steps), list(perm))


def _unroll(draw, p, steps, a):
    return S.unroll_buffer(p, _cursor(p, steps), 0 if draw(st.integers(0, 3)) else _dim(draw, a))


def reuse_buffer(draw, p):
    allocs = _allocs(p)
    pairs = [(s1, s2) for s1, a in allocs for s2, b in allocs
             if s1 < s2 and a is not b and str(a.type) == str(b.type)]
    place = _choose(draw, pairs)
    if place is None:
        return None
    return S.reuse_buffer(p, _cursor(p, place[0]), _cursor(p, place[1]))


def inline_window(draw, p):
    place = _choose(draw, [(s, n) for s, n in stmt_locs(p._root) if isinstance(n, ir.WindowStmt)])
    if place is None:
        return None
    return S.inline_window(p, _cursor(p, place[0]))


BUFFER_OPS = {
    "stage_mem": stage_mem, "lift_alloc": lift_alloc, "sink_alloc": sink_alloc,
    "sink_alloc (calls)": sink_alloc_calls,
    "expand_dim": expand_dim, "resize_dim": _on_alloc(_resize, tensor=True),
    "divide_dim": _on_alloc(_divide, tensor=True), "mult_dim": _on_alloc(_mult, tensor=True),
    "rearrange_dim": _on_alloc(_rearrange, tensor=True),
    "unroll_buffer": _on_alloc(_unroll, tensor=True), "delete_buffer": delete_buffer,
    "reuse_buffer": reuse_buffer, "inline_window": inline_window,
    "set_precision": set_precision, "set_memory": set_memory,
}
