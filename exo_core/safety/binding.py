"""Which names statements bind and use (scoping checks for code motion).

Moving a statement past another is only well-scoped when the moved code does
not cross the allocation or window statement that binds a name it uses:

    bound_names([alloc])         # {y}: `y : f32[4]` binds y
    used_names([s])              # every buffer, window and control name s mentions
    check_no_crossing(...)       # SchedulingError naming the variable
"""

from __future__ import annotations

from typing import Iterable

from .. import ir
from ..errors import SchedulingError
from ..primitives.ir_build import expr_syms
from ..types import TensorType


def bound_names(stmts: Iterable[ir.Stmt]) -> dict:
    """Names bound by the statements themselves (allocations and window
    statements at the top level of the block), mapped to the statement."""
    out = {}
    for s in stmts:
        if isinstance(s, (ir.Alloc, ir.WindowStmt)):
            out[s.name] = s
    return out


def used_names(stmts: Iterable[ir.Stmt]) -> set:
    """Every name the statements (and everything nested in them) mention."""
    out: set = set()
    for s in stmts:
        if isinstance(s, (ir.Assign, ir.Reduce)):
            out.add(s.name)
            for i in s.idx:
                expr_syms(i, out)
            expr_syms(s.rhs, out)
        elif isinstance(s, ir.WriteConfig):
            expr_syms(s.rhs, out)
        elif isinstance(s, ir.If):
            expr_syms(s.cond, out)
            out |= used_names(s.body)
            out |= used_names(s.orelse)
        elif isinstance(s, ir.For):
            expr_syms(s.lo, out)
            expr_syms(s.hi, out)
            out |= used_names(s.body)
        elif isinstance(s, ir.Alloc):
            if isinstance(s.type, TensorType):
                for e in s.type.shape_exprs:
                    expr_syms(e, out)
        elif isinstance(s, ir.Call):
            for a in s.args:
                expr_syms(a, out)
        elif isinstance(s, ir.WindowStmt):
            expr_syms(s.rhs, out)
    return out


def check_no_crossing(primitive: str, binders: Iterable[ir.Stmt], users: Iterable[ir.Stmt],
                      srcinfo) -> None:
    """Raise when ``users`` mention a name that ``binders`` bind (so the two
    cannot change order)."""
    bound = bound_names(binders)
    if not bound:
        return
    used = used_names(users)
    for name, stmt in bound.items():
        if name in used:
            what = "allocation" if isinstance(stmt, ir.Alloc) else "window statement"
            line = f" (line {stmt.srcinfo.lineno})" if stmt.srcinfo.lineno else ""
            raise SchedulingError(
                f"{primitive}: {name.name} is used by the other statements, so its "
                f"{what}{line} cannot move past them", srcinfo)
