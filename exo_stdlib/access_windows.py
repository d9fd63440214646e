"""The part of a buffer that a loop's body touches, read through public
cursors, for the Halide-style operations: index expressions as affine forms
over control variables, the window of a producer's dimension one consumer
iteration reads, and the box of a buffer a loop body accesses::

    affine(p.find("out[_] = _").idx()[0])       # {"y": 4, "yi": 1}
    consumer_window(loop, "prod", "compute_at")  # ReadSpan(dim=0, stride=4, size=6, ...)
    access_box(loop, "prod", "store_at")         # [(offset, size), ...] per dimension

An affine form is a dict from atoms (the name of a control variable, or the
text of a quotient ``(E) / c``) to integer coefficients, the constant under
the key ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from exo_core.cursors import (AssignCursor, BinOpCursor, BuiltInFunctionCursor,
                              CallCursor, ForCursor, IfCursor, InvalidCursor, LiteralCursor,
                              ReadCursor, ReduceCursor, UnaryMinusCursor, WindowExprCursor)
from exo_stdlib.cursor_walk import expr_text
from exo_stdlib.traversals import child_steps, stmts_preorder
from exo_stdlib.loop_helpers import err

__all__ = ["ReadSpan", "affine", "affine_text", "exact_affine", "consumer_window", "access_box",
           "accesses_of"]


def _add(a: dict, b: dict, sign: int = 1) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + sign * v
    return {k: v for k, v in out.items() if v != 0 or k is None}


def _scale(a: dict, c: int) -> dict:
    return {k: c * v for k, v in a.items()}


def affine(e) -> dict | None:
    """``e`` as an affine form over control variables with integer
    coefficients (a quotient by a literal is one atom), or None."""
    if isinstance(e, LiteralCursor):
        v = e.value()
        return {None: v} if isinstance(v, int) and not isinstance(v, bool) else None
    if isinstance(e, ReadCursor):
        return {None: 0, e.name(): 1} if len(e.idx()) == 0 else None
    if isinstance(e, UnaryMinusCursor):
        a = affine(e.arg())
        return None if a is None else _scale(a, -1)
    if not isinstance(e, BinOpCursor):
        return None
    if e.op() == "/":
        rhs = affine(e.rhs())
        if rhs is None or set(rhs) != {None} or affine(e.lhs()) is None:
            return None
        return {None: 0, f"({expr_text(e.lhs())}) / {rhs[None]}": 1}
    a, b = affine(e.lhs()), affine(e.rhs())
    if a is None or b is None:
        return None
    if e.op() in ("+", "-"):
        return _add(a, b, 1 if e.op() == "+" else -1)
    if e.op() == "*":
        if set(a) == {None}:
            return _scale(b, a[None])
        if set(b) == {None}:
            return _scale(a, b[None])
    return None


def exact_affine(e) -> dict | None:
    """``e`` as an affine form with rational coefficients over control
    variables, a quotient ``E / c`` taken as ``E`` divided by ``c`` exactly
    (its value wherever ``c`` divides ``E``), or None::

        exact_affine(H + 6 - 4 * (H / 4))   # {None: 6}
    """
    if isinstance(e, LiteralCursor):
        v = e.value()
        return {None: Fraction(v)} if isinstance(v, int) and not isinstance(v, bool) else None
    if isinstance(e, ReadCursor):
        return {None: Fraction(0), e.name(): Fraction(1)} if len(e.idx()) == 0 else None
    if isinstance(e, UnaryMinusCursor):
        a = exact_affine(e.arg())
        return None if a is None else _scale(a, -1)
    if not isinstance(e, BinOpCursor):
        return None
    a, b = exact_affine(e.lhs()), exact_affine(e.rhs())
    if a is None or b is None:
        return None
    if e.op() in ("+", "-"):
        return _add(a, b, 1 if e.op() == "+" else -1)
    if e.op() == "*" and (set(a) == {None} or set(b) == {None}):
        return _scale(b, a[None]) if set(a) == {None} else _scale(a, b[None])
    if e.op() == "/" and set(b) == {None} and b[None] > 0:
        return _scale(a, 1 / b[None])
    return None


def affine_text(f: dict) -> str:
    """The text of an affine form (a control expression)."""
    parts = [f"{v} * {k}" for k, v in f.items() if k is not None and v != 0]
    if f.get(None, 0) != 0 or not parts:
        parts.append(str(f.get(None, 0)))
    return " + ".join(parts)


def _compare(a: dict, b: dict):
    """-1 / 0 / 1 when ``a - b`` is provably negative / zero / positive for any
    nonnegative atoms, None when that is unknown."""
    d = _add(a, b, -1)
    c = d.get(None, 0)
    coeffs = [v for k, v in d.items() if k is not None and v != 0]
    if all(v >= 0 for v in coeffs) and c >= 0:
        return 0 if not coeffs and c == 0 else 1
    if all(v <= 0 for v in coeffs) and c <= 0:
        return -1
    return _compare_quotients(d)


_QUOTIENT = re.compile(r"^\((\w+)\) / (\d+)$")


def _compare_quotients(d: dict):
    """The sign of ``d`` when its quotients of a variable by a literal,
    ``(W) / 4``, cancel against the variable: ``W - 4 * ((W) / 4)`` is
    ``>= 0`` (a quotient rounds down), or None."""
    exact, signs = {None: Fraction(d.get(None, 0))}, set()
    for k, v in d.items():
        if k is None or v == 0:
            continue
        m = _QUOTIENT.match(k)
        if m:
            var, den = m.group(1), int(m.group(2))
            exact[var] = exact.get(var, 0) + Fraction(v, den)
            signs.add(v > 0)
        else:
            exact[k] = exact.get(k, 0) + v
    if any(v != 0 for k, v in exact.items() if k is not None):
        return None
    r = exact[None]
    if signs <= {False} and r >= 0:  # d >= r >= 0
        return 1
    if signs <= {True} and r <= 0:  # d <= r <= 0
        return -1
    return None


def _loop_extent(loop: ForCursor, helper: str) -> dict:
    """The largest value of ``loop``'s iterator as an affine form (the loop
    must start at 0)."""
    lo, hi = affine(loop.lo()), affine(loop.hi())
    if lo != {None: 0} or hi is None:
        raise err(helper, f"not supported yet: the loop {loop.name()} must run from 0 to an "
                          "affine bound")
    return _add(hi, {None: 1}, -1)


def _expr_children(e) -> list:
    if isinstance(e, (ReadCursor, BinOpCursor, UnaryMinusCursor, BuiltInFunctionCursor)):
        return [child for _, child in child_steps(e)]
    return []


def _stmt_exprs(s) -> list:
    if isinstance(s, (AssignCursor, ReduceCursor)):
        return list(s.idx()) + [s.rhs()]
    if isinstance(s, IfCursor):
        return [s.cond()]
    if isinstance(s, ForCursor):
        return [s.lo(), s.hi()]
    if isinstance(s, CallCursor):
        return list(s.args())
    return []


def _exprs_preorder(e):
    yield e
    for child in _expr_children(e):
        yield from _exprs_preorder(child)


def accesses_of(block, buffer: str, helper: str) -> list:
    """``(stmt, cursor)`` for every access to ``buffer`` in ``block`` (a loop or
    a statement): the writes (the statement itself) and the reads. A call or
    a window of the buffer is refused (its accesses are not visible)."""
    out = []
    for s in stmts_preorder(block):
        if isinstance(s, (AssignCursor, ReduceCursor)) and s.name() == buffer:
            out.append((s, s))
        for e in _stmt_exprs(s):
            for r in _exprs_preorder(e):
                if isinstance(r, ReadCursor) and r.name() == buffer:
                    out.append((s, r))
                elif isinstance(r, WindowExprCursor) and r.name() == buffer:
                    raise err(helper, f"not supported yet: a window of {buffer} is taken")
    return out


def _loops_inside(stmt, stop) -> dict:
    """The loops around ``stmt`` strictly inside ``stop`` (name -> loop
    cursor; of two loops with one name, the innermost is the one the name
    means); none for ``stop`` itself, whose bounds are outside it."""
    out, chain = {}, []
    c = stmt.parent()
    while not isinstance(c, InvalidCursor) and c != stop:
        chain.append(c)
        c = c.parent()
    if isinstance(c, InvalidCursor):
        return {}
    for loop in chain:
        if isinstance(loop, ForCursor):
            out.setdefault(loop.name(), loop)
    return out


def _range(form: dict, inner: dict, helper: str) -> tuple[dict, dict]:
    """``(low, high)`` of an affine form over the loops ``inner`` (name ->
    loop cursor); every other atom is fixed."""
    lo = {k: v for k, v in form.items() if k not in inner}
    hi = dict(lo)
    for name, coeff in form.items():
        if name in inner and coeff != 0:
            span = _scale(_loop_extent(inner[name], helper), coeff)
            if coeff > 0:
                hi = _add(hi, span)
            else:
                lo = _add(lo, span)
    return lo, hi


@dataclass(frozen=True)
class ReadSpan:
    """One consumer iteration ``v`` reads ``buffer``'s dimension ``dim`` at
    ``base + stride * v + [low, size)`` (``base``: the terms of enclosing
    loops); ``complete``: every read of the buffer in the loop depends on ``v``."""
    dim: int
    stride: int
    size: int
    low: int
    base: dict
    complete: bool


def consumer_window(consumer_loop: ForCursor, buffer: str, helper: str) -> ReadSpan:
    """The window of ``buffer`` one iteration of ``consumer_loop`` reads: the
    loop's iterator must index exactly one dimension with one coefficient in
    every read, beside enclosing loops' terms (the same in every read) and
    loops inside with constant bounds."""
    v = consumer_loop.name()
    found, bases, lows, highs, complete = set(), [], [], [], True
    for s, r in accesses_of(consumer_loop, buffer, helper):
        if isinstance(r, ReadCursor):
            inner = _loops_inside(s, consumer_loop)
            hit = False
            for d, idx in enumerate(r.idx()):
                form = affine(idx)
                if form is None:
                    raise err(helper, f"the index {expr_text(idx)} of {buffer} is not affine")
                if form.get(v, 0) == 0:
                    continue
                hit = True
                found.add((d, form[v]))
                rest = {k: c for k, c in form.items() if k != v}
                lo, hi = _range(rest, inner, helper)
                lo_c, hi_c = _split_base(lo, inner), _split_base(hi, inner)
                if lo_c[0] != hi_c[0]:
                    raise err(helper, f"the index {expr_text(idx)} of {buffer} depends on a loop "
                                      f"inside {v} without a constant bound")
                bases.append(lo_c[0])
                lows.append(lo_c[1])
                highs.append(hi_c[1])
            complete = complete and hit
    if len(found) != 1:
        raise err(helper, f"the loop {v} must index exactly one dimension of {buffer} with one "
                          f"stride (found {sorted(found) or 'none'})")
    (dim, stride), = found
    if any(b != bases[0] for b in bases):
        raise err(helper, f"not supported yet: the reads of {buffer} inside the loop {v} are "
                          "offset by different outer terms")
    if stride < 1:
        raise err(helper, f"not supported yet: the loop {v} indexes {buffer} with the "
                          f"coefficient {stride}")
    if min(lows) < 0:
        raise err(helper, f"not supported yet: an iteration of {v} reads {buffer} before the "
                          f"start of its window (offset {min(lows)})")
    return ReadSpan(dim, stride, max(highs) + 1, min(lows), bases[0], complete)


def _split_base(form: dict, inner: dict) -> tuple[dict, int]:
    """``(the non-constant terms, the constant)``; the terms must not be inner
    loops (their range was taken)."""
    terms = {k: c for k, c in form.items() if k is not None and c != 0}
    return terms, form.get(None, 0)


def access_box(loop: ForCursor, buffer: str, helper: str) -> list[tuple[dict, dict]]:
    """``(offset, size)`` affine forms per dimension of ``buffer``: the box
    that every access inside ``loop``'s body lies in, relative to the loops
    around it (``loop``'s own iterator is one of them)."""
    per_dim: dict[int, list] = {}
    for s, r in accesses_of(loop.body(), buffer, helper):
        inner = _loops_inside(s, loop)
        for d, idx in enumerate(r.idx()):
            form = affine(idx)
            if form is None:
                raise err(helper, f"the index {expr_text(idx)} of {buffer} is not affine")
            per_dim.setdefault(d, []).append(_range(form, inner, helper))
    box = []
    for d in sorted(per_dim):
        ranges = per_dim[d]
        lo, hi = ranges[0]
        for a, b in ranges[1:]:
            lo, hi = _extreme(lo, a, -1, buffer, d, helper), _extreme(hi, b, 1, buffer, d, helper)
        box.append((lo, _whole_quotients(_add(_add(hi, lo, -1), {None: 1}))))
    return box


def _extreme(a: dict, b: dict, sign: int, buffer: str, dim: int, helper: str) -> dict:
    c = _compare(a, b)
    if c is None:
        raise err(helper, f"not supported yet: the accesses to {buffer}'s dimension {dim} have "
                          f"bounds that cannot be ordered ({affine_text(a)}, {affine_text(b)})")
    return a if c * sign >= 0 else b


def _whole_quotients(size: dict) -> dict:
    """``k * c * ((E) / c)`` bounded above by ``k * E`` (a size only grows)."""
    out = {None: size.get(None, 0)}
    for k, v in size.items():
        if k is None:
            continue
        num, _, den = k.rpartition(" / ")
        if num.startswith("(") and den.isdigit() and v > 0 and v % int(den) == 0:
            out[num] = out.get(num, 0) + v // int(den)
        else:
            out[k] = out.get(k, 0) + v
    return out
