"""Time each buffer primitive on procedures of growing size.

    python benchmarks/bench_buffers.py [--sizes 1,4,16,64]

A procedure of size ``s`` has ``s`` consecutive loop nests, each with its own
temporary buffer ``t<k>: f32[8, 8]`` (allocated inside the outer loop for
`lift_alloc`, with a row staged through it); every primitive is applied to
the middle nest, so the figures show how the cost grows with the rest of the
procedure. Best of 3 runs, milliseconds, verifier caches cleared before each.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from primitive_timing import print_table  # noqa: E402

from exo_core.api import proc_from_source  # noqa: E402
from exo_codegen.memories import DRAM_STATIC  # noqa: E402
from exo_stdlib.scheduling import (delete_buffer, divide_dim, expand_dim,  # noqa: E402
                                   inline_window, lift_alloc, mult_dim, rearrange_dim,
                                   resize_dim, reuse_buffer, set_memory, set_precision,
                                   set_window, sink_alloc, stage_mem, unroll_buffer)


def make_proc(nests: int):
    d = nests + 1
    lines = [f"def big(n: size, x: f32[{d}, 8, 8], y: f32[{d}, 8, 8]):"]
    for k in range(d):
        lines += [
            "    for i in seq(0, 8):",
            f"        t{k}: f32[2, 8] @ DRAM",
            f"        w{k} = y[{k}, i, 0:8]",
            "        for j in seq(0, 8):",
            f"            t{k}[0, j] = x[{k}, i, j] * 2.0",
            f"            t{k}[1, j] = w{k}[j] + 1.0",
            f"            y[{k}, i, j] = t{k}[0, j] + t{k}[1, j]",
            f"        u{k}: f32[2, 8] @ DRAM",
            "        for j in seq(0, 8):",
            f"            u{k}[0, j] = y[{k}, i, j]",
            f"            x[{k}, i, j] = u{k}[0, j]",
        ]
    return proc_from_source("\n".join(lines) + "\n")


def cases(p, mid):
    """name -> thunk applying the primitive to the middle nest."""
    loop = p.find_loop(f"i #{mid}")
    t, u = f"t{mid} : _", f"u{mid} : _"
    inner = loop.body()[2]
    return {
        "stage_mem(row)": lambda: stage_mem(p, inner, f"x[{mid}, i, 0:8]", "xs"),
        "stage_mem(element)": lambda: stage_mem(p, inner.body()[2], f"y[{mid}, i, j]", "ys"),
        "lift_alloc": lambda: lift_alloc(p, t),
        "sink_alloc": lambda: sink_alloc(lift_alloc(p, t), t),
        "expand_dim": lambda: expand_dim(p, t, 8, "i"),
        "resize_dim": lambda: resize_dim(p, t, 1, 8, 0),
        "resize_dim(fold)": lambda: resize_dim(p, u, 1, 8, 0, fold=True),
        "rearrange_dim": lambda: rearrange_dim(p, t, [1, 0]),
        "divide_dim": lambda: divide_dim(p, t, 1, 4),
        "mult_dim": lambda: mult_dim(p, t, 1, 0),
        "unroll_buffer": lambda: unroll_buffer(p, t, 0),
        "reuse_buffer": lambda: reuse_buffer(p, f"t{mid}", f"u{mid}"),
        "delete_buffer (refused: used)": lambda: delete_buffer(p, u),
        "inline_window": lambda: inline_window(p, f"w{mid} = _"),
        "set_window": lambda: set_window(p, "x", True),
        "set_memory": lambda: set_memory(p, t, DRAM_STATIC),
        "set_precision": lambda: set_precision(p, t, "f64"),
    }


def main() -> None:
    print_table(make_proc, cases, width=34)


if __name__ == "__main__":
    main()
