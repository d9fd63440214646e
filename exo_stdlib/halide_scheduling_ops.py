"""Halide-style scheduling operations (Exo's
``exo.stdlib.halide_scheduling_ops``), built only from public primitives and
cursors::

    p = halide_tile(p, "out", "y", "x", "yi", "xi", 4, 4)
    p = halide_compute_at(p, "prod", "out", "x", with_prologue=False)
    p = halide_fully_inline(p, "prod", "out")

    p = halide_compute_and_store_at(p, "prod", "out", "x", "y")

`compute_at` computes the producer where the consumer uses it, one level of
the consumer's loop nest at a time (`reorder_loops`, `divide_loop`, `fuse`).
When one iteration reads more values than the loop advances (a halo), each
iteration recomputes its window (`divide_with_recompute`), or with
``with_prologue`` a sliding window computes only the new values (`cut_loop`,
`shift_loop`). `store_at` moves the producer's allocation into a loop
(`sink_alloc`) and shrinks it to the box that loop's body accesses
(`resize_dim`). `tile(perfect=False)` guards the last tiles.

A recomputed halo is fused by `fuse` with its full dependence check: the
consumer reads values that a later iteration of the producer recomputes,
which `fuse` accepts when each value read has been computed already and
every computation of it stores the same value (the producer reads nothing
either loop writes); a consumer that overwrites the producer's input is
refused there.
"""

from __future__ import annotations

from exo_core.cursors import AllocCursor, AssignCursor, ForCursor, InvalidCursor
from exo_core.errors import SchedulingError
from exo_core.procedure import Procedure
from exo_core.primitives.buffers_alloc import delete_buffer, sink_alloc
from exo_core.primitives.buffers_dims import resize_dim
from exo_core.primitives.expr_binding import inline_assign
from exo_core.primitives.exprs import rewrite_expr
from exo_core.primitives.loop_order import reorder_loops
from exo_core.primitives.loops import cut_loop, divide_loop, divide_with_recompute, shift_loop
from exo_core.primitives.parallel import parallelize_loop
from exo_core.primitives.scopes import fuse
from exo_core.primitives.simplify import simplify
from exo_core.user_frame import user_entry
from exo_stdlib.access_windows import (access_box, affine, affine_text, consumer_window,
                                      exact_affine)
from exo_stdlib.cursor_walk import expr_text
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
    """Tile two directly nested loops, the tile loops innermost: each divided
    perfectly, or with ``perfect=False`` into ``ceil(n / size)`` tiles whose
    elements past the end are guarded::

        for y in seq(0, H):              for yo in seq(0, H / 4):
            for x in seq(0, W):    ->        for xo in seq(0, W / 4):
                ...                              for yi in seq(0, 4):
                                                     for xi in seq(0, 4): ...

        perfect=False:                   for yo in seq(0, (H + 3) / 4):
                                             for xo in seq(0, (W + 3) / 4):
                                                 for yi in seq(0, 4):
                                                     if 4 * yo + yi < H:
                                                         for xi in seq(0, 4):
                                                             if 4 * xo + xi < W: ...
    """
    i_loop = as_loop(proc, i_loop, "tile")
    j_loop = as_loop(proc, j_loop, "tile")
    if j_loop.parent() != i_loop or len(i_loop.body()) != 1:
        raise err("tile", "the second loop must be the whole body of the first")
    if perfect:
        proc = divide_loop(proc, i_loop, i_tile_size, list(new_i_iters), perfect=True)
        proc = divide_loop(proc, j_loop, j_tile_size, list(new_j_iters), perfect=True)
        return reorder_loops(proc, proc.forward(i_loop).body()[0])
    # the column guard stays inside the column loop, the row guard between the
    # row loop and the column loop: divide the columns, move their tile loop
    # out, divide the rows, and put the row tile loop outermost
    proc = divide_loop(proc, j_loop, j_tile_size, list(new_j_iters), tail="guard")
    proc = reorder_loops(proc, proc.forward(i_loop))  # (i_loop's cursor follows it inside)
    proc = divide_loop(proc, proc.forward(i_loop), i_tile_size, list(new_i_iters),
                       tail="guard")
    return reorder_loops(proc, proc.forward(i_loop).parent())


