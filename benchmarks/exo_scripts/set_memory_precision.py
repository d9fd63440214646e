from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

from exo.libs.memories import DRAM_STATIC
@proc
def foo(x: f32[8]):
    a: f32[8]
    for i in seq(0, 8):
        a[i] = x[i]
    for i in seq(0, 8):
        x[i] = a[i]

p = set_memory(foo, "a", DRAM_STATIC)
p = set_precision(p, "a", "i32")
p = set_precision(p, "x", "f64")
print(p)
