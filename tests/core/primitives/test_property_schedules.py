"""Property test: every schedule the checks accept computes the same outputs.

Hypothesis draws a small loop nest (2-3 loops, constant bounds, a few
assignments/reductions on 8x8 buffers with affine indices that often create
dependences; some statements are calls that write a buffer element passed
to a scalar parameter) and a random sequence of loop/scope/statement primitives with
random locations. A primitive may refuse (SchedulingError); any other
exception is a bug. The final procedure must leave every buffer exactly as
the original does on random inputs (interpreter; a sample is re-run through
the jit). ``EXO_PROPERTY_EXAMPLES`` sets the number of examples (300).
"""

from __future__ import annotations

import itertools
import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exo_stdlib.scheduling as S
from exo_core import SchedulingError
from exo_core import ir
from exo_core.api import proc_from_source
from exo_core.cursors.base import lift
from exo_core.cursors.paths import GapLoc, NodeLoc

from tests.core.primitives.equivalence import outputs_after, random_inputs

BUFS = ("x", "y", "z")
_jit_sample = itertools.count()


# --------------------------------------------------------------------------
# random procedures


def _index(draw, iters):
    kind = draw(st.integers(0, 4))
    if kind == 0 or not iters:
        return str(draw(st.integers(0, 2)))
    v = draw(st.sampled_from(iters))
    if kind == 1:
        return v
    if kind == 2:
        return f"{v} + {draw(st.integers(1, 2))}"
    w = draw(st.sampled_from(iters))
    return f"{v} + {w}" if kind == 3 else v


def _access(draw, iters):
    return f"{draw(st.sampled_from(BUFS))}[{_index(draw, iters)}, {_index(draw, iters)}]"


# Callees taking a buffer element through a scalar parameter (C passes
# &x[i, j]): writes and reductions that the calling statement hides.
CALLEES = proc_from_source('''
def set_to(a: f32, b: f32):
    a = b
''', {}), proc_from_source('''
def add_to(a: f32, b: f32):
    a += b * 2.0
''', {})
SCOPE = {c.name(): c for c in CALLEES}


def _stmt(draw, iters):
    if draw(st.integers(0, 5)) == 0:
        dst, src = draw(st.permutations(BUFS))[:2]
        f = draw(st.sampled_from(sorted(SCOPE)))
        return (f"{f}({dst}[{_index(draw, iters)}, {_index(draw, iters)}], "
                f"{src}[{_index(draw, iters)}, {_index(draw, iters)}])")
    lhs = _access(draw, iters)
    op = draw(st.sampled_from(["=", "+="]))
    kind = draw(st.integers(0, 2))
    if kind == 0:
        rhs = f"{draw(st.integers(-2, 3))}.0"
    elif kind == 1:
        rhs = f"{_access(draw, iters)} * 2.0 + 1.0"
    else:
        rhs = f"{_access(draw, iters)} + {_access(draw, iters)}"
    return f"{lhs} {op} {rhs}"


@st.composite
def loop_nests(draw):
    depth = draw(st.integers(2, 3))
    names = ["i", "j", "k"][:depth]
    lines = ["def rnd(x: f32[8, 8], y: f32[8, 8], z: f32[8, 8]):"]

    def nest(level, iters, indent):
        it = names[level]
        lines.append(f"{indent}for {it} in seq(0, {draw(st.integers(1, 4))}):")
        inner = iters + [it]
        pad = indent + "    "
        if draw(st.integers(0, 3)) == 0:
            lines.append(pad + _stmt(draw, inner))
        if level + 1 < depth:
            nest(level + 1, inner, pad)
        else:
            for _ in range(draw(st.integers(1, 2))):
                lines.append(pad + _stmt(draw, inner))
        if draw(st.integers(0, 3)) == 0:
            lines.append(pad + _stmt(draw, inner))

    nest(0, [], "    ")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# random schedules


def _stmt_locs(node, steps=()):
    for field in ("body", "orelse"):
        for k, s in enumerate(getattr(node, field, ())):
            here = steps + ((field, k),)
            yield here, s
            yield from _stmt_locs(s, here)


_fresh = itertools.count()


def _name():
    return f"v{next(_fresh)}"


