"""`stage_mem`: stage a window of a buffer into a new buffer around a block.

    for i in seq(0, n - 1):              xtmp: f32[n - 0, j + 1 - (j - 1)] @ DRAM
        x[i, j] = 2.0 * x[i + 1, j - 1]  for i0 in seq(0, n - 0):
                                             for i1 in seq(0, j + 1 - (j - 1)):
    stage_mem(p, loop,                           xtmp[i0, i1] = x[i0 + 0, i1 + (j - 1)]
      "x[0:n, j-1:j+1]", "xtmp")   -->   for i in seq(0, n - 1):
                                             xtmp[i - 0, j - (j - 1)] = 2.0 * xtmp[i + 1 - 0, j - 1 - (j - 1)]
                                         for i0 in seq(0, n - 0):
                                             for i1 in seq(0, j + 1 - (j - 1)):
                                                 x[i0 + 0, i1 + (j - 1)] = xtmp[i0, i1]

Checks (obligations the verifier discharges):

- every use of the buffer in the block is proven either inside the window
  (it is redirected to the staging buffer) or disjoint from it (left alone);
  at least one is inside;
- the window's intervals are not reversed (``lo <= hi``);
- with ``accum=True``, every access of the buffer in the block is a
  reduction (the staging buffer starts at zero and is added back);
- the copy code stays within the buffer: a bound of the window not proven
  within the buffer's extent gets a guard on the copy (as the reference).

The load is left out when the block writes the whole window before reading
any of it (proven: an unconditional assignment to the window's point, or a
perfect loop nest of one assignment covering every element); the store is
left out when the block does not write the buffer.

Forwarding: the block's statements keep their cursors (they move down past
the new allocation and load); cursors to the redirected expressions become
invalid.
"""

from __future__ import annotations

import ast

from exo_verify import Exists, Implies, conj

import exo_core.ir as ir
from exo_core.analysis.buffer_uses import (READ, REDUCE, WRITE, block_facts, buffer_uses,
                                           disjoint_from_box, holds, point_in_box, window_aliases)
from exo_core.analysis.logic import sym_var
from exo_core.analysis.logic_partial import ctrl_term
from exo_core.analysis.obligations import must_hold
from exo_core.cursors.paths import BlockLoc, resolve
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.ir.prelude import Sym
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import BOOL, INDEX, INT, R, ScalarType, TensorType, control_result_type
from exo_core.procedure import Procedure
from exo_core.primitives.arguments import Block, Bool, Identifier, err
from exo_core.primitives.signature import Call, Param, primitive
from exo_core.primitives.buffer_common import declaration_of, redirect_uses
from exo_core.primitives.control_strings import parse_control, visible_names
from exo_core.primitives.ir_build import stmt_syms
from exo_core.primitives.loop_common import check

__all__ = ["stage_mem"]

P = "stage_mem"


def _binop(op, a, b, si, typ=None):
    """``a op b``; control arithmetic is typed as the typechecker types it."""
    return ir.BinOp(op, a, b, typ or control_result_type(op, a.type, b.type), si)


def _parse_window(root, steps, text):
    """(buffer Sym, its type, its memory, [("pt", e) | ("iv", lo, hi)])."""
    if not isinstance(text, str):
        raise err(P, f"the window must be a string like 'x[0:n, i]', got {type(text).__name__}")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        tree = None
    if not isinstance(tree, (ast.Subscript, ast.Name)) or (
            isinstance(tree, ast.Subscript) and not isinstance(tree.value, ast.Name)):
        raise err(P, f"expected a window of the form 'name[args]', but got {text!r}")
    name = tree.id if isinstance(tree, ast.Name) else tree.value.id
    env = visible_names(root, steps)
    if name not in env:
        raise err(P, f"{name} is not a buffer visible at the block")
    sym, typ = env[name]
    decl = declaration_of(root, sym)
    if isinstance(decl, ir.WindowStmt):
        raise err(P, f"{name} is a window statement; staging a window of a window is not "
                     "supported yet (stage the buffer it views)")
    if not isinstance(typ, TensorType):
        if isinstance(tree, ast.Name) and isinstance(typ, ScalarType) and typ.is_numeric():
            return sym, typ, decl.mem, []  # a scalar: staged whole, as the reference does
        raise err(P, f"{name} is not a tensor (nothing to stage)")
    parts = []
    if isinstance(tree, ast.Subscript):
        sl = tree.slice
        parts = list(sl.elts) if isinstance(sl, ast.Tuple) else [sl]
    if len(parts) != typ.ndim():
        raise err(P, f"expected the window of {name!r} to have {typ.ndim()} indices, but got "
                     f"{len(parts)}")
    dims = []
    for part in parts:
        if isinstance(part, ast.Slice):
            if part.lower is None or part.upper is None or part.step is not None:
                raise err(P, f"each interval of the window needs both bounds (lo:hi) in {text!r}")
            lo = parse_control(root, steps, ast.unparse(part.lower), False, P)
            hi = parse_control(root, steps, ast.unparse(part.upper), False, P)
            dims.append(("iv", lo, hi))
        else:
            dims.append(("pt", parse_control(root, steps, ast.unparse(part), False, P)))
    return sym, typ, decl.mem, dims


