"""The RVM conv1d case study, end to end: the algorithm, its schedule, and
the C it compiles to (inline assembly for the RVM tile instructions).

    python -m examples.rvm_conv1d.conv1d          # print every step and the C

`schedule_conv1d` returns the procedure after each step the case study shows
(`STEPS` names them), so tests and the tutorial can look at each one.

Sizes: ``IC`` input channels of length ``N``, ``OC`` output channels, kernels
of width ``W``; ``TILE`` is the side of an RVM tile register.
"""

from __future__ import annotations

from exo_core import proc
from exo_core.cursors import ForCursor, LiteralCursor
from exo_codegen.memories import DRAM_STATIC, RVM_TILE
from exo_codegen.platforms.rvm import rvm_mld, rvm_mmasa, rvm_mst, rvm_mzero
from exo_stdlib.inspection import get_enclosing_loop
from exo_stdlib.scheduling import (auto_stage_mem, expand_dim, fission_as_much_as_possible,
                                   lift_alloc, lift_scope_n, remove_redundant_loops, rename,
                                   reorder_loops, replace_all, reuse_buffer, set_memory,
                                   simplify, tile_loops, unroll_buffer, unroll_loop)

IC, N, OC, W = 4, 16, 16, 4
TILE = 4


@proc
def generic_conv1d(
    data: i32[IC, N],
    kernels: i32[OC, IC, W],
    out: i32[OC, N],
):
    # out[i, j] = sum over c, r of kernels[i, c, r] * data[c, j + r] (0 past the end)
    for i in seq(0, OC):
        for j in seq(0, N):
            out[i, j] = 0.0
            for c in seq(0, IC):
                for r in seq(0, W):
                    y: i32
                    if j + r < N:
                        y = data[c, j + r]
                    else:
                        y = 0
                    out[i, j] += kernels[i, c, r] * y


def expand_and_lift(p, alloc, loops, max_size):
    """Turn the allocation into a buffer spanning the enclosing loops named in
    ``loops`` (innermost first): for each such loop with a literal trip count,
    add a dimension indexed by its iterator and lift the allocation out of
    it, as long as the buffer stays within ``max_size`` elements. Other
    enclosing loops are skipped over."""
    alloc = p.forward(alloc)
    loop = get_enclosing_loop(p, alloc)
    size = 1
    while isinstance(loop, ForCursor):
        hi = loop.hi()
        if loop.name() in loops and isinstance(hi, LiteralCursor) and size * hi.value() <= max_size:
            p = expand_dim(p, alloc, hi.value(), loop.name())
            p = lift_alloc(p, alloc)
            size *= hi.value()
        loop = loop.parent()
    return p


STEPS = ("tiled", "staged_out", "lifted_out_tile", "c_loop_lifted", "im2col_staged",
         "replaced", "final")


def schedule_conv1d(p=generic_conv1d) -> dict:
    """Schedule ``p`` as the case study does; the procedure after each step
    of `STEPS`."""
    steps = {}
    p = rename(p, "exo_conv1d_tile_lt_kw")
    i_loop = p.find("for i in _:_")
    j_loop = p.find("for j in _:_")
    c_loop = p.find("for c in _:_")
    y_alloc = p.find("y : _")
    y_assign = p.find("y = data[_]")

    # Tile the output loops to the tile size, then group 4 row tiles: one
    # pass computes four output tiles, and ioi goes inside jo to be unrolled
    p, _ = tile_loops(p, [(i_loop, TILE), (j_loop, TILE)], perfect=True)
    p, _ = tile_loops(p, [(i_loop, 4)], perfect=True)
    p = reorder_loops(p, p.find("for ioi in _:_"))
    p = simplify(p)
    steps["tiled"] = p

    # Stage one output element around the c loop, then grow it into four
    # tiles (a 4 x 4 x 4 buffer) lifted out of ji, ii and ioi
    p, (_, out_tile, body, _) = auto_stage_mem(p, p.find_loop("c").expand(1, 0), "out",
                                               "out_tile", rc=True)
    steps["staged_out"] = p
    p = expand_and_lift(p, out_tile, ("ioi", "ii", "ji"), 4 * 4 * 4)
    steps["lifted_out_tile"] = p

    # Split the zeroing and the store into loop nests of their own, then bring
    # the c loop out of the three tile loops
    p = fission_as_much_as_possible(p, body)
    p = fission_as_much_as_possible(p, body[0])
    p = lift_scope_n(p, c_loop, 3)
    steps["c_loop_lifted"] = p

    # im2col: y becomes a 4 x 4 tile computed once per c, outside the tile loops
    p = expand_and_lift(p, y_alloc, ("r", "ji"), 4 * 4)
    p = lift_alloc(p, y_alloc, n_lifts=2)
    p = fission_as_much_as_possible(p, y_assign.parent())
    p = remove_redundant_loops(p, y_assign.parent(), num=2)

    # Stage the kernels (one tile per ioi) and y into tiles of their own
    ii_loop = p.forward(c_loop).body()[2].body()[0]
    p, (kernel_alloc, _, _, _) = auto_stage_mem(p, ii_loop, "kernels", "kernel_tile", rc=True)
    p = simplify(expand_dim(p, kernel_alloc, 4, ii_loop.parent().name()))
    p = lift_alloc(p, kernel_alloc)
    p, (data_alloc, _, _, _) = auto_stage_mem(p, ii_loop.parent(), "y", "data_tile", rc=True)
    p = simplify(p)
    steps["im2col_staged"] = p

    # Put the tiles in RVM registers and the copies and products in RVM
    # instructions
    p = set_memory(p, y_alloc, DRAM_STATIC)
    p = set_memory(p, out_tile, RVM_TILE)
    p = set_memory(p, kernel_alloc, RVM_TILE)
    p = set_memory(p, data_alloc, RVM_TILE)
    p = replace_all(p, [rvm_mzero, rvm_mst, rvm_mld, rvm_mmasa])
    steps["replaced"] = p

    # Unroll the four tiles: one register each; the fourth kernel tile reuses
    # the first one's register, free again after its last product
    p = unroll_loop(p, "ioi")
    p = unroll_loop(p, "ioi")
    p = unroll_loop(p, "ioi")
    p = simplify(p)
    p = unroll_buffer(p, kernel_alloc, 0)
    p = unroll_buffer(p, out_tile, 0)
    p = reuse_buffer(p, "kernel_tile_0: _", "kernel_tile_3: _")
    steps["final"] = p
    return steps


def main() -> None:
    steps = schedule_conv1d()
    for name in STEPS:
        print(f"# --- {name}")
        print(steps[name])
    print("# --- C")
    print(steps["final"].c_code_str())


if __name__ == "__main__":
    main()
