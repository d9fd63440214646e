from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[4]):
    for i in seq(0, 4):
        if i < 8:
            x[i] = 1.0
        else:
            x[i] = 2.0
    for j in seq(0, 0):
        x[j] = 3.0

p = eliminate_dead_code(foo, foo.find("if _: _"))
print(p)
print(eliminate_dead_code(p, p.find_loop("j")))
