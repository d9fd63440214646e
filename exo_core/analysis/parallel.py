"""Parallel loops must not race.

A ``par`` loop compiles to ``#pragma omp parallel for``: its iterations run
at the same time, unsynchronised. Code generation therefore refuses a
parallel loop two of whose iterations touch one location when at least one
of them writes or reduces into it (two ``+=`` into a shared sum race as well),
as Exo does; the error is a ``TypeError`` (`ParallelRaceError`) at the loop,
with a witness::

    for i in par(0, n):
        s += x[i]        # iteration i=0 reduces into s and iteration i=1 too

Buffers allocated inside the loop body are private to an iteration and never
race.
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.errors import ExoTypeError
from exo_core.analysis.effects import windows_in_scope
from exo_core.analysis.dependence import iterations_independent
from exo_core.analysis.logic_partial import context_at
from exo_core.analysis.obligations import discharge


class ParallelRaceError(ExoTypeError):
    """The iterations of a parallel loop may race (a ``TypeError``, as in Exo)."""


def _par_loops(block, owner: tuple, field: str):
    for k, s in enumerate(block):
        steps = owner + ((field, k),)
        if isinstance(s, ir.For) and s.loop_mode == "par":
            yield steps, s
        for f in type(s).block_fields:
            yield from _par_loops(getattr(s, f), steps, f)


def check_parallel_loops(root: ir.ProcIR) -> None:
    """Raise `ParallelRaceError` at the first parallel loop of ``root`` whose
    iterations are not proven free of races."""
    windows = None
    for steps, loop in _par_loops(root.body, (), "body"):
        if windows is None:
            windows = windows_in_scope(root)
        context, _ = context_at(root, steps)
        for ob in iterations_independent("parallel loop", loop, context, windows,
                                         reductions_conflict=True):
            out = discharge(ob)
            if out.status == "proved":
                continue
            why = (out.message if out.status == "failed" else
                   f"the verifier could not prove them independent ({out.reason})")
            raise ParallelRaceError(
                f"the iterations of parallel loop {loop.iter.name} may race, so it cannot "
                f"run in parallel: {why}", loop.srcinfo)