def _stage_assign(proc: Procedure, buffer: str) -> AssignCursor:
    return proc.find(f"{buffer}[_] = _")


def _loop_named(stmt, name: str) -> ForCursor | None:
    c = stmt.parent()
    while not isinstance(c, InvalidCursor):
        if isinstance(c, ForCursor) and c.name() == name:
            return c
        c = c.parent()
    return None


def _loop_around(proc: Procedure, stmt, name: str, helper: str) -> ForCursor:
    loop = _loop_named(stmt, name)
    if loop is None:
        raise err(helper, f"no loop named {name!r} encloses the statement")
    return loop


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


def _top_below(c, stop):
    """The ancestor of ``c`` (or ``c``) whose parent is ``stop``."""
    while c.parent() != stop and not isinstance(c.parent(), InvalidCursor):
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
        if not isinstance(c.body()[0], ForCursor) or len(c.body()) != 1:
            raise err("compute_at", "the producer's loops must be perfectly nested")
        proc = reorder_loops(proc, c)


def _trip_count(loop: ForCursor, helper: str) -> dict:
    """The iterations of ``loop`` (which must start at 0) as an exact affine
    form (`exact_affine`)."""
    form = exact_affine(loop.hi())
    if not is_literal_int(loop.lo(), 0) or form is None:
        raise err(helper, f"not supported yet: the loop {loop.name()} must run from 0 to an "
                          "affine bound")
    return form


def _fold_inner_bound(proc: Procedure, loop: ForCursor) -> Procedure:
    """The bound of ``loop`` (made by `divide_with_recompute`) as a literal
    where it is one (``4 + ((H + 6) - H / 4 * 4)`` is 10 where ``H % 4 ==
    0``), proven equal by `rewrite_expr`; otherwise as it is."""
    form = exact_affine(loop.hi())
    if form is None or set(form) != {None} or form[None].denominator != 1:
        return proc
    value = int(form[None])
    if is_literal_int(loop.hi(), value):
        return proc
    try:
        return rewrite_expr(proc, loop.hi(), str(value))
    except SchedulingError:
        return proc


def _fuse_level(proc: Procedure, producer_assign: AssignCursor, cl: ForCursor, iters: list,
                with_prologue: bool, helper: str) -> tuple[Procedure, list]:
    """Fuse the producer's loop over the dimension ``cl`` indexes into ``cl``."""
    win = consumer_window(cl, producer_assign.name(), helper)
    it = iters[win.dim]
    if it is None:
        raise err(helper, f"the producer has no loop left over dimension {win.dim} of "
                          f"{producer_assign.name()} to fuse into {cl.name()}")
    p_loop = _loop_around(proc, producer_assign, it, helper)
    if not is_literal_int(p_loop.lo(), 0):
        raise err(helper, f"not supported yet: the producer's loop {it} must start at 0")
    produced, trips = _trip_count(p_loop, helper), _trip_count(cl, helper)
    proc = _move_outermost(proc, it, cl)
    name, stride = cl.name(), win.stride
    size = max(win.size, stride)
    # the values the producer computes beyond stride per consumer iteration
    extra = {k: v for k, v in _sub(produced, {k: stride * v for k, v in trips.items()}).items()
             if v != 0}
    divided = stride > 1
    top = proc.forward(cl).prev()
    if with_prologue and (size > stride or extra):
        # a sliding window: the first values ahead of the loop, then each
        # iteration computes the stride values it is first to need
        ahead = max(win.size - win.low - stride, 0)
        if extra != ({None: ahead} if ahead else {}):
            raise err(helper, f"not supported yet: a sliding window (with_prologue) needs the "
                              f"producer's loop {it} to compute the values the loop {name} reads, "
                              f"{stride} per iteration and {ahead} ahead; it computes "
                              f"{expr_text(p_loop.hi())}")
        if ahead:
            proc = cut_loop(proc, top, ahead)
            proc = shift_loop(proc, proc.forward(cl).prev(), 0)
        if divided:
            proc = divide_loop(proc, proc.forward(cl).prev(), stride, [name, name + "i"],
                               perfect=True)
    elif size > stride or extra:
        # each iteration recomputes its window: the producer's values split
        # into one chunk per iteration, overlapping by what they share (fuse
        # proves every value read is computed first, and the same each time)
        if not win.complete:
            raise err(helper, f"recomputing {producer_assign.name()} in the loop {name} needs "
                              f"every read of it there to depend on {name}")
        proc = divide_with_recompute(proc, top, expr_text(cl.hi()), stride, [name, name + "i"])
        proc = _fold_inner_bound(proc, proc.forward(cl).prev().body()[0])
        divided = True
    elif divided:
        proc = divide_loop(proc, top, stride, [name, name + "i"], perfect=True)
    top = proc.forward(cl).prev()
    proc = fuse(proc, top, proc.forward(cl))
    iters = list(iters)
    iters[win.dim] = name + "i" if divided else None
    return proc, iters


