from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: f32[n, 8]):
    for i in seq(0, n):
        for j in seq(0, 8):
            x[i, j] = x[i, j] + 1.0

p, sub = extract_subproc(foo, foo.find_loop("j"), "row_inc")
print(p)
print(sub)
print(inline(p, p.find("row_inc(_)")))
