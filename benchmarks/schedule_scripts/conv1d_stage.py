"""The case study's conv1d: tile the output loops, stage the output tile,
then C generation."""
from __future__ import annotations

from exo import proc
from exo.stdlib.scheduling import divide_loop, reorder_loops, simplify, stage_mem


@proc
def generic_conv1d(data: i32[4, 16], kernels: i32[16, 4, 4], out: i32[16, 16]):
    for i in seq(0, 16):
        for j in seq(0, 16):
            out[i, j] = 0.0
            for c in seq(0, 4):
                for r in seq(0, 4):
                    y: i32
                    if j + r < 16:
                        y = data[c, j + r]
                    else:
                        y = 0
                    out[i, j] += kernels[i, c, r] * y


def schedule():
    p = divide_loop(generic_conv1d, "i", 4, ["io", "ii"], perfect=True)
    p = divide_loop(p, "j", 4, ["jo", "ji"], perfect=True)
    p = reorder_loops(p, "ii jo")
    p = stage_mem(p, p.find_loop("ii"), "out[4 * io:4 * io + 4, 4 * jo:4 * jo + 4]", "out_tile")
    p = simplify(p)
    return [p]