def _sub(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) - v
    return out


@user_entry
def compute_at(proc: Procedure, producer_assign, target_loop, with_prologue: bool = False) -> Procedure:
    """Compute the producer's values inside the consumer's loop nest, down to
    ``target_loop``: at each consumer loop, from the outermost, the producer
    loop over the dimension it indexes becomes the producer nest's outermost
    loop, is divided by the loop's stride and fused with it::

        for y in seq(0, H):                   for y in seq(0, H / 4):
            prod[y] = inp[y] * 2.0    ->          for yi in seq(0, 4):
        for y in seq(0, H / 4):                       prod[yi + 4 * y] = inp[yi + 4 * y] * 2.0
            for yi in seq(0, 4):                  for yi in seq(0, 4):
                out[4 * y + yi] = prod[4 * y + yi]    out[yi + 4 * y] = prod[yi + 4 * y]

    When an iteration reads more values than the loop advances (a halo: a
    3-point stencil reads ``i .. i + 2``), each iteration recomputes its whole
    window (``divide_with_recompute``), or with ``with_prologue`` the first
    values are computed ahead of the loop and each iteration computes only the
    new ones (a sliding window). The producer nest must come right before the
    consumer's; the result is simplified.
    """
    helper = "compute_at"
    producer_assign = as_stmt(proc, producer_assign, helper, AssignCursor)
    target = as_loop(proc, target_loop, helper)
    buffer = producer_assign.name()
    iters = []
    for idx in producer_assign.idx():
        form = affine(idx)
        names = [k for k, v in (form or {}).items() if k is not None and v != 0]
        if len(names) != 1 or form[names[0]] != 1 or not isinstance(
                _loop_named(producer_assign, names[0]), ForCursor):
            raise err(helper, f"the producer must write {buffer} at its loops' iterators (plus "
                              "constants)")
        iters.append(names[0])
    if len(set(iters)) != len(iters):
        raise err(helper, f"the producer must write {buffer} at a different loop in each dimension")
    consumer_loops = []
    c = target
    while not isinstance(c, InvalidCursor):
        if isinstance(c, ForCursor) and not _encloses(c, producer_assign):
            consumer_loops.append(c)
        c = c.parent()
    consumer_loops.reverse()
    if not consumer_loops or _top_below(producer_assign, consumer_loops[0].parent()).next() \
            != consumer_loops[0]:
        raise err(helper, "the producer's loop nest must come right before the consumer's")
    for cl in consumer_loops:
        proc, iters = _fuse_level(proc, proc.forward(producer_assign), proc.forward(cl), iters,
                                  with_prologue, helper)
    return simplify(proc)


# ---------------------------------------------------------------------------
# store_at


