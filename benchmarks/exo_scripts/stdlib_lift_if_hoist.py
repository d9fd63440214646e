from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

@proc
def foo(n: size, x: f32[n], y: f32[4]):
    for i in seq(0, n):
        for j in seq(0, 4):
            if n > 8:
                x[i] = 1.0

p = lift_if(foo, foo.find("if _: _"), n_lifts=2)
print(p)

@proc
def bar(n: size, x: f32[n], y: f32[4]):
    for i in seq(0, n):
        y[0] = 2.0
        x[i] = 1.0

print(hoist_from_loop(bar, bar.find_loop("i")))
