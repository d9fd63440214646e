"""replace: seed examples as goldens, instruction libraries replaced into
staged kernels, and one test per way a replace is refused."""

from __future__ import annotations

import pytest

from exo_core import DRAM, SchedulingError, instr, proc
from exo_core.api import proc_from_source
from exo_core.errors import MemoryError as ReplaceMemoryError, UnificationError
from exo_codegen.memories import DRAM_STATIC, Neon, RVM_TILE
from exo_codegen.platforms.rvm import rvm_mld, rvm_mmasa, rvm_mst, rvm_mzero
from exo_codegen.platforms.neon import neon_vld_4xf32
from exo_codegen.platforms.rvm import rvm_mld, rvm_mmasa, rvm_mst, rvm_mzero
from exo_codegen.platforms.x86 import mm256_loadu_ps
from exo_stdlib.scheduling import replace, set_memory
import exo_stdlib.scheduling as scheduling

from tests.core.primitives.equivalence import assert_equivalent
from tests.seed_examples import NEON_EXAMPLES, conv1d_im2col_staged
from tests.core.primitives.scope_golden import GOLDEN_DIR, check_golden
from tests.core.primitives.subproc_procs import (avx2_replaced, avx512_replaced,
                                                 conv1d_staged_rvm, neon_replaced,
                                                 rvm_matmul_replaced)


# --------------------------------------------------------------------------
# Goldens


def test_seed_002_neon_load():
    ex = NEON_EXAMPLES
    p = replace(ex["foo_before_replace"], "for j in _:_", ex["neon_vld_4xf32"])
    check_golden("replace_seed002_neon_vld", p)


def test_seed_003_each_instruction():
    p = replace(conv1d_staged_rvm, "for ii in _:_ #0", rvm_mzero)
    check_golden("replace_seed003_mzero", p)
    p = replace(p, "for ii in _:_ #1", rvm_mst)
    check_golden("replace_seed003_mst", p)
    p = replace(p, "for i0 in _:_ #0", rvm_mld)
    p = replace(p, "for i0 in _:_ #0", rvm_mld)
    check_golden("replace_seed003_mld", p)
    p = replace(p, "for ii in _:_ #0", rvm_mmasa)
    check_golden("replace_seed003_mmasa", p)


def test_x86_and_neon_libraries():
    check_golden("replace_avx2_saxpy", avx2_replaced())
    check_golden("replace_avx512_sgemv", avx512_replaced())
    check_golden("replace_neon_fma", neon_replaced())
    check_golden("replace_rvm_matmul", rvm_matmul_replaced())


def test_ordinary_procedures_too():
    @proc
    def axpy(n: size, a: f32, x: [f32][n], y: [f32][n]):
        assert n >= 2
        for i in seq(0, n):
            y[i] += a * x[i]

    @proc
    def k(m: size, a: f32, x: f32[m, 8], y: f32[m, 8]):
        for r in seq(0, m):
            for j in seq(0, 8):
                y[r, j] += a * x[r, j]

    p = replace(k, "for j in _:_", axpy)
    assert str(p).splitlines()[2].strip() == "axpy(8, a, x[r, 0:8], y[r, 0:8])"


def test_exported_names():
    assert scheduling.UnificationError is UnificationError
    assert scheduling.MemoryError is ReplaceMemoryError
    assert issubclass(UnificationError, SchedulingError)
    assert issubclass(ReplaceMemoryError, SchedulingError)


# --------------------------------------------------------------------------
# Failure modes


@proc
def copy4(dst: [f32][4], src: [f32][4]):
    for i in seq(0, 4):
        dst[i] = src[i]


@proc
def scale(n: size, a: f32, x: [f32][n]):
    assert n >= 2
    for i in seq(0, n):
        x[i] = a * x[i]


def test_statement_kinds_differ(capsys):
    @proc
    def p(x: f32[4], y: f32[4]):
        x[0] = y[0]

    with pytest.raises(UnificationError, match=r"cannot unify the statement `for i in "
                                               r"seq\(0, 4\):`.*with `x\[0\] = y\[0\]`.*a loop "
                                               r"is not a assignment"):
        replace(p, "x[_] = _", copy4)
    assert "Failed to unify the following" in capsys.readouterr().out


def test_quiet_prints_nothing(capsys):
    @proc
    def p(x: f32[4], y: f32[4]):
        x[0] = y[0]

    with pytest.raises(UnificationError):
        replace(p, "x[_] = _", copy4, quiet=True)
    assert capsys.readouterr().out == ""


