from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[8, 8]):
    w = x[2, 0:8]
    for i in seq(0, 8):
        w[i] = 1.0

print(inline_window(foo, foo.find("w = _")))
