"""Property tests: random edit sequences forward cursors exactly as re-finding
the same code would.

Every generated statement and constant carries a unique marker (its source
line), which `update`-style edits keep and new code never reuses. After random
primitives made of random elementary edits, each statement cursor of the
original procedure must forward to where its marker now is (or be invalid when
the marker is gone), and likewise for expression cursors; gap cursors whose
anchor survives must sit next to that anchor, on the same side; forwarded
blocks must be well formed.
"""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings, strategies as st

from exo_core.cursors import (BlockCursor, ForCursor, GapCursor, IfCursor, InvalidCursor,
                              StmtCursor, AssignCursor)
from exo_core.errors import SchedulingError
from exo_core.ir import Assign, BinOp, Const, For, FnArg, If, ProcIR, Read
from exo_core.cursors.paths import NodeLoc
from exo_core.ir.prelude import SrcInfo, Sym
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.procedure import Procedure
from exo_core.ir.types import BOOL, INDEX, INT, R, TensorType, F32
from exo_core.ir.memory import DRAM

_lines = itertools.count(1)
X = Sym("x")
I = Sym("i")


def _si():
    return SrcInfo("gen.py", next(_lines), 0)


def _assign():
    si = _si()
    return Assign(X, R, (Const(0, INT),), Const(float(si.lineno), R, _si()), si)


def _block(rng, depth):
    out = []
    for _ in range(rng.randint(1, 4)):
        r = rng.random()
        if depth < 3 and r < 0.25:
            out.append(For(I, Const(0, INT), Const(4, INT), _block(rng, depth + 1), "seq",
                           _si()))
        elif depth < 3 and r < 0.4:
            cond = BinOp("<", Read(I, (), INDEX), Const(2, INT), BOOL)
            orelse = _block(rng, depth + 1) if rng.random() < 0.5 else []
            out.append(If(cond, _block(rng, depth + 1), orelse, _si()))
        else:
            out.append(_assign())
    return out


def _proc(rng):
    args = (FnArg(X, TensorType(F32, (Const(8, INT),)), DRAM),)
    return Procedure(ProcIR("gen", args, (), _block(rng, 0)))


def _walk(block_cursor, out):
    for s in block_cursor:
        out.append(s)
        if isinstance(s, (ForCursor, IfCursor)):
            _walk(s.body(), out)
            if isinstance(s, IfCursor) and s.orelse():
                _walk(s.orelse(), out)
    return out


def _stmts(p):
    return _walk(p.body(), [])


def _marker(c):
    n = c._node()
    return (type(n).__name__, n.srcinfo.lineno)