def test_statement_counts_differ():
    @proc
    def p(x: f32[4], y: f32[4]):
        for j in seq(0, 4):
            x[j] = y[j]
            y[j] = 1.0

    with pytest.raises(UnificationError, match="cannot unify 1 statement of the subprocedure "
                                               "in `for i in seq"):
        replace(p, "for j in _:_", copy4, quiet=True)


def test_data_expressions_differ():
    @proc
    def p(x: f32[4], y: f32[4]):
        for j in seq(0, 4):
            x[j] = y[j] + 1.0

    with pytest.raises(UnificationError, match=r"cannot unify the expression `src\[i\]`.* "
                                               r"with `y\[j\] \+ 1.0`.*a read is not an "
                                               "operation"):
        replace(p, "for j in _:_", copy4, quiet=True)


@proc
def row_sum(K: size, A: [f32][1, K], c: [f32][1]):
    for i in seq(0, 1):
        for k in seq(0, K):
            c[i] += A[i, k]


@proc
def row_sums(M: size, K: size, A: f32[M, K], c: f32[M]):
    for i in seq(0, M):
        for k in seq(0, K):
            c[i] += A[i, k]


def test_offsets_may_hold_a_non_affine_part():
    """A cut tail starts at ``6 * (M / 6)``: that part of the block's index
    is one more variable of the equations, and comes back in the call."""
    from exo_stdlib.scheduling import divide_loop
    from tests.core.primitives.equivalence import assert_equivalent

    p = divide_loop(row_sums, "i", 6, ["it", "ir"], tail="cut")
    p = divide_loop(p, p.find_loop("ir #1"), 1, ["ir", "ri"], tail="cut")
    p = replace(p, "for ri in _:_", row_sum)
    call = str(p).splitlines()[-1].strip()
    assert call == ("row_sum(K, A[ir + 6 * (M / 6):1 + ir + 6 * (M / 6), 0:K], "
                    "c[ir + 6 * (M / 6):1 + ir + 6 * (M / 6)])"), call
    for m in (1, 6, 11):
        assert_equivalent(row_sums, p, M=m, K=3)


def test_a_non_affine_part_may_not_use_the_blocks_loop():
    @proc
    def halves(K: size, A: f32[4, K], c: f32[4]):
        for j in seq(0, 1):
            for k in seq(0, K):
                c[(j + 2) / 2] += A[(j + 2) / 2, k]

    with pytest.raises(UnificationError, match="not an affine expression"):
        replace(halves, "for j in _:_", row_sum, quiet=True)


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


def test_a_non_affine_part_over_the_blocks_loop_meets_the_same_part():
    """``k / 2`` of the body stands for ``i / 2`` of the block (k is i): they
    cancel, and the rest (``M % 3``, over no loop of the block) is the
    window's offset."""
    p = replace(folded, "for i in _:_", pairs_of)
    call = str(p).splitlines()[-1].strip()
    assert call == "pairs_of(x[1 + r, M % 3:4 + M % 3], y[r, 0:8])", call
    for m in (1, 2, 3, 4):
        assert_equivalent(folded, p, backend="interp", M=m)


@pytest.mark.parametrize("body", [
    "x[k % 2] += y[k]",       # another operation over the loop
    "x[k / 4] += y[k]",       # another divisor
    "x[0] += y[k]",           # no such part: the offset would depend on i
])
def test_a_non_affine_part_over_the_blocks_loop_must_be_the_same(body):
    sub = proc_from_source(f"def other(x: [f32][4], y: [f32][8]):\n"
                           f"    for k in seq(0, 8):\n        {body}\n", {})
    with pytest.raises(UnificationError, match="not an affine expression"):
        replace(folded, "for i in _:_", sub, quiet=True)


def test_a_non_affine_part_over_a_parameter_is_not_a_variable():
    @proc
    def by_size(n: size, x: [f32][6], y: [f32][8]):
        assert n <= 4
        for k in seq(0, 8):
            x[k / 2 + n % 3] += y[k]

    with pytest.raises(UnificationError, match="not an affine expression"):
        replace(folded, "for i in _:_", by_size, quiet=True)


@proc
def set_at(m: size, z: f32[m], i: index):
    assert 0 <= i
    assert i < m
    z[i] = 2.0