def _window_text(buf, dims) -> str:
    if not dims:
        return buf.name
    parts = [f"{expr_to_str(d[1])}:{expr_to_str(d[2])}" if d[0] == "iv" else expr_to_str(d[1])
             for d in dims]
    return f"{buf.name}[{', '.join(parts)}]"


def _box(dims):
    out = []
    for d in dims:
        terms = [ctrl_term(e) for e in d[1:]]
        if any(t is None for t in terms) or any(_reads_config(e) for e in d[1:]):
            raise err(P, "the window's bounds must be control expressions the verifier can "
                         "reason about (no configuration fields)")
        out.append((d[0], *terms))
    return tuple(out)


def _reads_config(e) -> bool:
    return isinstance(e, ir.ReadConfig) or any(_reads_config(c) for c in ir.expr_children(e))


def _line(u) -> str:
    si = u.srcinfo
    return f" (line {si.lineno})" if si is not None and si.lineno else ""


def _full_write(s, facts, box, buf) -> bool:
    """Does statement ``s`` certainly assign every element of the window
    (an assignment, possibly in a perfect nest of loops, that hits every
    window point)?"""
    loops = []
    while isinstance(s, ir.For) and len(s.body) == 1:
        loops.append(s)
        s = s.body[0]
    if not isinstance(s, ir.Assign) or s.name is not buf:
        return False
    if any(_reads_config(e) for e in s.idx) or any(
            _reads_config(lp.lo) or _reads_config(lp.hi) for lp in loops):
        return False
    idx = [ctrl_term(e) for e in s.idx]
    if any(t is None for t in idx):
        return False
    ws = [sym_var(Sym(f"w{k}")) for k in range(len(box))]
    pts = [b[1] if b[0] == "pt" else w for w, b in zip(ws, box)]
    in_box = conj(*(conj(b[1] <= w, w < b[2]) for w, b in zip(ws, box) if b[0] == "iv"))
    goal = conj(*(t.eq(p) for t, p in zip(idx, pts)))
    for lp in reversed(loops):
        lo, hi = ctrl_term(lp.lo), ctrl_term(lp.hi)
        if lo is None or hi is None:
            return False
        goal = Exists(sym_var(lp.iter), lo, hi, goal)
    return holds(P, "the block overwrites the window", Implies(in_box, goal), facts)


def _needs_load(block_stmts, loc: BlockLoc, inside, box, buf, facts) -> bool:
    """False when a statement of the block certainly overwrites the whole
    window before anything in the block reads a location of it."""
    first_read = None
    for u in inside:
        if READ in u.kinds or REDUCE in u.kinds:
            first_read = u.steps[len(loc.owner)][1] - loc.lo
            break
    for k, s in enumerate(block_stmts):
        if first_read is not None and first_read <= k:
            return True
        if _full_write(s, facts, box, buf):
            return False
    return True


def _classify(uses, box, buf, win_expr):
    inside, outside = [], []
    for u in uses:
        if u.role == "stride":
            continue
        if u.role == "whole":
            raise err(P, f"{buf.name} is passed whole to a call{_line(u)}; staging it is not "
                         "supported yet (pass a window of it)")
        if isinstance(u.stmt, ir.WindowStmt):
            raise err(P, f"the block binds a window of {buf.name}{_line(u)}; staging it is not "
                         "supported yet")
        if u.dims is not None and holds(P, "inside", point_in_box(u.dims, box), u.context):
            inside.append(u)
        elif u.dims is not None and holds(P, "disjoint", disjoint_from_box(u.dims, box),
                                          u.context):
            outside.append(u)
        else:
            raise err(P, f"the access to {buf.name}{_line(u)} is neither fully within nor "
                         f"disjoint from the window {win_expr!r}")
    if not inside:
        raise err(P, f"no access to {buf.name} in the block lies in the window {win_expr!r} "
                     "(wrong window, or the buffer is not used in the block)")
    return inside, outside


def _owner_block(root, loc: BlockLoc) -> list:
    return list(getattr(resolve(root, loc.owner), loc.field)[loc.lo:loc.hi])


class WindowOfBuffer(Param):
    """A window string ``"x[0:n, i]"`` read at the block ``call.args[at]``:
    the body receives (buffer Sym, its type, its memory, the window's dims:
    ``("pt", e)`` or ``("iv", lo, hi)`` with typed IR expressions)."""

    def __init__(self, at: str):
        self.at = at

    def convert(self, value, call: Call):
        loc = call.args[self.at]._loc
        return _parse_window(call.proc._root, loc.owner + ((loc.field, loc.lo),), value)


@primitive(block_cursor=Block(), win_expr=WindowOfBuffer(at="block_cursor"),
           new_buf_name=Identifier("buffer name"), accum=Bool())
