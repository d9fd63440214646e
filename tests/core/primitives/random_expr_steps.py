"""Random applications of the expression and write primitives for the
property test (`test_property_exprs`): like `random_schedules.OPS`, each step
finds the places in ``p`` where its primitive could apply, draws one and
arguments for it, and returns the primitive's result (``None`` when there is
no such place).

``rewrite_expr`` is given, at random, a candidate equal to the expression
(``e * 1.0``, ``2.0 * e - e``, operands commuted, a read added and taken
away, an index ``i + 1 - 1``) or one that differs (``e + 1.0``, another
element, ``e - r``); ``bind_expr`` a random subset, in random order, of the
occurrences of an expression, sometimes with another expression mixed in.
"""

from __future__ import annotations

from hypothesis import strategies as st

import exo_stdlib.scheduling as S
from exo_core import ir
from exo_core.ir.equal import expr_equal
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import ScalarType

from tests.core.primitives.random_schedules import _choose, _cursor, new_name, stmt_locs

_DATA_STMTS = (ir.Assign, ir.Reduce)


def _data_exprs(e, steps, out: list) -> list:
    """(steps, expr) of every numeric sub-expression of the data expression ``e``."""
    if isinstance(e.type, ScalarType) and e.type.is_numeric():
        out.append((steps, e))
    if isinstance(e, ir.BinOp):
        _data_exprs(e.lhs, steps + (("lhs", None),), out)
        _data_exprs(e.rhs, steps + (("rhs", None),), out)
    elif isinstance(e, ir.USub):
        _data_exprs(e.arg, steps + (("arg", None),), out)
    elif isinstance(e, ir.Extern):
        for k, a in enumerate(e.args):
            _data_exprs(a, steps + (("args", k),), out)
    return out


def data_places(p) -> list:
    """(expr steps, expr, statement steps, statement) for every data
    expression on the right of an assignment or reduction."""
    out = []
    for steps, s in stmt_locs(p._root):
        if isinstance(s, _DATA_STMTS):
            for es, e in _data_exprs(s.rhs, steps + (("rhs", None),), []):
                out.append((es, e, steps, s))
    return out


def _reads(e, out: list) -> list:
    if isinstance(e, ir.Read) and e.idx:
        out.append(e)
    for c in ir.expr_children(e):
        _reads(c, out)
    return out


def _far(r) -> str:
    """``r`` with its first index moved past the end of every buffer."""
    idx = [expr_to_str(i) for i in r.idx]
    idx[0] = f"{idx[0]} + 2 * n + 8"
    return f"{r.name.name}[{', '.join(idx)}]"


def _equal_candidate(draw, e, t: str, other: str, far: str | None) -> str:
    forms = [f"({t}) * 1.0", f"({t}) + 0.0", f"2.0 * ({t}) - ({t})", f"({t}) / 2.0 * 2.0",
             f"({t}) + {other} - {other}", f"-(-({t}))"]
    if far is not None:  # equal, but it reads out of bounds
        forms.append(f"({t}) + {far} - {far}")
    if isinstance(e, ir.BinOp) and e.op in ("+", "*"):
        forms.append(f"({expr_to_str(e.rhs)}) {e.op} ({expr_to_str(e.lhs)})")
    if isinstance(e, ir.BinOp) and e.op == "*" and isinstance(e.lhs, ir.BinOp) \
            and e.lhs.op in ("+", "-"):
        a, b, c = (expr_to_str(x) for x in (e.lhs.lhs, e.lhs.rhs, e.rhs))
        forms.append(f"({a}) * ({c}) {e.lhs.op} ({b}) * ({c})")
    return draw(st.sampled_from(forms))


def _unequal_candidate(draw, e, t: str, other: str) -> str:
    forms = [f"({t}) + 1.0", f"({t}) * 2.0 + 1.0", f"({t}) - {other}", f"({t}) * ({t})"]
    if isinstance(e, ir.BinOp) and e.op == "-":
        forms.append(f"({expr_to_str(e.rhs)}) - ({expr_to_str(e.lhs)})")
    reads = _reads(e, [])
    if reads:
        r = draw(st.sampled_from(reads))
        k = draw(st.integers(0, len(r.idx) - 1))
        idx = [expr_to_str(i) for i in r.idx]
        idx[k] = f"{idx[k]} + 1"
        shifted = f"{r.name.name}[{', '.join(idx)}]"
        forms += [t.replace(expr_to_str(r), shifted, 1)] * 2
    return draw(st.sampled_from(forms))