def _random_edit(rng, ed):
    """Apply one random elementary edit; returns its kind."""
    p = ed.current()
    stmts = _stmts(p)
    s = rng.choice(stmts)
    kind = rng.choice(["replace", "insert", "delete", "wrap", "unwrap", "move",
                       "expr", "update", "map"])
    blk_full = s.as_block().expand(None, None)
    lo = rng.randrange(len(blk_full))
    hi = rng.randrange(lo + 1, len(blk_full) + 1)
    blk = blk_full[lo:hi]
    if kind == "replace":
        ed.replace_block(blk, [_assign() for _ in range(rng.randint(0, 2))])
    elif kind == "insert":
        gap = s.before() if rng.random() < 0.5 else s.after()
        ed.insert(gap, [_assign() for _ in range(rng.randint(1, 2))])
    elif kind == "delete":
        ed.delete(blk)
    elif kind == "wrap":
        if rng.random() < 0.5:
            ed.wrap(blk, lambda b: For(Sym("w"), Const(0, INT), Const(2, INT), b, "seq", _si()))
        else:
            cond = BinOp("<", Const(0, INT), Const(1, INT), BOOL)
            ed.wrap(blk, lambda b: If(cond, b, [], _si()))
    elif kind == "unwrap":
        loops = [c for c in stmts if isinstance(c, (ForCursor, IfCursor))]
        if not loops:
            return None
        target = rng.choice(loops)
        branch = "orelse" if isinstance(target, IfCursor) and target.orelse() and \
            rng.random() < 0.5 else "body"
        ed.unwrap(target, branch)
    elif kind == "move":
        dst = rng.choice(stmts)
        gap = dst.before() if rng.random() < 0.5 else dst.after()
        try:
            ed.move(blk, gap)
        except SchedulingError:
            return None  # destination inside the moved block
    elif kind == "expr":
        assigns = [c for c in stmts if isinstance(c, AssignCursor)]
        if not assigns:
            return None
        ed.replace_expr(rng.choice(assigns).rhs(), Const(-1.0, R, _si()))
    elif kind == "update":
        if isinstance(s, ForCursor):
            ed.update(s, hi=Const(rng.randint(1, 9), INT, _si()))
        elif isinstance(s, AssignCursor):
            ed.update(s, rhs=Const(-2.0, R, _si()))
        else:
            return None
    else:
        chosen = {id(c._node().rhs) for c in stmts
                  if isinstance(c, AssignCursor) and rng.random() < 0.5}
        ed.map_exprs(blk, lambda e: Const(-3.0, R, _si()) if id(e) in chosen else e)
    return kind


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False))
def test_random_edits_forward_like_refinding(rng: random.Random):
    p0 = _proc(rng)
    stmts0 = _stmts(p0)
    exprs0 = [c.rhs() for c in stmts0 if isinstance(c, AssignCursor)]
    gaps0 = []
    for c in stmts0:
        gaps0 += [c.before(), c.after()]
    blocks0 = []
    for c in stmts0:
        full = c.as_block().expand(None, None)
        a = rng.randrange(len(full))
        blocks0.append(full[a:rng.randrange(a + 1, len(full) + 1)])

    p, kinds = p0, []
    for _ in range(rng.randint(1, 3)):  # primitives
        ed = ProcEditor(p)
        for _ in range(rng.randint(1, 4)):  # edits per primitive
            kinds.append(_random_edit(rng, ed))
        p = ed.finish()

    final = {_marker(c): c for c in _stmts(p)}
    final_exprs = {c.rhs()._node().srcinfo.lineno: c.rhs()
                   for c in final.values() if isinstance(c, AssignCursor)}

    # statements: exactly like re-finding the marker
    for c in stmts0:
        fwd = p.forward(c)
        expected = final.get(_marker(c))
        if expected is None:
            assert isinstance(fwd, InvalidCursor), (kinds, c, fwd)
        else:
            assert fwd == expected, (kinds, c, fwd, expected)

    # expressions: valid exactly when the constant itself is still there
    for e in exprs0:
        fwd = p.forward(e)
        expected = final_exprs.get(e._node().srcinfo.lineno)
        if expected is None:
            assert isinstance(fwd, InvalidCursor), (kinds, e)
        else:
            assert fwd == expected, (kinds, e, fwd, expected)

    # gaps: next to their anchor when it survives
    for g in gaps0:
        anchor = final.get(_marker(g.anchor()))
        fwd = p.forward(g)
        if anchor is None:
            continue
        assert isinstance(fwd, GapCursor), (kinds, g)
        if g._loc.anchor == "before":
            assert fwd.after() == anchor, (kinds, g, fwd)
        else:
            assert fwd.before() == anchor, (kinds, g, fwd)

    # blocks: well formed; without moves they still contain what survives
    moved = "move" in kinds
    for b in blocks0:
        fwd = p.forward(b)
        if not fwd:
            continue
        assert isinstance(fwd, BlockCursor) and len(fwd) >= 1
        inside = {_marker(s) for s in _walk(fwd, [])}
        assert len(fwd) <= len(fwd.expand(None, None))
        if not moved:
            for s in _walk(b, []):
                if _marker(s) in final:
                    assert _marker(s) in inside, (kinds, b, s)
