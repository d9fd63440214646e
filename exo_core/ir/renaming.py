"""Renaming symbols in IR, in one pass that shares every unchanged subtree.

    rename_block(body, {i: i2}, steps, "body", changed)   # every binder and use of i

A renaming maps symbols to symbols. Every occurrence is renamed: reads,
windows and strides of a buffer, the names that statements write and bind
(loop iterators, allocations, window statements) and the shape expressions
of tensor types. A node none of whose symbols is renamed comes back itself
(identity is what the analyses cache on). Types of control expressions do
not change: a symbol is renamed to one of the same type.

`rename_block` also records which fields changed, per statement, as the
edit API's forwarding needs them (`exo_core.cursors.proc_editor.ProcEditor.rename`).
"""

from __future__ import annotations

from typing import Mapping

from exo_core.ir.nodes import BinOp, Const, Node, Read, Stmt
from exo_core.ir.prelude import Sym
from exo_core.ir.types import TensorType

Renaming = Mapping[Sym, Sym]


def _renamer(env: Renaming, changed: dict | None = None):
    """The renaming of a block, as closures over one table (the hot path of fission and of every rename: closures
    call each other faster than methods). Symbols are looked up by their ids
    (`Sym` hashes through a Python method; its id is a plain int)."""
    for old, new in env.items():
        if not isinstance(old, Sym) or not isinstance(new, Sym):
            raise TypeError("a renaming maps symbols to symbols")
    get = {old.id: new for old, new in env.items()}.get

    def rename_t(t):
        if type(t) is not TensorType:
            return t
        old = t.shape_exprs
        shape = tuple([expr(e) for e in old])
        for x, y in zip(shape, old):
            if x is not y:
                return TensorType(t.elem, shape, t.is_window)
        return t

    def exprs(v: tuple) -> tuple:
        new = tuple([expr(x) for x in v])
        for x, y in zip(v, new):
            if x is not y:
                return new
        return v

    def expr(e):
        kind = type(e)
        if kind is Read:
            idx = e.idx
            new_name = get(e.name.id)
            typ = e.type
            if type(typ) is TensorType:
                typ = rename_t(typ)
            if idx:
                new_idx = exprs(idx)
                if new_idx is not idx:
                    return e.update(name=new_name or e.name, idx=new_idx, type=typ)
            if new_name is None and typ is e.type:
                return e
            return e.update(name=new_name or e.name, type=typ)
        if kind is BinOp:
            lhs, rhs = expr(e.lhs), expr(e.rhs)
            if lhs is e.lhs and rhs is e.rhs:
                return e
            return e.update(lhs=lhs, rhs=rhs)
        if kind is Const or e is None:
            return e
        return node(e)

    def leaves(n: Node, changes: dict) -> None:
        for f in type(n).leaf_fields:
            v = getattr(n, f)
            kind = type(v)
            if kind is Sym:
                new = get(v.id)
                if new is not None:
                    changes[f] = new
            elif kind is TensorType:
                new = rename_t(v)
                if new is not v:
                    changes[f] = new

    def node(n: Node):
        """Any other expression or window access, by the schema."""
        changes: dict = {}
        for f in type(n).expr_fields:
            v = getattr(n, f)
            new = exprs(v) if type(v) is tuple else expr(v)
            if new is not v:
                changes[f] = new
        leaves(n, changes)
        return n.update(**changes) if changes else n

    def block(stmts, owner: tuple, field: str, start: int) -> list:
        return [stmt(s, owner + ((field, k),)) for k, s in enumerate(stmts, start)]

    def stmt(s: Stmt, steps: tuple):
        changes: dict = {}
        here: list = []
        for f in type(s).expr_fields:
            v = getattr(s, f)
            if type(v) is tuple:
                new = exprs(v)
                if new is not v:
                    changes[f] = new
                    here.extend((f, k) for k, (x, y) in enumerate(zip(v, new)) if x is not y)
            else:
                new = expr(v)
                if new is not v:
                    changes[f] = new
                    here.append((f, None))
        leaves(s, changes)
        if "type" in changes:
            here.append(("type", None))
        for f in type(s).block_fields:
            blk = getattr(s, f)
            new_blk = block(blk, steps, f, 0)
            for x, y in zip(blk, new_blk):
                if x is not y:
                    changes[f] = new_blk
                    break
        if here and changed is not None:
            changed[steps] = set(here)
        return s.update(**changes) if changes else s

    return block


def rename_block(stmts, env: Renaming, owner: tuple = (), field: str = "body",
                 changed: dict | None = None, start: int = 0) -> list:
    """The statements (``field`` of the node at path ``owner``, the first
    one at index ``start``) with the renaming applied, each one itself when
    nothing in it changed. When ``changed`` is given, it receives, for the
    path of each statement whose own fields changed, the set of
    ``(field, index)`` that did (index None for a field holding one
    expression, ``("type", None)`` for a shape)."""
    return _renamer(env, changed)(stmts, owner, field, start)


__all__ = ["Renaming", "rename_block"]
