"""Seed 003 (the RVM case study): the staging steps of its schedule, written
with the primitives its helpers use (``auto_stage_mem`` -> ``stage_mem``,
``autolift_alloc`` -> ``expand_dim`` + ``lift_alloc``), reproduce the
procedures the seed prints, up to where ``replace`` is needed.

The seed prints ``< 4`` and ``< 16`` in the guard of ``y`` in different
steps (its algorithm says ``< W``); no step of the schedule touches it, so
the comparison uses the first form throughout.
"""

from __future__ import annotations

import pytest

from exo_core import DRAM, MemGenError, i32, proc
from exo_codegen.platforms.rvm import RVM_TILE
from exo_stdlib.scheduling import expand_dim, lift_alloc, set_memory, simplify, stage_mem

from tests.core.primitives.equivalence import assert_equivalent
from tests.seed_examples import conv1d_lifted_out_tile, conv1d_staged_out, conv1d_tiled


def _printed(p) -> str:
    return str(p).replace("< 16", "< 4")


def staged_out():
    p = conv1d_tiled
    p = stage_mem(p, p.find_loop("c").expand(1, 0),
                  "out[ii + 4 * ioi + 16 * ioo, ji + 4 * jo]", "out_tile")
    return p


def lifted_out_tile():
    p = staged_out()
    out_tile = p.find("out_tile : _")
    for loop in ("ji", "ii", "ioi"):  # autolift_alloc with dep_set ioi, ii, ji
        p = expand_dim(p, out_tile, 4, loop)
        p = lift_alloc(p, out_tile)
    return p


def test_stage_out():
    p = staged_out()
    assert _printed(p) == _printed(conv1d_staged_out)
    assert_equivalent(conv1d_tiled, p)


def test_lift_and_expand_out_tile():
    p = lifted_out_tile()
    assert _printed(p) == _printed(conv1d_lifted_out_tile)
    assert_equivalent(conv1d_tiled, p)


def test_set_memory_rvm_tile_is_checked_when_compiling():
    p = lifted_out_tile()
    p = set_memory(p, p.find("out_tile : _"), RVM_TILE)
    assert "out_tile: i32[4, 4, 4] @ RVM_TILE" in str(p)
    # the seed unrolls the first dimension later; a 3-d tile is the memory's error
    with pytest.raises(MemGenError, match="RVM tiles must be 2D") as e:
        p.c_code_str()
    assert e.value.srcinfo is not None and e.value.srcinfo.lineno
    # before `replace`, a 4 x 4 tile is still read and written element by element
    q = stage_mem(tile_sum, tile_sum.body(), "x[0:4, 0:4]", "tile")
    q = set_memory(simplify(q), "tile : _", RVM_TILE)
    with pytest.raises(MemGenError, match="RVM_TILE") as e:
        q.c_code_str()
    assert e.value.srcinfo is not None and e.value.srcinfo.lineno


@proc
def tile_sum(x: i32[4, 4] @ DRAM):
    for i in seq(0, 4):
        for j in seq(0, 4):
            x[i, j] += 1