@user_entry
def store_at(proc: Procedure, producer_alloc, target_loop) -> Procedure:
    """Move the producer's allocation into ``target_loop`` (`sink_alloc`) and
    shrink each dimension to the box the loop's body accesses (`resize_dim`);
    the result is simplified::

        prod: f32[H, W]                      for y in seq(0, H / 4):
        for y in seq(0, H / 4):        ->        prod: f32[4, W]
            for yi in seq(0, 4):                 for yi in seq(0, 4):
                for x in seq(0, W):                  for x in seq(0, W):
                    prod[yi + 4 * y, x] = ...            prod[yi, x] = ...
            ... prod[yi + 4 * y, x] ...          ... prod[yi, x] ...
    """
    helper = "store_at"
    alloc = as_stmt(proc, producer_alloc, helper, AllocCursor)
    target = as_loop(proc, target_loop, helper)
    buffer = alloc.name()
    while True:
        alloc, target = proc.forward(alloc), proc.forward(target)
        if alloc.parent() == target:
            break
        nxt = alloc.next()
        if not _encloses(nxt, target):
            raise err(helper, f"the loop {target.name()} must be reached from the allocation of "
                              f"{buffer} through the statements right after it")
        proc = sink_alloc(proc, alloc)
    target = proc.forward(target)
    if not alloc.is_tensor():
        return simplify(proc)
    for dim, (offset, size) in enumerate(access_box(target, buffer, helper)):
        proc = resize_dim(proc, proc.forward(alloc), dim, affine_text(size), affine_text(offset))
    return simplify(proc)


def _encloses(stmt, target: ForCursor) -> bool:
    c = target
    while not isinstance(c, InvalidCursor):
        if c == stmt:
            return True
        c = c.parent()
    return False


@user_entry
def compute_and_store_at(proc: Procedure, producer: str, target_loop) -> Procedure:
    """`compute_at` (recomputing any halo) and `store_at` at one loop: the
    producer's buffer becomes the window each iteration uses."""
    helper = "compute_and_store_at"
    target = as_loop(proc, target_loop, helper)
    anchor = target.body()[0]  # fusion keeps the consumer's statements, not its loop
    proc = compute_at(proc, _stage_assign(proc, producer), target, with_prologue=False)
    return store_at(proc, proc.find_alloc_or_arg(producer), proc.forward(anchor).parent())


@user_entry
def halide_compute_at(p: Procedure, producer: str, consumer: str, loop: str,
                      with_prologue: bool = True) -> Procedure:
    """`compute_at` of the assignment to ``producer`` at the loop ``loop`` around
    the assignment to ``consumer``."""
    target = _loop_around(p, _stage_assign(p, consumer), loop, "halide_compute_at")
    return compute_at(p, _stage_assign(p, producer), target, with_prologue=with_prologue)


@user_entry
def halide_store_at(p: Procedure, producer: str, consumer: str, loop: str) -> Procedure:
    """`store_at` of ``producer``'s allocation at the loop ``loop`` around the
    assignment to ``consumer``."""
    target = _loop_around(p, _stage_assign(p, consumer), loop, "halide_store_at")
    return store_at(p, p.find_alloc_or_arg(producer), target)


@user_entry
def halide_compute_and_store_at(p: Procedure, producer: str, consumer: str, compute_loop: str,
                                store_loop: str) -> Procedure:
    """Store ``producer`` at ``store_loop`` and compute it at ``compute_loop``
    (inside it): recomputed down to the store loop, then a sliding window
    inside it, as Halide does."""
    helper = "halide_compute_and_store_at"
    store = _loop_around(p, _stage_assign(p, consumer), store_loop, helper)
    compute = _loop_around(p, _stage_assign(p, consumer), compute_loop, helper)
    if not _encloses(store, compute):
        raise err(helper, f"the store loop {store_loop} must enclose the compute loop "
                          f"{compute_loop}")
    same = compute == store
    anchor = compute.body()[0]  # fusion keeps the consumer's statements, not its loops
    p = compute_and_store_at(p, producer, store)
    if not same:
        p = compute_at(p, _stage_assign(p, producer), p.forward(anchor).parent(),
                       with_prologue=True)
    return p


@user_entry
def halide_compute_and_store_at_same(p: Procedure, producer: str, consumer: str, loop: str) -> Procedure:
    """`compute_and_store_at` at the loop ``loop`` around the assignment to
    ``consumer``."""
    target = _loop_around(p, _stage_assign(p, consumer), loop, "halide_compute_and_store_at_same")
    return compute_and_store_at(p, producer, target)


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
