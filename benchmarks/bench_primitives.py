"""Time each scheduling primitive on procedures of growing size.

    python benchmarks/bench_primitives.py [--sizes 1,4,16]

A procedure of size ``s`` has ``s`` consecutive loop nests (each a 2-deep
nest with four statements); every primitive is applied to the middle nest,
so the timings show how the cost grows with the rest of the procedure (it
should stay flat: analyses look at the rewritten loop and its context only).
Each figure is the best of 3 runs, in milliseconds, with verifier caches
cleared before every run.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from primitive_timing import print_table  # noqa: E402

from exo_core.api import proc_from_source
from exo_stdlib.scheduling import (add_loop, add_unsafe_guard, autofission, cut_loop,
                                   delete_pass, divide_loop, divide_with_recompute,
                                   eliminate_dead_code, fission, fuse, insert_pass, join_loops,
                                   lift_scope, mult_loops, remove_loop, rename, reorder_loops,
                                   reorder_stmts, shift_loop, simplify, specialize, unroll_loop)


def make_proc(nests: int):
    # (one extra nest so that the middle one always has a next one, for fuse)
    d = nests + 1
    lines = [f"def big(n: size, x: f32[{d}, 8, 8], y: f32[{d}, 8, 8], "
             f"z: f32[{d}, 8, 8], w: f32[{d}, 8, 8]):"]
    for k in range(nests + 1):
        lines += [
            f"    for i in seq(0, 8):",
            f"        for j in seq(0, 8):",
            f"            x[{k}, i, j] = y[{k}, i, j] * 2.0",
            f"            z[{k}, i, j] = x[{k}, i, j] + y[{k}, j, i]",
            f"            w[{k}, i, j] = z[{k}, i, j] * 0.5",
        ]
    return proc_from_source("\n".join(lines) + "\n")


def cases(p, mid):
    """name -> thunk applying the primitive to the middle nest."""
    loop = p.find_loop(f"i #{mid}")
    inner = loop.body()[0]
    first = inner.body()[0]
    return {
        "divide_loop(perfect)": lambda: divide_loop(p, loop, 4, ["io", "ii"], perfect=True),
        "divide_loop(guard)": lambda: divide_loop(p, loop, 3, ["io", "ii"]),
        "divide_with_recompute": lambda: divide_with_recompute(p, inner, 3, 2, ["jo", "ji"]),
        "mult_loops": lambda: mult_loops(p, loop, "k"),
        "cut_loop": lambda: cut_loop(p, loop, 3),
        "cut_loop+join_loops": lambda: _cut_join(p, loop),
        "shift_loop": lambda: shift_loop(p, loop, 2),
        "reorder_loops": lambda: reorder_loops(p, loop),
        "fission(n_lifts=2)": lambda: fission(p, first.after(), n_lifts=2),
        "autofission": lambda: autofission(p, first.after()),
        "add_loop": lambda: add_loop(p, loop, "q", 2),
        "add_loop+remove_loop": lambda: _add_remove(p, loop),
        "unroll_loop": lambda: unroll_loop(p, inner),
        "add_loop(guard)": lambda: add_loop(p, loop, "q", 2, guard=True),
        "lift_scope": lambda: lift_scope(p, inner),
        "fuse": lambda: fuse(p, loop, loop.next()),
        "reorder_stmts": lambda: reorder_stmts(p, loop.expand(0, 1)),
        "specialize": lambda: specialize(p, loop, "n > 4"),
        "add_unsafe_guard+eliminate_dead_code": lambda: _guard_eliminate(p, loop),
        "insert_pass+delete_pass": lambda: delete_pass(insert_pass(p, first.after())),
        "rename": lambda: rename(p, "big2"),
        "simplify (whole proc)": lambda: simplify(p),
    }


def _guard_eliminate(p, loop):
    q = add_unsafe_guard(p, loop, "n > 0")
    return eliminate_dead_code(q, q.forward(loop).parent())


def _cut_join(p, loop):
    q = cut_loop(p, loop, 3)
    c = q.forward(loop)
    return join_loops(q, c, c.next())


def _add_remove(p, loop):
    q = add_loop(p, loop, "q", 2)
    return remove_loop(q, q.find_loop("q"))


def main() -> None:
    print_table(make_proc, cases, width=38)


if __name__ == "__main__":
    main()
