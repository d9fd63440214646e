"""Dependence questions as obligations.

Each function returns obligations (`exo_core.analysis.obligations.must_not_happen`),
one per way the rewrite could change the order of two conflicting accesses
(two accesses of the same location, not both reads, not both reductions --
reductions commute with each other, as in the reference). The primitives
discharge them with `exo_core.analysis.obligations.require`.

- `blocks_commute`: two blocks can be swapped.
- `loops_reorderable`: two directly nested loops can be interchanged.
- `loop_fissionable`: a loop can be split at a gap.
- `iterations_independent`: no two distinct iterations of a loop conflict.
- `block_idempotent`: running a block twice equals running it once.
- `block_untouched_by`: a block writes nothing another block accesses.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from exo_verify import Formula, Term, Var, conj
from exo_verify.formulas import Compare
from exo_verify.errors import VerifyError

import exo_core.ir as ir
from exo_core.analysis.effects import READ, REDUCE, WRITE, Access, collect_accesses
from exo_core.analysis.obligations import must_not_happen

_VERB = {READ: "reads", WRITE: "writes", REDUCE: "adds to"}


def conflicting(a: Access, b: Access) -> bool:
    """Same buffer, and the order of the two accesses matters."""
    if a.buffer != b.buffer:
        return False
    if a.kind == READ and b.kind == READ:
        return False
    if a.kind == REDUCE and b.kind == REDUCE:
        return False
    return True


def same_location(a: Access, b: Access) -> Formula:
    """The condition for ``a`` and ``b`` to touch the same location."""
    if a.index is None or b.index is None or len(a.index) != len(b.index):
        return conj()
    return conj(*(Compare("==", x, y) for x, y in zip(a.index, b.index)
                  if x is not None and y is not None))


def location_text(a: Access, values: Mapping[Var, int]) -> str:
    """``x[1, 2]`` with the witness values (``x[?]`` where unknown)."""
    if a.index is None:
        return f"{a.buf_name} (some element)"
    shown = []
    for t in a.index[a.n_prefix:]:
        shown.append("?" if t is None else _value_text(t, values))
    return f"{a.buf_name}[{', '.join(shown)}]" if shown else a.buf_name


def _value_text(t: Term, values: Mapping[Var, int]) -> str:
    try:
        return str(t.evaluate(values))
    except VerifyError:
        return str(t)


def access_text(a: Access, values: Mapping[Var, int]) -> str:
    """``writes x[1]`` (line N)."""
    return f"{_VERB[a.kind]} {location_text(a, values)}{_line(a.stmt)}"


def _line(s) -> str:
    si = getattr(s, "srcinfo", None)
    return f" (line {si.lineno})" if si is not None and si.lineno else ""


def _iteration_text(names: Iterable[tuple[str, Var]], values: Mapping[Var, int]) -> str:
    parts = [f"{n}={_value_text(v, values)}" for n, v in names]
    return "(" + ", ".join(parts) + ")"


def _pairs(xs, ys, reductions_conflict: bool = False):
    for a in xs:
        for b in ys:
            if conflicting(a, b) or (reductions_conflict and a.buffer == b.buffer
                                     and a.kind == REDUCE and b.kind == REDUCE):
                yield a, b


def _srcinfos(stmts) -> tuple:
    return tuple(s.srcinfo for s in stmts)


# --------------------------------------------------------------------------


def blocks_commute(primitive: str, first: list, second: list, context: Formula,
                   windows: dict | None = None) -> tuple:
    """``first`` then ``second`` equals ``second`` then ``first``."""
    A = collect_accesses(first, windows=windows)
    B = collect_accesses(second, windows=windows)
    sits = []
    for a, b in _pairs(A.accesses, B.accesses):
        f = conj(context, a.domain, b.domain, same_location(a, b))

        def explain(vals, a=a, b=b):
            return (f"the first block {access_text(a, vals)} and the second block "
                    f"{access_text(b, vals)}; they do not commute")
        sits.append((f, explain))
    return must_not_happen(primitive, "the two blocks must commute", sits,
                           _srcinfos(list(first) + list(second)))


def loops_reorderable(primitive: str, outer: ir.For, context: Formula,
                      windows: dict | None = None) -> tuple:
    """Swapping ``outer`` and its directly nested loop keeps every pair of
    conflicting accesses in order: no instance (i, j) conflicting with a
    later instance (i', j') where i < i' and j > j'."""
    inner = outer.body[0]
    A = collect_accesses([outer], windows=windows)
    B = collect_accesses([outer], windows=windows)
    ia, ja = A.loop_vars[outer.iter], A.loop_vars[inner.iter]
    ib, jb = B.loop_vars[outer.iter], B.loop_vars[inner.iter]
    order = conj(Compare("<", ia, ib), Compare(">", ja, jb))
    i, j = outer.iter.name, inner.iter.name
    sits = []
    for a, b in _pairs(A.accesses, B.accesses):
        f = conj(context, a.domain, b.domain, same_location(a, b), order)

        def explain(vals, a=a, b=b):
            first = _iteration_text([(i, ia), (j, ja)], vals)
            later = _iteration_text([(i, ib), (j, jb)], vals)
            return (f"iteration {first} {access_text(a, vals)} and iteration {later} "
                    f"{access_text(b, vals)}; swapping the loops would reorder them")
        sits.append((f, explain))
    return must_not_happen(primitive, "the loops' iterations must allow interchanging them",
                           sits,
                           (outer.srcinfo, inner.srcinfo))


def loop_fissionable(primitive: str, loop: ir.For, pre: list, post: list, context: Formula,
                     windows: dict | None = None) -> tuple:
    """Splitting ``loop`` into a loop over ``pre`` then a loop over ``post``:
    no iteration of ``post`` may conflict with a later iteration of ``pre``
    (the split runs every ``pre`` before every ``post``)."""
    A = collect_accesses([loop.update(body=post)], windows=windows)
    B = collect_accesses([loop.update(body=pre)], windows=windows)
    ia, ib = A.loop_vars[loop.iter], B.loop_vars[loop.iter]
    order = Compare("<", ia, ib)
    i = loop.iter.name
    sits = []
    for a, b in _pairs(A.accesses, B.accesses):
        f = conj(context, a.domain, b.domain, same_location(a, b), order)

        def explain(vals, a=a, b=b):
            return (f"iteration {i}={_value_text(ia, vals)} of the statements after the "
                    f"cut {access_text(a, vals)}, and the later iteration "
                    f"{i}={_value_text(ib, vals)} of the statements before the cut "
                    f"{access_text(b, vals)}; fission would reorder them")
        sits.append((f, explain))
    return must_not_happen(primitive, "no iteration after the cut may depend on a later "
                           "iteration before it", sits,
                           _srcinfos([loop] + list(pre) + list(post)))


def iterations_independent(primitive: str, loop: ir.For, context: Formula,
                           windows: dict | None = None,
                           reductions_conflict: bool = False) -> tuple:
    """No two distinct iterations of ``loop`` conflict. Reductions into one
    location commute, so they do not conflict, except with
    ``reductions_conflict`` (iterations that run at the same time, where two
    unsynchronised ``+=`` race)."""
    A = collect_accesses([loop], windows=windows)
    B = collect_accesses([loop], windows=windows)
    ia, ib = A.loop_vars[loop.iter], B.loop_vars[loop.iter]
    i = loop.iter.name
    sits = []
    for a, b in _pairs(A.accesses, B.accesses, reductions_conflict):
        f = conj(context, a.domain, b.domain, same_location(a, b), Compare("<", ia, ib))

        def explain(vals, a=a, b=b):
            return (f"iteration {i}={_value_text(ia, vals)} {access_text(a, vals)} and "
                    f"iteration {i}={_value_text(ib, vals)} {access_text(b, vals)}; "
                    "the iterations are not independent")
        sits.append((f, explain))
    return must_not_happen(primitive, "the iterations must be independent", sits,
                           (loop.srcinfo,))


def block_idempotent(primitive: str, stmts: list, context: Formula,
                     windows: dict | None = None) -> tuple:
    """Running ``stmts`` twice in a row has the effect of running them once.

    Sufficient condition (buffers allocated inside the block are fresh each
    time and ignored): no reduction into an outside buffer, and no outside
    location is both written and read by the block."""
    A = collect_accesses(stmts, windows=windows)
    B = collect_accesses(stmts, windows=windows)
    sits = []
    for a in A.accesses:
        if a.local or a.kind != REDUCE:
            continue

        def explain(vals, a=a):
            return (f"the code {access_text(a, vals)}, so running it twice would add "
                    "twice; it is not idempotent")
        sits.append((conj(context, a.domain), explain))
    for a in A.accesses:
        if a.local or a.kind != WRITE:
            continue
        for b in B.accesses:
            if b.local or b.kind != READ or b.buffer != a.buffer:
                continue
            f = conj(context, a.domain, b.domain, same_location(a, b))

            def explain(vals, a=a, b=b):
                return (f"the code {access_text(a, vals)} and {access_text(b, vals)}, so "
                        "running it twice could change the result; it is not idempotent")
            sits.append((f, explain))
    return must_not_happen(primitive, "the code must be idempotent", sits,
                           _srcinfos(stmts))


def block_untouched_by(primitive: str, loop: ir.For, pre: list, post: list, context: Formula,
                       windows: dict | None = None) -> tuple:
    """No iteration of ``post`` (inside ``loop``) writes or adds to a
    location that some iteration of ``pre`` reads or writes (``post`` may
    read what ``pre`` writes). With ``pre`` idempotent and independent of
    the iterator, every run of ``pre`` then writes the same values, so
    ``for i: (pre; post)`` equals ``for i: pre`` followed by ``for i: post``."""
    A = collect_accesses([loop.update(body=post)], windows=windows)
    B = collect_accesses([loop.update(body=pre)], windows=windows)
    ia, ib = A.loop_vars[loop.iter], B.loop_vars[loop.iter]
    i = loop.iter.name
    sits = []
    for a in A.accesses:
        if a.local or a.kind == READ:
            continue
        for b in B.accesses:
            if b.local or b.buffer != a.buffer:
                continue
            f = conj(context, a.domain, b.domain, same_location(a, b))

            def explain(vals, a=a, b=b):
                return (f"iteration {i}={_value_text(ia, vals)} of the statements after the "
                        f"cut {access_text(a, vals)}, which iteration "
                        f"{i}={_value_text(ib, vals)} of the statements before the cut "
                        f"{'writes' if b.kind == WRITE else 'reads'}")
            sits.append((f, explain))
    return must_not_happen(primitive, "the statements after the cut must not change what the "
                           "statements before it access", sits,
                           _srcinfos([loop] + list(pre) + list(post)))
