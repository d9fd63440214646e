"""Schedule helpers that sequence other schedules (Exo's
``exo.stdlib.scheduling``): repeat one, run a list of them, lift an if
several levels, built only from public primitives and cursors::

    repeat(lift_scope)(p, "for k in _: _")        # lift the k loop as far as it goes
    sched_seq(p, [simplify, cleanup])
    lift_if(p, p.find("if _: _"), n_lifts=2)
"""

from __future__ import annotations

import functools
from typing import Callable, Optional

from exo_core.errors import SchedulingError
from exo_core.procedure import Procedure
from exo_core.primitives.lift_scope import lift_scope
from exo_core.user_frame import scheduling_error, user_entry

__all__ = ["repeat", "sched_seq", "loop_hack", "lift_if"]

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


def sched_seq(proc: Procedure, sched_list) -> Procedure:
    """Apply each scheduling function of ``sched_list`` (each ``proc -> proc``)
    in turn::

        sched_seq(p, [lambda p: divide_loop(p, "i", 2, ["io", "ii"], perfect=True), simplify])
    """
    for sched in sched_list:
        if not callable(sched):
            raise scheduling_error(f"sched_seq: expected scheduling functions, got {type(sched).__name__}")
        proc = sched(proc)
    return proc


def loop_hack(sched: Schedule, find_func: Callable, verbose: bool = False) -> Schedule:
    """A scheduling function that applies ``sched`` to each cursor
    ``find_func(proc)`` returns, each forwarded to the procedure made so far
    (Exo marks it deprecated: it predates cursor forwarding)::

        loop_hack(divide_loop, lambda p: p.find_loop("i", many=True))(p, 2, ["io", "ii"], perfect=True)
    """

    @functools.wraps(sched)
    def hacked(proc: Procedure, *args, **kwargs) -> Procedure:
        found = find_func(proc)
        for k, c in enumerate(found):
            if verbose:
                print(f"loop_hack: applying {getattr(sched, '__name__', 'sched')} to match {k}")
            proc = sched(proc, proc.forward(c), *args, **kwargs)
        return proc

    return hacked


@user_entry
def lift_if(proc: Procedure, cursor, n_lifts: int = 1) -> Procedure:
    """Move the if statement ``cursor`` upwards through ``n_lifts`` enclosing
    loops or ifs (`lift_scope` ``n_lifts`` times)::

        for i in seq(0, 8):               if p:
            if p:                 ->          for i in seq(0, 8):
                s1                                s1
            else:                         else:
                s2                            for i in seq(0, 8):
                                                  s2
    """
    if not isinstance(n_lifts, int) or isinstance(n_lifts, bool) or n_lifts < 0:
        raise scheduling_error(f"lift_if: n_lifts must be a non-negative integer, got {n_lifts!r}")
    if isinstance(cursor, str):
        cursor = proc.find(cursor)
    for done in range(n_lifts):
        try:
            proc = lift_scope(proc, cursor)
        except SchedulingError as e:
            left = n_lifts - done
            raise scheduling_error(f"lift_if: Could not fully lift if statement! {left} lift(s) remain! "
                                   f"{e.message}") from e
        cursor = proc.forward(cursor)
    return proc
