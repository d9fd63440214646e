from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[16]):
    a: f32[32]
    for i in seq(0, 16):
        a[i + 4] = x[i]
    for i in seq(0, 16):
        x[i] = a[i + 4]

p = resize_dim(foo, "a", 0, 16, 4)
print(p)
p = divide_dim(p, "a", 0, 4)
print(p)
p = mult_dim(p, "a", 0, 1)
print(p)
