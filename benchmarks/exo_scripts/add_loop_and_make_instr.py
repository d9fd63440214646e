from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

@proc
def foo(x: f32[4]):
    x[0] = 1.0

p = add_loop(foo, foo.find("x[0] = _"), "i", 4, guard=True)
print(p)
q = make_instr(foo, "{x_data}[0] = 1.0f;")
print(q)
