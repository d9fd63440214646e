"""Structural pattern matching of parsed patterns against the IR, and find.

Search order is program order (pre-order): within a block, statement ``k`` is
tried (a statement pattern sequence matched starting at ``k``) before the
statements nested inside it, which come before statement ``k + 1``. Expression
patterns visit a statement's expressions (in field order: indices then
right-hand side; loop bounds; an ``if``'s condition) before its nested
statements, and an expression before its sub-expressions.

Matching rules (see `exo_core.cursors.pattern_parse` for the syntax):

- names match by their printed name; ``_`` matches any name;
- an index list written without brackets (``a = _``, ``x``) or as ``[_]``
  matches any indices; otherwise the lists must have the same length and
  match element-wise (the same holds for call arguments);
- ``_`` in a statement sequence matches any number of statements (lazily);
  a trailing ``_`` matches the rest of the block;
- the body of a ``for``/``if`` pattern must match a prefix of the body;
- ``x[_]`` also matches a window expression of ``x``; ``a = _`` also matches
  a window statement ``a = x[...]``;
- a literal matches an equal constant (``-3`` matches the constant -3).
"""

from __future__ import annotations

from exo_core.errors import ParseError, SchedulingError, InvalidCursorError
from exo_core.ir.nodes import (For, If, Alloc, Assign, Reduce, WriteConfig, Pass, Call, WindowStmt,
                 Read, Const, USub, BinOp, Extern, WindowExpr, StrideExpr, ReadConfig,
                 Interval, Point, Stmt)
from exo_core.cursors.paths import NodeLoc, BlockLoc, resolve, child, field_value, BLOCK_FIELDS
from exo_core.ir.walk import child_steps
from exo_core.cursors.pattern_parse import (parse_pattern, PSHole, PFor, PIf, PAlloc, PAssign, PReduce,
                            PWriteConfig, PPass, PCall, PEHole, PRead, PWindow, PConst,
                            PUSub, PBinOp, PStride, PReadConfig)
from exo_core.ir.types import TensorType
from exo_core.user_frame import caller_srcinfo


class PatternNotFoundError(SchedulingError, InvalidCursorError):
    """No code matches a pattern. It is both a SchedulingError (what the
    reference raises from primitives given a pattern) and an
    InvalidCursorError (what cursor code expects)."""


def _config_name(config) -> str:
    name = getattr(config, "name", None)
    if callable(name):
        return name()
    if isinstance(name, str):
        return name
    return getattr(config, "__name__", str(config))


def _name_ok(pat: str, name) -> bool:
    return pat == "_" or pat == str(name)


def _list_ok(pats, exprs) -> bool:
    if pats is None or (len(pats) == 1 and isinstance(pats[0], PEHole)):
        return True
    return len(pats) == len(exprs) and all(match_expr(p, e) for p, e in zip(pats, exprs))


def match_expr(pat, e) -> bool:
    """Whether expression ``e`` matches expression pattern ``pat``."""
    if isinstance(pat, PEHole):
        return True
    if isinstance(pat, PRead):
        if isinstance(e, Read):
            return _name_ok(pat.name, e.name) and _list_ok(pat.idx, e.idx)
        if isinstance(e, WindowExpr):
            return (pat.idx is not None and len(pat.idx) == 1
                    and isinstance(pat.idx[0], PEHole) and _name_ok(pat.name, e.name))
        return False
    if isinstance(pat, PConst):
        return (isinstance(e, Const) and isinstance(pat.val, bool) == isinstance(e.val, bool)
                and pat.val == e.val)
    if isinstance(pat, PUSub):
        if isinstance(pat.arg, PConst) and isinstance(e, Const):
            return not isinstance(e.val, bool) and -pat.arg.val == e.val
        return isinstance(e, USub) and match_expr(pat.arg, e.arg)
    if isinstance(pat, PBinOp):
        return (isinstance(e, BinOp) and pat.op == e.op and match_expr(pat.lhs, e.lhs)
                and match_expr(pat.rhs, e.rhs))
    if isinstance(pat, PCall):
        return (isinstance(e, Extern) and _name_ok(pat.name, e.f.name())
                and _list_ok(pat.args, e.args))
    if isinstance(pat, PStride):
        return (isinstance(e, StrideExpr) and _name_ok(pat.name, e.name)
                and (pat.dim is None or pat.dim == e.dim))
    if isinstance(pat, PReadConfig):
        return (isinstance(e, ReadConfig) and _name_ok(pat.config, _config_name(e.config))
                and _name_ok(pat.field, e.field))
    if isinstance(pat, PWindow):
        if not (isinstance(e, WindowExpr) and _name_ok(pat.name, e.name)
                and len(pat.dims) == len(e.idx)):
            return False
        for d, w in zip(pat.dims, e.idx):
            if d[0] == "slice":
                if not (isinstance(w, Interval) and match_expr(d[1], w.lo)
                        and match_expr(d[2], w.hi)):
                    return False
            elif not (isinstance(w, Point) and match_expr(d[1], w.pt)):
                return False
        return True
    return False


