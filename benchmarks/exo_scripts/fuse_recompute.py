from __future__ import annotations
from exo import proc
from exo.stdlib.scheduling import *

# the second loop reads values the first recomputes later (a halo of 2)
@proc
def halo(H: size, inp: f32[4 * H + 2], out: f32[4 * H]):
    prod: f32[4 * H + 2]
    for y in seq(0, H):
        for yi in seq(0, 6):
            prod[4 * y + yi] = inp[4 * y + yi] * 2.0
    for y2 in seq(0, H):
        for yi in seq(0, 4):
            out[4 * y2 + yi] = prod[4 * y2 + yi] + prod[4 * y2 + yi + 2]

print(fuse(halo, halo.find_loop("y"), halo.find_loop("y2")))
