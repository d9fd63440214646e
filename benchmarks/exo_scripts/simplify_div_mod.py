from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: i8[4 * n + 8]):
    for i in seq(0, n):
        for j in seq(0, 4):
            x[(4 * i + j) / 4 * 4 + (4 * i + j) % 4] = 1.0
            x[(i * 4 + 3 + j) / 2] = 2.0

print(simplify(foo))
