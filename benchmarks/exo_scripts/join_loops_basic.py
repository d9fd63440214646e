from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: i8[n + 4]):
    for i in seq(0, n):
        x[i] = 1.0
    for i in seq(n, n + 4):
        x[i] = 1.0

print(join_loops(foo, foo.find_loop("i"), foo.find_loop("i #1")))
