"""Moving code across procedure boundaries: inline (a call becomes the
callee's body) and extract_subproc (a block becomes a new procedure and a
call of it).

Both are exact rewrites: inlining substitutes the call's arguments for the
callee's parameters (a window argument is bound by a window statement, as
in the reference), and an extracted block is called with exactly the
variables it uses, so neither changes what the procedure computes. The new
call of `extract_subproc` is checked like any call (its preconditions, which
the extraction states from the facts around the block, must hold there).
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.errors import SchedulingError
from exo_core.ir.prelude import Sym
from exo_core.ir.printer import stmt_to_str
from exo_core.ir.types import BOOL, INDEX, ScalarType, TensorType
from exo_core.ir.wellformed import memory_allows_element_access
from exo_core.procedure import Procedure
from exo_core.primitives.arguments import Block, Bool, CallStmt, Identifier
from exo_core.primitives.control_strings import visible_names
from exo_core.primitives.ir_build import expr_syms, stmt_syms
from exo_core.primitives.signature import primitive
from exo_core.primitives.subprocs import (new_call_failures, procedure_buffers,
                                         refuse_clashing_callee)
from exo_core.primitives.sym_substitution import subst_block, subst_expr, subst_type
from exo_core.user_frame import caller_srcinfo

__all__ = ["inline", "extract_subproc"]


# ----------------------------------------------------------------------------
# inline


def _element_reads(stmts, elements: dict) -> list:
    """Rewrite the scalars of ``elements`` (Sym -> a buffer element
    ``Read(b, idx)``) into accesses of those elements."""

    def expr(e):
        if isinstance(e, ir.Read) and e.name in elements and not e.idx:
            el = elements[e.name]
            return el.update(srcinfo=e.srcinfo)
        if isinstance(e, ir.USub):
            return e.update(arg=expr(e.arg))
        if isinstance(e, ir.BinOp):
            return e.update(lhs=expr(e.lhs), rhs=expr(e.rhs))
        if isinstance(e, ir.Extern):
            return e.update(args=tuple(expr(a) for a in e.args))
        return e

    def stmt(s):
        if isinstance(s, (ir.Assign, ir.Reduce)):
            s = s.update(rhs=expr(s.rhs))
            if s.name in elements and not s.idx:
                el = elements[s.name]
                s = s.update(name=el.name, idx=el.idx)
            return s
        if isinstance(s, ir.WriteConfig):
            return s.update(rhs=expr(s.rhs))
        if isinstance(s, ir.If):
            return s.update(cond=expr(s.cond), body=[stmt(x) for x in s.body],
                            orelse=[stmt(x) for x in s.orelse])
        if isinstance(s, ir.For):
            return s.update(body=[stmt(x) for x in s.body])
        if isinstance(s, ir.Call):
            return s.update(args=tuple(expr(a) for a in s.args))
        return s

    return [stmt(s) for s in stmts]


@primitive(call_cursor=CallStmt())
def inline(proc: Procedure, call_cursor) -> Procedure:
    """Replace a call by the callee's body, its parameters replaced by the
    call's arguments (the callee's assertions are dropped: they held at the
    call)::

        axpy(8, b, x[r, 0:8], y[r, 0:8])       x_1 = x[r, 0:8]
                                        -->    y_1 = y[r, 0:8]
                                               for i in seq(0, 8):
                                                   y_1[i] += b * x_1[i]
    """
    call: ir.Call = call_cursor._node()
    f = call.f
    env: dict = {}
    windows = []
    elements: dict = {}
    for fa, arg in zip(f.args, call.args):
        t = fa.type
        if not isinstance(t, TensorType) and t.kind == "ctrl":
            env[fa.name] = arg
        elif isinstance(arg, ir.WindowExpr):
            w = Sym(fa.name.name)
            windows.append(ir.WindowStmt(w, arg, call.srcinfo))
            env[fa.name] = w
        elif isinstance(arg, ir.Read) and arg.idx:
            elements[fa.name] = arg  # a scalar passed as a buffer element
        else:
            env[fa.name] = arg.name
    body = subst_block(list(f.body), env, fresh=True)
    if elements:
        body = _element_reads(body, elements)
    mems = {name: mem for name, (_, mem) in procedure_buffers(proc._root).items()}
    found = _element_access_of_registers(windows + body, mems)
    if found is not None:
        name, mem, s = found
        raise SchedulingError(
            f"inline: cannot inline {f.name}: its body would access {name.name} "
            f"element-wise (`{stmt_to_str(s).strip()}`), but {name.name} lives in "
            f"{getattr(mem, '__name__', mem)}, which only instructions may access",
            caller_srcinfo())
    ed = ProcEditor(proc)
    ed.replace_stmt(call_cursor, windows + body)
    return ed.finish()


def _element_access_of_registers(stmts, mems: dict):
    """The first element read or write in ``stmts`` of a buffer whose memory
    cannot be accessed element-wise, as (name, memory, statement), or None.
    ``mems`` maps the buffers in scope to their memories; windows and
    allocations in ``stmts`` are followed. Passing a buffer to a call is not
    an element access."""
    mems = dict(mems)

    def unreadable(name) -> bool:
        return not memory_allows_element_access(mems.get(name))

    for s in stmts:
        if isinstance(s, ir.WindowStmt):
            mems[s.name] = mems.get(s.rhs.name)
            continue
        if isinstance(s, ir.Alloc):
            mems[s.name] = s.mem
            continue
        if isinstance(s, ir.Call):
            continue
        if isinstance(s, (ir.Assign, ir.Reduce)) and unreadable(s.name):
            return s.name, mems[s.name], s
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if (isinstance(x, ir.Read) and isinstance(x.type, ScalarType)
                        and x.type.is_numeric() and unreadable(x.name)):
                    return x.name, mems[x.name], s
        for fld in s.block_fields:
            inner = _element_access_of_registers(getattr(s, fld), mems)
            if inner is not None:
                return inner
    return None


# ----------------------------------------------------------------------------
# extract_subproc


def _binders(stmts, out: set) -> set:
    for s in stmts:
        if isinstance(s, ir.For):
            out.add(s.iter)
        elif isinstance(s, (ir.Alloc, ir.WindowStmt)):
            out.add(s.name)
        for f in s.block_fields:
            _binders(getattr(s, f), out)
    return out


def _type_syms(t) -> set:
    out: set = set()
    if isinstance(t, TensorType):
        for e in t.shape_exprs:
            expr_syms(e, out)
    return out


def _enclosing_scopes(root: ir.ProcIR, steps: tuple) -> list:
    """The loops and ifs around the statement at ``steps``, innermost
    first, each as (node, the block field of it that holds the statement)."""
    out, node = [], root
    for (field, k), (inner_field, _) in zip(steps[:-1], steps[1:]):
        node = getattr(node, field)[k]
        if isinstance(node, (ir.For, ir.If)):
            out.append((node, inner_field))
    return out[::-1]


def _memories(root: ir.ProcIR) -> dict:
    out = {a.name: a.mem for a in root.args}

    def visit(stmts):
        for s in stmts:
            if isinstance(s, ir.Alloc):
                out[s.name] = s.mem
            elif isinstance(s, ir.WindowStmt):
                out[s.name] = out.get(s.rhs.name)
            for f in s.block_fields:
                visit(getattr(s, f))

    visit(root.body)
    return out


def _scope_facts(node, field: str) -> list:
    """What a statement in block ``field`` of the loop or if ``node`` knows:
    ``lo <= it`` and ``it < hi`` in a loop, ``cond == True`` in an if's body
    and ``cond == False`` in its else branch (the form the reference states
    them in)."""
    if isinstance(node, ir.For):
        it = ir.Read(node.iter, (), INDEX, node.srcinfo)
        return [ir.BinOp("<=", node.lo, it, BOOL, node.srcinfo),
                ir.BinOp("<", it, node.hi, BOOL, node.srcinfo)]
    truth = ir.Const(field == "body", BOOL, node.srcinfo)
    return [ir.BinOp("==", node.cond, truth, BOOL, node.srcinfo)]


@primitive(block=Block(), subproc_name=Identifier("procedure name"), include_asserts=Bool())
def extract_subproc(proc: Procedure, block, subproc_name: str, include_asserts: bool = True):
    """Make a block a new procedure and call it; returns ``(proc, subproc)``.
    The parameters are the variables the block uses (in the order they are
    declared, the procedure's arguments first); with ``include_asserts`` the
    new procedure asserts what is known of them where the block was, in the
    reference's order: the procedure's assertions, then from the innermost
    scope out the bounds of each enclosing loop and the condition of each
    enclosing if (``cond == True`` in its body, ``cond == False`` in its
    else branch); a fact that names a variable not passed is left out::

        for i in seq(0, n):              for i in seq(0, n):
            if i < m:                        if i < m:
                y[i] += x[i]      -->            inner(m, x, y, i)

                                         def inner(m: size, x: f32[m], y: f32[m], i: index):
                                             assert (i < m) == True
                                             assert 0 <= i
                                             y[i] += x[i]
    """
    stmts = list(block._node())
    root = proc._root
    loc = block._loc
    steps = loc.owner + ((loc.field, loc.lo),)
    visible = {sym: t for sym, t in visible_names(root, steps).values()}
    free = stmt_syms(stmts, binders=False) - _binders(stmts, set())
    while True:  # the variables in the shapes of the buffers passed, too
        more = set()
        for s in free:
            if s in visible:
                more |= _type_syms(visible[s])
        if more <= free:
            break
        free |= more
    unknown = [s for s in free if s not in visible]
    if unknown:
        raise SchedulingError(f"extract_subproc: the block uses {unknown[0].name}, which is "
                              "not a variable visible there", caller_srcinfo())
    mems = _memories(root)
    order = [s for s in visible if s in free]
    env = {s: s.copy() for s in order}
    args = []
    for s in order:
        t = subst_type(visible[s], env)
        mem = mems.get(s) if isinstance(t, TensorType) or t.is_numeric() else None
        args.append(ir.FnArg(env[s], t, mem, stmts[0].srcinfo))
    preds = []
    if include_asserts:
        def usable(e):
            return expr_syms(e, set()) <= set(order)

        preds += [subst_expr(p, env) for p in root.preds if usable(p)]
        for node, field in _enclosing_scopes(root, steps):
            preds += [subst_expr(p, env) for p in _scope_facts(node, field) if usable(p)]
    body = subst_block(stmts, env, fresh=True)
    sub = ir.ProcIR(subproc_name, args, preds, body, None, stmts[0].srcinfo)
    call_args = [ir.Read(s, (), visible[s], stmts[0].srcinfo) for s in order]
    marker = stmts[0].srcinfo
    ed = ProcEditor(proc)
    ed.replace_block(block, [ir.Call(sub, call_args, marker)])
    new = ed.finish()
    refuse_clashing_callee("extract_subproc", new)
    failures = new_call_failures(proc, new)
    if failures:
        raise SchedulingError(f"extract_subproc: the call {subproc_name}(...) would not be "
                              f"valid here: {failures[0]}", caller_srcinfo())
    return new, Procedure(sub)