def test_a_whole_tensor_parameter_takes_the_buffers_shape():
    """m appears only in z's shape: it is the block's buffer's extent."""
    @proc
    def fill(n: size, z: f32[n]):
        for i in seq(0, n):
            z[i] = 2.0

    p = replace(fill, "z[_] = _", set_at)
    assert str(p).splitlines()[-1].strip() == "set_at(n, z, i)"
    assert_equivalent(fill, p, backend="interp", n=5)

    @proc
    def corner(m: size, k: size, z: f32[m, k]):
        z[0, 0] = 2.0

    @proc
    def rows(n: size, z: f32[n, 4]):
        z[0, 0] = 2.0

    p = replace(rows, "z[_] = _", corner)
    assert str(p).splitlines()[-1].strip() == "corner(n, 4, z)"


def test_a_shape_the_assertions_make_equal_is_left_to_the_call_check():
    @proc
    def eight(x: f32[8]):
        for k in seq(0, 8):
            x[k] = 1.0

    @proc
    def fixed(N: size, x: f32[N]):
        assert N == 8
        for i in seq(0, 8):
            x[i] = 1.0

    p = replace(fixed, "for i in _:_", eight)
    assert str(p).splitlines()[-1].strip() == "eight(x)"

    @proc
    def longer(N: size, x: f32[N + 1]):
        assert N == 8
        for i in seq(0, 8):
            x[i] = 1.0

    with pytest.raises(SchedulingError, match="eight"):
        replace(longer, "for i in _:_", eight, quiet=True)


def test_loop_bound_cannot_unify():
    @proc
    def p(x: f32[8], y: f32[8]):
        for j in seq(0, 8):
            x[j] = y[j]

    with pytest.raises(UnificationError, match=r"cannot unify the index expression `4`.*"
                                               r"with `8`.*no values of the parameters"):
        replace(p, "for j in _:_", copy4, quiet=True)


def test_index_depends_on_the_blocks_loop():
    @proc
    def p(x: f32[4, 4], y: f32[4]):
        for j in seq(0, 4):
            x[j, j] = y[j]

    with pytest.raises(UnificationError, match="dimension . of x would start at an offset "
                                               "depending on j"):
        replace(p, "for j in _:_", copy4, quiet=True)


def test_parameter_not_determined():
    @proc
    def zero_first(n: size, x: [f32][n]):
        assert n >= 1
        x[0] = 0.0

    @proc
    def p(x: f32[8]):
        x[2] = 0.0

    with pytest.raises(UnificationError, match="the block does not determine the parameter n "
                                               "of zero_first"):
        replace(p, "x[_] = _", zero_first, quiet=True)


def test_buffer_declared_in_the_block():
    @proc
    def p(y: f32[4]):
        for j in seq(0, 1):
            t: f32[4]
            for i in seq(0, 4):
                t[i] = y[i]

    @proc
    def local_copy(src: [f32][4]):
        for k in seq(0, 1):
            dst: f32[4]
            for i in seq(0, 4):
                dst[i] = src[i]

    # the local allocations are identified, so this one unifies
    q = replace(p, "for j in _:_", local_copy)
    assert "local_copy(y[0:4])" in str(q)

    @proc
    def p2(y: f32[4]):
        for j in seq(0, 1):
            t: f32[4]
            for i in seq(0, 4):
                t[i] = y[i]

    @proc
    def not_local(dst: [f32][4], src: [f32][4]):
        for k in seq(0, 1):
            z: f32[4]
            for i in seq(0, 4):
                dst[i] = src[i]

    with pytest.raises(UnificationError, match="the parameter dst would be t, which the block "
                                               "declares itself"):
        replace(p2, "for j in _:_", not_local, quiet=True)


def test_memory_mismatch():
    @proc
    def p(x: f32[8], y: f32[8]):
        for j in seq(0, 8):
            x[j] = y[j]

    with pytest.raises(ReplaceMemoryError, match="the parameter dst of mm256_loadu_ps is in "
                                                 "AVX2, but the block's buffer x is in DRAM"):
        replace(p, "for j in _:_", mm256_loadu_ps)


def test_scalar_parameter_is_not_a_constant():
    @proc
    def p(x: f32[8]):
        for j in seq(0, 2):
            x[j] = 2.0 * x[j]

    with pytest.raises(UnificationError, match=r"cannot unify the expression `a` .* with "
                                               r"`2.0` .*a read is not a constant"):
        replace(p, "for j in _:_", scale, quiet=True)