def _type_name_ok(pat_elem, typ) -> bool:
    if pat_elem is None:
        return True
    base = typ.elem if isinstance(typ, TensorType) else typ
    return str(base) == pat_elem


def _mem_name(mem) -> str:
    if mem is None:
        return ""
    name = getattr(mem, "name", None)
    return name() if callable(name) else getattr(mem, "__name__", str(mem))


def match_stmt(pat, s) -> bool:
    """Whether statement ``s`` matches statement pattern ``pat`` (not a hole)."""
    if isinstance(pat, PFor):
        return (isinstance(s, For) and _name_ok(pat.iter, s.iter)
                and (pat.lo is None or match_expr(pat.lo, s.lo))
                and match_expr(pat.hi, s.hi) and match_seq(pat.body, s.body, 0) is not None)
    if isinstance(pat, PIf):
        return (isinstance(s, If) and match_expr(pat.cond, s.cond)
                and match_seq(pat.body, s.body, 0) is not None
                and match_seq(pat.orelse, s.orelse, 0) is not None)
    if isinstance(pat, PAssign):
        if isinstance(s, Assign):
            return (_name_ok(pat.name, s.name) and _list_ok(pat.idx, s.idx)
                    and match_expr(pat.rhs, s.rhs))
        if isinstance(s, WindowStmt):
            return pat.idx is None and _name_ok(pat.name, s.name) and match_expr(pat.rhs, s.rhs)
        return False
    if isinstance(pat, PReduce):
        return (isinstance(s, Reduce) and _name_ok(pat.name, s.name)
                and _list_ok(pat.idx, s.idx) and match_expr(pat.rhs, s.rhs))
    if isinstance(pat, PAlloc):
        if not (isinstance(s, Alloc) and _name_ok(pat.name, s.name)
                and _type_name_ok(pat.elem, s.type)):
            return False
        if pat.mem is not None and _mem_name(s.mem) != pat.mem:
            return False
        if pat.sizes is None:
            return True
        shape = s.type.shape_exprs if isinstance(s.type, TensorType) else ()
        return _list_ok(pat.sizes, shape) and bool(shape)
    if isinstance(pat, PWriteConfig):
        return (isinstance(s, WriteConfig) and _name_ok(pat.config, _config_name(s.config))
                and _name_ok(pat.field, s.field) and match_expr(pat.rhs, s.rhs))
    if isinstance(pat, PPass):
        return isinstance(s, Pass)
    if isinstance(pat, PCall):
        return (isinstance(s, Call) and _name_ok(pat.name, s.f.name)
                and _list_ok(pat.args, s.args))
    return False


def match_seq(pats, block, start: int, stop: int | None = None):
    """Match the statement patterns ``pats`` against ``block[start:]`` (not
    past ``stop``); return the end index of the shortest match or None."""
    stop = len(block) if stop is None else stop
    return _seq(pats, 0, block, start, stop)


def _seq(pats, i, block, j, stop):
    if i == len(pats):
        return j
    pat = pats[i]
    if isinstance(pat, PSHole):
        if i + 1 == len(pats):
            return stop
        for k in range(j, stop + 1):
            end = _seq(pats, i + 1, block, k, stop)
            if end is not None:
                return end
        return None
    if j < stop and match_stmt(pat, block[j]):
        return _seq(pats, i + 1, block, j + 1, stop)
    return None


class _Enough(Exception):
    """Internal: the search has the results it needs."""


