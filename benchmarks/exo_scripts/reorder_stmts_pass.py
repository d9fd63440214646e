from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: f32[4], y: f32[4]):
    x[0] = 1.0
    y[0] = 2.0

p = reorder_stmts(foo, foo.find("x[0] = _").expand(0, 1))
print(p)
p = insert_pass(p, p.find("x[0] = _").after())
print(p)
print(delete_pass(p))
print(rename(p, "foo2"))
