"""Tiling helpers (Exo's ``tile_loops`` and ``tile_loops_bottom_up``), built
only from public primitives (divide_loop, fission, reorder_loops, lift_scope,
simplify) and cursors.

``tile_loops`` divides each given loop and moves the outer loops above the
inner ones, so the tiles become the innermost iteration space::

    for i in seq(0, 16):                      for io in seq(0, 4):
        for j in seq(0, 24):        -->           for jo in seq(0, 3):
            s                                         for ii in seq(0, 4):
                                                          for ji in seq(0, 8):
    tile_loops(p, [(i, 4), (j, 8)])                           s[i -> ii + 4 * io, j -> ji + 8 * jo]
"""

from __future__ import annotations

from typing import Sequence

from exo_core.cursors.stmt_cursors import ForCursor, IfCursor, InvalidCursor
from exo_core.errors import SchedulingError
from exo_core.procedure import Procedure
from exo_core.primitives.lift_scope import lift_scope
from exo_core.primitives.loop_order import fission, reorder_loops
from exo_core.primitives.loops import divide_loop
from exo_core.primitives.simplify import simplify

__all__ = ["tile_loops", "tile_loops_bottom_up"]


def _literal_hi(loop: ForCursor) -> int | None:
    lo, hi = loop.lo(), loop.hi()
    if not (hasattr(lo, "value") and hasattr(hi, "value")):
        return None
    lo_v, hi_v = lo.value(), hi.value()
    if isinstance(lo_v, int) and isinstance(hi_v, int) and lo_v == 0:
        return hi_v
    return None


def _alone_in_parent(proc: Procedure, loop: ForCursor) -> Procedure:
    """Fission the parent of ``loop`` around it so that ``loop`` is the only
    statement of its parent's body."""
    loop = proc.forward(loop)
    if not isinstance(loop.prev(), InvalidCursor):
        proc = fission(proc, loop.before())
        loop = proc.forward(loop)
    if not isinstance(loop.next(), InvalidCursor):
        proc = fission(proc, loop.after())
    return proc


def _check_pairs(loop_tile_pairs) -> None:
    if not isinstance(loop_tile_pairs, (list, tuple)):
        raise SchedulingError("tile_loops: expected a list of (loop cursor, tile size) pairs")
    for pair in loop_tile_pairs:
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
            raise SchedulingError("tile_loops: expected a list of (loop cursor, tile size) pairs, "
                                  f"got {pair!r}")
        if not isinstance(pair[0], ForCursor):
            raise SchedulingError("tile_loops: each loop must be given as a loop cursor "
                                  f"(ForCursor), got {type(pair[0]).__name__}")


def tile_loops(proc: Procedure, loop_tile_pairs: Sequence[tuple[ForCursor, int]],
               perfect: bool = False) -> tuple[Procedure, list[ForCursor]]:
    """Divide each loop by its tile size (``name`` -> ``nameo``/``namei``),
    then move the k-th outer loop up above the inner loops of the k tiles
    before it (fissioning its parents where needed), and return the new
    procedure with cursors to the inner loops::

        for i in seq(0, 16):                 for io in seq(0, 4):
            for j in seq(0, 24):       -->       for jo in seq(0, 3):
                s                                    for ii in seq(0, 4):
                                                         for ji in seq(0, 8):
                                                             s'

    A loop whose literal trip count the tile divides, or every loop with
    ``perfect=True``, is divided exactly (the verifier must prove it); the
    others get a tail loop (``tail="cut"``). With more than one loop the
    result is simplified.
    """
    _check_pairs(loop_tile_pairs)
    outer_loops, inner_names = [], []
    for loop, tile in loop_tile_pairs:
        loop = proc.forward(loop)
        name = loop.name()
        hi = _literal_hi(loop) if isinstance(tile, int) and not isinstance(tile, bool) else None
        exact = perfect or (hi is not None and tile > 0 and hi % tile == 0)
        if exact:
            proc = divide_loop(proc, loop, tile, [name + "o", name + "i"], perfect=True)
        else:
            proc = divide_loop(proc, loop, tile, [name + "o", name + "i"], tail="cut")
        outer_loops.append(proc.forward(loop))
        inner_names.append(name + "i")
    for idx, outer in enumerate(outer_loops):
        for _ in range(idx):
            outer = proc.forward(outer)
            proc = _alone_in_parent(proc, outer)
            outer = proc.forward(outer)
            parent = outer.parent()
            if not isinstance(parent, ForCursor):
                raise SchedulingError(f"tile_loops: loop {outer.name()} is not nested in the "
                                      "loops tiled before it")
            proc = reorder_loops(proc, parent)
            outer = proc.forward(outer)  # (its cursor follows it to where its parent stood)
    if len(loop_tile_pairs) > 1:
        proc = simplify(proc)
    if not outer_loops:
        return proc, []
    top = proc.forward(outer_loops[0])
    return proc, [_first_loop_named(top, name) for name in inner_names]


