from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

@proc
def conv1d(n: size, x: f32[n + 2], w: f32[3], y: f32[n]):
    assert n % 4 == 0
    for i in seq(0, n):
        y[i] = 0.0
        for r in seq(0, 3):
            y[i] += x[i + r] * w[r]

p = divide_loop(conv1d, "i", 4, ["io", "ii"], perfect=True)
p = fission(p, p.find("y[_] = 0.0").after())
p = reorder_loops(p, "ii r")
print(p)
p = stage_mem(p, p.find_loop("r"), "x[4 * io:4 * io + 6]", "xs")
p = simplify(p)
print(p)
p = unroll_loop(p, "r")
print(simplify(p))
