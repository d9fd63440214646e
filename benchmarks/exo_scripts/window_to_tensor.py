from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: i8[1]):
    x[0] = 1.0

@proc
def bar(n: size, tmp: i8[n], m: i8[2, 4]):
    for i in seq(0, n):
        foo(tmp[i:i+1])

print(bar)
