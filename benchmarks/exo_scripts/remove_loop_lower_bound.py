from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: i8[5]):
    for j in seq(0, 5):
        for k in seq(j, 4):
            x[j] = 1.0

print(remove_loop(foo, foo.find_loop("k")))
