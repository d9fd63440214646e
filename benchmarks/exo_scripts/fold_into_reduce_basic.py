from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[4], y: f32[4]):
    for i in seq(0, 4):
        x[i] = x[i] + y[i]

print(fold_into_reduce(foo, foo.find("x[i] = _")))
