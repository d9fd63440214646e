from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[2]):
    a: f32[2]
    a[0] = x[0]
    a[1] = x[1]
    x[0] = a[1]
    x[1] = a[0]

print(unroll_buffer(foo, "a", 0))
