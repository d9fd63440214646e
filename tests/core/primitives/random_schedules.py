"""Random primitive applications for the schedule property test.

`OPS` maps a primitive's name to a step ``step(draw, p)``: it looks for the
places in ``p`` where the primitive could apply (adjacent loops for fuse and
join_loops, loops whose body ignores the iterator for remove_loop, perfect
nests for reorder_loops and mult_loops, a scope alone in its parent for
lift_scope, ...), draws one of them and arguments for it, and returns the
primitive's result; it returns ``None`` when ``p`` has no such place. The
primitive may refuse with SchedulingError. A new primitive joins the test by
adding an entry here (and, if it needs code of a particular shape, a shape in
`random_procs`).
"""

from __future__ import annotations

import itertools

from hypothesis import strategies as st

import exo_stdlib.scheduling as S
from exo_core import ir
from exo_core.ir.equal import expr_equal, stmt_equal
from exo_core.ir.printer import expr_to_str
from exo_core.cursors.base import lift
from exo_core.cursors.paths import BlockLoc, GapLoc, NodeLoc
from exo_core.primitives.ir_build import uses_sym

_fresh = itertools.count()


def new_name() -> str:
    return f"v{next(_fresh)}"


# --------------------------------------------------------------------------
# places


def stmt_locs(node, steps=()):
    """(steps, statement) for every statement, outermost first."""
    for f in ("body", "orelse"):
        for k, s in enumerate(getattr(node, f, ())):
            here = steps + ((f, k),)
            yield here, s
            yield from stmt_locs(s, here)


def owner_block(p, steps):
    node = p._root
    for f, k in steps[:-1]:
        node = getattr(node, f)[k]
    return getattr(node, steps[-1][0])


def next_steps(steps):
    return steps[:-1] + ((steps[-1][0], steps[-1][1] + 1),)


def has_next(p, steps) -> bool:
    return steps[-1][1] + 1 < len(owner_block(p, steps))


def loops(p):
    return [(s, n) for s, n in stmt_locs(p._root) if isinstance(n, ir.For)]


def visible_iters(p, steps) -> list[str]:
    """Names of the loops enclosing ``steps`` (usable in a control string)."""
    out, node = [], p._root
    for f, k in steps[:-1]:
        node = getattr(node, f)[k]
        if isinstance(node, ir.For):
            out.append(node.iter.name)
    return out


def sizes(p) -> list[str]:
    return [a.name.name for a in p._root.args if getattr(a.type, "name", "") == "size"]


def _choose(draw, places):
    return draw(st.sampled_from(places)) if places else None


def _cursor(p, steps):
    return lift(p, NodeLoc(steps))


def _control(draw, p, steps, extra=()) -> str:
    """A control expression valid at ``steps``."""
    opts = ["0", "1", "2", "3"] + list(extra)
    for n in sizes(p):
        opts += [n, f"{n} / 2", f"{n} - 1", f"{n} + 1"]
    for v in visible_iters(p, steps):
        opts += [v, f"{v} + 1"]
    return draw(st.sampled_from(opts))


def _cond(draw, p, steps) -> str:
    opts = []
    for n in sizes(p):
        opts += [f"{n} < 3", f"{n} > 2", f"{n} % 2 == 0"]
    for v in visible_iters(p, steps):
        opts += [f"{v} == 0", f"{v} < 2", f"{v} % 2 == 1"]
    return draw(st.sampled_from(opts))


# --------------------------------------------------------------------------
# steps


def _any_loop(fn):
    def step(draw, p):
        place = _choose(draw, loops(p))
        if place is None:
            return None
        steps, loop = place
        return fn(draw, p, steps, loop)
    return step


@_any_loop
def divide_loop(draw, p, steps, loop):
    return S.divide_loop(p, _cursor(p, steps), draw(st.integers(2, 4)), [new_name(), new_name()],
                         tail=draw(st.sampled_from(["guard", "cut", "cut_and_guard"])),
                         perfect=draw(st.booleans()))


def _plain_loops(p):
    """Loops whose body has no reduction and no call (those are never
    idempotent or independent)."""
    def plain(stmts):
        return all(not isinstance(x, (ir.Reduce, ir.Call))
                   and plain(getattr(x, "body", ())) and plain(getattr(x, "orelse", ()))
                   for x in stmts)
    return [(s, n) for s, n in loops(p) if plain(n.body)]


