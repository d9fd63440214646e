"""Halide-style scheduling operations (Exo's
``exo.stdlib.halide_scheduling_ops``), built only from public primitives and
cursors::

    p = halide_tile(p, "out", "y", "x", "yi", "xi", 4, 4)
    p = halide_compute_at(p, "prod", "out", "x", with_prologue=False)
    p = halide_fully_inline(p, "prod", "out")

`compute_at` computes the producer where the consumer uses it, one level of
the consumer's loop nest at a time; the producer values each iteration needs
must not overlap another iteration's (recomputing a halo is refused by
`fuse`). Moving the producer's storage (`store_at` and the operations built
on it) is not supported yet.
"""

from __future__ import annotations

from exo_core.cursors import (AssignCursor, BinOpCursor, Cursor, ForCursor, InvalidCursor,
                              LiteralCursor, ReadCursor, UnaryMinusCursor)
from exo_core.errors import SchedulingError
from exo_core.procedure import Procedure
from exo_core.primitives.buffers_alloc import delete_buffer
from exo_core.primitives.loop_order import reorder_loops
from exo_core.primitives.loops import divide_loop
from exo_core.primitives.parallel import parallelize_loop
from exo_core.primitives.scopes import fuse
from exo_core.primitives.expr_binding import inline_assign
from exo_core.user_frame import user_entry
from exo_stdlib.cursor_walk import expr_text, stmts_preorder
from exo_stdlib.loop_helpers import as_loop, as_stmt, err, is_literal_int

__all__ = [
    "split", "tile", "compute_at", "store_at", "compute_and_store_at", "halide_split",
    "halide_tile", "halide_parallel", "halide_compute_at", "halide_store_at",
    "halide_compute_and_store_at", "halide_compute_and_store_at_same", "halide_fully_inline",
]


@user_entry
def split(proc: Procedure, loop, o_iter: str, i_iter: str, split_factor: int, tail: str) -> Procedure:
    """`divide_loop` into ``o_iter`` / ``i_iter`` (``tail``: "perfect", "cut",
    "guard" or "cut_and_guard")::

        for x in seq(0, W):          for xo in seq(0, W / 4):
            ...                ->        for xi in seq(0, 4): ...
    """
    perfect = tail == "perfect"
    return divide_loop(proc, loop, split_factor, [o_iter, i_iter],
                       tail="guard" if perfect else tail, perfect=perfect)


@user_entry
def tile(proc: Procedure, i_loop, j_loop, new_i_iters, new_j_iters, i_tile_size: int,
         j_tile_size: int, perfect: bool = True) -> Procedure:
    """Tile two directly nested loops (each divided perfectly, the tile loops innermost)::

        for y in seq(0, H):              for yo in seq(0, H / 4):
            for x in seq(0, W):    ->        for xo in seq(0, W / 4):
                ...                              for yi in seq(0, 4):
                                                     for xi in seq(0, 4): ...
    """
    i_loop = as_loop(proc, i_loop, "tile")
    j_loop = as_loop(proc, j_loop, "tile")
    if j_loop.parent() != i_loop or len(i_loop.body()) != 1:
        raise err("tile", "the second loop must be the whole body of the first")
    if not perfect:
        raise err("tile", "perfect=False is not supported yet (the tiles' guards would sit "
                          "between the loops to reorder)")
    proc = divide_loop(proc, i_loop, i_tile_size, list(new_i_iters), perfect=True)
    proc = divide_loop(proc, j_loop, j_tile_size, list(new_j_iters), perfect=True)
    return reorder_loops(proc, proc.forward(i_loop).body()[0])


def _stage_assign(proc: Procedure, buffer: str) -> AssignCursor:
    return proc.find(f"{buffer}[_] = _")


def _loop_around(proc: Procedure, stmt, name: str, helper: str) -> ForCursor:
    c = stmt.parent()
    while not isinstance(c, InvalidCursor):
        if isinstance(c, ForCursor) and c.name() == name:
            return c
        c = c.parent()
    raise err(helper, f"no loop named {name!r} encloses the statement")


