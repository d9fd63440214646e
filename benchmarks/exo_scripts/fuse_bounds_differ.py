from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def p(n: size, x: i8[n + 1]):
    for i in seq(0, n):
        x[i] = 2.0
    for j in seq(0, n + 1):
        x[j] = 3.0

print(fuse(p, p.find_loop("i"), p.find_loop("j")))