def _first_loop_named(stmt, name: str):
    """The first loop called ``name`` at or below ``stmt`` (depth first, in
    program order: the main tile comes before any tail)."""
    if isinstance(stmt, ForCursor) and stmt.name() == name:
        return stmt
    blocks = []
    if isinstance(stmt, (ForCursor, IfCursor)):
        blocks.append(stmt.body())
    if isinstance(stmt, IfCursor) and not isinstance(stmt.orelse(), InvalidCursor):
        blocks.append(stmt.orelse())
    for block in blocks:
        for s in block:
            found = _first_loop_named(s, name)
            if found is not None:
                return found
    return None


def _sink(proc: Procedure, loop: ForCursor, stop: set) -> Procedure:
    """Move ``loop`` down through the loops and ifs of its body (fissioning
    its body where it holds several statements) until it reaches a loop in
    ``stop`` (an inner tile) or a plain statement."""
    loop = proc.forward(loop)
    body = list(loop.body())
    if len(body) > 1:
        for s in body[:-1]:
            proc = fission(proc, proc.forward(s).after())
        loops = []
        for s in body:
            loops.append(proc.forward(s).parent())
        for l in loops:
            proc = _sink(proc, l, stop)
        return proc
    child = body[0]
    if isinstance(child, ForCursor) and child.name() in stop:
        return proc
    if not isinstance(child, (ForCursor, IfCursor)):
        return proc
    proc = lift_scope(proc, child)
    return _sink(proc, proc.forward(child).body()[0], stop)


def _bottom_up(proc: Procedure, loop: ForCursor, tiles: Sequence[int],
               inner_names: set) -> Procedure:
    loop = proc.forward(loop)
    if len(tiles) > 1:
        body = list(loop.body())
        if len(body) != 1 or not isinstance(body[0], ForCursor):
            raise SchedulingError(f"tile_loops_bottom_up: loop {loop.name()} must have exactly "
                                  f"one loop in its body to tile {len(tiles)} loops")
        proc = _bottom_up(proc, body[0], tiles[1:], inner_names)
        loop = proc.forward(loop)
    name = loop.name()
    proc = divide_loop(proc, loop, tiles[0], [name + "o", name + "i"], tail="cut_and_guard")
    outer = proc.forward(loop)
    tail = outer.next()
    if isinstance(tail, IfCursor):
        tail = tail.body()[0]
    sunk = [outer.body()[0]]
    if isinstance(tail, ForCursor) and tail.name() == name + "i":
        sunk.append(tail)
    for inner in sunk:
        proc = _sink(proc, inner, inner_names)
    inner_names.add(name + "i")
    return proc


def tile_loops_bottom_up(proc: Procedure, loop: ForCursor, tiles: Sequence[int]) -> Procedure:
    """Tile the perfect nest starting at ``loop``, one tile size per loop
    level, from the innermost tiled loop up: each loop is divided with
    ``tail="cut_and_guard"`` and its inner loop moved down below the loops
    it encloses, stopping at the inner loops of the levels already tiled::

        for i in seq(0, n):                  for io in seq(0, n / 4):
            for k in seq(0, m):        -->       for k in seq(0, m):
                s                                    for ii in seq(0, 4):
                                                         s[i -> 4 * io + ii]
        tile_loops_bottom_up(p, i, [4])      if n % 4 > 0:
                                                 for k in seq(0, m):
                                                     for ii in seq(0, n % 4):
                                                         s[i -> ii + n / 4 * 4]
    """
    if not isinstance(loop, ForCursor):
        raise SchedulingError("tile_loops_bottom_up: expected a loop cursor (ForCursor), got "
                              f"{type(loop).__name__}")
    if not isinstance(tiles, (list, tuple)) or not tiles:
        raise SchedulingError("tile_loops_bottom_up: expected a non-empty list of tile sizes")
    return _bottom_up(proc, loop, list(tiles), set())
