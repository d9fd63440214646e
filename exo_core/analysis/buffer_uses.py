"""Every use of one buffer inside a block, with where it happens.

The buffer primitives (`stage_mem`, `resize_dim`, `expand_dim`,
`reuse_buffer`, ...) ask questions about each syntactic use of a buffer:
is this access inside a window, does it stay within a new extent? A
`BufferUse` gives the use's node, its location as terms (one entry per
dimension: a point or an interval), the facts that hold where it happens
(the facts at the block, the bounds of the loops inside the block, the
branch conditions) and the path of its statement::

    uses = buffer_uses(root, block_loc, x_sym)
    for u in uses:
        u.kinds        # ("read",), ("write",), ("reduce",), or a callee's kinds
        u.dims         # (("pt", i + 1), ("iv", 0, 4)) or None when unknown
        u.context      # 0 <= i < n and ...

Locations are over-approximated: an index the verifier cannot state, or one
that reads a configuration field (the block may write it), makes ``dims``
None ("some location"); a branch condition it cannot state is dropped from
``context``. Checks built on these facts (prove "inside", prove "disjoint")
are therefore conservative. Uses through a window statement's name are uses
of that name, not of the buffer; `window_aliases` lists those names.
"""

from __future__ import annotations

from attrs import frozen

from exo_verify import FALSE, TRUE, Formula, Not, conj, disj

import exo_core.ir as ir
from exo_core.cursors.paths import BlockLoc, resolve
from exo_core.ir.prelude import Sym
from exo_core.ir.types import TensorType
from exo_core.analysis.effects import READ, REDUCE, WRITE, param_kinds
from exo_core.analysis.logic import sym_var
from exo_core.analysis.logic_partial import cond_formula, context_at, ctrl_term, loop_range
from exo_core.analysis.obligations import discharge, must_hold


@frozen(eq=False)
class BufferUse:
    """One syntactic use of a buffer.

    ``role``: ``"read"`` (an element read), ``"target"`` (the left side of an
    assignment or reduction), ``"window"`` (a window expression),
    ``"whole"`` (the bare name passed to a call) or ``"stride"``.
    ``node`` is the `ir.Read`, `ir.WindowExpr`, `ir.StrideExpr`, or the
    `ir.Assign`/`ir.Reduce` statement for a target. ``steps`` is the path of
    the enclosing statement from the procedure's root.
    """

    role: str
    kinds: tuple
    node: object
    dims: tuple | None
    context: Formula
    steps: tuple
    stmt: ir.Stmt

    @property
    def srcinfo(self):
        return getattr(self.node, "srcinfo", None) or self.stmt.srcinfo


def _has_config(e) -> bool:
    if isinstance(e, ir.ReadConfig):
        return True
    return any(_has_config(c) for c in ir.expr_children(e))


def _term(e):
    if e is None or _has_config(e):
        return None
    return ctrl_term(e)


def _point_dims(idx) -> tuple | None:
    out = []
    for e in idx:
        t = _term(e)
        if t is None:
            return None
        out.append(("pt", t))
    return tuple(out)


def _window_dims(w: ir.WindowExpr) -> tuple | None:
    out = []
    for a in w.idx:
        if isinstance(a, ir.Interval):
            lo, hi = _term(a.lo), _term(a.hi)
            if lo is None or hi is None:
                return None
            out.append(("iv", lo, hi))
        else:
            t = _term(a.pt)
            if t is None:
                return None
            out.append(("pt", t))
    return tuple(out)


