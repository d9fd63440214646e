from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[8], y: f32[8]):
    a: f32[8]
    for i in seq(0, 8):
        a[i] = x[i]
    for i in seq(0, 8):
        x[i] = a[i] * 2.0
    b: f32[8]
    for i in seq(0, 8):
        b[i] = y[i]
    for i in seq(0, 8):
        y[i] = b[i] + 1.0

print(reuse_buffer(foo, "a", "b"))
