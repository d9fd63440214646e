from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[4], y: f32):
    y = 0.0
    for i in seq(0, 4):
        y += 2.0 * x[i]

print(lift_reduce_constant(foo, foo.find("y = _").expand(0, 1)))
