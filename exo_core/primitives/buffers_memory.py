"""Back-end annotations of a buffer and windows: set_memory, set_precision,
set_window, inline_window.

    name : f32[n] @ DRAM    set_memory(p, "name", DRAM_STATIC)   name : f32[n] @ DRAM_STATIC
    name : f32[n] @ DRAM    set_precision(p, "name", "i32")      name : i32[n] @ DRAM
    name : f32[n] @ DRAM    set_window(p, "name", True)          name : [f32][n] @ DRAM

As in the reference, these are not checked when scheduling: whether the
memory can hold the buffer and be accessed as the code does, and whether the
precisions are consistent, is checked when the procedure is compiled
(`exo_codegen`), which reports the problem at its position. The buffer may be
an allocation or a procedure argument (`set_window`: an argument only).
`set_precision` also retypes every access of the buffer (and of the windows
that view it), so code generation casts where precisions meet.

`inline_window` replaces the uses of a window statement's name by
accesses of the buffer it views (``w = x[i, 2:6]; w[j]`` -> ``x[i, j + 2]``);
it changes no value, so it has nothing to prove.

Forwarding: the declaration's cursor and every statement's cursor stay valid
(`inline_window`: the window statement's cursor becomes invalid).
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.analysis.buffer_uses import buffer_uses, window_aliases
from exo_core.cursors.base import lift
from exo_core.cursors.paths import BlockLoc, NodeLoc, resolve
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.ir.memory import Memory
from exo_core.cursors.stmt_cursors import WindowStmtCursor
from exo_core.ir.types import (NUMERIC_TYPES, ScalarType, TensorType, data_result_type,
                               is_numeric)
from exo_core.procedure import Procedure
from exo_core.primitives.arguments import Alloc, Bool, Stmt, err
from exo_core.primitives.buffer_common import map_expr_nodes, redirect_uses
from exo_core.primitives.ir_build import c_op
from exo_core.primitives.signature import Call, Param, primitive

__all__ = ["set_memory", "set_precision", "set_window", "inline_window"]


class MemoryClass(Param):
    """A `Memory` subclass (the class itself, as in ``@ DRAM``)."""

    def convert(self, value, call: Call):
        if not (isinstance(value, type) and issubclass(value, Memory)):
            raise call.type_error(f"{self.name} must be a Memory subclass (such as DRAM or "
                                  f"DRAM_STATIC), got {value!r}")
        return value


class Precision(Param):
    """A numeric precision: one of the strings ``R, f16, f32, f64, i8, ui8,
    ui16, i32`` or the type itself (``f32``)."""

    def convert(self, value, call: Call) -> ScalarType:
        if isinstance(value, ScalarType) and value.is_numeric():
            return value
        if isinstance(value, str):
            found = NUMERIC_TYPES.get(value)
            if found is None:
                raise call.value_error(f"{self.name} must be one of the precisions "
                                       f"{', '.join(NUMERIC_TYPES)}; got {value!r}")
            return found
        raise call.type_error(f"{self.name} must be a precision (a string such as 'f32'), got "
                              f"{type(value).__name__}")


def _is_tensor(t) -> bool:
    return isinstance(t, TensorType)


@primitive(cursor=Alloc(allow_arg=True), memory_type=MemoryClass())
def set_memory(proc: Procedure, cursor, memory_type) -> Procedure:
    """Set the memory of an allocation or argument::

        name : T @ DRAM     -->     name : T @ memory_type
    """
    node = cursor._node()
    if node.mem is None:
        raise err("set_memory", f"{node.name.name} is a control value, not a buffer")
    ed = ProcEditor(proc)
    ed.update(cursor, mem=memory_type)
    return ed.finish()


@primitive(cursor=Alloc(allow_arg=True), typ=Precision())
def set_precision(proc: Procedure, cursor, typ) -> Procedure:
    """Set the precision of an allocation or argument::

        name : f32[n]       -->     name : typ[n]
    """
    node = cursor._node()
    t = node.type
    if not (_is_tensor(t) or (isinstance(t, ScalarType) and t.is_numeric())):
        raise err("set_precision", f"{node.name.name} is a control value, not a buffer")
    new_type = TensorType(typ, t.shape_exprs, t.is_window) if _is_tensor(t) else typ
    root = proc._root
    names = {node.name} | window_aliases(root, node.name)
    ed = ProcEditor(proc)
    ed.update(cursor, type=new_type)
    steps = cursor._loc.steps
    if steps[0][0] == "args":
        where = BlockLoc((), "body", 0, len(root.body))
    else:
        owner, (field, k) = steps[:-1], steps[-1]
        where = BlockLoc(owner, field, k + 1, len(getattr(resolve(root, owner), field)))
    if where.lo < where.hi:
        _retype_uses(ed, where, names, typ)
    return ed.finish()


def _retype_expr(e, names, typ):
    if isinstance(e, ir.Read):
        idx = tuple(_retype_expr(i, names, typ) for i in e.idx)
        t = e.type
        if e.name in names:
            t = TensorType(typ, t.shape_exprs, t.is_window) if _is_tensor(t) else typ
        if t is e.type and all(x is y for x, y in zip(idx, e.idx)):
            return e
        return e.update(idx=idx, type=t)
    if isinstance(e, ir.WindowExpr):
        if e.name in names and _is_tensor(e.type):
            return e.update(type=TensorType(typ, e.type.shape_exprs, e.type.is_window))
        return e
    # Data arithmetic over a retyped read takes the precision the typechecker
    # would give the printed result.
    if isinstance(e, ir.USub):
        a = _retype_expr(e.arg, names, typ)
        if a is e.arg:
            return e
        return e.update(arg=a, type=a.type if is_numeric(e.type) else e.type)
    if isinstance(e, ir.BinOp):
        lhs, rhs = _retype_expr(e.lhs, names, typ), _retype_expr(e.rhs, names, typ)
        if lhs is e.lhs and rhs is e.rhs:
            return e
        t = data_result_type(lhs.type, rhs.type) if is_numeric(e.type) else e.type
        return e.update(lhs=lhs, rhs=rhs, type=t)
    if isinstance(e, ir.Extern):
        args = tuple(_retype_expr(a, names, typ) for a in e.args)
        if all(x is y for x, y in zip(args, e.args)):
            return e
        try:
            t = e.f.typecheck(list(args))
        except Exception:  # the extern refused the new precision: keep its type
            t = e.type
        return e.update(args=args, type=t if is_numeric(t) else e.type)
    return e


def _retype_uses(ed: ProcEditor, where: BlockLoc, names, typ) -> None:
    """Every read, window and write of ``names`` in ``where`` gets precision ``typ``."""
    ed.map_exprs(lift(ed.current(), where), lambda e: _retype_expr(e, names, typ))
    targets = []

    def visit(steps, stmts, lo, hi, field):
        for k in range(lo, hi):
            s = stmts[k]
            here = steps + ((field, k),)
            if isinstance(s, (ir.Assign, ir.Reduce)) and s.name in names:
                targets.append(here)
            for f in s.block_fields:
                b = getattr(s, f)
                visit(here, b, 0, len(b), f)

    owner = resolve(ed.root, where.owner)
    visit(where.owner, getattr(owner, where.field), where.lo, where.hi, where.field)
    for steps in targets:
        ed.update(lift(ed.current(), NodeLoc(steps)), type=typ)


@primitive(cursor=Alloc(allow_arg=True), is_window=Bool())
def set_window(proc: Procedure, cursor, is_window: bool = True) -> Procedure:
    """Make a tensor argument a window argument (or back)::

        name : R[n]         -->     name : [R][n]
    """
    node = cursor._node()
    if not isinstance(node, ir.FnArg):
        raise err("set_window", f"{node.name.name} is an allocation; only a procedure argument "
                                "can be made a window")
    if not _is_tensor(node.type):
        raise err("set_window", f"{node.name.name} is not a tensor argument")
    ed = ProcEditor(proc)
    ed.update(cursor, type=node.type.with_window(is_window))
    return ed.finish()


def _plus(e, lo, si):
    return c_op("+", e, lo, si)


@primitive(winstmt_cursor=Stmt(WindowStmtCursor))
def inline_window(proc: Procedure, winstmt_cursor) -> Procedure:
    """Replace a window statement's name by the buffer it views::

        w = x[i, 2:6]               -->     (deleted)
        w[j] = w[j] * 2.0                   x[i, j + 2] = x[i, j + 2] * 2.0
    """
    P = "inline_window"
    c = winstmt_cursor
    ws = c._node()
    root = proc._root
    win = ws.rhs
    si = ws.srcinfo
    steps = c._loc.steps
    owner, (field, k) = steps[:-1], steps[-1]
    n = len(getattr(resolve(root, owner), field))
    rest = BlockLoc(owner, field, k + 1, n)
    uses = buffer_uses(root, rest, ws.name) if k + 1 < n else []
    spans = [d for d, a in enumerate(win.idx) if isinstance(a, ir.Interval)]

    def element(idx):
        """The buffer's indices for an element ``idx`` of the window."""
        out, it = [], iter(idx)
        for a in win.idx:
            out.append(_plus(next(it), a.lo, si) if isinstance(a, ir.Interval) else a.pt)
        return tuple(out)

    def window(idx):
        """The buffer's `WAccess` list for a window ``idx`` of the window."""
        out, it = [], iter(idx)
        for a in win.idx:
            if isinstance(a, ir.Interval):
                b = next(it)
                out.append(ir.Interval(_plus(b.lo, a.lo, si), _plus(b.hi, a.lo, si), b.srcinfo)
                           if isinstance(b, ir.Interval) else ir.Point(_plus(b.pt, a.lo, si),
                                                                       b.srcinfo))
            else:
                out.append(ir.Point(a.pt, a.srcinfo))
        return tuple(out)

    def index_map(idx, u):
        return window(idx) if u.role == "window" else element(idx)

    plain, replace = [], {}
    for u in uses:
        if u.role == "whole":
            replace[id(u.node)] = win.update(srcinfo=u.node.srcinfo)
        elif u.role == "stride":
            replace[id(u.node)] = u.node.update(name=win.name, dim=spans[u.node.dim])
        else:
            plain.append(u)
    ed = ProcEditor(proc)
    if plain:
        redirect_uses(P, ed, lift(proc, rest), plain, win.name, index_map)
    if replace:
        ed.map_exprs(lift(ed.current(), rest), lambda e: map_expr_nodes(e, replace))
    ed.delete(c)
    return ed.finish()
