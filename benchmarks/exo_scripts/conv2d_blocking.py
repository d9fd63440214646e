from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

@proc
def conv(H: size, W: size, x: f32[H + 2, W + 2], w: f32[3, 3], y: f32[H, W]):
    for h in seq(0, H):
        for ww in seq(0, W):
            for r in seq(0, 3):
                for s in seq(0, 3):
                    y[h, ww] += x[h + r, ww + s] * w[r, s]

p = divide_loop(conv, "ww", 4, ["wo", "wi"], tail="cut")
print(p)
p = reorder_loops(p, "wi r")
p = reorder_loops(p, "wi s")
print(p)
