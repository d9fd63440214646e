"""Statement-level primitives: `rename`, `insert_pass`, `delete_pass`,
`reorder_stmts`, `insert_noop_call`.

    rename(p, "gemm_v2")                  # def gemm_v2(...)
    insert_pass(p, stmt.after())          # s1; pass; s2
    delete_pass(p)                        # every pass (and loops/ifs of only pass) removed
    reorder_stmts(p, p.find("x = _ ; y = _"))   # y = ...; x = ...   (if they commute)
    insert_noop_call(p, s.before(), prefetch, ["n", "x[0:8]"])   # prefetch(n, x[0:8]); s
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.cursors.paths import BlockLoc, block_of
from exo_core.cursors.base import lift
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.procedure import Procedure
from exo_core.analysis.logic_partial import context_at
from exo_core.analysis.obligations import require
from exo_core.analysis import blocks_commute, windows_in_scope
from exo_core.analysis.binding import check_no_crossing
from exo_core.user_frame import caller_srcinfo, scheduling_error
from exo_core.errors import ExoError, SchedulingError
from exo_core.frontend.check_expr import VarInfo
from exo_core.frontend.typecheck import ProcChecker
from exo_core.primitives.arguments import Block, Gap, Identifier, ListOf, Proc, Text, err
from exo_core.primitives.control_strings import parse_fragment, visible_names
from exo_core.primitives.subprocs import new_call_failures
from exo_core.primitives.signature import primitive

__all__ = ["rename", "insert_pass", "delete_pass", "reorder_stmts", "insert_noop_call"]



@primitive(new_name=Identifier("procedure name"))
def rename(proc: Procedure, new_name: str) -> Procedure:
    """The same procedure named ``new_name`` (a valid C and Python identifier)."""
    ed = ProcEditor(proc)
    ed.update_proc(name=new_name)
    return ed.finish()


@primitive(gap_cursor=Gap())
def insert_pass(proc: Procedure, gap_cursor) -> Procedure:
    """Insert a ``pass`` statement at a gap.

        s1                     s1
           <- gap_cursor  -->  pass
        s2                     s2
    """
    gap = gap_cursor
    ed = ProcEditor(proc)
    ed.insert(gap, [ir.Pass(caller_srcinfo() or ir.null_srcinfo)])
    return ed.finish()


def _is_empty(s) -> bool:
    """A statement that does nothing but ``pass``: a pass, or a loop/if whose
    blocks hold only such statements (evaluating bounds and conditions has no
    effect, so removing them is exact)."""
    if isinstance(s, ir.Pass):
        return True
    if isinstance(s, ir.For):
        return all(_is_empty(x) for x in s.body)
    if isinstance(s, ir.If):
        return all(_is_empty(x) for x in s.body) and all(_is_empty(x) for x in s.orelse)
    return False


@primitive()
def delete_pass(proc: Procedure) -> Procedure:
    """Delete every ``pass`` statement, and every loop or ``if`` left with
    nothing but ``pass`` in it. A block that must not be empty (a loop or if
    body that keeps other code in its else branch, or the procedure body)
    keeps a single ``pass``."""
    ed = ProcEditor(proc)

    def visit(owner: tuple, field: str) -> None:
        # Right to left, so deletions leave earlier indices valid (and the
        # statements before index k are the block's original ones).
        blk = block_of(ed.root, owner, field)
        length = len(blk)
        for k in range(len(blk) - 1, -1, -1):
            s = blk[k]
            steps = owner + ((field, k),)
            if _is_empty(s):
                if length == 1 and isinstance(s, ir.Pass) and field == "body":
                    continue  # the pass that keeps a required block non-empty
                ed.delete(lift(ed.current(), BlockLoc(owner, field, k, k + 1)))
                length -= 1
            elif isinstance(s, (ir.For, ir.If)):
                visit(steps, "body")
                if isinstance(s, ir.If) and len(s.orelse):
                    visit(steps, "orelse")

    visit((), "body")
    return ed.finish()


@primitive(block_cursor=Block())
def reorder_stmts(proc: Procedure, block_cursor) -> Procedure:
    """Swap two adjacent statements, provided they commute.

        s1 ; s2  <- block_cursor   -->   s2 ; s1

    Obligations: the two statements commute (no location written by one is
    read or written by the other, reductions into the same location
    excepted), and neither binds a name (allocation, window statement) that
    the other uses.
    """
    blk = block_cursor
    if len(blk) != 2:
        raise scheduling_error(f"reorder_stmts expects a block of exactly two statements, got {len(blk)}")
    s1, s2 = blk[0], blk[1]
    n1, n2 = s1._node(), s2._node()
    where = caller_srcinfo()
    check_no_crossing("reorder_stmts", [n1], [n2], where)
    check_no_crossing("reorder_stmts", [n2], [n1], where)
    root = proc.INTERNAL_proc()
    context, _ = context_at(root, s1._loc.steps)
    ob = blocks_commute("reorder_stmts", [n1], [n2], context, windows_in_scope(root))
    require(ob, where)
    ed = ProcEditor(proc)
    ed.move(ed.stmt(s2), ed.stmt(s1).before())
    return ed.finish()


@primitive(gap_cursor=Gap(), instr=Proc(), args=ListOf(Text("argument", formatted=True)))
def insert_noop_call(proc: Procedure, gap_cursor, instr: Procedure, args: list) -> Procedure:
    """Insert a call of a procedure whose body does nothing (only ``pass``,
    e.g. a prefetch instruction) at a gap::

        s1                      s1
           <- gap_cursor  -->   prefetch(n, x[0:8])
        s2                      s2

    ``args`` are the arguments as text, read at the gap: control
    expressions, buffers (``"x"``) and windows (``"x[i, 0:8]"``). The call
    changes nothing, but must be a valid call: its arguments typed as the
    front end types them, its preconditions and window bounds proven as the
    definition checks prove them.
    """
    P = "insert_noop_call"
    f = instr._root
    if not all(isinstance(s, ir.Pass) for s in f.body):
        raise err(P, f"cannot insert a call of {f.name}: its body is not just pass (a call "
                     "that does something would change what the procedure computes)")
    if len(args) != len(f.args):
        raise err(P, f"{f.name} takes {len(f.args)} arguments but {len(args)} were given")
    loc = gap_cursor._loc
    root = proc._root
    steps = loc.owner + ((loc.field, loc.pos),)
    parsed = [parse_fragment(root, steps, a, P, lambda checker, e: e, allow_data=True)
              for a in args]
    checker = ProcChecker()
    checker.env = {sym: VarInfo(t, None, "variable") for sym, t in visible_names(root, steps).values()}
    where = caller_srcinfo() or ir.null_srcinfo
    try:
        call = checker.call(ir.Call(f, tuple(parsed), where))
    except SchedulingError:
        raise
    except ExoError as e:
        raise err(P, e.message) from None
    ed = ProcEditor(proc)
    ed.insert(gap_cursor, [call])
    new = ed.finish()
    failures = new_call_failures(proc, new)
    if failures:
        raise err(P, f"the call of {f.name} would not be valid here: {failures[0]}")
    return new
