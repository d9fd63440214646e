from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: i8[n], y: i8[n]):
    for i in seq(0, n):
        x[i] = 1.0
        y[i] = 2.0

p = fission(foo, foo.find("x[_] = _").after())
print(p)
print(fuse(p, p.find_loop("i"), p.find_loop("i #1")))
