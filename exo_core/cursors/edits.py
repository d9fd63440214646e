"""Elementary edits of a procedure and their forwarding rules.

Every scheduling primitive is a composition of the edits below (through
`exo_core.cursors.proc_editor.ProcEditor`). Each edit records what it did and carries
its own forwarding rule ``forward(loc) -> loc | None``: the location in the new
tree of what was at ``loc`` in the old tree, or None when that thing no longer
exists. `Procedure.forward` composes these rules.

The rules (they follow the reference's cursor forwarding semantics):

- `ReplaceRange` (replace/insert/delete statements): statements before the range
  keep their place, statements after it shift; cursors into replaced statements
  are invalid. A block that contains the range grows or shrinks; a block equal to
  the range becomes the replacement (invalid when nothing replaces it); a block
  partly overlapping it is invalid. For a pure insertion, a gap at the insertion
  point stays with its anchor: anchored after the previous statement it stays
  before the new statements, anchored before the next statement it ends up after
  them.
- `Wrap` (a block becomes the body of a new ``for``/``if``): the statements are
  forwarded into the new body; a block inside the range into the body; a block
  containing the range now contains the new statement.
- `Unwrap` (a ``for``/``if`` is replaced by one of its blocks): statements of
  that block move up into the enclosing block; the unwrapped statement itself,
  its expressions and its other block are invalid.
- `Move` (a block moves to a gap elsewhere): the moved statements (and
  everything in them) are tracked to their new place; the rest behaves as a
  deletion followed by an insertion.
- `RewriteExprs` (expressions replaced in place, statement fields updated):
  statements, blocks and gaps are unchanged; cursors at or below a replaced
  expression are invalid (its ancestors stay valid and see the new child).
- `SwapNest` (a loop and the loop that is its whole body exchange their
  headers): each loop's cursor, and the cursors to its header's
  expressions, follow that loop: the outer loop's now point one level down
  and the inner one's to the outer place; the outer loop's body block and
  its gaps follow the inner loop. The body's statements keep their places.
- `RemapArgs` (the argument list changed): argument cursors follow their
  argument or become invalid.
"""

from __future__ import annotations

from exo_core.cursors.paths import NodeLoc, BlockLoc, GapLoc, ListLoc

ANY = -1  # in RewriteExprs roots: every index of a list field


class Edit:
    """Base of elementary edits. ``src`` is the procedure version the edit
    was applied to and ``dst`` the version it produced (set by the editor),
    used to forward cursors of intermediate versions."""

    src = None
    dst = None

    def forward(self, loc):  # pragma: no cover - interface
        raise NotImplementedError


def _inside(loc, owner: tuple, field: str):
    """Where ``loc`` is relative to block ``field`` of ``owner``:
    ``("stmt", k)`` when it is statement ``k`` or below it, ``("block",)`` /
    ``("gap",)`` when it is a block/gap of that very block, else None."""
    pre = loc.prefix()
    n = len(owner)
    if len(pre) > n and pre[n][0] == field and pre[:n] == owner:
        return ("stmt", pre[n][1])
    if isinstance(loc, (BlockLoc, GapLoc)) and loc.field == field and loc.owner == owner:
        return ("block",) if isinstance(loc, BlockLoc) else ("gap",)
    return None


def _with_index(loc, n: int, field: str, k: int):
    """``loc`` with the statement step at depth ``n`` set to ``(field, k)``."""
    pre = loc.prefix()
    return loc.with_prefix(n + 1, pre[:n] + ((field, k),))


def _normalize_gap(gap: GapLoc, block_len: int) -> GapLoc:
    """Give a gap an anchor that exists in a block of ``block_len`` statements."""
    if gap.anchor == "before" and gap.pos >= block_len and gap.pos > 0:
        return GapLoc(gap.owner, gap.field, gap.pos, "after")
    if gap.anchor == "after" and gap.pos == 0:
        return GapLoc(gap.owner, gap.field, gap.pos, "before")
    return gap


