from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, m: size, x: f32[n, m]):
    for i in seq(0, n):
        for j in seq(0, m):
            x[i, j] = 0.0

outer = foo.find_loop("i")
inner = foo.find_loop("j")
body = outer.body()
gap = outer.body()[0].after()
p = reorder_loops(foo, outer)
print(p.forward(outer))
print(p.forward(inner))
print(p.forward(body))
print(p.forward(gap).anchor())
print(p.forward(outer.hi()).parent())
