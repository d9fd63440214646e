"""Helpers shared by the buffer primitives: finding a buffer's declaration,
and redirecting uses of a buffer (`exo_core.analysis.buffer_uses`) with
`ProcEditor` edits so cursors forward."""

from __future__ import annotations

from typing import Callable

import exo_core.ir as ir
from exo_core.cursors.base import lift
from exo_core.cursors.paths import NodeLoc
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.ir.prelude import Sym
from exo_core.primitives.arguments import err


def declaration_of(root: ir.ProcIR, sym: Sym):
    """The argument, allocation or window statement that binds ``sym``."""
    for a in root.args:
        if a.name is sym:
            return a
    stack = [root.body]
    while stack:
        for s in stack.pop():
            if isinstance(s, (ir.Alloc, ir.WindowStmt)) and s.name is sym:
                return s
            for f in s.block_fields:
                stack.append(getattr(s, f))
    return None


def map_expr_nodes(e, replace: dict):
    """``e`` with every sub-expression whose id is a key of ``replace``
    replaced (``e`` itself when nothing changed)."""
    new = replace.get(id(e))
    if new is not None:
        return new
    if isinstance(e, ir.Read):
        idx = tuple(map_expr_nodes(i, replace) for i in e.idx)
        return e if all(x is y for x, y in zip(idx, e.idx)) else e.update(idx=idx)
    if isinstance(e, ir.USub):
        a = map_expr_nodes(e.arg, replace)
        return e if a is e.arg else e.update(arg=a)
    if isinstance(e, ir.BinOp):
        lhs, rhs = map_expr_nodes(e.lhs, replace), map_expr_nodes(e.rhs, replace)
        return e if lhs is e.lhs and rhs is e.rhs else e.update(lhs=lhs, rhs=rhs)
    if isinstance(e, ir.Extern):
        args = tuple(map_expr_nodes(a, replace) for a in e.args)
        return e if all(x is y for x, y in zip(args, e.args)) else e.update(args=args)
    if isinstance(e, ir.WindowExpr):
        idx = []
        for a in e.idx:
            if isinstance(a, ir.Interval):
                lo, hi = map_expr_nodes(a.lo, replace), map_expr_nodes(a.hi, replace)
                idx.append(a if lo is a.lo and hi is a.hi else a.update(lo=lo, hi=hi))
            else:
                pt = map_expr_nodes(a.pt, replace)
                idx.append(a if pt is a.pt else a.update(pt=pt))
        return e if all(x is y for x, y in zip(idx, e.idx)) else e.update(idx=tuple(idx))
    return e


def redirect_uses(primitive: str, ed: ProcEditor, block, uses, new_name: Sym,
                  index_map: Callable, untouched=()) -> None:
    """Redirect ``uses`` (of one buffer, inside ``block``) to ``new_name``.

    ``index_map(idx, use)`` gives the new index tuple of an element access
    (``idx``: the old index expressions); for a window expression it gets
    the old `WAccess` tuple and returns the new one. A bare name passed to a
    call and ``stride(name, d)`` are only renamed (callers that change the
    dimensions refuse them first). ``untouched`` are uses
    that keep the old buffer: a node shared between a redirected use and an
    untouched one is refused (it cannot be rewritten in one place only).
    """
    keep = {id(u.node) for u in untouched}
    replace = {}
    targets = []
    for u in uses:
        if id(u.node) in keep:
            raise err(primitive, "one expression object occurs at two places that "
                                           "need different rewrites; not supported")
        if u.role == "target":
            targets.append(u)
        elif u.role == "read":
            replace[id(u.node)] = ir.Read(new_name, tuple(index_map(u.node.idx, u)),
                                          u.node.type, u.node.srcinfo)
        elif u.role == "whole":  # the bare name passed to a call: renamed only
            replace[id(u.node)] = u.node.update(name=new_name)
        elif u.role == "stride":  # renamed only
            replace[id(u.node)] = u.node.update(name=new_name)
        elif u.role == "window":
            replace[id(u.node)] = ir.WindowExpr(new_name, tuple(index_map(u.node.idx, u)),
                                                u.node.type, u.node.srcinfo)
    if replace:
        ed.map_exprs(block, lambda e: map_expr_nodes(e, replace))
    for u in targets:
        c = lift(ed.current(), NodeLoc(u.steps))
        ed.update(c, name=new_name, idx=tuple(index_map(u.stmt.idx, u)))


__all__ = ["declaration_of", "map_expr_nodes", "redirect_uses"]
