from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[8]):
    t: f32
    for i in seq(0, 8):
        t = x[i]
        x[i] = t * 2.0

print(sink_alloc(foo, foo.find("t: _")))
