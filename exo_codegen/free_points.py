"""Where each allocation is freed: right after the last statement of its
block that uses it (directly, or through a window statement that names a
window of it), as the reference does. A memory with a small register file
(RVM tiles) can then give a freed register to a later allocation::

    kernel_tile_1 : i32[4, 4] @ RVM_TILE       #define kernel_tile_1 "m2"
    rvm_mld(kernel_tile_1, ...)         -->    asm volatile("mld.w "kernel_tile_1 ...);
    rvm_mmasa(out_1, data, kernel_tile_1)      asm volatile("mmasa.w "out_1", ...);
    ...                                        #undef kernel_tile_1

An allocation its block never uses is freed when the block ends.

`unread_locals` finds the locals (allocations, window statements) that no
later statement of their block reads: the C compiler warns about such a
variable (``-Wunused-variable``, ``-Wunused-but-set-variable``), so code
generation marks it used with ``(void)name;``.
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.ir.prelude import Sym
from exo_core.ir.walk import stmt_exprs, walk_expr, walk_stmts


def _names(stmts, targets: tuple, through_instrs: bool = False) -> set:
    """The names ``stmts`` (with their sub-statements) name in expressions or
    as the target of a statement of a class in ``targets``. With
    ``through_instrs``, an argument of an instruction counts only when the
    instruction's body reads its parameter (its C text may only store to
    it); an ordinary procedure is given the address, which counts."""
    out = set()
    for t in walk_stmts(stmts):
        if isinstance(t, targets):
            out.add(t.name)
        exprs = stmt_exprs(t)
        if through_instrs and isinstance(t, ir.Call) and t.f.instr is not None:
            read = _names(t.f.body, (ir.Reduce,))
            exprs = [a for p, a in zip(t.f.args, t.args) if p.name in read]
        for e in exprs:
            for x in walk_expr(e):
                name = getattr(x, "name", None)
                if isinstance(name, Sym):
                    out.add(name)
    return out


def _names_used(s) -> set:
    return _names([s], (ir.Assign, ir.Reduce))


def _names_read(s) -> set:
    """The names statement ``s`` reads in C (a reduction reads its target)."""
    return _names([s], (ir.Reduce,), through_instrs=True)


def unread_locals(block) -> set:
    """The allocations and window statements of ``block`` (their Syms) that
    no later statement of the block reads (a write through a window reads
    the window's C struct)."""
    out = set()
    read: set = set()
    used: set = set()
    for s in reversed(block):
        if isinstance(s, ir.Alloc) and s.name not in read:
            out.add(s.name)
        if isinstance(s, ir.WindowStmt) and s.name not in used:
            out.add(s.name)
        read |= _names_read(s)
        used |= _names_used(s)
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
