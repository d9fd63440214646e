from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: i8[n, n]):
    for i in seq(0, n):
        for j in seq(0, i):
            x[i, j] = 1.0

print(reorder_loops(foo, "i j"))
