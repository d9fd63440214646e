from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: i8[n, n]):
    for i in seq(0, n):
        a: i8[i + 1]
        for k in seq(0, i + 1):
            a[k] = 1.0
    for j in seq(0, n):
        b: i8[j + 1]
        for k in seq(0, j + 1):
            b[k] = 2.0
            x[j, k] = b[k]

print(fuse(foo, foo.find_loop("i"), foo.find_loop("j")))
