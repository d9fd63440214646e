from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

@proc
def foo(x: f32[8]):
    for i in seq(0, 2):
        for j in seq(0, 2):
            x[2 * i + j] = 1.0 + 2.0

p = unroll_loops(foo)
print(p)
print(cleanup(p))
