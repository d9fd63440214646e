from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

@proc
def foo(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i] = 2.0

print(divide_loop(foo, "i", 4, ["io", "ii"], tail="cut_and_guard"))
print(divide_loop(foo, "i", 4, ["io", "ii"], tail="guard"))
