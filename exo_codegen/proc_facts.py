"""Facts about procedures that code generation needs before emitting C.

- which procedures (and instructions) a procedure reaches through calls;
- which buffer parameters it writes, directly, through window aliases, or by
  passing them to a callee that writes them (read-only pointers become
  ``const``);
- which strides its ``assert stride(x, d) == c`` preconditions fix;
- which configurations and memories it uses.

Results are cached per `ProcIR` object: IR nodes are immutable, so a fact
computed once stays true.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator

import exo_core.ir as ir
from exo_core.ir.nodes import ProcIR
from exo_core.ir.types import TensorType
from exo_core.ir.walk import walk_expr, walk_stmts


_written_cache: "weakref.WeakKeyDictionary[ProcIR, frozenset]" = weakref.WeakKeyDictionary()


def stmt_exprs(s) -> Iterator[ir.Expr]:
    """The expressions directly held by statement ``s`` (not by sub-statements),
    the shape of an allocated tensor included."""
    yield from ir.stmt_exprs(s)
    if isinstance(s, ir.Alloc) and isinstance(s.type, TensorType):
        yield from s.type.shape_exprs


def all_exprs(proc: ProcIR) -> Iterator[ir.Expr]:
    """Every expression in the body of ``proc`` (with sub-expressions)."""
    for s in walk_stmts(proc.body):
        for e in stmt_exprs(s):
            yield from walk_expr(e)


def reachable_procs(roots) -> tuple[list[ProcIR], list[ProcIR]]:
    """``(procs, instrs)``: the non-instruction procedures reachable from
    ``roots`` (the roots first, then callees in order of first call) and the
    instruction procedures they call."""
    procs: list[ProcIR] = []
    instrs: list[ProcIR] = []
    seen: set[int] = set()

    def visit(p: ProcIR):
        if id(p) in seen:
            return
        seen.add(id(p))
        if p.instr is not None:
            instrs.append(p)
            return
        procs.append(p)
        for s in walk_stmts(p.body):
            if isinstance(s, ir.Call):
                visit(s.f)

    for r in roots:
        visit(r)
    return procs, instrs


def _buffer_root(name, aliases):
    while name in aliases:
        name = aliases[name]
    return name


def written_params(proc: ProcIR) -> frozenset:
    """The parameters (Syms) whose contents ``proc`` may modify."""
    cached = _written_cache.get(proc)
    if cached is not None:
        return cached
    aliases: dict = {}
    written: set = set()
    for s in walk_stmts(proc.body):
        if isinstance(s, ir.WindowStmt):
            aliases[s.name] = s.rhs.name
        elif isinstance(s, (ir.Assign, ir.Reduce)):
            written.add(_buffer_root(s.name, aliases))
        elif isinstance(s, ir.Call):
            callee_written = written_params(s.f)
            for param, arg in zip(s.f.args, s.args):
                if param.name in callee_written and isinstance(arg, (ir.Read, ir.WindowExpr)):
                    written.add(_buffer_root(arg.name, aliases))
    params = {a.name for a in proc.args}
    result = frozenset(written & params)
    _written_cache[proc] = result
    return result


def stride_facts(proc: ProcIR) -> dict:
    """``{(buffer Sym, dim): value}`` for each ``assert stride(x, d) == value``."""
    facts: dict = {}

    def visit(p):
        if isinstance(p, ir.BinOp) and p.op == "and":
            visit(p.lhs)
            visit(p.rhs)
        elif isinstance(p, ir.BinOp) and p.op == "==":
            for a, b in ((p.lhs, p.rhs), (p.rhs, p.lhs)):
                if (isinstance(a, ir.StrideExpr) and isinstance(b, ir.Const)
                        and isinstance(b.val, int) and not isinstance(b.val, bool)):
                    facts[(a.name, a.dim)] = b.val

    for pred in proc.preds:
        visit(pred)
    return facts


def configs_used(procs) -> list:
    """The configuration objects read or written by ``procs``, with the fields
    used: ``[(config, {field: type or None})]`` in order of first use."""
    found: dict[int, tuple] = {}
    for p in procs:
        for s in walk_stmts(p.body):
            if isinstance(s, ir.WriteConfig):
                entry = found.setdefault(id(s.config), (s.config, {}))
                entry[1].setdefault(s.field, None)
            for e in stmt_exprs(s):
                for sub in walk_expr(e):
                    if isinstance(sub, ir.ReadConfig):
                        entry = found.setdefault(id(sub.config), (sub.config, {}))
                        if entry[1].get(sub.field) is None:
                            entry[1][sub.field] = sub.type
    return list(found.values())


def memories_used(procs, instrs) -> list:
    """Memory classes of the parameters and allocations of ``procs`` and of the
    parameters of ``instrs``, in order of first use."""
    mems: list = []

    def add(m):
        if m is not None and m not in mems:
            mems.append(m)

    for p in list(procs) + list(instrs):
        for a in p.args:
            add(a.mem)
        if p.instr is None:
            for s in walk_stmts(p.body):
                if isinstance(s, ir.Alloc):
                    add(s.mem)
    return mems


def uses_par_loops(procs) -> bool:
    """True when some loop of ``procs`` is a parallel loop."""
    return any(isinstance(s, ir.For) and s.loop_mode == "par"
               for p in procs for s in walk_stmts(p.body))
