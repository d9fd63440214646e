from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(K: size, x: i8[4], y: i8[K]):
    for k in seq(0, K / 4):
        x[0] = 1.0
        y[k] = 2.0

print(autofission(foo, foo.find("x[_] = _").after()))
