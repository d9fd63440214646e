from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[4], y: f32[4]):
    for i in seq(0, 4):
        x[i] = 0.0
        x[i] += y[i]

p = merge_writes(foo, foo.find("x[i] = _").expand(0, 1))
print(p)

@proc
def bar(x: f32[4], y: f32[4]):
    for i in seq(0, 4):
        x[i] = y[i] + 2.0

print(split_write(bar, bar.find("x[i] = _")))