class ReplaceRange(Edit):
    """Statements ``lo..hi-1`` of a block replaced by ``n`` statements.

    ``filler`` means the block would have been emptied and a ``pass`` keeps it
    non-empty (the ``pass`` is not a replacement of anything). ``new_len`` is
    the length of the block afterwards.
    """

    def __init__(self, owner, field, lo, hi, n, new_len, filler=False):
        self.owner, self.field, self.lo, self.hi = owner, field, lo, hi
        self.n, self.new_len, self.filler = n, new_len, filler

    def __repr__(self):
        return f"ReplaceRange({self.owner}, {self.field}, {self.lo}, {self.hi}, n={self.n})"

    def forward(self, loc):
        where = _inside(loc, self.owner, self.field)
        if where is None:
            return loc
        lo, hi, n = self.lo, self.hi, self.n
        d = n - (hi - lo)
        depth = len(self.owner)
        if where[0] == "stmt":
            k = where[1]
            if k < lo:
                return loc
            if k >= hi:
                return _with_index(loc, depth, self.field, k + d)
            return None
        if where[0] == "block":
            return self._forward_block(loc, d)
        return self._forward_gap(loc, d)

    def _forward_block(self, blk: BlockLoc, d: int):
        lo, hi, a, b = self.lo, self.hi, blk.lo, blk.hi
        if lo == hi:  # pure insertion at lo
            start = a + self.n * (a >= lo)
            stop = b + self.n * (b > lo)
            return BlockLoc(blk.owner, blk.field, start, stop)
        if b <= lo:
            return blk
        if a >= hi:
            return BlockLoc(blk.owner, blk.field, a + d, b + d)
        if a <= lo and hi <= b:  # contains the range (or equals it)
            if a == lo and b == hi and (self.n == 0 or self.filler):
                return None
            return BlockLoc(blk.owner, blk.field, a, b + d)
        return None  # strictly inside the replaced range, or overlapping one side

    def _forward_gap(self, gap: GapLoc, d: int):
        lo, hi, p = self.lo, self.hi, gap.pos
        if lo == hi:
            if p < lo or (p == lo and gap.anchor == "after"):
                new = gap
            else:
                new = GapLoc(gap.owner, gap.field, p + self.n, gap.anchor)
        elif p <= lo:
            new = gap
        elif p >= hi:
            new = GapLoc(gap.owner, gap.field, p + d, gap.anchor)
        else:
            return None
        return _normalize_gap(new, self.new_len)


class Wrap(Edit):
    """Statements ``lo..hi-1`` of a block become the body of one new statement
    placed at ``lo``."""

    def __init__(self, owner, field, lo, hi, new_len):
        self.owner, self.field, self.lo, self.hi, self.new_len = owner, field, lo, hi, new_len

    def __repr__(self):
        return f"Wrap({self.owner}, {self.field}, {self.lo}, {self.hi})"

    def forward(self, loc):
        where = _inside(loc, self.owner, self.field)
        if where is None:
            return loc
        lo, hi = self.lo, self.hi
        shrink = hi - lo - 1
        depth = len(self.owner)
        inner = self.owner + ((self.field, lo),)
        if where[0] == "stmt":
            k = where[1]
            if k < lo:
                return loc
            if k >= hi:
                return _with_index(loc, depth, self.field, k - shrink)
            return loc.with_prefix(depth + 1, inner + (("body", k - lo),))
        if where[0] == "block":
            a, b = loc.lo, loc.hi
            if lo <= a and b <= hi:
                return BlockLoc(inner, "body", a - lo, b - lo)
            if b <= lo:
                return loc
            if a >= hi:
                return BlockLoc(loc.owner, loc.field, a - shrink, b - shrink)
            if a <= lo and hi <= b:
                return BlockLoc(loc.owner, loc.field, a, b - shrink)
            return None
        p, anchor = loc.pos, loc.anchor
        if p < lo or (p == lo and anchor == "after"):
            return loc
        if p > hi or (p == hi and anchor == "before"):
            return _normalize_gap(
                GapLoc(loc.owner, loc.field, p - shrink, anchor), self.new_len)
        return _normalize_gap(GapLoc(inner, "body", p - lo, anchor), hi - lo)


class Unwrap(Edit):
    """Statement ``i`` of a block replaced by its block ``branch`` (of
    ``n`` statements)."""

    def __init__(self, owner, field, i, branch, n, new_len):
        self.owner, self.field, self.i, self.branch = owner, field, i, branch
        self.n, self.new_len = n, new_len

    def __repr__(self):
        return f"Unwrap({self.owner}, {self.field}, {self.i}, {self.branch})"

    def forward(self, loc):
        where = _inside(loc, self.owner, self.field)
        if where is None:
            return loc
        i, n, depth = self.i, self.n, len(self.owner)
        grow = n - 1
        if where[0] == "stmt":
            k = where[1]
            if k < i:
                return loc
            if k > i:
                return _with_index(loc, depth, self.field, k + grow)
            pre = loc.prefix()
            # Below the unwrapped statement: only its `branch` block survives.
            if len(pre) > depth + 1:
                f, j = pre[depth + 1]
                if f == self.branch:
                    return loc.with_prefix(depth + 2, self.owner + ((self.field, i + j),))
                return None
            if isinstance(loc, (BlockLoc, GapLoc)) and loc.field == self.branch:
                if isinstance(loc, BlockLoc):
                    return BlockLoc(self.owner, self.field, loc.lo + i, loc.hi + i)
                return _normalize_gap(
                    GapLoc(self.owner, self.field, loc.pos + i, loc.anchor), self.new_len)
            return None
        if where[0] == "block":
            a, b = loc.lo, loc.hi
            if b <= i:
                return loc
            if a > i:
                return BlockLoc(loc.owner, loc.field, a + grow, b + grow)
            return BlockLoc(loc.owner, loc.field, a, b + grow)
        p = loc.pos
        if p <= i:
            return _normalize_gap(loc, self.new_len)
        return _normalize_gap(GapLoc(loc.owner, loc.field, p + grow, loc.anchor), self.new_len)


