"""Facts and bound checks shared by the loop primitives."""

from __future__ import annotations

from exo_verify import Formula

import exo_core.ir as ir
from exo_core.cursors.location import stmt_steps
from exo_core.procedure import Procedure
from exo_core.ir.types import TensorType
from exo_core.analysis.logic_partial import context_at
from exo_core.analysis.obligations import must_hold, require
from exo_core.analysis import block_effects, ctrl_term, loops_reorderable, windows_in_scope
from exo_core.user_frame import caller_srcinfo
from exo_core.primitives.arguments import err
from exo_core.primitives.ir_build import config_reads, expr_syms


def facts_at(proc: Procedure, cursor) -> Formula:
    """What holds at a statement (enclosing bounds, branches, assertions)."""
    ctx, _ = context_at(proc._root, stmt_steps(cursor))
    return ctx


def windows_of(proc: Procedure) -> dict:
    """The window statements of a procedure (cached on the version)."""
    w = proc._cache.get("safety.windows")
    if w is None:
        w = windows_in_scope(proc._root)
        proc._cache["safety.windows"] = w
    return w


def configs_written(stmts) -> dict:
    """The configuration fields the statements may write (directly or in a
    callee), as (config id, field) -> "Config.field"."""
    out = {}
    for a in block_effects(stmts).configs:
        if a.kind != "read":
            out[(id(a.buffer.config), a.buffer.field)] = a.buffer.name
    return out


_BOUND_NAMES = {"lo": "lower bound", "hi": "upper bound"}


def reject_bound_changed_by(primitive: str, loop: ir.For, bounds, writers,
                            consequence: str) -> None:
    """Refuse a rewrite that evaluates the loop's ``bounds`` ("lo", "hi")
    again after ``writers`` (usually the loop body) ran, when those may write
    a configuration field the bound reads: the bound would not have the same
    value everywhere it is evaluated. ``consequence`` is the clause saying
    where the rewrite evaluates it differently."""
    written = None
    for which in bounds:
        reads = config_reads(getattr(loop, which))
        if not reads:
            continue
        if written is None:
            written = configs_written(writers)
        hit = sorted(written[k] for k in reads if k in written)
        if hit:
            raise err(primitive, f"the {_BOUND_NAMES[which]} of loop {loop.iter.name} reads the "
                                 f"configuration field {hit[0]}, which the loop body may write; "
                                 f"{consequence}")


def reject_iter_in_alloc_shapes(primitive: str, loop: ir.For) -> None:
    """Rewrites that substitute a loop's iterator in place do not rewrite
    allocation shapes; refuse (clearly) when a shape inside uses it."""
    def visit(stmts):
        for s in stmts:
            if isinstance(s, ir.Alloc) and isinstance(s.type, TensorType):
                syms = set()
                for e in s.type.shape_exprs:
                    expr_syms(e, syms)
                if loop.iter in syms:
                    raise err(primitive, f"the shape of {s.name.name} uses the iterator "
                                         f"{loop.iter.name}; this is not supported yet")
            for f in s.block_fields:
                visit(getattr(s, f))
    visit(loop.body)


def check(obligation, unsafe: bool = False) -> None:
    """Discharge an obligation unless the user disabled the checks."""
    if not unsafe:
        require(obligation, caller_srcinfo)


def require_bounds_ordered(P: str, loop: ir.For, facts: Formula, where: str) -> None:
    """A loop moved to a new place must still have ``lo <= hi`` there, from the
    facts of that place alone: every loop the front end accepts has ordered
    bounds, and later rewrites rely on it (a ``divide_loop`` tail computes its
    trip count with floor ``%``, which is positive for a negative count)."""
    lo, hi = ctrl_term(loop.lo), ctrl_term(loop.hi)
    if lo is None or hi is None:
        raise err(P, f"could not prove loop {loop.iter.name} keeps lo <= hi {where}: its "
                     "bounds are not expressions the verifier can reason about")
    check(must_hold(P, f"loop {loop.iter.name} must keep lo <= hi {where}", lo <= hi, facts,
                    (loop.srcinfo,)))


def check_interchange(P: str, proc: Procedure, outer_c, outer: ir.For, inner: ir.For) -> None:
    """Everything that must hold to swap ``outer`` and the loop ``inner``
    directly inside it (`reorder_loops`, and `lift_scope` of a loop out of a
    loop): inner bounds independent of the outer iterator and not changed by
    the body, still ordered at the outer loop's place, and no dependence whose
    order the swap would flip."""
    if outer.iter in expr_syms(inner.lo, set()) | expr_syms(inner.hi, set()):
        raise err(P, f"the bounds of loop {inner.iter.name} depend on {outer.iter.name}; "
                     "the loops cannot be interchanged")
    reject_bound_changed_by(P, inner, ("lo", "hi"), inner.body,
                            "the interchange would evaluate it once, before both loops, "
                            f"instead of at every iteration of {outer.iter.name}")
    facts = facts_at(proc, outer_c)
    require_bounds_ordered(P, inner, facts, f"outside loop {outer.iter.name}")
    check(loops_reorderable(P, outer, facts, windows_of(proc)))
