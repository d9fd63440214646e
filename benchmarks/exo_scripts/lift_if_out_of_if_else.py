from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, m: size, x: i8[n]):
    if n > 3:
        if m > 2:
            x[0] = 1.0
    else:
        x[0] = 3.0

print(lift_scope(foo, foo.find("if m > 2: _")))
