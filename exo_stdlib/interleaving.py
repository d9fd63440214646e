"""interleave_loop (Exo's ``exo.stdlib.stdlib``): unroll a loop keeping the
copies of each statement together, optionally with one partial sum per copy
of each reduction (`parallelize_reduction`)::

    p = interleave_loop(p, p.find_loop("i"), 4)
    p = interleave_loop(p, p.find_loop("i"), 4, par_reduce=True)
"""

from __future__ import annotations

from exo_core.cursors import ReduceCursor
from exo_core.ir.memory import DRAM
from exo_core.procedure import Procedure
from exo_core.primitives.loops import divide_loop, unroll_loop
from exo_core.user_frame import user_entry
from exo_stdlib.loop_helpers import as_loop, check_factor, err, fission_between
from exo_stdlib.vectorizing import parallelize_reduction

__all__ = ["interleave_loop"]


@user_entry
def interleave_loop(proc: Procedure, loop, factor=None, par_reduce: bool = False,
                    memory=DRAM, tail: str = "cut"):
    """Unroll ``loop`` by ``factor`` (fully when None), keeping the copies of
    each statement together::

        for i in seq(0, 8):               for io in seq(0, 4):
            x[i] = 1.0           ->           x[2 * io] = 1.0
            y[i] = 2.0                        x[2 * io + 1] = 1.0
                                              y[2 * io] = 2.0
                                              y[2 * io + 1] = 2.0

    The remainder goes to a tail loop (``tail``: "cut" or "cut_and_guard").
    With ``par_reduce=True`` each reduction first gets one partial sum per
    copy (`parallelize_reduction`, the sums in ``memory``).
    """
    loop = as_loop(proc, loop, "interleave_loop")
    if par_reduce and factor is None:
        raise err("interleave_loop", "par_reduce=True needs a factor")
    if tail not in ("cut", "cut_and_guard"):
        raise err("interleave_loop", f"Unknown tail strategy: {tail}")
    if factor is None:
        body_loop = loop
    else:
        check_factor(factor, "interleave_loop")
        name = loop.name()
        proc = divide_loop(proc, loop, factor, [name + "o", name + "i"], tail=tail)
        body_loop = proc.forward(loop).body()[0]
    stmts = list(body_loop.body())
    if par_reduce:
        # one partial sum per copy of each reduction (parallelize_reduction)
        for s in stmts:
            if isinstance(proc.forward(s), ReduceCursor):
                proc = parallelize_reduction(proc, proc.forward(s), memory=memory, nth_loop=2,
                                             unroll=True)
        body_loop = proc.forward(stmts[0]).parent()
    proc = fission_between(proc, body_loop)
    for s in stmts:
        proc = unroll_loop(proc, proc.forward(s).parent())
    return proc