class _Walker:
    def __init__(self, buf: Sym):
        self.buf = buf
        self.out: list = []

    def block(self, owner, field, stmts, lo, hi, ctx):
        for k in range(lo, hi):
            self.stmt(owner + ((field, k),), stmts[k], ctx)

    def stmt(self, steps, s, ctx):
        if isinstance(s, (ir.Assign, ir.Reduce)):
            for e in s.idx:
                self.expr(e, steps, s, ctx)
            self.expr(s.rhs, steps, s, ctx)
            if s.name is self.buf:
                kind = WRITE if isinstance(s, ir.Assign) else REDUCE
                self.out.append(BufferUse("target", (kind,), s, _point_dims(s.idx), ctx, steps, s))
        elif isinstance(s, ir.WriteConfig):
            self.expr(s.rhs, steps, s, ctx)
        elif isinstance(s, ir.If):
            self.expr(s.cond, steps, s, ctx)
            f = cond_formula(s.cond) if not _has_config(s.cond) else None
            self.block(steps, "body", s.body, 0, len(s.body), ctx if f is None else conj(ctx, f))
            self.block(steps, "orelse", s.orelse, 0, len(s.orelse),
                       ctx if f is None else conj(ctx, Not(f)))
        elif isinstance(s, ir.For):
            self.expr(s.lo, steps, s, ctx)
            self.expr(s.hi, steps, s, ctx)
            inner = ctx
            if not (_has_config(s.lo) or _has_config(s.hi)):
                inner = conj(ctx, loop_range(s, sym_var(s.iter)))
            self.block(steps, "body", s.body, 0, len(s.body), inner)
        elif isinstance(s, ir.Alloc):
            if isinstance(s.type, TensorType):
                for e in s.type.shape_exprs:
                    self.expr(e, steps, s, ctx)
        elif isinstance(s, ir.WindowStmt):
            self.expr(s.rhs, steps, s, ctx)
        elif isinstance(s, ir.Call):
            arg_kinds = param_kinds(s.f)
            for k, a in enumerate(s.args):
                kinds = arg_kinds[k] if k < len(arg_kinds) else ()
                self.expr(a, steps, s, ctx, kinds)

    def expr(self, e, steps, s, ctx, call_kinds=None):
        if isinstance(e, ir.Read):
            for i in e.idx:
                self.expr(i, steps, s, ctx)
            if e.name is self.buf:
                kinds = call_kinds if call_kinds is not None else (READ,)
                if not e.idx and isinstance(e.type, TensorType):
                    self.out.append(BufferUse("whole", kinds, e, None, ctx, steps, s))
                else:
                    self.out.append(BufferUse("read", kinds, e, _point_dims(e.idx), ctx, steps, s))
        elif isinstance(e, ir.WindowExpr):
            for c in ir.expr_children(e):
                self.expr(c, steps, s, ctx)
            if e.name is self.buf:
                kinds = call_kinds if call_kinds is not None else (READ, WRITE, REDUCE)
                self.out.append(BufferUse("window", kinds, e, _window_dims(e), ctx, steps, s))
        elif isinstance(e, ir.StrideExpr):
            if e.name is self.buf:
                self.out.append(BufferUse("stride", (), e, None, ctx, steps, s))
        else:
            for c in ir.expr_children(e):
                self.expr(c, steps, s, ctx)


def block_facts(root: ir.ProcIR, loc: BlockLoc) -> Formula:
    """What holds just before the first statement of a block."""
    ctx, _ = context_at(root, loc.owner + ((loc.field, loc.lo),))
    return ctx


def buffer_uses(root: ir.ProcIR, loc: BlockLoc, buf: Sym, facts: Formula | None = None) -> list:
    """The uses of ``buf`` in the statements of ``loc`` (in program order).
    ``facts`` (default: the facts at the block) are assumed everywhere."""
    ctx = block_facts(root, loc) if facts is None else facts
    owner_node = resolve(root, loc.owner)
    stmts = getattr(owner_node, loc.field)
    w = _Walker(buf)
    w.block(loc.owner, loc.field, stmts, loc.lo, loc.hi, ctx)
    return w.out


def window_aliases(root: ir.ProcIR, buf: Sym) -> set:
    """Names of window statements that view ``buf`` (directly or through
    another such window)."""
    names = {buf}
    found: set = set()

    def visit(stmts):
        for s in stmts:
            if isinstance(s, ir.WindowStmt) and s.rhs.name in names:
                names.add(s.name)
                found.add(s.name)
            for f in s.block_fields:
                visit(getattr(s, f))
    visit(root.body)
    return found


# --------------------------------------------------------------------------
# Locations against a box (a window of the buffer, or a new extent)


def point_in_box(dims: tuple, box: tuple) -> Formula:
    """The use's location lies in ``box`` (entries ``("pt", p)`` or
    ``("iv", lo, hi)``, one per dimension). A use's interval must lie in a box
    interval; a use's interval never counts as inside a box point (the
    rewrite would change the window's rank)."""
    parts = []
    for u, b in zip(dims, box):
        if u[0] == "pt" and b[0] == "pt":
            parts.append(u[1].eq(b[1]))
        elif u[0] == "pt":
            parts.append(conj(b[1] <= u[1], u[1] < b[2]))
        elif b[0] == "iv":
            parts.append(disj(u[2] <= u[1], conj(b[1] <= u[1], u[2] <= b[2])))
        else:
            parts.append(FALSE)
    return conj(*parts)


def disjoint_from_box(dims: tuple, box: tuple) -> Formula:
    """No location of the use lies in ``box``."""
    parts = []
    for u, b in zip(dims, box):
        ulo, uhi = (u[1], u[1] + 1) if u[0] == "pt" else (u[1], u[2])
        blo, bhi = (b[1], b[1] + 1) if b[0] == "pt" else (b[1], b[2])
        parts.append(disj(uhi <= blo, bhi <= ulo, uhi <= ulo, bhi <= blo))
    return disj(*parts)


def holds(primitive: str, claim: str, goal: Formula, facts: Formula = TRUE) -> bool:
    """True when the verifier proves ``goal`` under ``facts`` (a question,
    not a requirement: nothing is raised)."""
    return discharge(must_hold(primitive, claim, goal, facts)).status == "proved"


__all__ = ["BufferUse", "READ", "WRITE", "REDUCE", "block_facts", "buffer_uses",
           "disjoint_from_box", "holds", "point_in_box", "window_aliases"]
