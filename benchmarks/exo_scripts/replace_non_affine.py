from __future__ import annotations
from exo import proc
from exo.stdlib.scheduling import *

# a block index with a non-affine part over no loop of the block: a window offset
@proc
def shifted(x: [f32][4], y: [f32][4]):
    for k in seq(0, 4):
        x[k] += y[k]

@proc
def tail_rows(M: size, x: f32[8, 8], y: f32[8, 8]):
    assert M <= 4
    for r in seq(0, 2):
        for i in seq(0, 4):
            x[r, i + M % 3] += y[r, i]

print(replace(tail_rows, tail_rows.find_loop("i"), shifted))

# the same non-affine part over the block's loop on both sides
@proc
def pairs_of(x: [f32][4], y: [f32][8]):
    for k in seq(0, 8):
        x[k / 2] += y[k]

@proc
def folded(M: size, x: f32[8, 8], y: f32[8, 8]):
    assert M <= 4
    for r in seq(0, 2):
        for i in seq(0, 8):
            x[r + 1, i / 2 + M % 3] += y[r, i]

print(replace(folded, folded.find_loop("i"), pairs_of))
