"""The one generic walker and mapper over IR nodes, driven by the schema.

Every node class declares which of its fields hold expressions
(``expr_fields``) and which hold statement blocks (``block_fields``); see
`exo_core.ir.nodes`. Traversals go through these functions instead of
restating, per statement kind, where its expressions and blocks are::

    children(For(i, lo, hi, body))      # (lo, hi, *body)
    expr_children(x[i + 1, 0:n])       # (i + 1, 0, n): window ends flattened
    stmt_exprs(Assign(y, t, (i,), e))  # (i, e)
    map_exprs(s, fn)                   # s with fn applied to each of its expressions
    map_blocks(s, fn)                  # s with fn applied to each of its blocks

Mappers return the node itself when ``fn`` changed nothing (identity is what
the analyses cache on, and untouched subtrees stay shared). Types are leaves:
the shape expressions inside a tensor type are not visited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pyrsistent import PVector

from exo_core.ir.nodes import Expr, Node, Stmt, WAccess


def _values(node: Node, fields: tuple[str, ...]) -> list:
    out = []
    for f in fields:
        v = getattr(node, f)
        if v is None:
            continue
        if isinstance(v, tuple):
            out.extend(x for x in v if x is not None)
        else:
            out.append(v)
    return out


def children(node: Node) -> tuple[Node, ...]:
    """The direct child nodes of ``node``, in program order: what its
    expression fields hold (expressions, window accesses), then the statements
    of its blocks. Open interval ends (None) are skipped."""
    out = _values(node, type(node).expr_fields)
    for f in type(node).block_fields:
        out.extend(getattr(node, f))
    return tuple(out)


def child_steps(node: Node) -> list[tuple[str, int | None]]:
    """The path steps ``(field, index)`` to the children of ``node``, in the
    order of `children` (``index`` None for a field holding one node)."""
    out: list = []
    for f in type(node).expr_fields:
        v = getattr(node, f)
        if isinstance(v, tuple):
            out.extend((f, k) for k, x in enumerate(v) if x is not None)
        elif v is not None:
            out.append((f, None))
    for f in type(node).block_fields:
        out.extend((f, k) for k in range(len(getattr(node, f))))
    return out


def expr_children(e: Node) -> tuple[Expr, ...]:
    """The direct sub-expressions of an expression (a window's interval ends
    and points included; an open interval end is skipped)."""
    out = []
    for x in _values(e, type(e).expr_fields):
        if isinstance(x, WAccess):
            out.extend(_values(x, type(x).expr_fields))
        else:
            out.append(x)
    return tuple(out)


def stmt_exprs(s: Node) -> tuple[Expr, ...]:
    """The expressions a statement (or procedure) holds itself, in field
    order; not those of the statements in its blocks."""
    return tuple(_values(s, type(s).expr_fields))


def walk_expr(e: Expr) -> Iterator[Expr]:
    """``e`` and every sub-expression of it, outer before inner."""
    yield e
    for c in expr_children(e):
        yield from walk_expr(c)


def walk_stmts(block) -> Iterator[Stmt]:
    """Every statement of ``block``, each before the statements of its blocks."""
    for s in block:
        yield s
        for f in type(s).block_fields:
            yield from walk_stmts(getattr(s, f))


def map_exprs(node: Node, fn: Callable[[Expr], Expr]) -> Node:
    """``node`` with ``fn`` applied to each expression its expression fields
    hold (for a window expression: to the ends and points of its accesses).
    ``fn`` is not applied below those expressions; the node itself comes back
    when nothing changed."""
    changes = {}
    for f in type(node).expr_fields:
        v = getattr(node, f)
        if isinstance(v, tuple):
            new = tuple(_map_one(x, fn) for x in v)
            if any(x is not y for x, y in zip(v, new)):
                changes[f] = new
        elif v is not None:
            new = _map_one(v, fn)
            if new is not v:
                changes[f] = new
    return node.update(**changes) if changes else node


def _map_one(x, fn):
    if x is None:
        return None
    if isinstance(x, WAccess):
        return map_exprs(x, fn)
    return fn(x)


def map_blocks(node: Node, fn: Callable[[PVector], object]) -> Node:
    """``node`` with ``fn`` applied to each of its statement blocks; the node
    itself comes back when ``fn`` returned every block unchanged."""
    changes = {}
    for f in type(node).block_fields:
        old = getattr(node, f)
        new = fn(old)
        if new is not old:
            changes[f] = new
    return node.update(**changes) if changes else node


__all__ = ["children", "child_steps", "expr_children", "stmt_exprs", "walk_expr", "walk_stmts",
           "map_exprs", "map_blocks"]
