from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: f32[n], y: f32[n]):
    for i in seq(0, n):
        x[i] = 1.0
        y[i] = x[i] + 2.0
    for j in seq(0, n):
        x[j] = 0.0

c = foo.find("y[i] = _")
print(c)
print(c.parent())
print(c.prev())
print(c.parent().next())
print(c.parent().body())
print(foo.find_loop("j").body()[0])
print(c.expand(1, 0))
print(foo.args()[1].name(), len(foo.args()[1].shape()))
