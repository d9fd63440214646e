"""`exo_stdlib.stdlib` exports what Exo 1.0's ``exo.stdlib.stdlib`` does, so
a script written ``from exo.stdlib.stdlib import *`` ports by changing that
import; `exo_stdlib.scheduling` still loads no instruction library."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from tests.core.primitives.equivalence import assert_equivalent

# Exo 1.0's public names in exo.stdlib.stdlib, less the single-letter type
# variables and the accidental ``annotations``, ``dataclass`` and ``stdlib``
# (docs/porting.md).
EXO_STDLIB_NAMES = """
AMX_TILE AVX2 AVX512 AllocCursor ArgCursor ArgOrAllocCursorA AssignConfigCursor AssignCursor
BinaryOpCursor BlockCursor BlockCursorA BoolA CallCursor Config Cursor CursorNavigationError
DRAM DRAM_STACK DRAM_STATIC ExoType ExprCursor ExprCursorPrototype ExprListCursor Extern
ExternFunctionCursor ForCursor FormattedExprStr GEMM_ACCUM GEMM_SCRATCH GapCursor IfCursor
InvalidCursor InvalidCursorError LiteralCursor MDRAM MemGenError Memory MemoryError Neon
ParseFragmentError PassCursor ProcA Procedure ReadConfigCursor ReadCursor ReduceCursor
SchedulingError StaticMemory StmtCursor StmtCursorPrototype StrideExprCursor
UnaryMinusCursor WindowExprCursor WindowStmtCursor abs_rule add_loop add_unsafe_guard apply
are_exprs_equal attempt auto_stage_mem autofission autolift_alloc avx2_assoc_reduce_add_pd
avx2_assoc_reduce_add_ps avx2_convert_f32_lower_to_f64 avx2_convert_f32_upper_to_f64
avx2_fmadd_memu_ps avx2_mask_storeu_ps avx2_reduce_add_wide_pd avx2_reduce_add_wide_ps
avx2_reg_copy_pd avx2_reg_copy_ps avx2_select_pd avx2_select_ps avx2_set0_ps avx2_sign_pd
avx2_sign_ps avx2_ui16_divide_by_3 binary_specialize binary_specialize_cursors
bind_and_set_expr bind_and_set_expr_cursors bind_config bind_expr bound_loop_by_if call_eqv
call_site_mem_aware_replace check_call_mem_types check_call_site check_is_loop
checked_replace cleanup commute_expr compile_procs compile_procs_to_strings config cse
cut_loop cut_loop_ cut_loop_and_unroll cut_loop_and_unroll_cursors cut_loop_cursors dce
dealias dealiasing_pass delete_buffer delete_config delete_pass divide_dim divide_loop
divide_loop_ divide_loop_cursors divide_loop_recursive divide_loop_recursive_cursors
divide_with_recompute eliminate_dead_code expand_dim expr_to_string extract_subproc f32
fission fission_ fission_cursors fission_into_singles fma_rule fold_into_reduce fuse
generate_offset get_bounding_block get_children get_declaration get_depth get_distance
get_enclosing_if get_enclosing_loop get_enclosing_loop_by_name get_enclosing_scope
get_enclosing_stmt get_index_in_body get_inner_loop get_lca get_my_stmt get_nth_inner_loop
get_observed_stmts get_parent get_parents get_symbols get_top_level_stmt get_unique_names
hoist_from_loop hoist_from_loop_cursors hoist_stmt hoist_stmt_cursors inline inline_assign
inline_copies inline_window insert_noop_call insert_pass instr interleave_loop
interleave_outer_loop_with_inner_loop is_access is_add is_assign is_atomic_scheduling_op
is_binop is_builtin is_copy is_div is_end_of_body is_if is_literal is_loop
is_loop_bounds_const is_mod is_mul is_read is_reduce is_relu is_select is_sin
is_single_stmt_loop is_start_of_body is_stmt is_sub is_unary_minus is_write jam_stmt
jam_stmt_cursors join_loops left_reassociate_expr lift_alloc lift_if lift_rc
lift_reduce_constant lift_scope loop_body_len loop_hack lrn lrn_stmts make_instr make_pass
match_parent merge_writes mm256_add_epi16 mm256_add_pd mm256_add_ps mm256_broadcast_sd
mm256_broadcast_sd_scalar mm256_broadcast_ss mm256_broadcast_ss_scalar mm256_div_pd
mm256_div_ps mm256_fmadd_pd mm256_fmadd_ps mm256_fmadd_ps_broadcast mm256_loadu_pd
mm256_loadu_ps mm256_loadu_si256 mm256_mul_pd mm256_mul_ps mm256_prefix_add_ps
mm256_prefix_broadcast_ss mm256_prefix_div_ps mm256_prefix_load_ps mm256_prefix_mul_ps
mm256_prefix_store_ps mm256_prefix_sub_ps mm256_setzero_pd mm256_setzero_ps mm256_storeu_pd
mm256_storeu_ps mm256_storeu_si256 mm256_sub_pd mm256_sub_ps mm512_add_ps mm512_fmadd_ps
mm512_loadu_ps mm512_mask_add_ps mm512_mask_fmadd_ps mm512_mask_set1_ps mm512_mask_storeu_ps
mm512_maskz_loadu_ps mm512_relu_ps mm512_set1_ps mm512_setzero_ps mm512_storeu_ps mult_dim
mult_loops neon_assoc_reduce_add_instr_2xf64 neon_assoc_reduce_add_instr_4xf32
neon_broadcast_2xf64 neon_broadcast_2xf64_scalar neon_broadcast_4xf32
neon_broadcast_4xf32_scalar neon_broadcast_8xf16 neon_convert_f32_lower_to_f64
neon_convert_f32_upper_to_f64 neon_reduce_vadd_2xf64 neon_reduce_vadd_4xf32
neon_reg_copy_2xf64 neon_reg_copy_4xf32 neon_vadd_2xf64 neon_vadd_4xf32 neon_vadd_8xf16
neon_vfmadd_1xf16_8xf16 neon_vfmadd_1xf32_4xf32 neon_vfmadd_2xf64_2xf64
neon_vfmadd_4xf32_1xf32 neon_vfmadd_4xf32_4xf32 neon_vfmadd_8xf16_1xf16
neon_vfmadd_8xf16_8xf16 neon_vfmadd_ex_4xf32_4xf32 neon_vfmadd_ex_8xf16_8xf16
neon_vfmla2_4xf32_4xf32 neon_vfmla_4xf32_4xf32 neon_vfmla_8xf16_8xf16 neon_vld_2xf64
neon_vld_4xf32 neon_vld_8xf16 neon_vmul2_4xf32 neon_vmul_2xf64 neon_vmul_4xf32
neon_vmul_8xf16 neon_vneg_2xf64 neon_vneg_4xf32 neon_vst_2xf64 neon_vst_4xf32 neon_vst_8xf16
neon_zero_2xf64 neon_zero_4xf32 neon_zero_8xf16 nlr nlr_stmts nrl ordered_stage_expr par
parallelize_all_reductions parallelize_allocs parallelize_and_lift_alloc parallelize_loop
parallelize_reduction predicate prefetch proc rearrange_dim relu remove_loop rename
reorder_loops reorder_stmt_backwards reorder_stmt_forward reorder_stmts repeat repeate
replace replace_all replace_all_stmts replace_cursors replace_once resize_dim reuse_buffer
rewrite_expr rln round_loop sched_op sched_seq select set_memory set_precision set_window
shift_loop simplify sink_alloc size specialize specialize_ specialize_cursors split_write
stage_compute stage_expr_into_memory stage_mem stage_mem_ stage_mem_cursors stride
tile_loops tile_loops_bottom_up undo_divide_and_guard_loop unfold_reduce unroll_and_jam
unroll_and_jam_parent unroll_buffer unroll_buffers unroll_loop unroll_loops vectorize
vectorize_cursors vectorize_predicate_tail write_config
""".split()

SCRIPT = '''
from __future__ import annotations
from exo_stdlib.stdlib import *

@proc
def sub8(n: size, x: f32[n, 8], y: f32[n, 8], z: f32[n, 8]):
    for k in seq(0, n):
        for i in seq(0, 8):
            z[k, i] = x[k, i] - y[k, i]

p = sub8
body = p.find_loop("i")
p = stage_mem(p, body, "x[k, 0:8]", "vx")
p = stage_mem(p, p.forward(body), "y[k, 0:8]", "vy")
p = stage_mem(p, p.forward(body), "z[k, 0:8]", "vz")
p = simplify(p)
for name in ("vx", "vy", "vz"):
    p = set_memory(p, name, AVX2)
p = replace_all(p, [mm256_loadu_ps, mm256_storeu_ps, mm256_sub_ps])
p = dce(p)
assert isinstance(p.find_loop("k"), ForCursor)
assert isinstance(p.find_loop("k"), StmtCursorPrototype)
assert is_atomic_scheduling_op(divide_loop)
print(p)
c, h = compile_procs_to_strings([p], "sub8.h")
assert "_mm256_sub_ps" in c
'''


def test_stdlib_exports_every_name_exo_does():
    import exo_stdlib.stdlib as S
    missing = [n for n in EXO_STDLIB_NAMES if not hasattr(S, n)]
    assert not missing, missing


def test_a_script_using_only_the_stdlib_import_runs(tmp_path):
    f = tmp_path / "script.py"
    f.write_text(SCRIPT)
    r = subprocess.run([sys.executable, str(f)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "mm256_sub_ps(vz[0:8], vx[0:8], vy[0:8])" in r.stdout
    assert "mm256_loadu_ps(vx[0:8], x[k, 0:8])" in r.stdout
    assert "mm256_storeu_ps(z[k, 0:8], vz[0:8])" in r.stdout


def test_scheduling_does_not_load_the_instruction_libraries():
    code = ("import sys, exo_core, exo_stdlib.scheduling\n"
            "print(sorted(m for m in sys.modules if m.startswith('exo_codegen.platforms')"
            " or m == 'exo_stdlib.stdlib'))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_dce_removes_dead_code_everywhere():
    from exo_core import proc
    from exo_stdlib.stdlib import dce

    @proc
    def foo(n: size, x: f32[8]):
        for i in seq(0, 8):
            if i < 0:
                x[i] = 1.0
            for j in seq(0, 4):
                if j > 5:
                    x[j] = 2.0
                x[i] = 3.0
        if n < 0:
            x[0] = 0.0

    # Exo 1.0's printed result
    assert str(dce(foo)) == (
        "def foo(n: size, x: f32[8] @ DRAM):\n"
        "    for i in seq(0, 8):\n"
        "        for j in seq(0, 4):\n"
        "            x[i] = 3.0")
    assert_equivalent(foo, dce(foo), n=3)


def test_replace_rc_returns_the_call():
    from exo_core import proc
    from exo_stdlib.stdlib import AVX2, CallCursor, mm256_sub_ps, replace_

    @proc
    def k(x: f32[8] @ AVX2, y: f32[8] @ AVX2, out: f32[8] @ AVX2):
        out[0] = 1.0
        for i in seq(0, 8):
            out[i] = x[i] - y[i]

    p, c = replace_(k, k.find_loop("i"), mm256_sub_ps, rc=True)
    assert isinstance(c.call, CallCursor)
    assert c.call.proc() is p
    assert c.call.subproc().name() == "mm256_sub_ps"
    assert str(replace_(k, k.find_loop("i"), mm256_sub_ps)) == str(p)


def test_cursor_prototypes():
    from exo_core import proc
    from exo_stdlib.stdlib import ExprCursorPrototype, StmtCursorPrototype

    @proc
    def foo(x: f32[8]):
        for i in seq(0, 8):
            x[i] = 0.0

    assert isinstance(foo.find_loop("i"), StmtCursorPrototype)
    assert isinstance(foo.body(), StmtCursorPrototype)
    assert isinstance(foo.find_loop("i").before(), StmtCursorPrototype)
    assert isinstance(foo.find("0.0"), ExprCursorPrototype)
    assert not isinstance(foo.find("0.0"), StmtCursorPrototype)
    assert not isinstance(foo.find_loop("i"), ExprCursorPrototype)
    assert np.all([isinstance(a, StmtCursorPrototype) is False for a in foo.args()])


def test_par_is_only_a_loop_bound():
    import pytest
    from exo_stdlib.stdlib import par, proc

    with pytest.raises(SyntaxError, match="loop bound"):
        par(0, 4)

    @proc
    def zero(n: size, x: f32[n]):
        for i in par(0, n):
            x[i] = 0.0

    assert "for i in par(0, n):" in str(zero)
