from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def two(n: size, x: i8[n], y: i8[n]):
    for i in seq(0, n):
        x[i] = y[i]

@proc
def bar(n: size, z: i8[n]):
    two(n, z, z)
