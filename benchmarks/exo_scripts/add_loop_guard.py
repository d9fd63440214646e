from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def foo(x: i8[4]):
    x[0] = 1.0

print(add_loop(foo, foo.body(), "k", 4, guard=True))
