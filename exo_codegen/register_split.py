"""Register buffers as separately named C variables.

A buffer in a vector-register memory (AVX2, AVX512, Neon, ...) is one C
vector per element of its leading dimensions: ``c_reg: f32[6, 2, 8] @ AVX2``
is ``__m256 c_reg[6][2];``. A C compiler keeps such an array in memory when
it cannot see through it, and then stores every accumulator on every
iteration of a micro-kernel's loop. Once a schedule has unrolled the loops
over the leading dimensions, every use names its register with constants
(``c_reg[3, 1, 0:8]``), and the buffer is emitted as one variable per
register instead::

    __m256 c_reg_0_0;  __m256 c_reg_0_1;  ...  __m256 c_reg_5_1;

which the compiler allocates to registers. Nothing changes in what users
write: a memory opts in with a class attribute ``lane_dims`` (how many
trailing dimensions one register holds; `VectorRegisterMemory` sets 1).

`split_shape(alloc, rest)` decides: the leading shape when every use of the
buffer in ``rest`` (the statements of its scope after the allocation) indexes
the leading dimensions with integer constants and the buffer is never passed
whole, aliased by a window statement or indexed by a variable there; else
None.
"""

from __future__ import annotations

from itertools import product

import exo_core.ir as ir
from exo_core.ir.types import TensorType
from exo_core.ir.walk import walk_expr, walk_stmts

from exo_codegen.proc_facts import stmt_exprs

# More registers than any target has: beyond this the array form is kept.
MAX_SPLIT_REGISTERS = 64


def lane_dims(mem) -> int | None:
    """The number of trailing dimensions one register of ``mem`` holds, when
    the memory allows its buffers to be split into named registers."""
    n = getattr(mem, "lane_dims", None)
    return n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else None


def _const_int(e) -> int | None:
    if isinstance(e, ir.Const) and isinstance(e.val, int) and not isinstance(e.val, bool):
        return e.val
    return None


def _leading_constant(idx, lead: int, shape: list[int]) -> bool:
    if len(idx) < lead:
        return False
    for d in range(lead):
        a = idx[d]
        if isinstance(a, ir.Interval):
            return False
        v = _const_int(a.pt if isinstance(a, ir.Point) else a)
        if v is None or not 0 <= v < shape[d]:
            return False
    return True


def _uses_ok(name: ir.Sym, rest, lead: int, shape: list[int]) -> bool:
    for s in walk_stmts(rest):
        if isinstance(s, ir.WindowStmt) and s.rhs.name == name:
            return False
        if isinstance(s, (ir.Assign, ir.Reduce)) and s.name == name:
            if not _leading_constant(s.idx, lead, shape):
                return False
        for top in stmt_exprs(s):
            for e in walk_expr(top):
                if isinstance(e, ir.Read) and e.name == name:
                    if not _leading_constant(e.idx, lead, shape):
                        return False
                elif isinstance(e, ir.WindowExpr) and e.name == name:
                    if not _leading_constant(e.idx, lead, shape):
                        return False
                elif isinstance(e, ir.StrideExpr) and e.name == name:
                    return False
    return True


def split_shape(alloc: ir.Alloc, rest) -> list[int] | None:
    """The leading dimensions to split ``alloc`` along (see the module doc),
    or None to keep the memory's array form."""
    lanes = lane_dims(alloc.mem)
    t = alloc.type
    if lanes is None or not isinstance(t, TensorType):
        return None
    shape = [_const_int(e) for e in t.shape_exprs]
    lead = len(shape) - lanes
    if lead <= 0 or any(v is None or v < 1 for v in shape[:lead]):
        return None
    count = 1
    for v in shape[:lead]:
        count *= v
    if count > MAX_SPLIT_REGISTERS:
        return None
    if not _uses_ok(alloc.name, rest, lead, shape):
        return None
    return shape[:lead]


def register_indices(lead_shape: list[int]):
    """Every index tuple of the leading dimensions, in row-major order."""
    return product(*(range(n) for n in lead_shape))
