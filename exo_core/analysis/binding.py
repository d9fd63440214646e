"""Which names statements bind and use (scoping checks for code motion).

Moving a statement past another is only well-scoped when the moved code does
not cross the allocation or window statement that binds a name it uses:

    bound_names([alloc])         # {y}: `y : f32[4]` binds y
    used_names([s])              # every buffer, window and control name s mentions
    check_no_crossing(...)       # SchedulingError naming the variable

Wrapping part of a block in a new scope (a loop or an ``if``) ends the scope
of the names that part binds, so no later statement of the block may use
them (`check_block_closes_scope`).
"""

from __future__ import annotations

from typing import Iterable

import exo_core.ir as ir
from exo_core.errors import SchedulingError
from exo_core.cursors.paths import BlockLoc, block_of
from exo_core.primitives.ir_build import stmt_syms


def bound_names(stmts: Iterable[ir.Stmt]) -> dict:
    """Names bound by the statements themselves (allocations and window
    statements at the top level of the block), mapped to the statement."""
    out = {}
    for s in stmts:
        if isinstance(s, (ir.Alloc, ir.WindowStmt)):
            out[s.name] = s
    return out


def used_names(stmts: Iterable[ir.Stmt]) -> set:
    """Every name the statements (and everything nested in them) use."""
    return stmt_syms(stmts, binders=False)


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


def check_block_closes_scope(primitive: str, root: ir.ProcIR, loc: BlockLoc,
                             srcinfo) -> None:
    """Raise when the statements of ``loc`` bind a name (allocation, window
    statement) that a statement after them in the same block uses: wrapping
    them in a new scope would leave that use outside the name's scope."""
    block = block_of(root, loc.owner, loc.field)
    escaping = escaping_binding(block, loc.lo, loc.hi)
    if escaping is not None:
        name, stmt = escaping
        what = "allocation" if isinstance(stmt, ir.Alloc) else "window statement"
        line = f" (line {stmt.srcinfo.lineno})" if stmt.srcinfo.lineno else ""
        raise SchedulingError(
            f"{primitive}: {name.name} is bound by the {what}{line} inside the block and "
            f"used after it; wrapping the block in a new scope would end its scope "
            f"(include the uses in the block)", srcinfo)


def escaping_binding(block, lo: int, hi: int):
    """``(name, statement)`` of the first name that statements ``lo..hi-1``
    of ``block`` bind and a later statement of the block uses, or None."""
    bound = bound_names(block[lo:hi])
    if not bound:
        return None
    used = used_names(block[hi:])
    for name, stmt in bound.items():
        if name in used:
            return name, stmt
    return None
