from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: i8[3]):
    for i in seq(0, 3):
        x[i] = 1.0

print(unroll_loop(foo, foo.find_loop("i")))
