from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

from exo.platforms.x86 import mm256_loadu_ps, mm256_storeu_ps
@proc
def foo(x: f32[8], y: f32[8]):
    for i in seq(0, 8):
        y[i] = x[i]

from exo.libs.memories import AVX2
p = stage_mem(foo, foo.find_loop("i"), "x[0:8]", "xv")
p = set_memory(p, "xv", AVX2)
p = replace_all(p, [mm256_loadu_ps, mm256_storeu_ps])
print(p)
