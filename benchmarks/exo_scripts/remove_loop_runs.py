from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(K: size, x: i8[4]):
    assert K > 3
    for k in seq(0, K / 4):
        x[0] = 1.0

print(remove_loop(foo, foo.find_loop("k")))
