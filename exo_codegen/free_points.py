"""Where each allocation is freed: right after the last statement of its
block that uses it (directly, or through a window statement that names a
window of it), as the reference does. A memory with a small register file
(RVM tiles) can then give a freed register to a later allocation::

    kernel_tile_1 : i32[4, 4] @ RVM_TILE       #define kernel_tile_1 "m2"
    rvm_mld(kernel_tile_1, ...)         -->    asm volatile("mld.w "kernel_tile_1 ...);
    rvm_mmasa(out_1, data, kernel_tile_1)      asm volatile("mmasa.w "out_1", ...);
    ...                                        #undef kernel_tile_1

An allocation its block never uses is freed when the block ends.
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.ir.prelude import Sym
from exo_core.ir.walk import stmt_exprs, walk_expr, walk_stmts


def _names_used(s) -> set:
    out = set()
    for t in walk_stmts([s]):
        if isinstance(t, (ir.Assign, ir.Reduce)):
            out.add(t.name)
        for e in stmt_exprs(t):
            for x in walk_expr(e):
                name = getattr(x, "name", None)
                if isinstance(name, Sym):
                    out.add(name)
    return out


def last_uses(block) -> dict:
    """For each statement index ``k`` of ``block``, the allocations of the
    block (their Syms) whose last use is statement ``k``."""
    allocs = {s.name for s in block if isinstance(s, ir.Alloc)}
    last: dict = {}
    used = [_names_used(s) if not isinstance(s, ir.Alloc) else set() for s in block]
    for k, names in enumerate(used):
        for n in names:
            last[n] = k
    # a window statement of this block aliases its buffer: the buffer lives
    # as long as the window's uses (later windows first, for chains)
    for k in range(len(block) - 1, -1, -1):
        s = block[k]
        if isinstance(s, ir.WindowStmt) and s.name in last:
            buf = s.rhs.name
            last[buf] = max(last.get(buf, k), last[s.name])
    out: dict = {}
    for name, k in last.items():
        if name in allocs:
            out.setdefault(k, set()).add(name)
    return out
