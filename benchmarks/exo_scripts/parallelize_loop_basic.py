from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

@proc
def foo(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i] = 2.0

print(parallelize_loop(foo, "i"))