def _apply(draw, p):
    """One random primitive application (may raise SchedulingError)."""
    locs = list(_stmt_locs(p._root))
    loops = [(s, n) for s, n in locs if isinstance(n, ir.For)]
    stmts = [(s, n) for s, n in locs]
    op = draw(st.sampled_from(OPS))
    if op in ("fission", "autofission", "reorder_stmts"):
        pairs = [(s, n) for s, n in stmts
                 if s[-1][1] + 1 < len(getattr(_owner(p, s), s[-1][0]))]
        if not pairs:
            return p
        s, _ = draw(st.sampled_from(pairs))
        if op == "reorder_stmts":
            if not hasattr(S, "reorder_stmts"):
                return p
            c = lift(p, NodeLoc(s))
            return S.reorder_stmts(p, c.expand(0, 1))
        gap = lift(p, GapLoc(s[:-1], s[-1][0], s[-1][1] + 1, "after"))
        fn = S.fission if op == "fission" else S.autofission
        return fn(p, gap, n_lifts=draw(st.integers(1, 2)))
    if op == "add_loop":
        s, _ = draw(st.sampled_from(stmts))
        return S.add_loop(p, lift(p, NodeLoc(s)), _name(), draw(st.integers(1, 2)),
                          guard=draw(st.booleans()))
    if op == "simplify":
        return S.simplify(p) if hasattr(S, "simplify") else p
    if not loops:
        return p
    s, loop = draw(st.sampled_from(loops))
    c = lift(p, NodeLoc(s))
    if op == "divide_loop":
        return S.divide_loop(p, c, draw(st.integers(2, 3)), [_name(), _name()],
                             tail=draw(st.sampled_from(["guard", "cut", "cut_and_guard"])),
                             perfect=draw(st.booleans()))
    if op == "reorder_loops":
        return S.reorder_loops(p, c)
    if op == "remove_loop":
        return S.remove_loop(p, c)
    if op == "unroll_loop":
        return S.unroll_loop(p, c)
    if op == "cut_loop":
        return S.cut_loop(p, c, draw(st.integers(0, 3)))
    if op == "shift_loop":
        return S.shift_loop(p, c, draw(st.integers(0, 2)))
    if op == "mult_loops":
        return S.mult_loops(p, c, _name())
    if op == "divide_with_recompute":
        return S.divide_with_recompute(p, c, draw(st.integers(1, 2)), draw(st.integers(1, 2)),
                                       [_name(), _name()])
    if op == "join_loops":
        nxt = s[:-1] + ((s[-1][0], s[-1][1] + 1),)
        owner = getattr(_owner(p, s), s[-1][0])
        if s[-1][1] + 1 >= len(owner):
            return p
        return S.join_loops(p, c, lift(p, NodeLoc(nxt)))
    if op == "fuse":
        if not hasattr(S, "fuse"):
            return p
        owner = getattr(_owner(p, s), s[-1][0])
        if s[-1][1] + 1 >= len(owner):
            return p
        nxt = s[:-1] + ((s[-1][0], s[-1][1] + 1),)
        return S.fuse(p, c, lift(p, NodeLoc(nxt)))
    if op == "lift_scope":
        return S.lift_scope(p, c) if hasattr(S, "lift_scope") else p
    raise AssertionError(op)


def _owner(p, steps):
    node = p._root
    for f, k in steps[:-1]:
        node = getattr(node, f)[k]
    return node


OPS = ["divide_loop", "reorder_loops", "fission", "autofission", "remove_loop", "add_loop",
       "unroll_loop", "cut_loop", "shift_loop", "mult_loops", "divide_with_recompute",
       "join_loops", "reorder_stmts", "fuse", "lift_scope", "simplify"]


@settings(max_examples=int(os.environ.get("EXO_PROPERTY_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(source=loop_nests(), data=st.data())
def test_accepted_schedules_preserve_outputs(source, data):
    original = proc_from_source(source, SCOPE)
    p = original
    applied = []
    for _ in range(data.draw(st.integers(1, 4))):
        try:
            p = _apply(data.draw, p)
            applied.append(str(p))
        except SchedulingError:
            pass
    if p is original:
        return
    args = random_inputs(original, {}, np.random.default_rng(0))
    want = outputs_after(original, args, "interp")
    got = outputs_after(p, args, "interp")
    for name, a, b in zip(BUFS, want, got):
        np.testing.assert_array_equal(a, b, err_msg=f"{name} differs:\n{source}\n->\n{p}")
    if next(_jit_sample) % 40 == 0:  # the interpreter agrees with the compiled code
        for a, b in zip(got, outputs_after(p, args, "jit")):
            np.testing.assert_array_equal(a, b)
