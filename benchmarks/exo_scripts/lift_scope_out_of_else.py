from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: i8[n]):
    for i in seq(0, n):
        if n > 3:
            x[i] = 1.0
        else:
            for j in seq(0, 4):
                x[i] = 3.0

print(lift_scope(foo, foo.find_loop("j")))
