from __future__ import annotations
from exo import proc
from exo.stdlib.scheduling import *

# a size that only a whole-tensor parameter's shape determines
@proc
def set_at(m: size, z: f32[m], i: index):
    assert 0 <= i
    assert i < m
    z[i] = 2.0

@proc
def fill(n: size, z: f32[n]):
    for i in seq(0, n):
        z[i] = 2.0
print(replace(fill, fill.find("z[_] = _"), set_at))

@proc
def corner(m: size, k: size, z: f32[m, k]):
    z[0, 0] = 2.0

@proc
def rows(n: size, z: f32[n, 4]):
    z[0, 0] = 2.0
print(replace(rows, rows.find("z[_] = _"), corner))

# shapes equal only by the caller's assertion
@proc
def eight(x: f32[8]):
    for k in seq(0, 8):
        x[k] = 1.0

@proc
def fixed(N: size, x: f32[N]):
    assert N == 8
    for i in seq(0, 8):
        x[i] = 1.0
print(replace(fixed, fixed.find_loop("i"), eight))
