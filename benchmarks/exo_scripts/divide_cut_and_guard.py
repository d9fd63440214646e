from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(n: size, x: i8[n]):
    for i in seq(0, n):
        x[i] = 1.0

print(divide_loop(foo, foo.find_loop("i"), 4, ["io", "ii"], tail="cut_and_guard"))
