from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: i8[n + 8]):
    for i in seq(0, 4):
        x[i] = 1.0

p = shift_loop(foo, foo.find_loop("i"), "n + 2")
print(p)
print(simplify(p))
