from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: i8[n]):
    for i in seq(0, n):
        if i < 5:
            if i > 2:
                x[i] = 1.0
            else:
                x[i] = 2.0
        else:
            x[i] = 3.0

print(lift_scope(foo, foo.find("if i > 2: _")))