def test_size_precondition_fails():
    @proc
    def scale_by(n: size, a: f32[1], x: [f32][n]):
        assert n >= 2
        for i in seq(0, n):
            x[i] = a[0] * x[i]

    @proc
    def p(a: f32[1], x: f32[8]):
        for j in seq(0, 1):
            x[j] = a[0] * x[j]

    with pytest.raises(SchedulingError, match=r"the precondition n >= 2 of scale_by .*"):
        replace(p, "for j in _:_", scale_by)


def test_stride_precondition_fails():
    @proc
    def p(m: size, src: f32[4, m], dst: f32[4] @ Neon):
        for i in seq(0, m):
            for j in seq(0, 4):
                dst[j] = src[j, i]

    with pytest.raises(SchedulingError, match=r"the precondition stride\(src, 0\) == 1 of "
                                              r"neon_vld_4xf32"):
        replace(p, "for j in _:_", neon_vld_4xf32)


def test_window_out_of_bounds():
    @proc
    def first_of_four(dst: [f32][4], src: [f32][4]):
        dst[0] = src[0]

    @proc
    def p(x: f32[8], y: f32[8]):
        x[6] = y[6]

    with pytest.raises(SchedulingError, match=r"window x\[6:10\] may extend past the end of x"):
        replace(p, "x[_] = _", first_of_four)


def test_arguments_alias():
    @proc
    def p(x: f32[8]):
        for j in seq(0, 4):
            x[j] = x[j + 1]

    with pytest.raises(SchedulingError, match="buffer x is passed to copy4 as both dst and src"):
        replace(p, "for j in _:_", copy4)


def test_tensor_parameter_needs_a_whole_buffer():
    @proc
    def copy_t(dst: f32[4], src: f32[4]):
        for i in seq(0, 4):
            dst[i] = src[i]

    @proc
    def p(x: f32[2, 4], y: f32[4]):
        for j in seq(0, 4):
            x[1, j] = y[j]

    with pytest.raises(UnificationError, match="the parameter dst is a whole tensor"):
        replace(p, "for j in _:_", copy_t, quiet=True)

    @proc
    def p_ok(x: f32[4], y: f32[4]):
        for j in seq(0, 4):
            x[j] = y[j]

    assert "copy_t(x, y)" in str(replace(p_ok, "for j in _:_", copy_t))


def test_bad_arguments():
    with pytest.raises(SchedulingError, match="subproc must be a procedure"):
        replace(copy4, "for i in _:_", "copy4")
    with pytest.raises(SchedulingError, match="quiet must be True or False"):
        replace(copy4, "for i in _:_", copy4, quiet=3)
    with pytest.raises(SchedulingError, match="expected a procedure as the first argument"):
        replace("p", "for i in _:_", copy4)


def test_seed_003_through_set_memory():
    # the seed's own steps from its printed staged procedure: set_memory on the
    # four buffers, then the four instructions
    p = conv1d_im2col_staged
    p = set_memory(p, "y : _", DRAM_STATIC)
    for buf in ("out_tile", "kernel_tile", "data_tile"):
        p = set_memory(p, f"{buf} : _", RVM_TILE)
    p = replace(p, "for ii in _:_ #0", rvm_mzero)
    p = replace(p, "for ii in _:_ #1", rvm_mst)
    p = replace(p, "for i0 in _:_ #0", rvm_mld)
    p = replace(p, "for i0 in _:_ #0", rvm_mld)
    p = replace(p, "for ii in _:_ #0", rvm_mmasa)
    want = (GOLDEN_DIR / "replace_seed003_mmasa.txt").read_text()
    assert str(p) + "\n" == want.replace("conv1d_staged_rvm", "exo_conv1d_tile_lt_kw")


# An index parameter used as an offset into a window parameter (``rhs[l]``,
# as neon_vfmla_4xf32_4xf32's lane): the block fixes only ``start + l``; the
# window starts at the constant part and the parameter takes the rest, else
# at 0, else at the whole index, whichever call is valid.


@instr("/* lane_fma */")
def lane_fma(dst: [f32][4] @ DRAM, lhs: [f32][4] @ DRAM, rhs: [f32][4] @ DRAM, l: index):
    assert l >= 0
    assert l < 4
    for i in seq(0, 4):
        dst[i] += lhs[i] * rhs[l]


@proc
def lanes_2d(a: f32[4], b: f32[4, 4], c: f32[4]):
    for l in seq(0, 4):
        for i in seq(0, 4):
            c[i] += a[i] * b[1, l]


