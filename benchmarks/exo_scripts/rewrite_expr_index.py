from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: f32[n]):
    assert n % 4 == 0
    for i in seq(0, n / 4 * 4):
        x[i] = 1.0

p = rewrite_expr(foo, foo.find_loop("i").hi(), "n")
print(p)
