"""The dependence obligation of loop fusion.

Fusing ``for i in R: s1`` with the following ``for j in R: s2`` runs
``s2(j)`` before ``s1(i)`` whenever ``j < i``. The rewrite is sound when no
such pair touches the same location with at least one write (two reads, two
reductions, or two writes of the same literal constant, ``CFG.j = 0`` in both
loops, commute): the same question as splitting the fused loop back
(fission), stated and explained in terms of the two original loops.

One more pair is harmless: ``s2(j)`` reads a location that a later
``s1(i)`` writes, when that write is a *pure recomputation* -- an
assignment that stores, every time it runs on a location, the same value
(`pure_recomputations`) -- and some iteration ``i' <= j`` of ``s1`` has
computed the location already. In the fused loop ``s1(i)`` then rewrites the
value the location holds, in the original order too (after ``s1(i')``), so
removing that write from both orders changes nothing, and without it the
pair is gone::

    for y in seq(0, H):                   # prod[4y .. 4y + 5]: a halo of 2
        for yi in seq(0, 6):
            prod[4 * y + yi] = inp[4 * y + yi] * 2.0
    for y in seq(0, H):                   # reads prod[4y .. 4y + 5]
        for yi in seq(0, 4):
            out[4 * y + yi] = prod[4 * y + yi] + prod[4 * y + yi + 2]

An assignment ``P[w] = e`` of the first loop is a pure recomputation when
it is the only statement of either loop that writes or adds to ``P``, ``e``
is built from literals, arithmetic, extern calls and reads of buffers that
neither loop writes or adds to (not ``P``), and two of its executions that
write the same location read every input at the same index (proved). The
"computed already" condition is stated exactly (``not exists i' <= j ...``),
so it is only used when the assignment's loop bounds, conditions and indices
can all be stated.
"""

from __future__ import annotations

from exo_verify import Exists, Formula, conj
from exo_verify.formulas import Compare, Not

import exo_core.ir as ir
from exo_core.analysis.effects import READ, WRITE, Access, collect_accesses
from exo_core.analysis.dependence import access_text, conflicting, same_location
from exo_core.analysis.logic_partial import cond_formula, ctrl_term
from exo_core.analysis.obligations import discharge, must_not_happen
from exo_core.ir.types import is_control


def loops_fusable(primitive: str, first: ir.For, second: ir.For, context: Formula,
                  windows: dict | None = None) -> tuple:
    """No iteration ``j`` of ``second`` conflicts with a later iteration
    ``i > j`` of ``first`` (the loops' bounds are already proven equal),
    except by reading what a pure recomputation of ``first`` has computed
    by iteration ``j`` already (see the module docstring).

    The two loops are described as they are: two independent copies of the
    effect model, the second in its own iterator, so the second body need not
    be rewritten with the first loop's iterator to be checked."""
    A = collect_accesses([second], windows=windows)
    B = collect_accesses([first], windows=windows)
    ja, ib = A.loop_vars[second.iter], B.loop_vars[first.iter]
    name, name2 = first.iter.name, second.iter.name
    pairs = [(a, b) for a in A.accesses for b in B.accesses
             if conflicting(a, b) and not _same_constant_writes(a, b)]
    recomputed = {}
    if any(_may_be_recomputation(a, b) for a, b in pairs):
        recomputed = pure_recomputations(first, A.accesses, B.accesses, context, windows)
    sits = []
    for a, b in pairs:
        f = conj(context, a.domain, b.domain, same_location(a, b), Compare("<", ja, ib))
        computed = recomputed.get(id(b.stmt)) if _may_be_recomputation(a, b) else None
        if callable(computed):
            f = conj(f, Not(computed(a, ja)))

            def explain(vals, a=a, b=b):
                return (f"iteration {name2}={vals.get(ja, '?')} of the second loop "
                        f"{access_text(a, vals)}, which no iteration {name} <= "
                        f"{vals.get(ja, '?')} of the first loop has computed yet, and the "
                        f"later iteration {name}={vals.get(ib, '?')} "
                        f"{access_text(b, vals)}; fusing the loops would reorder them")
        else:
            why = f" ({computed})" if computed else ""

            def explain(vals, a=a, b=b, why=why):
                return (f"iteration {name2}={vals.get(ja, '?')} of the second loop "
                        f"{access_text(a, vals)} and the later iteration "
                        f"{name}={vals.get(ib, '?')} of the first loop {access_text(b, vals)}; "
                        f"fusing the loops would reorder them{why}")
        sits.append((f, explain))
    srcs = (first.srcinfo,) + tuple(s.srcinfo for s in second.body)
    return must_not_happen(primitive, "the loops can be fused", sits,
                           srcs)


def _exact_point(a: Access) -> bool:
    return (not a.local and a.index is not None and all(t is not None for t in a.index))


def _may_be_recomputation(a: Access, b: Access) -> bool:
    """``a`` (second loop) reads one stated location that ``b`` (first loop)
    assigns."""
    return (a.kind == READ and b.kind == WRITE and isinstance(b.stmt, ir.Assign)
            and _exact_point(a) and _exact_point(b))


