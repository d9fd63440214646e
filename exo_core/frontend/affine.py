"""Small facts about control expressions the front end needs.

- `constant_value`: the integer value of a closed control expression.
- `linear_form`: an affine expression as ``{Sym: coeff, None: const}``; a
  non-affine part (``M / 6``, ``m * n``) is one more term, keyed by its
  structure.
- `window_extent`: ``hi - lo`` of a window interval, simplified to a constant
  when the difference is constant (``4 + 4 * i`` minus ``4 * i`` is ``4``,
  ``1 + r + 6 * (M / 6)`` minus ``r + 6 * (M / 6)`` is ``1``).
- `substitute`: replace symbols by expressions (a callee's shapes in terms of
  the caller's arguments).
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.ir.types import INDEX, INT


def constant_value(e) -> int | None:
    """The value of an integer expression built from literals, or None."""
    if isinstance(e, ir.Const):
        if isinstance(e.val, bool) or not isinstance(e.val, int):
            return None
        return e.val
    if isinstance(e, ir.USub):
        v = constant_value(e.arg)
        return None if v is None else -v
    if isinstance(e, ir.BinOp) and e.op in ("+", "-", "*", "/", "%"):
        lhs = constant_value(e.lhs)
        rhs = constant_value(e.rhs)
        if lhs is None or rhs is None:
            return None
        if e.op == "+":
            return lhs + rhs
        if e.op == "-":
            return lhs - rhs
        if e.op == "*":
            return lhs * rhs
        if rhs <= 0:
            return None
        return lhs // rhs if e.op == "/" else lhs % rhs
    return None


def _structure(e):
    """A hashable key equal for structurally equal control expressions."""
    if isinstance(e, ir.Read) and not e.idx:
        return e.name
    if isinstance(e, ir.Const):
        return ("const", e.val)
    if isinstance(e, ir.USub):
        arg = _structure(e.arg)
        return None if arg is None else ("-", arg)
    if isinstance(e, ir.BinOp):
        lhs, rhs = _structure(e.lhs), _structure(e.rhs)
        return None if lhs is None or rhs is None else (e.op, lhs, rhs)
    return None


def linear_form(e) -> dict | None:
    """``{term: coeff, ..., None: const}`` for an integer control expression:
    its terms are symbols and the non-affine parts (``M / 6``, keyed by
    structure); None for anything else."""
    v = constant_value(e)
    if v is not None:
        return {None: v}
    if isinstance(e, ir.Read) and not e.idx:
        return {e.name: 1, None: 0}
    if isinstance(e, ir.USub):
        f = linear_form(e.arg)
        return None if f is None else {k: -c for k, c in f.items()}
    if isinstance(e, ir.BinOp) and e.op in ("+", "-"):
        lhs, rhs = linear_form(e.lhs), linear_form(e.rhs)
        if lhs is None or rhs is None:
            return None
        sign = 1 if e.op == "+" else -1
        out = dict(lhs)
        for k, c in rhs.items():
            out[k] = out.get(k, 0) + sign * c
        return out
    if isinstance(e, ir.BinOp) and e.op == "*":
        lc, rc = constant_value(e.lhs), constant_value(e.rhs)
        if lc is not None:
            f = linear_form(e.rhs)
            return None if f is None else {k: lc * c for k, c in f.items()}
        if rc is not None:
            f = linear_form(e.lhs)
            return None if f is None else {k: rc * c for k, c in f.items()}
    if isinstance(e, ir.BinOp) and e.op in ("*", "/", "%"):
        key = _structure(e)
        if key is not None:
            return {("term", key): 1, None: 0}
    return None


def window_extent(lo, hi, srcinfo) -> ir.Expr:
    """The extent ``hi - lo`` of a window interval (typed, control)."""
    lf, hf = linear_form(lo), linear_form(hi)
    if lf is not None and hf is not None:
        diff = dict(hf)
        for k, c in lf.items():
            diff[k] = diff.get(k, 0) - c
        if all(c == 0 for k, c in diff.items() if k is not None):
            return ir.Const(diff.get(None, 0), INT, srcinfo)
    if constant_value(lo) == 0:
        return hi
    return ir.BinOp("-", hi, lo, INDEX, srcinfo)


def substitute(e, mapping: dict):
    """``e`` with each ``Read(sym)`` for ``sym`` in ``mapping`` replaced."""
    if isinstance(e, ir.Read):
        if not e.idx and e.name in mapping:
            return mapping[e.name]
        if e.idx:
            return e.update(idx=tuple(substitute(i, mapping) for i in e.idx))
        return e
    if isinstance(e, ir.USub):
        return e.update(arg=substitute(e.arg, mapping))
    if isinstance(e, ir.BinOp):
        return e.update(lhs=substitute(e.lhs, mapping), rhs=substitute(e.rhs, mapping))
    return e
