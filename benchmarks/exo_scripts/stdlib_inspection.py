from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

@proc
def foo(n: size, x: f32[n, 4]):
    for i in seq(0, n):
        for j in seq(0, 4):
            x[i, j] = 1.0

c = foo.find("x[_] = _")
print(get_enclosing_loop(foo, c))
print(get_enclosing_loop(foo, c, 2))
print(get_inner_loop(foo, foo.find_loop("i")))
print(get_depth(foo, c))
print(is_loop(foo, foo.find_loop("i")), is_assign(foo, c), is_reduce(foo, c))
print([str(s) for s in nlr_stmts(foo)])
print([str(s) for s in lrn_stmts(foo)])
print(sorted(get_symbols(foo, c)))