def pure_recomputations(first: ir.For, second_accesses, first_accesses, context: Formula,
                        windows: dict | None = None) -> dict:
    """The assignments of ``first`` that are pure recomputations (module
    docstring), by ``id`` of the statement: each maps to ``computed(a, j)``,
    the formula "some execution of the assignment in an iteration ``<= j``
    of ``first`` writes the location ``a`` accesses"; the other assignments
    with a pure value map to the reason they are not recomputations."""
    changed = {x.buffer for x in tuple(second_accesses) + tuple(first_accesses)
               if x.kind != READ}
    writers: dict = {}
    for x in tuple(second_accesses) + tuple(first_accesses):
        if x.kind != READ:
            writers.setdefault(x.buffer, set()).add(id(x.stmt))
    exact = _exactly_stated_assigns(first)
    out = {}
    for w in first_accesses:
        s = w.stmt
        if (w.kind != WRITE or not isinstance(s, ir.Assign) or id(s) not in exact
                or not _exact_point(w) or not _pure_value(s.rhs)
                or sum(1 for x in first_accesses if x.stmt is s and x.kind == WRITE) != 1):
            continue
        what = f"the assignment to {w.buf_name} is not a recomputation of one value"
        inputs = [r for r in first_accesses if r.stmt is s and r.kind == READ]
        if writers.get(w.buffer) != {id(s)}:
            out[id(s)] = f"{what}: other statements write {w.buf_name}"
        elif any(r.buffer == w.buffer for r in inputs):
            out[id(s)] = f"{what}: it reads {w.buf_name}"
        elif any(r.buffer in changed for r in inputs):
            names = sorted({r.buf_name for r in inputs if r.buffer in changed})
            out[id(s)] = f"{what}: the loops write {', '.join(names)}, which it reads"
        elif not all(_exact_point(r) for r in inputs):
            out[id(s)] = f"{what}: an index it reads cannot be stated"
        elif not _same_inputs_everywhere(first, s, w, inputs, context, windows):
            out[id(s)] = (f"{what}: two executions writing the same element may read "
                          "different inputs")
        else:
            out[id(s)] = _computed_by(first, s, windows)
    return out


def _pure_value(e: ir.Expr) -> bool:
    """``e`` is built from literals, arithmetic, extern calls and reads of
    data (a control value would make the value depend on the iteration)."""
    if isinstance(e, ir.Const):
        return True
    if isinstance(e, ir.Read):
        return not is_control(e.type)
    if isinstance(e, ir.USub):
        return _pure_value(e.arg)
    if isinstance(e, ir.BinOp):
        return _pure_value(e.lhs) and _pure_value(e.rhs)
    if isinstance(e, ir.Extern):
        return all(_pure_value(x) for x in e.args)
    return False


def _exactly_stated_assigns(loop: ir.For) -> set:
    """``id``s of the assignments in ``loop`` whose every enclosing loop bound
    and condition (inside ``loop``, and ``loop``'s own bounds) can be stated:
    their effect model's domain is then exact, not an over-approximation."""
    found: set = set()

    def visit(stmts):
        for s in stmts:
            if isinstance(s, ir.Assign):
                found.add(id(s))
            elif isinstance(s, ir.For):
                if ctrl_term(s.lo) is not None and ctrl_term(s.hi) is not None:
                    visit(s.body)
            elif isinstance(s, ir.If):
                if cond_formula(s.cond) is not None:
                    visit(s.body)
                    visit(s.orelse)

    visit([loop])
    return found


def _same_inputs_everywhere(first: ir.For, s: ir.Assign, w: Access, inputs: list,
                            context: Formula, windows: dict | None) -> bool:
    """Two executions of ``s`` in ``first`` writing the same location read
    every input at the same index (proved)."""
    D = collect_accesses([first], windows=windows)
    w2 = [x for x in D.accesses if x.stmt is s and x.kind == WRITE]
    inputs2 = [r for r in D.accesses if r.stmt is s and r.kind == READ]
    if len(w2) != 1 or len(inputs2) != len(inputs):
        return False
    sits = []
    for r, r2 in zip(inputs, inputs2):
        for t, t2 in zip(r.index, r2.index):
            f = conj(context, w.domain, w2[0].domain, same_location(w, w2[0]),
                     Compare("!=", t, t2))
            sits.append((f, lambda vals: ""))
    obligations = must_not_happen("fuse", "a recomputation stores the same value", sits)
    return all(discharge(ob).status == "proved" for ob in obligations)


def _computed_by(first: ir.For, s: ir.Assign, windows: dict | None):
    """``computed(a, j)``: some execution of ``s`` in an iteration ``<= j`` of
    ``first`` writes the location of ``a`` (a fresh copy of the loop)."""
    C = collect_accesses([first], windows=windows)
    c = next(x for x in C.accesses if x.stmt is s and x.kind == WRITE)
    ic = C.loop_vars[first.iter]

    def computed(a: Access, j) -> Formula:
        body = conj(c.domain, same_location(a, c), Compare("<=", ic, j))
        for v in reversed(c.iters):
            body = Exists(v, None, None, body)
        return body
    return computed


def _same_constant_writes(a, b) -> bool:
    """Both accesses are plain writes of one literal constant (in either order
    the location ends up holding that value)."""
    if a.kind != WRITE or b.kind != WRITE:
        return False
    ra, rb = getattr(a.stmt, "rhs", None), getattr(b.stmt, "rhs", None)
    return (isinstance(a.stmt, (ir.Assign, ir.WriteConfig)) and type(a.stmt) is type(b.stmt)
            and isinstance(ra, ir.Const) and isinstance(rb, ir.Const)
            and type(ra.val) is type(rb.val) and ra.val == rb.val)
