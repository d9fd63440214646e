"""Parallel loops: parallelize_loop.

The loop becomes a ``par`` loop, which compiles to OpenMP's
``#pragma omp parallel for``. As in Exo, the rewrite itself is not checked:
whether the iterations may run at the same time is checked when the
procedure is compiled (`exo_core.analysis.parallel`), and a loop whose
iterations may race is refused there with a ``TypeError`` at the loop.
"""

from __future__ import annotations

from exo_core.cursors.proc_editor import ProcEditor
from exo_core.procedure import Procedure
from exo_core.primitives.arguments import Loop
from exo_core.primitives.signature import primitive

__all__ = ["parallelize_loop"]


@primitive(loop_cursor=Loop())
def parallelize_loop(proc: Procedure, loop_cursor) -> Procedure:
    """Run the iterations of a loop in parallel (OpenMP)::

        for i in seq(0, n):          parallelize_loop(p, "i")
            y[i] = 2.0 * x[i]  -->   for i in par(0, n):
                                         y[i] = 2.0 * x[i]

    The loop's cursor, and every cursor into its body, stays valid.
    """
    ed = ProcEditor(proc)
    ed.update(loop_cursor, loop_mode="par")
    return ed.finish()
