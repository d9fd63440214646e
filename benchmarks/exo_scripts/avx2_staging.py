from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *
from exo.stdlib.stdlib import *

from exo.libs.memories import AVX2
from exo.platforms.x86 import mm256_loadu_ps, mm256_storeu_ps, mm256_fmadd_ps, mm256_broadcast_ss
@proc
def saxpy(n: size, a: f32[1], x: f32[n], y: f32[n]):
    assert n % 8 == 0
    for i in seq(0, n):
        y[i] += a[0] * x[i]

p = divide_loop(saxpy, "i", 8, ["io", "ii"], perfect=True)
p = stage_mem(p, p.find_loop("ii"), "y[8 * io:8 * io + 8]", "yv")
p = bind_expr(p, p.find("x[_]"), "xv")
p = expand_dim(p, "xv", 8, "ii")
p = lift_alloc(p, "xv")
p = fission(p, p.find("xv[_] = _").after())
p = bind_expr(p, p.find("a[_]"), "av")
p = expand_dim(p, "av", 8, "ii")
p = lift_alloc(p, "av")
p = fission(p, p.find("av[_] = _").after())
p = simplify(p)
print(p)
for b in ["yv", "xv", "av"]:
    p = set_memory(p, b, AVX2)
p = replace(p, p.find_loop("i0"), mm256_loadu_ps)
p = replace(p, p.find_loop("ii"), mm256_loadu_ps)
p = replace(p, p.find_loop("ii"), mm256_broadcast_ss)
p = replace(p, p.find_loop("ii"), mm256_fmadd_ps)
p = replace(p, p.find_loop("i0"), mm256_storeu_ps)
print(p)
