from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(a: f32, b: f32, c: f32, x: f32[4]):
    for i in seq(0, 4):
        x[i] = a * (b * c) + x[i]

p = commute_expr(foo, [foo.find("a * (b * c) + x[i]")])
print(p)
p = left_reassociate_expr(p, p.find("a * (b * c)"))
print(p)