@user_entry
def halide_split(p: Procedure, stage: str, x: str, xo: str, xi: str, split_factor: int,
                 tail: str = "perfect") -> Procedure:
    """`split` the loop ``x`` around the assignment to ``stage``."""
    loop = _loop_around(p, _stage_assign(p, stage), x, "halide_split")
    return split(p, loop, xo, xi, split_factor, tail)


@user_entry
def halide_tile(p: Procedure, buffer: str, y: str, x: str, yi: str, xi: str, yTile: int,
                xTile: int) -> Procedure:
    """`tile` the loops ``y`` and ``x`` around the assignment to ``buffer``; the
    outer loops keep the names ``y`` and ``x``."""
    stmt = _stage_assign(p, buffer)
    y_loop = _loop_around(p, stmt, y, "halide_tile")
    x_loop = _loop_around(p, stmt, x, "halide_tile")
    return tile(p, y_loop, x_loop, [y, yi], [x, xi], yTile, xTile)


@user_entry
def halide_parallel(p: Procedure, loop: str) -> Procedure:
    """`parallelize_loop` on the loop ``loop`` (a pattern such as ``"y #1"``)."""
    return parallelize_loop(p, loop)


# ---------------------------------------------------------------------------
# compute_at


def _linear(e) -> dict | None:
    """``e`` as ``{name: coefficient, None: constant}`` when it is affine in
    reads of control variables with literal coefficients (None otherwise)."""
    if isinstance(e, LiteralCursor):
        v = e.value()
        return {None: v} if isinstance(v, int) and not isinstance(v, bool) else None
    if isinstance(e, ReadCursor):
        return {e.name(): 1} if len(e.idx()) == 0 else None
    if isinstance(e, UnaryMinusCursor):
        a = _linear(e.arg())
        return None if a is None else {k: -v for k, v in a.items()}
    if isinstance(e, BinOpCursor):
        a, b = _linear(e.lhs()), _linear(e.rhs())
        if a is None or b is None:
            return None
        if e.op() in ("+", "-"):
            sign = 1 if e.op() == "+" else -1
            out = dict(a)
            for k, v in b.items():
                out[k] = out.get(k, 0) + sign * v
            return out
        if e.op() == "*":
            if set(a) == {None}:
                return {k: a[None] * v for k, v in b.items()}
            if set(b) == {None}:
                return {k: b[None] * v for k, v in a.items()}
    return None


def _loop_range(loop: ForCursor):
    lo, hi = loop.lo(), loop.hi()
    if is_literal_int(lo) and is_literal_int(hi):
        return lo.value(), hi.value() - 1
    return None


def _window(consumer_loop: ForCursor, buffer: str, helper: str):
    """``(dim, stride, size)``: the dimension of ``buffer`` that the consumer
    loop's iterator indexes, its coefficient, and how many consecutive
    elements of that dimension one iteration reads (from offset 0)."""
    v = consumer_loop.name()
    outer = set()
    c = consumer_loop.parent()
    while not isinstance(c, InvalidCursor):
        if isinstance(c, ForCursor):
            outer.add(c.name())
        c = c.parent()
    inner = {s.name(): _loop_range(s) for s in stmts_preorder(consumer_loop.body())
             if isinstance(s, ForCursor)}
    found = set()
    lows, highs = [], []
    for s in stmts_preorder(consumer_loop.body()):
        for e in _reads_of(s, buffer):
            for d, idx in enumerate(e.idx()):
                lin = _linear(idx)
                if lin is None:
                    raise err(helper, f"the index {expr_text(idx)} of {buffer} is not affine")
                if lin.get(v, 0) == 0:
                    continue
                lo = hi = lin.get(None, 0)
                for name, coeff in lin.items():
                    if name in (None, v) or name in outer:
                        continue  # outer iterators: already aligned with the producer
                    rng = inner.get(name)
                    if rng is None:
                        raise err(helper, f"the index {expr_text(idx)} of {buffer} depends on "
                                          f"{name}, which is not a constant-bounded loop inside {v}")
                    a, b = coeff * rng[0], coeff * rng[1]
                    lo, hi = lo + min(a, b), hi + max(a, b)
                found.add((d, lin[v]))
                lows.append(lo)
                highs.append(hi)
    if len(found) != 1:
        raise err(helper, f"the loop {v} must index exactly one dimension of {buffer} with one "
                          f"stride (found {sorted(found) or 'none'})")
    (dim, stride), = found
    if min(lows) != 0:
        raise err(helper, f"not supported yet: each iteration of {v} must read {buffer} from the "
                          f"start of its window (offset {min(lows)})")
    return dim, stride, max(highs) + 1


