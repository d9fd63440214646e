"""Seed 003 (RVM conv1d tutorial): tiling with divide_loop/reorder_loops.

The tutorial's ``tile_loops(p, [(i_loop, 4), (j_loop, 4)], perfect=True)``,
``tile_loops(p, [(i_loop, 4)], perfect=True)`` and
``reorder_loops(p, p.find("for ioi in _:_"))`` are spelled here with the
primitives they are built from; after ``simplify`` the result must print as
the tutorial's first printed procedure.
"""

from __future__ import annotations

import re

from exo_stdlib.scheduling import divide_loop, rename, reorder_loops, simplify

from tests.core.primitives.equivalence import assert_equivalent
from tests.seed_examples import case_study_generic_conv1d

# The tutorial's printout (line breaks inside brackets are the printer's
# wrapping and are normalised away below).
SEED_PRINTOUT = """
def exo_conv1d_tile_lt_kw(data: i32[4, 16] @ DRAM,
                          kernels: i32[16, 4, 4] @ DRAM,
                          out: i32[16, 16] @ DRAM):
    for ioo in seq(0, 1):
        for jo in seq(0, 4):
            for ioi in seq(0, 4):
                for ii in seq(0, 4):
                    for ji in seq(0, 4):
                        out[ii + 4 * ioi + 16 * ioo, ji + 4 * jo] = 0.0
                        for c in seq(0, 4):
                            for r in seq(0, 4):
                                y: i32 @ DRAM
                                if ji + r + 4 * jo < 4:
                                    y = data[c, ji + r + 4 * jo]
                                else:
                                    y = 0
                                out[ii + 4 * ioi + 16 * ioo, ji +
                                    4 * jo] += kernels[ii + 4 * ioi + 16 * ioo,
                                                       c, r] * y
"""


# The case study's algorithm (seed 003), under the name its printouts use.
exo_conv1d_tile_lt_kw = rename(case_study_generic_conv1d, "exo_conv1d_tile_lt_kw")


def normalise(text: str) -> str:
    """Join lines broken inside brackets; collapse runs of spaces there."""
    out, depth, line = [], 0, ""
    for raw in text.strip("\n").splitlines():
        line = raw if depth == 0 else line + " " + raw.strip()
        depth += raw.count("(") + raw.count("[") - raw.count(")") - raw.count("]")
        if depth == 0:
            indent = len(line) - len(line.lstrip())
            out.append(" " * indent + re.sub(r"\s+", " ", line.strip())
                       .replace("( ", "(").replace("[ ", "["))
    return "\n".join(out)


def tile(p, loop, new_names, factor=4):
    return divide_loop(p, loop, factor, new_names, perfect=True)


def test_first_printed_proc():
    p = exo_conv1d_tile_lt_kw
    i_loop = p.find("for i in _:_")
    j_loop = p.find("for j in _:_")
    # tile_loops(p, [(i_loop, 4), (j_loop, 4)], perfect=True)
    p = tile(p, i_loop, ["io", "ii"])
    p = tile(p, j_loop, ["jo", "ji"])
    p = reorder_loops(p, "ii jo")
    # tile_loops(p, [(i_loop, 4)], perfect=True): i_loop now points at io
    assert p.forward(i_loop).name() == "io"
    p = tile(p, i_loop, ["ioo", "ioi"])
    i_loop_reg = p.find("for ioi in _:_")
    p = reorder_loops(p, i_loop_reg)
    p = simplify(p)
    assert normalise(str(p)) == normalise(SEED_PRINTOUT)
    assert_equivalent(exo_conv1d_tile_lt_kw, p)
