"""Schedule helpers built only from public primitives and cursors.

Higher-order helpers take a scheduling function and return a new one, e.g.

    repeat(lift_scope)(p, "for k in _: _")   # lift the k loop as far as it goes
"""

from __future__ import annotations

import functools
from typing import Callable, Optional

from exo_core.errors import SchedulingError
from exo_core.procedure import Procedure
from exo_stdlib.staging import *  # noqa: F401,F403
from exo_stdlib.vectorizing import *  # noqa: F401,F403
from exo_stdlib.tiling import tile_loops, tile_loops_bottom_up  # noqa: F401
from exo_stdlib.auto_staging import auto_stage_mem, autolift_alloc  # noqa: F401
from exo_stdlib.analysis import check_call_mem_types, get_observed_stmts  # noqa: F401
from exo_stdlib.replacing import (call_site_mem_aware_replace, check_call_site,  # noqa: F401
                                  checked_replace, replace_all, replace_all_stmts, replace_once)

# A scheduling function: (proc, *args, **kwargs) -> proc.
Schedule = Callable[..., Procedure]


def repeat(sched: Schedule, n_times: Optional[int] = None, verbose: bool = False) -> Schedule:
    """A scheduling function that applies ``sched`` repeatedly with the same arguments.

    With ``n_times=None`` it applies ``sched`` until it raises a SchedulingError,
    TypeError or ValueError, and returns the last procedure it produced
    (``verbose=True`` prints the error that ended the repetition). With a positive
    int it applies ``sched`` exactly that many times and lets any error through.

        for i in seq(0, 4):                     for k in seq(0, 8):
            for j in seq(0, 4):                     for i in seq(0, 4):
                for k in seq(0, 8):     ->              for j in seq(0, 4):
                    x[i, j, k] = 0.0                        x[i, j, k] = 0.0
        # repeat(lift_scope)(p, "for k in _: _")
    """
    if n_times is not None and (not isinstance(n_times, int) or n_times < 1):
        raise TypeError("expected n_times to be None or a positive int")

    @functools.wraps(sched)
    def repeated_sched(proc: Procedure, *args, **kwargs) -> Procedure:
        if n_times is not None:
            for _ in range(n_times):
                proc = sched(proc, *args, **dict(kwargs))
            return proc
        while True:
            try:
                proc = sched(proc, *args, **dict(kwargs))
            except (SchedulingError, TypeError, ValueError) as err:
                if verbose:
                    print("repeat ended with error", err)
                return proc

    repeated_sched.__name__ = f"repeat_{getattr(sched, '__name__', 'sched')}"
    return repeated_sched