def _reads_of(stmt, buffer: str) -> list:
    out = []

    def walk(c):
        if isinstance(c, ReadCursor) and c.name() == buffer:
            out.append(c)
        for child in _expr_children(c):
            walk(child)

    for e in _stmt_exprs(stmt):
        walk(e)
    return out


def _stmt_exprs(s) -> list:
    exprs = []
    for method in ("idx", "args"):
        if hasattr(s, method) and not isinstance(s, ForCursor):
            try:
                exprs += list(getattr(s, method)())
            except (AttributeError, SchedulingError):
                pass
    for method in ("rhs", "cond", "lo", "hi"):
        if hasattr(s, method):
            try:
                exprs.append(getattr(s, method)())
            except (AttributeError, SchedulingError):
                pass
    return exprs


def _expr_children(e) -> list:
    if isinstance(e, ReadCursor):
        return list(e.idx())
    if isinstance(e, BinOpCursor):
        return [e.lhs(), e.rhs()]
    if isinstance(e, UnaryMinusCursor):
        return [e.arg()]
    if hasattr(e, "args") and isinstance(e, Cursor) and not isinstance(e, ForCursor):
        try:
            return list(e.args())
        except (AttributeError, SchedulingError):
            return []
    return []


def _top(c):
    while not isinstance(c.parent(), InvalidCursor):
        c = c.parent()
    return c


def _move_outermost(proc: Procedure, name: str, consumer: ForCursor) -> Procedure:
    """Reorder the loop ``name`` of the producer nest (the statement right
    before ``consumer``) outwards until it is the nest's outermost loop."""
    while True:
        top = proc.forward(consumer).prev()
        if not isinstance(top, ForCursor):
            raise err("compute_at", "the producer's loops must be perfectly nested")
        if top.name() == name:
            return proc
        c = top
        while isinstance(c.body()[0], ForCursor) and c.body()[0].name() != name:
            c = c.body()[0]
        if not isinstance(c.body()[0], ForCursor):
            raise err("compute_at", "the producer's loops must be perfectly nested")
        proc = reorder_loops(proc, c)


@user_entry
def compute_at(proc: Procedure, producer_assign, target_loop, with_prologue: bool = False) -> Procedure:
    """Compute the producer's values inside the consumer's loop nest, down to
    ``target_loop``: at each consumer loop the producer loop over the
    dimension it indexes is divided by the same stride and fused with it::

        for y in seq(0, H):                   for y in seq(0, H / 4):
            prod[y] = inp[y] * 2.0    ->          for yi in seq(0, 4):
        for y in seq(0, H / 4):                       prod[4 * y + yi] = inp[4 * y + yi] * 2.0
            for yi in seq(0, 4):                  for yi in seq(0, 4):
                out[4 * y + yi] = prod[4 * y + yi]    out[4 * y + yi] = prod[4 * y + yi]

    The producer nest must come right before the consumer's; iterations that
    need overlapping producer values (a halo) are refused by `fuse`.
    """
    helper = "compute_at"
    # with_prologue: a sliding window's first values computed ahead; without
    # overlap between iterations (the only case supported) there are none
    producer_assign = as_stmt(proc, producer_assign, helper, AssignCursor)
    target = as_loop(proc, target_loop, helper)
    buffer = producer_assign.name()
    # the producer writes buffer[i, j, ...], one producer loop iterator per index
    iters = []
    for idx in producer_assign.idx():
        if not (isinstance(idx, ReadCursor) and len(idx.idx()) == 0):
            raise err(helper, f"the producer must write {buffer} at its loops' iterators")
        iters.append(idx.name())
    consumer_loops = []
    c = target
    while not isinstance(c, InvalidCursor):
        if isinstance(c, ForCursor):
            consumer_loops.append(c)
        c = c.parent()
    consumer_loops.reverse()
    if _top(producer_assign).next() != consumer_loops[0]:
        raise err(helper, "the producer's loop nest must come right before the consumer's")
    producer_top = _top(producer_assign)
    for cl in consumer_loops:
        cl = proc.forward(cl)
        dim, stride, size = _window(cl, buffer, helper)
        p_loop = _loop_around(proc, proc.forward(producer_assign), iters[dim], helper)
        if size != stride:
            raise err(helper, f"not supported yet: an iteration of {cl.name()} reads {size} "
                              f"elements of {buffer}'s dimension {dim} but advances by {stride} "
                              "(recomputing the overlap would need fuse to accept it)")
        name = cl.name()
        if stride == 1:
            moved = p_loop.name()  # one element per iteration: fuse the loop itself
        else:
            proc = divide_loop(proc, p_loop, stride, [name, name + "i"], perfect=True)
            moved = name
        proc = _move_outermost(proc, moved, cl)
        producer_top = proc.forward(cl).prev()
        proc = fuse(proc, producer_top, proc.forward(cl))
        fused = proc.forward(producer_top)
        producer_top = fused.body()[0]
        if stride != 1:
            iters[dim] = name + "i"
    return proc


