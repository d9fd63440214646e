"""Locations in a procedure: zipper paths from the `ProcIR` root.

A cursor is a procedure version plus one of the location values defined here.
Locations are plain immutable values (hashable, compared structurally), so
navigation is path arithmetic and forwarding is a function from old locations to
new ones.

A *step* is a pair ``(field, index)``: ``("body", 3)`` is the fourth statement
of a ``body`` block, ``("rhs", None)`` the right-hand side of an assignment,
``("idx", 1)`` the second index expression, ``("args", 0)`` the first procedure
argument (from the root) or call argument, ``("shape", 0)`` the first extent of
an allocation's or argument's tensor type. Statement steps are exactly the steps
whose field is ``body`` or ``orelse``.

Location kinds:

- `NodeLoc(steps)`: one node (a statement, an expression or an argument).
- `BlockLoc(owner, field, lo, hi)`: statements ``lo..hi-1`` of the block
  ``field`` of the node at ``owner`` (``owner == ()`` is the procedure body).
- `GapLoc(owner, field, pos, anchor)`: the space before statement ``pos`` of a
  block; ``anchor`` says which neighbour the gap sticks to when statements are
  inserted right there: ``"before"`` (the gap is before statement ``pos``) or
  ``"after"`` (the gap is after statement ``pos - 1``).
- `ListLoc(owner, field)`: an expression list (index list, call arguments,
  shape) of the node at ``owner``.
"""

from __future__ import annotations

from attrs import frozen
from pyrsistent import PVector, pvector

from exo_core.errors import InvalidCursorError
from exo_core.ir.nodes import NODE_TYPES, Interval, Pass, Point, ProcIR, For, If
from exo_core.ir.types import TensorType

BLOCK_FIELDS = tuple(dict.fromkeys(f for cls in NODE_TYPES for f in cls.block_fields))
"""The names of the fields that hold statement blocks (from the IR schema)."""

Step = tuple  # (field: str, index: int | None)


@frozen(slots=True)
class NodeLoc:
    """The node reached by following ``steps`` from the root."""

    steps: tuple

    def prefix(self) -> tuple:
        return self.steps

    def with_prefix(self, n: int, new_prefix: tuple) -> "NodeLoc":
        """This location with its first ``n`` steps replaced by ``new_prefix``."""
        return NodeLoc(new_prefix + self.steps[n:])


@frozen(slots=True)
class BlockLoc:
    """Statements ``lo <= k < hi`` of block ``field`` of the node at ``owner``."""

    owner: tuple
    field: str
    lo: int
    hi: int

    def prefix(self) -> tuple:
        return self.owner

    def with_prefix(self, n: int, new_prefix: tuple) -> "BlockLoc":
        return BlockLoc(new_prefix + self.owner[n:], self.field, self.lo, self.hi)


@frozen(slots=True)
class GapLoc:
    """The gap before statement ``pos`` of block ``field`` of ``owner``."""

    owner: tuple
    field: str
    pos: int
    anchor: str  # "before" (sticks to statement pos) or "after" (to pos - 1)

    def prefix(self) -> tuple:
        return self.owner

    def with_prefix(self, n: int, new_prefix: tuple) -> "GapLoc":
        return GapLoc(new_prefix + self.owner[n:], self.field, self.pos, self.anchor)


@frozen(slots=True)
class ListLoc:
    """The expression list ``field`` (``idx``, ``args``, ``shape``) of ``owner``."""

    owner: tuple
    field: str

    def prefix(self) -> tuple:
        return self.owner

    def with_prefix(self, n: int, new_prefix: tuple) -> "ListLoc":
        return ListLoc(new_prefix + self.owner[n:], self.field)


Loc = NodeLoc | BlockLoc | GapLoc | ListLoc


def is_stmt_step(step: Step) -> bool:
    """True for a step that selects a statement of a block."""
    return step[0] in BLOCK_FIELDS


def is_stmt_loc(loc) -> bool:
    """True when ``loc`` is a `NodeLoc` of a statement."""
    return isinstance(loc, NodeLoc) and bool(loc.steps) and loc.steps[-1][0] in BLOCK_FIELDS


def stmt_prefix_len(steps: tuple) -> int:
    """Length of the longest prefix of ``steps`` that ends at a statement
    (0 when the path starts at an argument)."""
    n = 0
    for i, step in enumerate(steps):
        if step[0] in BLOCK_FIELDS:
            n = i + 1
        else:
            break
    return n


# --------------------------------------------------------------------------
# Reading the tree


def field_value(node, field: str):
    """The value of ``field`` on ``node``; ``shape`` is the extents of the
    node's tensor type (empty for scalars)."""
    if field == "shape":
        typ = node.type
        return typ.shape_exprs if isinstance(typ, TensorType) else ()
    try:
        return getattr(node, field)
    except AttributeError:
        raise InvalidCursorError(
            f"a {type(node).__name__} has no {field}"
        ) from None


def child(node, step: Step):
    """Follow one step down from ``node`` (raises InvalidCursorError when the
    step does not exist)."""
    field, idx = step
    value = field_value(node, field)
    if idx is None:
        return value
    if not 0 <= idx < len(value):
        raise InvalidCursorError(
            f"position {idx} is out of range for {field} of length {len(value)}"
        )
    return value[idx]


def resolve(root: ProcIR, steps: tuple):
    """The node at ``steps`` below ``root``."""
    node = root
    for step in steps:
        node = child(node, step)
    return node


def block_of(root: ProcIR, owner: tuple, field: str) -> PVector:
    """The statement block ``field`` of the node at ``owner``."""
    return field_value(resolve(root, owner), field)


# --------------------------------------------------------------------------
# Rebuilding the tree along a path (every untouched subtree is shared)


def _set_child(node, step: Step, new):
    field, idx = step
    if field == "shape":
        typ = node.type
        shape = list(typ.shape_exprs)
        shape[idx] = new
        return node.update(type=TensorType(typ.elem, shape, typ.is_window))
    if idx is None:
        return node.update(**{field: new})
    seq = getattr(node, field)
    if isinstance(seq, PVector):
        return node.update(**{field: seq.set(idx, new)})
    items = list(seq)
    items[idx] = new
    return node.update(**{field: tuple(items)})


def rebuild(root, steps: tuple, fn):
    """A new tree where the node at ``steps`` is replaced by ``fn(node)``."""
    if not steps:
        return fn(root)
    step = steps[0]
    return _set_child(root, step, rebuild(child(root, step), steps[1:], fn))


def needs_filler(owner_node, field: str) -> bool:
    """Whether an emptied block must keep a ``pass`` (loop and if bodies and
    the procedure body must not be empty; an ``else`` block may)."""
    return field == "body" and isinstance(owner_node, (ProcIR, For, If))


def splice(root: ProcIR, owner: tuple, field: str, lo: int, hi: int, stmts) -> tuple:
    """Replace statements ``lo..hi-1`` of a block by ``stmts``.

    Returns ``(new_root, n_inserted, filler)``: when the block would become
    empty and must not be, a ``pass`` is inserted and ``filler`` is True.
    """
    stmts = list(stmts)
    filler = False

    def edit(owner_node):
        nonlocal filler
        block = field_value(owner_node, field)
        new_block = block[:lo].extend(stmts).extend(block[hi:])
        if not new_block and needs_filler(owner_node, field):
            srcinfo = getattr(owner_node, "srcinfo", None)
            new_block = pvector([Pass(srcinfo) if srcinfo is not None else Pass()])
            filler = True
        return owner_node.update(**{field: new_block})

    new_root = rebuild(root, owner, edit)
    return new_root, (1 if filler else len(stmts)), filler
