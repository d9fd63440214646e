from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: i8[n], y: i8[n]):
    for i in seq(0, n):
        if i < 5:
            x[i] = 3.0
        elif i < 8:
            x[i] = 1.0
            y[i] = 2.0
        else:
            x[i] = 0.0

print(fission(foo, foo.find("x[_] = 1.0").after(), n_lifts=3))
