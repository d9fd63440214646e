from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@config
class CFG:
    j: index

@proc
def foo(n: size, x: i8[n]):
    for i in seq(0, n):
        CFG.j = 0
        x[i] = 1.0
    for k in seq(0, n):
        CFG.j = 0
        x[k] = 2.0

print(fuse(foo, foo.find_loop("i"), foo.find_loop("k")))
