"""The table that bench_primitives.py and bench_buffers.py print: each
primitive on procedures of growing size, best of 3 runs in milliseconds,
verifier caches cleared before every run; ``*`` marks a rewrite the
primitive's check rejected (timed all the same)."""

from __future__ import annotations

import argparse
import time

from exo_core import SchedulingError
from exo_verify import clear_caches


def print_table(make_proc, cases, width: int) -> None:
    """``make_proc(size)`` builds a procedure of ``size`` loop nests;
    ``cases(proc, middle)`` maps a primitive's name to a call applying it at
    nest ``middle``."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,4,16,64")
    sizes = [int(s) for s in ap.parse_args().sizes.split(",")]
    procs = {s: make_proc(s) for s in sizes}
    names = list(cases(procs[sizes[0]], 0))
    print(f"{'primitive':{width}}" + "".join(f"{s:>10}" for s in sizes) + "   (ms, nests)")
    for name in names:
        row = []
        for s in sizes:
            best = float("inf")
            for _ in range(3):
                clear_caches()
                fn = cases(procs[s], s // 2)[name]
                start = time.perf_counter()
                try:
                    fn()
                    mark = " "
                except SchedulingError:
                    mark = "*"
                best = min(best, time.perf_counter() - start)
            row.append(f"{best * 1e3:9.2f}{mark}")
        print(f"{name:{width}}" + "".join(row))
    print("* = the primitive's check rejected the rewrite (time to reject)")
