from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@config
class CFG:
    s: f32
    j: index

@proc
def foo(x: f32[8], scale: f32):
    for i in seq(0, 8):
        x[i] = x[i] * scale

p = bind_config(foo, foo.find("scale"), CFG, "s")
print(p)
p = write_config(p, p.find_loop("i").before(), CFG, "j", "2")
print(p)
p = delete_config(p, p.find("CFG.j = _"))
print(p)
