from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: i8[4, 8]):
    for i in seq(0, 4):
        for j in seq(0, 8):
            x[i, j] = 1.0

print(mult_loops(foo, "i j", "k"))