def divide_with_recompute(draw, p):
    plain = _plain_loops(p)
    place = _choose(draw, plain if plain and draw(st.integers(0, 3)) else loops(p))
    if place is None:
        return None
    steps, loop = place
    stride = draw(st.sampled_from([1, 1, 1, 2, 3]))
    trip = expr_to_str(loop.hi) if _is_zero(loop.lo) else \
        f"{expr_to_str(loop.hi)} - {expr_to_str(loop.lo)}"
    # the last choice rounds up: too many chunks unless the trip count divides
    outer_hi = draw(st.sampled_from(["1", "2", "2", f"({trip}) / {stride}",
                                     f"({trip}) / {stride + 1}", f"({trip}) / {stride + 1}",
                                     f"({trip} + {stride - 1}) / {stride}"]))
    return S.divide_with_recompute(p, _cursor(p, steps), outer_hi, stride,
                                   [new_name(), new_name()])


def _is_zero(e) -> bool:
    return isinstance(e, ir.Const) and e.val == 0


@_any_loop
def cut_loop(draw, p, steps, loop):
    return S.cut_loop(p, _cursor(p, steps), _control(draw, p, steps))


@_any_loop
def shift_loop(draw, p, steps, loop):
    return S.shift_loop(p, _cursor(p, steps), _control(draw, p, steps))


def unroll_loop(draw, p):
    places = [(s, n) for s, n in loops(p)
              if isinstance(n.lo, ir.Const) and isinstance(n.hi, ir.Const)]
    place = _choose(draw, places)
    return place and S.unroll_loop(p, _cursor(p, place[0]))


def _nests(p, literal_inner=False):
    out = []
    for s, n in loops(p):
        if len(n.body) == 1 and isinstance(n.body[0], ir.For):
            if not literal_inner or isinstance(n.body[0].hi, ir.Const):
                out.append((s, n))
    return out


def reorder_loops(draw, p):
    place = _choose(draw, _nests(p))
    return place and S.reorder_loops(p, _cursor(p, place[0]))


def mult_loops(draw, p):
    literal = _nests(p, literal_inner=True)
    place = _choose(draw, literal if literal and draw(st.integers(0, 3)) else _nests(p))
    return place and S.mult_loops(p, _cursor(p, place[0]), new_name())


def _adjacent(p, kinds):
    return [(s, n) for s, n in stmt_locs(p._root)
            if isinstance(n, kinds) and has_next(p, s)
            and isinstance(owner_block(p, s)[s[-1][1] + 1], type(n))]


def _same_body(p, steps) -> bool:
    a, b = owner_block(p, steps)[steps[-1][1]], owner_block(p, steps)[steps[-1][1] + 1]
    z = ir.Const(0, a.lo.type, a.srcinfo)
    return stmt_equal(a.update(lo=z, hi=z), b.update(lo=z, hi=z))


def join_loops(draw, p):
    pairs = _adjacent(p, ir.For)
    same = [(s, n) for s, n in pairs if _same_body(p, s)]
    place = _choose(draw, same if same and draw(st.integers(0, 7)) else pairs)
    if place is None:
        return None
    s = place[0]
    return S.join_loops(p, _cursor(p, s), _cursor(p, next_steps(s)))


def _same_bounds(p, steps) -> bool:
    a, b = owner_block(p, steps)[steps[-1][1]], owner_block(p, steps)[steps[-1][1] + 1]
    if isinstance(a, ir.If):
        return expr_equal(a.cond, b.cond)
    return expr_equal(a.lo, b.lo) and expr_equal(a.hi, b.hi)


def fuse(draw, p):
    pairs = _adjacent(p, (ir.For, ir.If))
    same = [(s, n) for s, n in pairs if _same_bounds(p, s)]
    place = _choose(draw, same if same and draw(st.integers(0, 7)) else pairs)
    if place is None:
        return None
    s = place[0]
    return S.fuse(p, _cursor(p, s), _cursor(p, next_steps(s)))


def remove_loop(draw, p):
    idle = [(s, n) for s, n in loops(p) if not uses_sym(n.body, n.iter)]
    place = _choose(draw, idle if idle and draw(st.integers(0, 4)) else loops(p))
    return place and S.remove_loop(p, _cursor(p, place[0]))


def _gaps(p, in_loop_only):
    out = []
    for s, n in stmt_locs(p._root):
        if not has_next(p, s):
            continue
        if in_loop_only:
            if len(s) < 2 or not isinstance(owner_block(p, s[:-1])[s[-2][1]], ir.For):
                continue
        out.append(s)
    return out