class _Search:
    def __init__(self, root, limit):
        self.root, self.limit, self.out = root, limit, []

    def add(self, loc):
        self.out.append(loc)
        if self.limit is not None and len(self.out) >= self.limit:
            raise _Enough

    # --- statements -------------------------------------------------------
    def stmts_in_block(self, pats, owner, field, block, lo, hi, single):
        for k in range(lo, hi):
            end = match_seq(pats, block, k, hi)
            if end is not None and end > k:
                if single:
                    self.add(NodeLoc(owner + ((field, k),)))
                else:
                    self.add(BlockLoc(owner, field, k, end))
            s = block[k]
            if isinstance(s, (For, If)):
                sub = owner + ((field, k),)
                self.stmts_in_block(pats, sub, "body", s.body, 0, len(s.body), single)
                if isinstance(s, If) and len(s.orelse):
                    self.stmts_in_block(pats, sub, "orelse", s.orelse, 0, len(s.orelse),
                                        single)

    # --- expressions ------------------------------------------------------
    def exprs_below(self, pat, steps, node):
        if not isinstance(node, (Interval, Point, Stmt)) and match_expr(pat, node):
            self.add(NodeLoc(steps))
        for step in child_steps(node):
            self.exprs_below(pat, steps + (step,), child(node, step))


def _scope_block(root, scope):
    """(owner, field, block, lo, hi) of the statements a stmt search covers."""
    if scope is None:
        return (), "body", root.body, 0, len(root.body)
    if isinstance(scope, BlockLoc):
        block = field_value(resolve(root, scope.owner), scope.field)
        return scope.owner, scope.field, block, scope.lo, scope.hi
    steps = scope.steps
    if steps and steps[-1][0] in BLOCK_FIELDS:
        block = field_value(resolve(root, steps[:-1]), steps[-1][0])
        return steps[:-1], steps[-1][0], block, steps[-1][1], steps[-1][1] + 1
    return None  # an expression or argument: no statements below


def find_locs(root, pattern, scope=None, limit=None) -> list:
    """Locations matching a parsed pattern in program order (at most
    ``limit``)."""
    search = _Search(root, limit)
    try:
        if pattern.kind in ("stmts", "call"):
            sb = _scope_block(root, scope)
            if sb is not None:
                owner, field, block, lo, hi = sb
                pats = pattern.body if pattern.kind == "stmts" else (pattern.body,)
                single = len(pats) == 1
                search.stmts_in_block(pats, owner, field, block, lo, hi, single)
        if pattern.kind == "expr" or (pattern.kind == "call" and not search.out):
            pat = pattern.body
            if scope is None:
                for k, s in enumerate(root.body):
                    search.exprs_below(pat, (("body", k),), s)
            elif isinstance(scope, BlockLoc):
                block = field_value(resolve(root, scope.owner), scope.field)
                for k in range(scope.lo, scope.hi):
                    search.exprs_below(pat, scope.owner + ((scope.field, k),), block[k])
            elif isinstance(scope, NodeLoc):
                search.exprs_below(pat, scope.steps, resolve(root, scope.steps))
    except _Enough:
        pass
    return search.out


def match_locations(proc, pattern: str, many: bool = False, scope=None) -> list:
    """The locations matching ``pattern`` in ``proc`` (at most one unless
    ``many``), below ``scope`` (a location) when given; program order.
    `exo_core.cursors.base.find_cursors` makes them cursors.

    ``pattern`` may end in ``#n`` to select the match of index ``n``. Raises
    `PatternNotFoundError` when nothing matches, ParseError for a malformed
    pattern.
    """
    try:
        pat = parse_pattern(pattern)
    except ParseError as e:
        raise ParseError(e.message, caller_srcinfo()) from None
    if scope is not None and not isinstance(scope, (NodeLoc, BlockLoc)):
        raise InvalidCursorError(
            f"cannot search for {pattern!r} below a gap or an expression list",
            caller_srcinfo())
    limit = None
    if pat.match_no is not None:
        limit = pat.match_no + 1
    elif not many:
        limit = 1
    locs = find_locs(proc._root, pat, scope, limit)
    if pat.match_no is not None:
        locs = locs[pat.match_no:pat.match_no + 1]
    if not locs:
        where = "" if scope is None else " below the given cursor"
        nth = "" if pat.match_no is None else f" (there is no match #{pat.match_no})"
        raise PatternNotFoundError(
            f"no code matches the pattern {pattern!r} in procedure {proc.name()}"
            f"{where}{nth}", caller_srcinfo())
    return locs