def _unsupported(helper: str):
    raise err(helper, "not supported yet: moving the producer's storage into the consumer's "
                      "loops needs its buffer shrunk to the window each iteration uses")


@user_entry
def store_at(proc: Procedure, producer_alloc, target_loop) -> Procedure:
    """Move the producer's allocation into ``target_loop`` (not supported yet)."""
    _unsupported("store_at")


@user_entry
def compute_and_store_at(proc: Procedure, producer: str, target_loop) -> Procedure:
    """`compute_at` then `store_at` (not supported yet)."""
    _unsupported("compute_and_store_at")


@user_entry
def halide_compute_at(p: Procedure, producer: str, consumer: str, loop: str,
                      with_prologue: bool = True) -> Procedure:
    """`compute_at` of the assignment to ``producer`` at the loop ``loop`` around
    the assignment to ``consumer``."""
    target = _loop_around(p, _stage_assign(p, consumer), loop, "halide_compute_at")
    return compute_at(p, _stage_assign(p, producer), target, with_prologue=with_prologue)


@user_entry
def halide_store_at(p: Procedure, producer: str, consumer: str, loop: str) -> Procedure:
    """`store_at` (not supported yet)."""
    _unsupported("halide_store_at")


@user_entry
def halide_compute_and_store_at(p: Procedure, producer: str, consumer: str, compute_loop: str,
                                store_loop: str) -> Procedure:
    """`compute_at` and `store_at` at two levels (not supported yet)."""
    _unsupported("halide_compute_and_store_at")


@user_entry
def halide_compute_and_store_at_same(p: Procedure, producer: str, consumer: str, loop: str) -> Procedure:
    """`compute_and_store_at` at one level (not supported yet)."""
    _unsupported("halide_compute_and_store_at_same")


@user_entry
def halide_fully_inline(p: Procedure, producer: str, consumer: str) -> Procedure:
    """Replace the consumer's reads of ``producer`` by the expression computing
    them, and delete the producer: `compute_at` at the innermost loop around
    the consumer, `inline_assign`, `delete_buffer`::

        prod: f32[W]
        for x in seq(0, W):                for x in seq(0, W):
            prod[x] = inp[x] * 2.0   ->        out[x] = inp[x] * 2.0 + 1.0
        for x in seq(0, W):
            out[x] = prod[x] + 1.0
    """
    consumer_assign = _stage_assign(p, consumer)
    innermost = consumer_assign.parent()
    if not isinstance(innermost, ForCursor):
        raise err("halide_fully_inline", "the consumer must be inside a loop")
    p = compute_at(p, _stage_assign(p, producer), innermost)
    p = inline_assign(p, _stage_assign(p, producer))
    return delete_buffer(p, p.find_alloc_or_arg(producer))