def _fission_step(fn):
    def step(draw, p):
        gaps = _gaps(p, draw(st.integers(0, 3)) > 0) or _gaps(p, False)
        s = _choose(draw, gaps)
        if s is None:
            return None
        gap = lift(p, GapLoc(s[:-1], s[-1][0], s[-1][1] + 1, "after"))
        levels = max(1, len(s) - 1)
        return fn(p, gap, n_lifts=draw(st.integers(1, min(2, levels))))
    return step


fission = _fission_step(S.fission)
autofission = _fission_step(S.autofission)


def reorder_stmts(draw, p):
    s = _choose(draw, _gaps(p, False))
    if s is None:
        return None
    return S.reorder_stmts(p, lift(p, BlockLoc(s[:-1], s[-1][0], s[-1][1], s[-1][1] + 2)))


def _block(draw, p):
    """A block of one or two statements."""
    place = _choose(draw, list(stmt_locs(p._root)))
    if place is None:
        return None, None
    s = place[0]
    k = s[-1][1]
    width = 2 if has_next(p, s) and draw(st.booleans()) else 1
    return s, lift(p, BlockLoc(s[:-1], s[-1][0], k, k + width))


def add_loop(draw, p):
    s, blk = _block(draw, p)
    if blk is None:
        return None
    hi = draw(st.sampled_from(["1", "2", "n", "n - 1", "n / 4", "n - 2", "n - 4"]))
    return S.add_loop(p, blk, new_name(), hi, guard=draw(st.booleans()))


def specialize(draw, p):
    s, blk = _block(draw, p)
    if blk is None:
        return None
    conds = [_cond(draw, p, s) for _ in range(draw(st.integers(1, 2)))]
    return S.specialize(p, blk, conds)


def lift_scope(draw, p):
    places = []
    for s, n in stmt_locs(p._root):
        if isinstance(n, (ir.For, ir.If)) and len(s) > 1 and len(owner_block(p, s)) == 1:
            parent = owner_block(p, s[:-1])[s[-2][1]]
            if isinstance(parent, (ir.For, ir.If)):
                places.append(s)
    s = _choose(draw, places)
    return s and S.lift_scope(p, _cursor(p, s))


def eliminate_dead_code(draw, p):
    ifs = [s for s, n in stmt_locs(p._root) if isinstance(n, ir.If)]
    places = [s for s, n in stmt_locs(p._root) if isinstance(n, (ir.For, ir.If))]
    s = _choose(draw, ifs if ifs and draw(st.integers(0, 4)) else places)
    return s and S.eliminate_dead_code(p, _cursor(p, s))


def simplify(draw, p):
    return S.simplify(p)


OPS = {"divide_loop": divide_loop, "divide_with_recompute": divide_with_recompute,
       "cut_loop": cut_loop, "shift_loop": shift_loop, "unroll_loop": unroll_loop,
       "reorder_loops": reorder_loops, "mult_loops": mult_loops, "join_loops": join_loops,
       "fuse": fuse, "remove_loop": remove_loop, "fission": fission, "autofission": autofission,
       "reorder_stmts": reorder_stmts, "add_loop": add_loop, "specialize": specialize,
       "lift_scope": lift_scope, "eliminate_dead_code": eliminate_dead_code,
       "simplify": simplify}

# The primitives each nest shape of `random_procs` is drawn for: the first
# step of an example is one of them half of the time.
TARGETS = {
    "generic": ("fission", "autofission", "divide_loop", "cut_loop"),
    "pair": ("fuse",), "pair_flow": ("fuse",), "join": ("join_loops",),
    "idle": ("remove_loop", "autofission"),
    "nest": ("reorder_loops", "mult_loops", "mult_loops", "lift_scope"),
    "guarded": ("lift_scope", "eliminate_dead_code", "eliminate_dead_code"),
    "staged": ("fuse", "reorder_stmts"),
    "map": ("divide_with_recompute",),
}


def focus_shapes(op: str) -> tuple:
    """The nest shapes an example focused on ``op`` includes one of."""
    shapes = tuple(sorted(shape for shape, ops in TARGETS.items() if op in ops))
    return shapes or FOCUS_DEFAULT.get(op, ("generic",))


FOCUS_DEFAULT = {
    "add_loop": ("map", "idle", "generic"), "specialize": ("generic", "guarded"),
    "simplify": ("guarded", "generic"), "shift_loop": ("generic", "nest"),
    "unroll_loop": ("nest", "staged"),
}

