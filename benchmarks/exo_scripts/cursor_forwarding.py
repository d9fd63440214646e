from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i] = 1.0

c = foo.find("x[i] = _")
p = divide_loop(foo, foo.find_loop("i"), 4, ["io", "ii"], tail="cut")
print(p.forward(c))
print(p.forward(foo.find_loop("i")))
print(p.find_loop("ii #1"))