class Move(Edit):
    """Statements ``lo..hi-1`` of a block moved to a gap.

    ``delete`` and ``insert`` are the equivalent deletion and insertion (the
    insertion expressed in the tree after the deletion); moved statements are
    tracked to ``insert``'s block.
    """

    def __init__(self, owner, field, lo, hi, delete: ReplaceRange, insert: ReplaceRange):
        self.owner, self.field, self.lo, self.hi = owner, field, lo, hi
        self.delete, self.insert = delete, insert

    def __repr__(self):
        return f"Move({self.owner}, {self.field}, {self.lo}, {self.hi} -> {self.insert})"

    def forward(self, loc):
        where = _inside(loc, self.owner, self.field)
        lo, hi, depth = self.lo, self.hi, len(self.owner)
        dst_owner, dst_field, dst_pos = self.insert.owner, self.insert.field, self.insert.lo
        if where is not None:
            moved_new = None
            if where[0] == "stmt" and lo <= where[1] < hi:
                new_prefix = dst_owner + ((dst_field, dst_pos + where[1] - lo),)
                return loc.with_prefix(depth + 1, new_prefix)
            if where[0] == "block" and lo <= loc.lo and loc.hi <= hi:
                return BlockLoc(dst_owner, dst_field, dst_pos + loc.lo - lo,
                                dst_pos + loc.hi - lo)
            if where[0] == "gap":
                p, anchor = loc.pos, loc.anchor
                if lo < p < hi or (p == lo and anchor == "before") or (
                        p == hi and anchor == "after"):
                    moved_new = GapLoc(dst_owner, dst_field, dst_pos + p - lo, anchor)
                    return moved_new
        mid = self.delete.forward(loc)
        if mid is None:
            return None
        return self.insert.forward(mid)


class RewriteExprs(Edit):
    """Expressions (or non-block fields of statements/arguments) replaced in
    place. ``roots`` maps a node's steps to a set of ``(field, index)``
    pairs that changed; index `ANY` means every element of a list field, and
    None a single-valued field."""

    def __init__(self, roots: dict):
        self.roots = roots

    def __repr__(self):
        return f"RewriteExprs({len(self.roots)} nodes)"

    def forward(self, loc):
        if not isinstance(loc, (NodeLoc, ListLoc)):
            return loc
        pre = loc.prefix()
        roots = self.roots
        # (a ListLoc whose own list changed stays valid: it sees the new list)
        for i in range(len(pre)):
            changed = roots.get(pre[:i])
            if not changed:
                continue
            f, k = pre[i]
            if (f, k) in changed or (f, ANY) in changed:
                return None
            if f == "shape" and ("type", None) in changed:
                return None
        return loc


class SwapNest(Edit):
    """The loop at ``steps`` and the loop that is its whole body exchanged
    their headers (iterator and bounds)."""

    def __init__(self, steps: tuple):
        self.steps = steps
        self.inner = steps + (("body", 0),)

    def __repr__(self):
        return f"SwapNest({self.steps})"

    def forward(self, loc):
        if isinstance(loc, (BlockLoc, GapLoc)) and loc.owner == self.steps:
            # the outer loop's body (the inner loop) and the gaps around it
            # follow the inner loop, which now stands where the outer did
            owner, (field, k) = self.steps[:-1], self.steps[-1]
            if isinstance(loc, BlockLoc):
                return BlockLoc(owner, field, k + loc.lo, k + loc.hi)
            return GapLoc(owner, field, k + loc.pos, loc.anchor)
        if not isinstance(loc, (NodeLoc, ListLoc)):
            return loc
        pre, n = loc.prefix(), len(self.steps)
        if pre[:n] != self.steps:
            return loc
        if len(pre) == n or pre[n] != ("body", 0):  # the outer loop or its header
            return loc.with_prefix(n, self.inner)
        if len(pre) == n + 1 or pre[n + 1][0] != "body":  # the inner loop or its header
            return loc.with_prefix(n + 1, self.steps)
        return loc


class RemapArgs(Edit):
    """The procedure's argument list changed: argument ``k`` is now argument
    ``mapping[k]`` (absent: deleted)."""

    def __init__(self, mapping: dict):
        self.mapping = mapping

    def __repr__(self):
        return f"RemapArgs({self.mapping})"

    def forward(self, loc):
        pre = loc.prefix()
        if not pre or pre[0][0] != "args":
            return loc
        new_k = self.mapping.get(pre[0][1])
        if new_k is None:
            return None
        return loc.with_prefix(1, (("args", new_k),))


def forward_loc(loc, edits):
    """Forward ``loc`` through ``edits`` in order (None once invalid)."""
    for edit in edits:
        loc = edit.forward(loc)
        if loc is None:
            return None
    return loc
