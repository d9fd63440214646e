"""Staging helpers that work out their own windows and shapes (Exo's
``auto_stage_mem`` and ``autolift_alloc``), built only from public
primitives (stage_mem, lift_alloc, expand_dim, rearrange_dim) and cursors.

``auto_stage_mem`` bounds every access of a buffer in a block by interval
arithmetic over the loops inside the block, then stages that window::

    for i in seq(0, 4):                          A_t : f32[4, 8]
        for j in seq(0, 8):          -->         (copy A[2:6, 1:9] into A_t)
            B[i, j] += A[i + 2, j + 1]           for i in seq(0, 4):
                                                     for j in seq(0, 8):
    auto_stage_mem(p, loop, "A", "A_t")                  B[i, j] += A_t[i, j]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from exo_core.cursors.expr_cursors import (BinOpCursor, BuiltInFunctionCursor, ExprCursor,
                                           LiteralCursor, ReadCursor, UnaryMinusCursor,
                                           WindowExprCursor)
from exo_core.cursors.stmt_cursors import (AllocCursor, AssignConfigCursor, AssignCursor,
                                           BlockCursor, CallCursor, ForCursor, IfCursor,
                                           InvalidCursor, ReduceCursor, StmtCursor,
                                           WindowStmtCursor)
from exo_core.errors import SchedulingError
from exo_core.procedure import Procedure
from exo_core.primitives.buffers_alloc import lift_alloc
from exo_core.primitives.buffers_dims import expand_dim, rearrange_dim
from exo_core.primitives.buffers_staging import stage_mem

__all__ = ["auto_stage_mem", "autolift_alloc"]


# --------------------------------------------------------------------------
# Bounds as text: an endpoint is ``sym + const`` with ``sym`` an expression
# text that does not vary inside the block (or None for a plain constant).


@dataclass(frozen=True)
class _End:
    sym: Optional[str]
    const: int

    def text(self) -> str:
        if self.sym is None:
            return str(self.const)
        if self.const == 0:
            return self.sym
        if self.const > 0:
            return f"{self.sym} + {self.const}"
        return f"{self.sym} - {-self.const}"

    def atom(self) -> str:
        """The text, parenthesised unless it is a name or a number."""
        t = self.text()
        return t if re.fullmatch(r"\w+", t) else f"({t})"


def _add(a: _End, b: _End) -> _End:
    if a.sym is None or b.sym is None:
        return _End(a.sym if b.sym is None else b.sym, a.const + b.const)
    if b.sym.startswith("-"):
        return _End(f"{a.sym} - {b.sym[1:]}", a.const + b.const)
    return _End(f"{a.sym} + {b.sym}", a.const + b.const)


def _neg(a: _End) -> _End:
    return _End(None if a.sym is None else f"-{_End(a.sym, 0).atom()}", -a.const)


def _scale(k: int, a: _End) -> _End:
    if a.sym is None or k == 0:
        return _End(None, k * a.const)
    if k == 1:
        return a
    return _End(f"{k} * {_End(a.sym, 0).atom()}", k * a.const)


@dataclass(frozen=True)
class _Range:
    """Inclusive bounds of an index expression over the block's loops;
    ``varies`` when it depends on an iterator of a loop inside the block."""
    lo: _End
    hi: _End
    varies: bool


class _Unbounded(Exception):
    pass


def _point(text: str) -> _Range:
    e = _End(text, 0)
    return _Range(e, e, False)


def _bounds(e: ExprCursor, env: dict) -> _Range:
    if isinstance(e, LiteralCursor):
        v = e.value()
        if isinstance(v, bool) or not isinstance(v, int):
            raise _Unbounded(str(e))
        return _Range(_End(None, v), _End(None, v), False)
    if isinstance(e, ReadCursor) and len(e.idx()) == 0:
        if e.name() in env:
            return env[e.name()]
        return _point(e.name())
    if isinstance(e, UnaryMinusCursor):
        a = _bounds(e.arg(), env)
        return _Range(_neg(a.hi), _neg(a.lo), a.varies)
    if isinstance(e, BinOpCursor) and e.op() in ("+", "-", "*"):
        a, b = _bounds(e.lhs(), env), _bounds(e.rhs(), env)
        if not a.varies and not b.varies:
            return _point(str(e))
        if e.op() == "+":
            return _Range(_add(a.lo, b.lo), _add(a.hi, b.hi), True)
        if e.op() == "-":
            return _Range(_add(a.lo, _neg(b.hi)), _add(a.hi, _neg(b.lo)), True)
        k, r = (a, b) if a.lo.sym is None and a.lo == a.hi else (b, a)
        if not (k.lo.sym is None and k.lo == k.hi):
            raise _Unbounded(str(e))
        f = k.lo.const
        lo, hi = _scale(f, r.lo), _scale(f, r.hi)
        return _Range(lo, hi, True) if f >= 0 else _Range(hi, lo, True)
    if isinstance(e, (ReadCursor, BinOpCursor, BuiltInFunctionCursor)):
        # a read of data, a division or modulo: usable only if it is the
        # same whatever the block's iterators are
        if any(name in env for name in _names_in(e)):
            raise _Unbounded(str(e))
        return _point(str(e))
    raise _Unbounded(str(e))


def _names_in(e: ExprCursor) -> set:
    out = set()
    if isinstance(e, ReadCursor):
        out.add(e.name())
        for i in e.idx():
            out |= _names_in(i)
    elif isinstance(e, BinOpCursor):
        out |= _names_in(e.lhs()) | _names_in(e.rhs())
    elif isinstance(e, UnaryMinusCursor):
        out |= _names_in(e.arg())
    elif isinstance(e, BuiltInFunctionCursor):
        for a in e.args():
            out |= _names_in(a)
    elif isinstance(e, WindowExprCursor):
        for d in e.idx():
            for part in (d if isinstance(d, tuple) else (d,)):
                out |= _names_in(part)
    return out


class _Accesses:
    """Per-dimension ranges of every access of one buffer in a block."""

    def __init__(self, buf: str):
        self.buf = buf
        self.dims: Optional[list] = None

    def add(self, ranges: list, where: str) -> None:
        if self.dims is None:
            self.dims = list(ranges)
            return
        if len(ranges) != len(self.dims):
            raise SchedulingError(f"auto_stage_mem: {self.buf} is accessed with "
                                  f"{len(ranges)} and {len(self.dims)} indices")
        self.dims = [_join(a, b, self.buf) for a, b in zip(self.dims, ranges)]

    def expr(self, e: ExprCursor, env: dict) -> None:
        if isinstance(e, ReadCursor):
            if e.name() == self.buf:
                self.add([_bounds(i, env) for i in e.idx()], str(e))
            for i in e.idx():
                self.expr(i, env)
        elif isinstance(e, WindowExprCursor):
            if e.name() == self.buf:
                ranges = []
                for d in e.idx():
                    if isinstance(d, tuple):
                        lo, hi = _bounds(d[0], env), _bounds(d[1], env)
                        ranges.append(_Range(lo.lo, _add(hi.hi, _End(None, -1)), True))
                    else:
                        ranges.append(_bounds(d, env))
                self.add(ranges, str(e))
        elif isinstance(e, BinOpCursor):
            self.expr(e.lhs(), env)
            self.expr(e.rhs(), env)
        elif isinstance(e, UnaryMinusCursor):
            self.expr(e.arg(), env)
        elif isinstance(e, BuiltInFunctionCursor):
            for a in e.args():
                self.expr(a, env)

    def stmts(self, stmts, env: dict) -> None:
        for s in stmts:
            self.stmt(s, env)

    def stmt(self, s: StmtCursor, env: dict) -> None:
        if isinstance(s, (AssignCursor, ReduceCursor)):
            if s.name() == self.buf:
                self.add([_bounds(i, env) for i in s.idx()], str(s))
            for i in s.idx():
                self.expr(i, env)
            self.expr(s.rhs(), env)
        elif isinstance(s, AssignConfigCursor):
            self.expr(s.rhs(), env)
        elif isinstance(s, CallCursor):
            for a in s.args():
                self.expr(a, env)
        elif isinstance(s, WindowStmtCursor):
            self.expr(s.winexpr(), env)
        elif isinstance(s, IfCursor):
            self.expr(s.cond(), env)
            self.stmts(s.body(), env)
            if not isinstance(s.orelse(), InvalidCursor):
                self.stmts(s.orelse(), env)
        elif isinstance(s, ForCursor):
            lo, hi = _bounds(s.lo(), env), _bounds(s.hi(), env)
            inner = dict(env)
            inner[s.name()] = _Range(lo.lo, _add(hi.hi, _End(None, -1)), True)
            self.stmts(s.body(), inner)


def _join(a: _Range, b: _Range, buf: str) -> _Range:
    if a == b:
        return a
    lo = _min_end(a.lo, b.lo, buf)
    hi = _max_end(a.hi, b.hi, buf)
    return _Range(lo, hi, a.varies or b.varies or lo != hi)


def _min_end(a: _End, b: _End, buf: str) -> _End:
    if a.sym != b.sym:
        raise SchedulingError(f"auto_stage_mem: cannot bound the accesses of {buf}: "
                              f"{a.text()} and {b.text()} are not comparable")
    return a if a.const <= b.const else b


def _max_end(a: _End, b: _End, buf: str) -> _End:
    if a.sym != b.sym:
        raise SchedulingError(f"auto_stage_mem: cannot bound the accesses of {buf}: "
                              f"{a.text()} and {b.text()} are not comparable")
    return a if a.const >= b.const else b


def _window_text(buf: str, dims: list) -> str:
    parts = []
    for d in dims:
        if d.varies or d.lo != d.hi:
            parts.append(f"{d.lo.text()}:{_add(d.hi, _End(None, 1)).text()}")
        else:
            parts.append(d.lo.text())
    return f"{buf}[{', '.join(parts)}]" if parts else buf


def _as_block(proc: Procedure, block) -> BlockCursor:
    block = proc.forward(block)
    if isinstance(block, StmtCursor):
        return block.as_block()
    if isinstance(block, BlockCursor):
        return block
    raise SchedulingError("auto_stage_mem: expected a statement or block cursor, got "
                          f"{type(block).__name__}")


def auto_stage_mem(proc: Procedure, block, buff: str, new_buff_name: Optional[str] = None,
                   accum: bool = False, rc: bool = False):
    """`stage_mem` of the smallest window of ``buff`` (a box) that holds every
    access of it in ``block`` (a statement or block cursor); the bounds come
    from the ranges of the loops inside the block, an index that does not
    depend on them stays a point::

        for c in seq(0, 4):                       out_tile : i32
            out[i, j] += k[i, c] * y[c]    -->    out_tile = out[i, j]
                                                  for c in seq(0, 4):
        auto_stage_mem(p, loop, "out",                out_tile += k[i, c] * y[c]
                       "out_tile")                out[i, j] = out_tile

    ``new_buff_name`` defaults to ``"var0"``. With ``rc=True`` it returns
    ``(proc, (c0, c1, block, c3))`` as the reference does: ``c0`` and ``c1``
    are the two statements before the staged block (the allocation and the
    load; when no load is needed, the statement before the allocation and the
    allocation), ``c3`` the statement after it (the store back, when there
    is one).
    """
    if not isinstance(buff, str):
        raise SchedulingError(f"auto_stage_mem: expected the buffer's name, got {buff!r}")
    blk = _as_block(proc, block)
    acc = _Accesses(buff)
    try:
        acc.stmts(list(blk), {})
    except _Unbounded as e:
        raise SchedulingError(f"auto_stage_mem: cannot bound the index {e} of {buff} over the "
                              "loops of the block (not supported yet)") from None
    if acc.dims is None:
        raise SchedulingError(f"auto_stage_mem: {buff} is not accessed in the block")
    name = new_buff_name if new_buff_name is not None else "var0"
    proc = stage_mem(proc, blk, _window_text(buff, acc.dims), name, accum=accum)
    if not rc:
        return proc
    blk = proc.forward(blk)
    first, last = blk[0], blk[len(blk) - 1]
    return proc, (first.prev(2), first.prev(1), blk, last.next())


# --------------------------------------------------------------------------
# autolift_alloc


def _extent(loop: ForCursor):
    lo, hi = loop.lo(), loop.hi()
    if isinstance(lo, LiteralCursor) and isinstance(hi, LiteralCursor):
        return hi.value() - lo.value()
    if isinstance(lo, LiteralCursor) and lo.value() == 0:
        return str(hi)
    return f"{hi} - ({lo})"


def autolift_alloc(proc: Procedure, alloc_cursor, n_lifts: int = 1, mode: str = "row",
                   size=None, keep_dims: bool = False) -> Procedure:
    """Lift an allocation out of ``n_lifts`` enclosing loops and ifs, as
    `lift_alloc` does; with ``keep_dims=True`` each loop lifted over also
    becomes a dimension of the buffer (indexed by that loop's iterator), in
    front of the existing ones (``mode="row"``) or after them (``"col"``)::

        for i in seq(0, 8):                      t : f32[8, 2]
            t : f32[2]              -->          for i in seq(0, 8):
            t[0] = x[i]                              t[i, 0] = x[i]
        autolift_alloc(p, t, keep_dims=True)

    ``size`` is accepted for compatibility and ignored without keep_dims;
    with keep_dims it is not supported.
    """
    if isinstance(n_lifts, bool) or not isinstance(n_lifts, int) or n_lifts < 1:
        raise SchedulingError(f"autolift_alloc: n_lifts must be a positive integer, got {n_lifts!r}")
    if mode not in ("row", "col"):
        raise SchedulingError(f"autolift_alloc: mode must be 'row' or 'col', got {mode!r}")
    if keep_dims and size is not None:
        raise SchedulingError("autolift_alloc: size together with keep_dims is not supported yet")
    alloc = proc.forward(alloc_cursor) if not isinstance(alloc_cursor, str) else proc.find(alloc_cursor)
    if not isinstance(alloc, AllocCursor):
        raise SchedulingError("autolift_alloc: expected an allocation cursor, got "
                              f"{type(alloc).__name__}")
    scopes = []
    s = alloc.parent()
    while isinstance(s, (ForCursor, IfCursor)) and len(scopes) < n_lifts:
        scopes.append(s)
        s = s.parent()
    if len(scopes) < n_lifts:
        raise SchedulingError(f"autolift_alloc: cannot lift {n_lifts} times: the allocation "
                              f"is inside only {len(scopes)} loops and ifs")
    n_dims = len(alloc.shape()) if alloc.is_tensor() else 0
    added = 0
    for scope in scopes:
        if keep_dims and isinstance(scope, ForCursor):
            proc = expand_dim(proc, alloc, _extent(scope), scope.name())
            added += 1
        proc = lift_alloc(proc, alloc)
    if keep_dims and mode == "col" and added and n_dims:
        # the new dimensions went in front, outermost loop first; move them last
        perm = list(range(added, added + n_dims)) + list(range(added))
        proc = rearrange_dim(proc, alloc, perm)
    return proc