def rewrite_data(draw, p):
    place = _choose(draw, data_places(p))
    if place is None:
        return None
    es, e, _, s = place
    t = expr_to_str(e)
    reads = _reads(s.rhs, [])
    other = expr_to_str(draw(st.sampled_from(reads))) if reads else "1.0"
    far = _far(reads[0]) if reads and reads[0].name.name in ("x", "y", "z") else None
    if draw(st.integers(0, 2)):
        text = _equal_candidate(draw, e, t, other, far)
    else:
        text = _unequal_candidate(draw, e, t, other)
    return S.rewrite_expr(p, _cursor(p, es), text)


def rewrite_index(draw, p):
    """rewrite_expr of an index of an element read (control)."""
    places = []
    for es, e, _, _ in data_places(p):
        if isinstance(e, ir.Read) and e.idx:
            places += [(es + (("idx", k),), i) for k, i in enumerate(e.idx)]
    place = _choose(draw, places)
    if place is None:
        return None
    steps, i = place
    t = expr_to_str(i)
    text = draw(st.sampled_from([f"({t}) + 1 - 1", f"2 * ({t}) - ({t})", f"({t}) + 0",
                                 f"({t}) + 1", f"({t}) - 1", f"0 * ({t})"]))
    return S.rewrite_expr(p, _cursor(p, steps), text)


def bind_expr(draw, p):
    places = data_places(p)
    repeated = [pl for pl in places if sum(expr_equal(pl[1], q[1]) for q in places) > 1]
    place = _choose(draw, repeated if repeated and draw(st.integers(0, 3)) else places)
    if place is None:
        return None
    _, e, _, _ = place
    same = [es for es, x, _, _ in places if expr_equal(x, e)]
    chosen = draw(st.lists(st.sampled_from(same), min_size=1, max_size=len(same), unique=True))
    if draw(st.integers(0, 3)) == 0:  # a cursor to another expression mixed in
        chosen.append(draw(st.sampled_from([es for es, _, _, _ in places])))
    if draw(st.booleans()):
        chosen = list(reversed(chosen))
    return S.bind_expr(p, [_cursor(p, es) for es in chosen], new_name())


def inline_assign(draw, p):
    allocated = {s.name for _, s in stmt_locs(p._root) if isinstance(s, ir.Alloc)}
    local = draw(st.integers(0, 2)) > 0  # mostly temporaries, sometimes an argument
    place = _choose(draw, [(st_, s) for st_, s in stmt_locs(p._root)
                           if isinstance(s, ir.Assign) and (s.name in allocated) == local])
    if place is None:
        return None
    return S.inline_assign(p, _cursor(p, place[0]))


def _adjacent_writes(p) -> list:
    out = []
    for steps, s in stmt_locs(p._root):
        nxt = steps[:-1] + ((steps[-1][0], steps[-1][1] + 1),)
        try:
            node = p._root
            for f, k in nxt:
                node = getattr(node, f)[k]
        except IndexError:
            continue
        if isinstance(s, _DATA_STMTS) and isinstance(node, _DATA_STMTS) and s.name is node.name:
            out.append(steps)
    return out


def merge_writes(draw, p):
    steps = _choose(draw, _adjacent_writes(p))
    if steps is None:
        return None
    return S.merge_writes(p, _cursor(p, steps).expand(0, 1))


def split_write(draw, p):
    place = _choose(draw, [(st_, s) for st_, s in stmt_locs(p._root)
                           if isinstance(s, _DATA_STMTS) and isinstance(s.rhs, ir.BinOp)
                           and s.rhs.op == "+"])
    if place is None:
        return None
    return S.split_write(p, _cursor(p, place[0]))


def fold_into_reduce(draw, p):
    place = _choose(draw, [(st_, s) for st_, s in stmt_locs(p._root)
                           if isinstance(s, ir.Assign) and isinstance(s.rhs, ir.BinOp)
                           and s.rhs.op == "+"])
    if place is None:
        return None
    return S.fold_into_reduce(p, _cursor(p, place[0]))


def lift_reduce_constant(draw, p):
    places = []
    for steps, s in stmt_locs(p._root):
        if isinstance(s, ir.Assign):
            nxt = steps[:-1] + ((steps[-1][0], steps[-1][1] + 1),)
            node = p._root
            try:
                for f, k in nxt:
                    node = getattr(node, f)[k]
            except IndexError:
                continue
            if isinstance(node, ir.For):
                places.append(steps)
    steps = _choose(draw, places)
    if steps is None:
        return None
    return S.lift_reduce_constant(p, _cursor(p, steps).expand(0, 1))


EXPR_OPS = {
    "rewrite_expr (data)": rewrite_data, "rewrite_expr (index)": rewrite_index,
    "bind_expr": bind_expr, "inline_assign": inline_assign, "merge_writes": merge_writes,
    "split_write": split_write, "fold_into_reduce": fold_into_reduce,
    "lift_reduce_constant": lift_reduce_constant,
}
