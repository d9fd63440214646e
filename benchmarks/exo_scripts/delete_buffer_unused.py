from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[8]):
    a: f32[8]
    for i in seq(0, 8):
        x[i] = 1.0

print(delete_buffer(foo, "a"))
