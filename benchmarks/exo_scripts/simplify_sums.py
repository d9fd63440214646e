from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, m: size, x: i8[n + m + 20]):
    for i in seq(0, n):
        x[2 + i + m - 1 + 3] = 1.0
        x[i + i + 1 - i] = 2.0

print(simplify(foo))
