"""Random applications of the expression and write primitives for the
property test (`test_property_exprs`): like `random_schedules.OPS`, each step
finds the places in ``p`` where its primitive could apply, draws one and
arguments for it, and returns the primitive's result (``None`` when there is
no such place).

``rewrite_expr`` is given, at random, a candidate equal to the expression
(``e * 1.0``, ``2.0 * e - e``, operands commuted, a read added and taken
away, an index ``i + 1 - 1``), one equal but reading out of bounds
(``e + x[i + 2 * n + 8] - x[i + 2 * n + 8]``) or one that differs
(``e + 1.0``, another element of a buffer it reads, ``e - r``);
``bind_expr`` a random subset, in random order, of the occurrences of an
expression, sometimes with another expression mixed in.

The steps are steered (`_steered`) to the places where one check alone
decides, so that a check removed shows in the outputs: ``bind_expr`` binds
every occurrence of an expression some of which are inside a loop or an
``if`` (the loop may write what it reads; the ``if`` may keep the read in
bounds); ``inline_assign`` inlines a temporary read inside a later loop or
an argument read only after the assignment; ``merge_writes`` merges writes
of one element whose second reads the buffer; ``fold_into_reduce`` folds
``x[i] = x[j] + e``. Each of them also gets, as often, places it should
accept.
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


def _steered(draw, *classes: list):
    """One place of one of ``classes`` (lists of places: say the places a
    primitive should accept, those where one of its checks decides -- a
    wrong acceptance there shows in the outputs -- and all of them), the
    class drawn evenly among those that are not empty."""
    classes = [c for c in classes if c]
    if not classes:
        return None
    return draw(st.sampled_from(classes[draw(st.integers(0, len(classes) - 1))]))


def _reads_in(stmts, sym) -> int:
    """How many reads (and windows) of ``sym`` the statements hold."""
    return sum(1 for s in ir.walk_stmts(stmts) for e in ir.stmt_exprs(s)
               for x in ir.walk_expr(e)
               if isinstance(x, (ir.Read, ir.WindowExpr)) and x.name is sym)


def _node_at(p, steps):
    """The statement at ``steps``, or None past the end of its block."""
    node = p._root
    try:
        for f, k in steps:
            node = getattr(node, f)[k]
    except IndexError:
        return None
    return node


def _rest_of_block(p, steps) -> list:
    """The statements after the one at ``steps``, in its block."""
    owner = _node_at(p, steps[:-1])
    f, k = steps[-1]
    return list(getattr(owner, f)[k + 1:])


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
    shifted = _shifted(draw, _reads(e, []), t)
    if shifted is not None:
        forms += [shifted] * 2
    return draw(st.sampled_from(forms))


def _shifted(draw, reads: list, t: str) -> str | None:
    """``t`` reading another element of one of its ``reads`` (an index + 1)."""
    if not reads:
        return None
    r = draw(st.sampled_from(reads))
    k = draw(st.integers(0, len(r.idx) - 1))
    idx = [expr_to_str(i) for i in r.idx]
    idx[k] = f"{idx[k]} + 1"
    return t.replace(expr_to_str(r), f"{r.name.name}[{', '.join(idx)}]", 1)


def rewrite_data(draw, p):
    place = _choose(draw, data_places(p))
    if place is None:
        return None
    es, e, _, s = place
    t = expr_to_str(e)
    reads = _reads(s.rhs, [])
    other = expr_to_str(draw(st.sampled_from(reads))) if reads else "1.0"
    far = _far(reads[0]) if reads else None
    kind = draw(st.integers(0, 5))
    shifted = _shifted(draw, _reads(e, []), t) if kind == 1 else None
    if kind == 0 and far is not None:  # equal, but it reads out of bounds
        text = f"({t}) + {far} - {far}"
    elif shifted is not None:  # another element of the same buffer: unequal
        text = shifted
    elif kind <= 3:
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


def _spans_blocks(group: list) -> bool:
    """Do the occurrences ``group`` (places, in program order) lie in
    different statements with one inside a loop or an ``if`` that the
    binding would go before (moving the read out of it)?"""
    paths = [pl[2] for pl in group]
    d = 0
    while all(len(sp) > d and sp[d] == paths[0][d] for sp in paths):
        d += 1
    return d < len(paths[0]) and any(len(sp) > d + 1 for sp in paths)


def bind_expr(draw, p):
    places = data_places(p)
    groups: list[list] = []  # the places of each expression, in program order
    for pl in places:
        g = next((g for g in groups if expr_equal(g[0][1], pl[1])), None)
        if g is None:
            groups.append([pl])
        else:
            g.append(pl)
    spanning = [g for g in groups if len(g) > 1 and _spans_blocks(g)]
    if spanning and draw(st.booleans()):
        # every occurrence, the first first: the binding goes before a loop or
        # an ``if`` holding some of them (the value and bounds checks decide)
        g = draw(st.sampled_from(spanning))
        return S.bind_expr(p, [_cursor(p, pl[0]) for pl in g], new_name())
    repeated = [pl for g in groups if len(g) > 1 for pl in g]
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


def _inline_kind(p, steps, s) -> str:
    """What decides inlining the assignment ``s`` at ``steps``: ``"clean"``
    (a temporary read only in the rest of its block, outside loops and ifs:
    accepted unless what it reads is overwritten), ``"decided"`` (one check
    alone refuses it: a temporary read inside a later loop or ``if`` --
    the value must be kept there --, or an argument read only in the rest
    of its block -- its value stays visible) or ``"other"``."""
    rest = _rest_of_block(p, steps)
    if any(isinstance(r, _DATA_STMTS) and r.name is s.name for r in ir.walk_stmts(rest)):
        return "other"  # written again: refused for that
    later = _reads_in(rest, s.name)
    if later == 0 or later != _reads_in(p._root.body, s.name):
        return "other"
    if any(a.name is s.name for a in p._root.args):
        return "decided"
    nested = any(isinstance(r, (ir.For, ir.If)) and _reads_in([r], s.name) for r in rest)
    return "decided" if nested else "clean"


def inline_assign(draw, p):
    allocated = {s.name for _, s in stmt_locs(p._root) if isinstance(s, ir.Alloc)}
    assigns = [(st_, s) for st_, s in stmt_locs(p._root) if isinstance(s, ir.Assign)]
    kinds = [_inline_kind(p, *pl) for pl in assigns]
    local = draw(st.integers(0, 3)) > 0  # mostly temporaries, sometimes an argument
    place = _steered(draw, [pl for pl, k in zip(assigns, kinds) if k == "clean"],
                     [pl for pl, k in zip(assigns, kinds) if k == "decided"],
                     [pl for pl in assigns if (pl[1].name in allocated) == local])
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


def _same_idx(a, b) -> bool:
    return len(a) == len(b) and all(expr_equal(u, v) for u, v in zip(a, b))


def _merge_kind(p, steps) -> str:
    """The adjacent writes at ``steps``: ``"same"`` (of one element, written
    alike), ``"reads"`` (of one element, the second reading the buffer: the
    merged write would not see the first value) or ``"other"``."""
    s1, s2 = _node_at(p, steps), _node_at(p, steps[:-1] + ((steps[-1][0], steps[-1][1] + 1),))
    if not _same_idx(s1.idx, s2.idx):
        return "other"
    reads = any(isinstance(x, ir.Read) and x.name is s1.name for x in ir.walk_expr(s2.rhs))
    return "reads" if reads else "same"


def merge_writes(draw, p):
    pairs = _adjacent_writes(p)
    kinds = [_merge_kind(p, st_) for st_ in pairs]
    steps = _steered(draw, [st_ for st_, k in zip(pairs, kinds) if k == "same"],
                     [st_ for st_, k in zip(pairs, kinds) if k == "reads"], pairs)
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
    places = [(st_, s) for st_, s in stmt_locs(p._root)
              if isinstance(s, ir.Assign) and isinstance(s.rhs, ir.BinOp) and s.rhs.op == "+"]
    # ``x[i] = x[j] + e``: folded when the indices are the same, refused when not
    same_buffer = [pl for pl in places
                   if isinstance(pl[1].rhs.lhs, ir.Read) and pl[1].rhs.lhs.name is pl[1].name]
    same = [pl for pl in same_buffer if _same_idx(pl[1].rhs.lhs.idx, pl[1].idx)]
    other = [pl for pl in same_buffer if not _same_idx(pl[1].rhs.lhs.idx, pl[1].idx)]
    place = _steered(draw, same, other, places)
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