def stage_mem(proc: Procedure, block_cursor, win_expr: str, new_buf_name: str,
              accum: bool = False) -> Procedure:
    """Stage the window ``win_expr`` of a buffer into ``new_buf_name`` around
    a block (see the module docstring)."""
    blk = block_cursor
    root = proc._root
    loc: BlockLoc = blk._loc
    buf, typ, mem, wdims = win_expr
    win_expr = _window_text(buf, wdims)
    box = _box(wdims)
    facts = block_facts(root, loc)
    block_stmts = _owner_block(root, loc)
    used_aliases = stmt_syms(block_stmts) & window_aliases(root, buf)
    if used_aliases:
        raise err(P, f"{sorted(s.name for s in used_aliases)[0]} is a window of {buf.name} "
                     "used in the block; staging through a window statement is not supported yet")
    uses = buffer_uses(root, loc, buf, facts)
    inside, outside = _classify(uses, box, buf, win_expr)
    if accum:
        for u in uses:
            if u.role != "stride" and u.kinds != (REDUCE,):
                raise err(P, f"the buffer {buf.name} is accessed in a way other than simply "
                             f"reducing into it{_line(u)}")
    si = block_stmts[0].srcinfo
    for d, b in zip(wdims, box):
        if d[0] == "iv":
            check(must_hold(P, "the window's intervals must not be reversed (lo <= hi)",
                            b[1] <= b[2], facts, (si,)))
    load = not accum and _needs_load(block_stmts, loc, inside, box, buf, facts)
    store = accum or any(WRITE in u.kinds or REDUCE in u.kinds for u in inside)

    # which bounds of the copy code are not proven within the buffer
    bounds_ok = []
    for k, b in enumerate(box):
        n_term = ctrl_term(typ.shape_exprs[k])
        top = b[2] if b[0] == "iv" else b[1] + 1
        bounds_ok.append((holds(P, "in bounds", b[1] >= 0, facts),
                          n_term is not None and holds(P, "in bounds", top <= n_term, facts)))

    new = Sym(new_buf_name)
    elem = typ.elem if isinstance(typ, TensorType) else typ
    iv = [d for d in wdims if d[0] == "iv"]
    shape = [_binop("-", d[2], d[1], si) for d in iv]
    alloc = ir.Alloc(new, TensorType(elem, shape) if shape else elem, mem, si)

    def copy_nest(make, guarded: bool):
        iters = [Sym(f"i{k}") for k in range(len(iv))]
        reads = [ir.Read(i, (), INDEX, si) for i in iters]
        it = iter(reads)
        buf_idx, guards = [], []
        for k, d in enumerate(wdims):
            e = _binop("+", next(it), d[1], si) if d[0] == "iv" else d[1]
            buf_idx.append(e)
            lo_ok, hi_ok = bounds_ok[k]
            if not lo_ok:
                guards.append(_binop("<=", ir.Const(0, INT, si), e, si, BOOL))
            if not hi_ok:
                guards.append(_binop("<", e, typ.shape_exprs[k], si, BOOL))
        stmt = make(tuple(buf_idx), tuple(reads))
        if guarded and guards:
            cond = guards[0]
            for g in guards[1:]:
                cond = _binop("and", cond, g, si, BOOL)
            stmt = ir.If(cond, [stmt], [], si)
        for i, d in reversed(list(zip(iters, iv))):
            stmt = ir.For(i, ir.Const(0, INT, si), _binop("-", d[2], d[1], si), [stmt],
                          "seq", si)
        return stmt

    pre = [alloc]
    if accum:
        pre.append(copy_nest(lambda bi, ni: ir.Assign(new, elem, ni, ir.Const(0.0, R, si),
                                                      si), False))
    elif load:
        pre.append(copy_nest(lambda bi, ni: ir.Assign(new, elem, ni,
                                                      ir.Read(buf, bi, elem, si), si), True))
    post = []
    if store:
        back = ir.Reduce if accum else ir.Assign
        post.append(copy_nest(lambda bi, ni: back(buf, elem, bi, ir.Read(new, ni, elem, si),
                                                  si), True))

    def index_map(idx, u):
        out = []
        for a, d in zip(idx, wdims):
            if d[0] == "pt":
                continue
            if isinstance(a, ir.Interval):
                out.append(ir.Interval(_binop("-", a.lo, d[1], si), _binop("-", a.hi, d[1], si),
                                       a.srcinfo))
            elif isinstance(a, ir.Point):
                out.append(ir.Point(_binop("-", a.pt, d[1], si), a.srcinfo))
            else:
                out.append(_binop("-", a, d[1], si))
        return out

    for u in inside:
        if u.role == "window" and any(a[0] == "iv" for a, d in zip(u.dims, wdims)
                                      if d[0] == "pt"):
            raise err(P, f"the window of {buf.name}{_line(u)} spans a dimension that the "
                         "staged window fixes")
    ed = ProcEditor(proc)
    redirect_uses(P, ed, blk, inside, new, index_map, outside)
    if post:
        ed.insert(ed.cursor(blk).after(), post)
    ed.insert(ed.cursor(blk).before(), pre)
    return ed.finish()