@proc
def lanes_shifted(a: f32[4], b: f32[8], c: f32[4]):
    for l in seq(0, 2):
        for i in seq(0, 4):
            c[i] += a[i] * b[4 + l]


@proc
def lanes_too_far(a: f32[4], b: f32[12], c: f32[4]):
    for l in seq(0, 8):
        for i in seq(0, 4):
            c[i] += a[i] * b[l]


def test_replace_solves_an_index_parameter_used_as_an_offset():
    p = replace(lanes_2d, lanes_2d.find_loop("i"), lane_fma)
    assert "lane_fma(c[0:4], a[0:4], b[1, 0:4], l)" in str(p)
    assert_equivalent(lanes_2d, p, backend="interp")
    q = replace(lanes_shifted, lanes_shifted.find_loop("i"), lane_fma)
    # Exo 1.0 passes b[0:4] and the lane l + 4, which breaks `l < 4`
    assert "lane_fma(c[0:4], a[0:4], b[4:8], l)" in str(q)
    assert_equivalent(lanes_shifted, q, backend="interp")
    # a start at the whole index (lane 0) is the valid choice here
    r = replace(lanes_too_far, lanes_too_far.find_loop("i"), lane_fma)
    assert "lane_fma(c[0:4], a[0:4], b[l:4 + l], 0)" in str(r)
    assert_equivalent(lanes_too_far, r, backend="interp")


def test_neon_lane_fma_is_replaced():
    from exo_codegen.memories import Neon
    from exo_codegen.platforms.neon import neon_vfmla_4xf32_4xf32

    @proc
    def lanes(a: f32[4] @ Neon, b: f32[4] @ Neon, c: f32[4] @ Neon):
        for l in seq(0, 4):
            for i in seq(0, 4):
                c[i] += a[i] * b[l]
    p = replace(lanes, lanes.find_loop("i"), neon_vfmla_4xf32_4xf32)
    assert "neon_vfmla_4xf32_4xf32(c[0:4], a[0:4], b[0:4], l)" in str(p)


# --- bool parameters stand for the block's condition --------------------------

@proc
def set_if(n: size, f: bool, x: [f32][n]):
    for i in seq(0, n):
        if f:
            x[i] = 1.0


@proc
def set_if_and(n: size, f: bool, x: [f32][n]):
    for i in seq(0, n):
        if f and i < 4:
            x[i] = 1.0
        if f:
            x[i] += 2.0


@proc
def guarded_rows(m: size, x: f32[m, 8]):
    for j in seq(0, m):
        for i in seq(0, 8):
            if j > 3:
                x[j, i] = 1.0
    for j in seq(0, m):
        for i in seq(0, 8):
            if m > 5 and i < 4:
                x[j, i] = 1.0
            if m > 5:
                x[j, i] += 2.0
    for j in seq(0, m):
        for i in seq(0, 8):
            if i > 3:
                x[j, i] = 1.0


def test_bool_parameter_gets_the_blocks_condition():
    # Exo 1.0 gives these arguments too (it prints `x[j + 0, 0:8]`)
    p = replace(guarded_rows, guarded_rows.find_loop("i"), set_if)
    p = replace(p, p.find_loop("i"), set_if_and)  # the first nest has no loop i now
    assert "set_if(8, j > 3, x[j, 0:8])" in str(p)
    assert "set_if_and(8, m > 5, x[j, 0:8])" in str(p)
    for m in (2, 6):
        assert_equivalent(guarded_rows, p, backend="interp", trials=2, m=m)
    assert_equivalent(guarded_rows, p, backend="jit", trials=1, m=7)


def test_bool_parameter_cannot_stand_for_a_condition_on_the_blocks_iterator():
    with pytest.raises(UnificationError, match="the bool parameter f cannot stand for it: it "
                                               "uses i, which the block binds itself"):
        replace(guarded_rows, guarded_rows.find_loop("i #2"), set_if)


@proc
def two_conditions(m: size, x: f32[m, 8]):
    for j in seq(0, m):
        for i in seq(0, 8):
            if m > 5 and i < 4:
                x[j, i] = 1.0
            if m > 6:
                x[j, i] += 2.0


def test_bool_parameter_must_stand_for_one_condition():
    with pytest.raises(UnificationError, match=r"the bool parameter f stands for `m > 5` "
                                               "elsewhere in the block"):
        replace(two_conditions, two_conditions.find_loop("i"), set_if_and)
