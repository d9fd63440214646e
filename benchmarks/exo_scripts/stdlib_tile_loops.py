from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

@proc
def foo(n: size, m: size, x: f32[n, m]):
    assert n % 4 == 0
    assert m % 8 == 0
    for i in seq(0, n):
        for j in seq(0, m):
            x[i, j] = 1.0

p, loops = tile_loops(foo, [(foo.find_loop("i"), 4), (foo.find_loop("j"), 8)], perfect=True)
print(p)
print(loops[1])
