"""The dependence obligation of loop fusion.

Fusing ``for i in R: s1`` with the following ``for j in R: s2`` runs
``s2(j)`` before ``s1(i)`` whenever ``j < i``. The rewrite is sound when no
such pair touches the same location with at least one write (two reads, two
reductions, or two writes of the same literal constant, ``CFG.j = 0`` in both
loops, commute): the same question as splitting the fused loop back
(fission), stated and explained in terms of the two original loops.
"""

from __future__ import annotations

from exo_verify import Formula, conj
from exo_verify.formulas import Compare

import exo_core.ir as ir
from exo_core.analysis.effects import WRITE, collect_accesses
from exo_core.analysis.dependence import access_text, conflicting, same_location
from exo_core.analysis.obligations import must_not_happen


def loops_fusable(primitive: str, first: ir.For, second: ir.For, context: Formula,
                  windows: dict | None = None) -> tuple:
    """No iteration ``j`` of ``second`` conflicts with a later iteration
    ``i > j`` of ``first`` (the loops' bounds are already proven equal).

    The two loops are described as they are: two independent copies of the
    effect model, the second in its own iterator, so the second body need not
    be rewritten with the first loop's iterator to be checked."""
    A = collect_accesses([second], windows=windows)
    B = collect_accesses([first], windows=windows)
    ja, ib = A.loop_vars[second.iter], B.loop_vars[first.iter]
    name, name2 = first.iter.name, second.iter.name
    sits = []
    for a in A.accesses:
        for b in B.accesses:
            if not conflicting(a, b) or _same_constant_writes(a, b):
                continue
            f = conj(context, a.domain, b.domain, same_location(a, b), Compare("<", ja, ib))

            def explain(vals, a=a, b=b):
                return (f"iteration {name2}={vals.get(ja, '?')} of the second loop "
                        f"{access_text(a, vals)} and the later iteration "
                        f"{name}={vals.get(ib, '?')} of the first loop {access_text(b, vals)}; "
                        "fusing the loops would reorder them")
            sits.append((f, explain))
    srcs = (first.srcinfo,) + tuple(s.srcinfo for s in second.body)
    return must_not_happen(primitive, "the loops can be fused", sits,
                           srcs)


def _same_constant_writes(a, b) -> bool:
    """Both accesses are plain writes of one literal constant (in either order
    the location ends up holding that value)."""
    if a.kind != WRITE or b.kind != WRITE:
        return False
    ra, rb = getattr(a.stmt, "rhs", None), getattr(b.stmt, "rhs", None)
    return (isinstance(a.stmt, (ir.Assign, ir.WriteConfig)) and type(a.stmt) is type(b.stmt)
            and isinstance(ra, ir.Const) and isinstance(rb, ir.Const)
            and type(ra.val) is type(rb.val) and ra.val == rb.val)
