from __future__ import annotations
from exo import proc, config
from exo.stdlib.scheduling import *

@proc
def take(x: f32[10]):
    x[0] = 0.0

@proc
def p(x: f32[2, 10]):
    take(x[0])

print(p)
