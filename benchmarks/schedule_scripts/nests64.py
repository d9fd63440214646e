"""Scaling: 64 loop nests, each divided, reordered and unrolled; then
simplify and C generation. The procedure text is produced by
`bench_schedules.py` (SOURCE below is filled in there)."""
from __future__ import annotations

from exo import proc
from exo.stdlib.scheduling import divide_loop, reorder_loops, simplify, unroll_loop

NESTS = 64

# BEGIN GENERATED
# END GENERATED


def schedule():
    p = nests
    for k in range(NESTS):
        p = divide_loop(p, p.find_loop(f"i{k}"), 4, [f"io{k}", f"ii{k}"], perfect=True)
        p = reorder_loops(p, p.find_loop(f"ii{k}"))
        p = unroll_loop(p, p.find_loop(f"ii{k}"))
    p = simplify(p)
    return [p]
