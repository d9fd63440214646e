from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[4], y: f32[4]):
    for i in seq(0, 4):
        t: f32
        t = y[i] * 2.0
        x[i] = t + 1.0

print(inline_assign(foo, foo.find("t = _")))
