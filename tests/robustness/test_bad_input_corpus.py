"""A corpus of user mistakes across the front end, scheduling, code generation
and the jit: each must raise the project's error class for it, at the user's
position (file, line and column), with
a plain sentence containing the given fragment.

- Front end: the source text of a procedure given to ``proc_from_source``;
  the offending line ends with ``# <- TEXT``: the error is at that line, at the
  column where TEXT first occurs on it.
- Scheduling: a call on one line of this file (a lambda); the error must
  point at that line and at the column where the call starts.
- Code generation and jit: the error points at the procedure's offending
  statement (file and line of its definition here) or at the calling line,
  and at the column where the ``at`` text first occurs on that line.

(The older `tests/core/test_bad_inputs.py` holds further front-end cases.)
"""

from __future__ import annotations

import sys
import textwrap

import numpy as np
import pytest

import exo_stdlib.scheduling as S
from exo_codegen.errors import CodegenError, JitArgumentError
from exo_codegen.jit import find_c_compiler, jit
from exo_codegen.memories import AVX512
from exo_codegen.platforms.x86 import mm512_loadu_ps
from exo_core import (ExoError, ExoTypeError, ParseError, SchedulingError,
                      compile_procs_to_strings, config, instr, proc)
from exo_core.api import proc_from_source
from exo_core.cursors.patterns import PatternNotFoundError
from exo_core.errors import (ArgumentTypeError, ArgumentValueError, MemGenError,
                             ParseFragmentError, VerificationError)
from exo_core.ir.memory import Memory
from tests.robustness.marker_check import expect

THIS_FILE = __file__


# ---------------------------------------------------------------------------
# front end


@config
class Cfg:
    gain: f32
    n: index


@proc
def take4(x: [f32][4]):
    for i in seq(0, 4):
        x[i] = 0.0


FRONT_SCOPE = {"Cfg": Cfg, "take4": take4, "AVX512": AVX512}

FRONT = [
    ("constant_index_out_of_bounds", VerificationError, "out of bounds", """
        def p(x: f32[8]):
            x[8] = 0.0  # <- 8
    """),
    ("loop_index_out_of_bounds", VerificationError, "out of bounds", """
        def p(n: size, x: f32[n]):
            for i in seq(0, n):
                x[i + 1] = 0.0  # <- i
    """),
    ("window_past_the_end", VerificationError, "may extend past the end of x", """
        def p(x: f32[8]):
            take4(x[6:10])  # <- 1
    """),
    ("reversed_window", ExoTypeError, "has extent -4", """
        def p(x: f32[8]):
            take4(x[5:1])  # <- x
    """),
    ("seq_with_a_step", ParseError, "seq takes two arguments", """
        def p(n: size, x: f32[n]):
            for i in seq(0, n, 2):  # <- seq
                x[i] = 0.0
    """),
    ("data_condition", ExoTypeError, "cannot be used in an if condition", """
        def p(x: f32[8]):
            if x[0] < 1.0:  # <- x
                x[1] = 0.0
    """),
    ("default_argument_value", ParseError, "cannot have default values", """
        def p(n: size = 4):  # <- 4
            pass
    """),
    ("star_args", ParseError, "plain `name: type` parameters", """
        def p(*xs):  # <- xs
            pass
    """),
    ("string_constant", ParseError, "has no str values", """
        def p(x: f32[8]):
            x[0] = "a"  # <- "
    """),
    ("list_literal", ParseError, "a list is not supported", """
        def p(x: f32[8]):
            x[0] = [1.0]  # <- [1
    """),
    ("tuple_assignment", ParseError, "tuple assignment is not supported", """
        def p(x: f32[8]):
            x[0], x[1] = 1.0, 2.0  # <- x
    """),
    ("times_equals", ParseError, "only += is supported", """
        def p(x: f32[8]):
            x[0] *= 2.0  # <- x
    """),
    ("del_statement", ParseError, "del is not supported", """
        def p(x: f32[8]):
            del x  # <- del
    """),
    ("with_statement", ParseError, "with statements are not supported", """
        def p(x: f32[8]):
            with x:  # <- with
                pass
    """),
    ("nested_function", ParseError, "nested function definitions are not supported", """
        def p(x: f32[8]):
            def q():  # <- def
                pass
    """),
    ("import_in_body", ParseError, "import is not allowed inside a procedure", """
        def p(x: f32[8]):
            import os  # <- import
    """),
    ("break_statement", ParseError, "break is not supported", """
        def p(x: f32[8]):
            for i in seq(0, 8):
                break  # <- break
    """),
    ("float_shape", ExoTypeError, "the float 2.5 cannot be used in the shape of t", """
        def p(x: f32[8]):
            t: f32[2.5]  # <- 2.
            pass
    """),
    ("non_affine_shape", ExoTypeError, "n * n is not affine", """
        def p(n: size, x: f32[n * n]):  # <- n * n
            pass
    """),
    ("unknown_precision", ParseError, "f33 is not a type", """
        def p(x: f33[8]):  # <- f33
            pass
    """),
    ("data_assertion", ExoTypeError, "cannot be used in a precondition", """
        def p(x: f32[8]):
            assert x[0] > 0.0  # <- x
            pass
    """),
    ("size_indexed", ExoTypeError, "cannot assign to n: it is a size argument", """
        def p(n: size, x: f32[8]):
            n[0] = 1.0  # <- n
    """),
    ("scalar_indexed", ExoTypeError, "s is a scalar and cannot be indexed", """
        def p(s: f32, x: f32[8]):
            x[0] = s[0]  # <- s
    """),
    ("keyword_argument_in_call", ParseError, "keyword arguments are not supported", """
        def p(x: f32[8]):
            take4(x=x[0:4])  # <- x
    """),
    ("config_write_of_wrong_kind", ExoTypeError, "the float 1.5 cannot be used in the value of Cfg.n", """
        def p(x: f32[8]):
            Cfg.n = 1.5  # <- 1
    """),
    ("power_operator", ParseError, "operator ** is not supported", """
        def p(n: size, x: f32[n]):
            for i in seq(0, n):
                x[i] = x[i] ** 2.0  # <- x[i] *
    """),
    ("bitwise_and", ParseError, "operator & is not supported", """
        def p(n: size, x: f32[n]):
            for i in seq(0, n):
                if i & 1 == 0:  # <- i & 1
                    x[i] = 0.0
    """),
    ("chained_indexing", ParseError, "only named buffers can be indexed", """
        def p(x: f32[8, 8]):
            x[0][1] = 0.0  # <- x
    """),
    ("attribute_of_buffer", ParseError, "has no attribute shape", """
        def p(x: f32[8]):
            x[0] = x.shape  # <- x.
    """),
    ("slice_with_step", ParseError, "window slices cannot have a step", """
        def p(x: f32[8]):
            take4(x[0:8:2])  # <- 0
    """),
    ("window_too_short_for_parameter", ExoTypeError, "has extent 3 but take4's parameter x expects 4", """
        def p(x: f32[8]):
            take4(x[0:3])  # <- x
    """),
    ("global_statement", ParseError, "global is not supported", """
        def p(x: f32[8]):
            global q  # <- global
    """),
    ("try_statement", ParseError, "try statements are not supported", """
        def p(x: f32[8]):
            try:  # <- try
                x[0] = 1.0
            except:
                pass
    """),
    ("lambda_expression", ParseError, "lambda is not supported", """
        def p(x: f32[8]):
            x[0] = (lambda: 1.0)  # <- lambda
    """),
    ("conditional_expression", ParseError, "a conditional expression (x if c else y) is not supported", """
        def p(n: size, x: f32[8]):
            x[0] = 1.0 if n > 1 else 2.0  # <- 1
    """),
    ("tuple_loop_target", ParseError, "the loop variable must be a single name", """
        def p(n: size, x: f32[8]):
            for i, j in seq(0, n):  # <- i
                pass
    """),
    ("for_else", ParseError, "for ... else is not supported", """
        def p(n: size, x: f32[n]):
            for i in seq(0, n):
                x[i] = 0.0
            else:
                pass  # <- pass
    """),
    ("negative_index", VerificationError, "index -1 of x is out of bounds", """
        def p(x: f32[8]):
            x[-1] = 0.0  # <- -
    """),
    ("division_by_zero_in_index", ExoTypeError, "divides by 0", """
        def p(n: size, x: f32[n]):
            for i in seq(0, n):
                x[i / 0] = 0.0  # <- i
    """),
    ("unknown_name_in_shape", ParseError, "name m is not defined", """
        def p(x: f32[8]):
            t: f32[m]  # <- m
            pass
    """),
    ("python_builtin_call", ParseError, "function abs is not defined", """
        def p(x: f32[8]):
            x[0] = abs(x[1])  # <- abs
    """),
    ("boolean_operator_on_data", ExoTypeError, "data expressions cannot contain comparisons", """
        def p(x: f32[8]):
            x[0] = x[1] and x[2]  # <- x[1
    """),
    ("index_on_the_left_of_a_size", ParseError, "argument n cannot be a buffer of size", """
        def p(n: size[4]):  # <- size
            pass
    """),
]


def _marked(source: str) -> tuple[str, int, int]:
    """The text, the marked line and the expected column: where the text after
    ``# <-`` first occurs on that line."""
    text = textwrap.dedent(source).lstrip("\n")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if "# <-" in line]
    assert len(lines) == 1, "mark exactly one line with # <-"
    n, line = lines[0]
    code, at = line.split("# <-")
    assert at.strip() and at.strip() in code, "give the text the column points at after # <-"
    return text, n, code.index(at.strip())


@pytest.mark.parametrize("name, cls, fragment, source", FRONT, ids=[c[0] for c in FRONT])
def test_front_end_mistake(name, cls, fragment, source):
    text, line, col = _marked(source)
    filename = f"{name}.py"
    with pytest.raises(cls) as info:
        proc_from_source(text, FRONT_SCOPE, filename=filename)
    err = info.value
    assert type(err) is cls, f"expected {cls.__name__}, got {type(err).__name__}: {err}"
    assert fragment in err.message, err.message
    assert err.srcinfo is not None and err.srcinfo.filename == filename, str(err)
    assert err.srcinfo.lineno == line, str(err)
    assert err.srcinfo.col_offset == col, str(err)
    assert str(err).startswith(f"{filename}:{line}:"), str(err)


# ---------------------------------------------------------------------------
# scheduling


@proc
def base(n: size, x: f32[n, 8], y: f32[n, 8]):
    assert n >= 2
    for i in seq(0, n):
        for j in seq(0, 8):
            x[i, j] = y[i, j] + 1.0
    for k in seq(0, n):
        y[k, 0] = 2.0
    for k2 in seq(0, n):
        y[k2, 1] += 1.0


@proc
def skew(n: size, x: f32[n + 1, n + 1]):
    for i in seq(0, n):
        for j in seq(0, n):
            x[i + 1, j] = x[i, j + 1]


@proc
def guarded(n: size, x: f32[n]):
    for i in seq(0, n):
        if i < 3:
            x[i] = 0.0
        x[i] += 1.0


@proc
def shifted(n: size, x: f32[n + 1], y: f32[n]):
    assert n >= 4
    for i in seq(0, n):
        x[i] = 1.0
        y[i] = x[i + 1]


@proc
def idle(n: size, x: f32[n]):
    assert n >= 2
    for r in seq(0, 2):
        x[0] += 1.0
    for e in seq(0, n - 2):
        x[1] = 2.0


@proc
def gap(n: size, x: f32[n]):
    assert n >= 4
    for i in seq(0, 2):
        x[i] = 0.0
    for i in seq(3, n):
        x[i] = 0.0


@proc
def flow(n: size, x: f32[n + 1], y: f32[n]):
    for i in seq(0, n):
        x[i] = 1.0
    for j in seq(0, n):
        y[j] = x[j + 1]


@proc
def cond_in_loop(n: size, x: f32[n]):
    for i in seq(0, n):
        if i < 2:
            x[i] = 0.0


@proc
def other(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i] = 0.0


CUT = S.cut_loop(base, "k", 1)

SCHED = [
    ("divide_by_zero", ArgumentTypeError, "div_const must be at least 1, got 0",
     lambda: S.divide_loop(base, "i", 0, ["io", "ii"])),
    ("divide_by_a_string", ArgumentTypeError, "div_const must be an integer constant, got '4'",
     lambda: S.divide_loop(base, "i", "4", ["io", "ii"])),
    ("divide_with_one_name", ArgumentTypeError, "new_iters must be a list of 2 strings",
     lambda: S.divide_loop(base, "i", 4, ["io"])),
    ("divide_with_taken_name", ArgumentValueError, "the name j is already used here",
     lambda: S.divide_loop(base, "i", 4, ["j", "ii"])),
    ("divide_with_unknown_tail", ArgumentValueError, "tail must be one of guard, cut",
     lambda: S.divide_loop(base, "i", 4, ["io", "ii"], tail="bogus")),
    ("divide_perfect_not_divisible", SchedulingError, "the trip count must be divisible by 4",
     lambda: S.divide_loop(base, "i", 4, ["io", "ii"], perfect=True)),
    ("divide_missing_argument", ArgumentTypeError, "missing a required argument: 'new_iters'",
     lambda: S.divide_loop(base, "i", 4)),
    ("divide_unknown_keyword", ArgumentTypeError, "unexpected keyword argument 'tails'",
     lambda: S.divide_loop(base, "i", 4, ["io", "ii"], tails="cut")),
    ("pattern_matching_nothing", PatternNotFoundError, "no code matches the pattern 'for q in",
     lambda: S.divide_loop(base, "q", 4, ["io", "ii"])),
    ("pattern_with_bad_syntax", ParseError, "bad pattern 'for i in'",
     lambda: S.divide_loop(base, "for i in", 4, ["io", "ii"])),
    ("loop_primitive_on_a_statement", ArgumentTypeError, "expected a loop",
     lambda: S.divide_loop(base, base.find("y[_] = 2.0"), 4, ["io", "ii"])),
    ("reorder_not_nested", ArgumentValueError, "but the loop directly inside it is j",
     lambda: S.reorder_loops(base, "i k")),
    ("reorder_body_not_a_loop", ArgumentValueError, "its body is a assign statement",
     lambda: S.reorder_loops(base, "k")),
    ("reorder_against_a_dependence", SchedulingError, "swapping the loops would reorder them",
     lambda: S.reorder_loops(skew, "i j")),
    ("fission_at_block_edge", SchedulingError, "not at the edge of a block",
     lambda: S.fission(guarded, guarded.find_loop("i").body()[0].before())),
    ("fission_zero_lifts", ArgumentTypeError, "n_lifts must be at least 1, got 0",
     lambda: S.fission(guarded, guarded.find("x[_] += _").before(), n_lifts=0)),
    ("fission_too_many_lifts", SchedulingError, "would lift past the procedure body",
     lambda: S.fission(guarded, guarded.find("x[_] += _").before(), n_lifts=3)),
    ("fission_against_a_dependence", SchedulingError, "fission would reorder them",
     lambda: S.fission(shifted, shifted.find("x[_] = 1.0").after())),
    ("remove_loop_using_its_iterator", SchedulingError, "the loop body uses the iterator k",
     lambda: S.remove_loop(base, "k")),
    ("remove_loop_not_idempotent", SchedulingError, "it is not idempotent",
     lambda: S.remove_loop(idle, "r")),
    # (a loop that may never run is not a mistake: remove_loop guards its body)
    ("remove_loop_flag_not_bool", ArgumentTypeError,
     "unsafe_disable_check must be True or False, got 1",
     lambda: S.remove_loop(idle, "e", unsafe_disable_check=1)),
    ("add_loop_running_zero_times", SchedulingError, "the new loop r must run at least once",
     lambda: S.add_loop(base, "y[_] = 2.0", "r", "n - 2")),
    ("add_loop_bad_name", ArgumentTypeError, "'1r' is not a valid variable name",
     lambda: S.add_loop(base, "y[_] = 2.0", "1r", 2)),
    ("add_loop_unknown_name_in_bound", ParseFragmentError, "q is not a variable visible here",
     lambda: S.add_loop(base, "y[_] = 2.0", "r", "q + 1")),
    ("add_loop_not_idempotent", SchedulingError, "so running it twice would add twice",
     lambda: S.add_loop(base, "y[_] += _", "r", 2)),
    ("unroll_symbolic_bound", SchedulingError, "the bounds of loop i must be literal integers",
     lambda: S.unroll_loop(base, "i")),
    ("cut_past_the_end", SchedulingError, "the cut point must lie within the loop's range",
     lambda: S.cut_loop(base, "i", "n + 1")),
    ("cut_point_syntax_error", ParseFragmentError, "cannot parse the expression 'n +'",
     lambda: S.cut_loop(base, "i", "n +")),
    ("shift_to_negative", SchedulingError, "the new lower bound must be non-negative",
     lambda: S.shift_loop(base, "i", -1)),
    ("mult_symbolic_inner", SchedulingError, "the inner loop i must have a literal positive bound",
     lambda: S.mult_loops(S.reorder_loops(base, "i j"), "j i", "ij")),
    ("mult_not_nested", ArgumentValueError, "(two directly nested loops)",
     lambda: S.mult_loops(base, "k", "kk")),
    ("join_not_adjacent", SchedulingError, "the second loop must come right after the first",
     lambda: S.join_loops(base, base.find_loop("i"), base.find_loop("k2"))),
    ("join_different_bodies", SchedulingError, "the two loops must have the same body",
     lambda: S.join_loops(base, base.find_loop("k"), base.find_loop("k2"))),
    ("join_with_a_gap", SchedulingError, "the second loop must start where the first ends",
     lambda: S.join_loops(gap, gap.find_loop("i"), gap.find_loop("i #1"))),
    ("fuse_not_adjacent", SchedulingError, "the second right after the first",
     lambda: S.fuse(base, base.find_loop("i"), base.find_loop("k2"))),
    ("fuse_a_loop_and_a_statement", SchedulingError, "fuse expects two loops or two ifs",
     lambda: S.fuse(guarded, guarded.find("if _: _"), guarded.find("x[_] += _"))),
    ("fuse_different_bounds", SchedulingError, "the loop bounds differ: 0 vs 1",
     lambda: S.fuse(CUT, CUT.find_loop("k"), CUT.find_loop("k #1"))),
    ("fuse_against_a_dependence", SchedulingError, "fusing the loops would reorder them",
     lambda: S.fuse(flow, flow.find_loop("i"), flow.find_loop("j"))),
    ("lift_scope_at_top_level", SchedulingError, "is not inside a loop or an if",
     lambda: S.lift_scope(base, base.find_loop("k"))),
    ("lift_scope_of_an_assignment", SchedulingError, "lift_scope expects a loop or an if",
     lambda: S.lift_scope(base, base.find("y[_] = 2.0"))),
    ("lift_scope_iterator_condition", SchedulingError, "the condition depends on the loop iterator",
     lambda: S.lift_scope(cond_in_loop, cond_in_loop.find("if _: _"))),
    ("reorder_stmts_not_commuting", SchedulingError, "they do not commute",
     lambda: S.reorder_stmts(guarded, guarded.find("if _: _").expand(0, 1))),
    ("reorder_stmts_three_statements", SchedulingError, "exactly two statements, got 3",
     lambda: S.reorder_stmts(base, base.find_loop("i").expand(0, 2))),
    ("specialize_without_conditions", ArgumentValueError, "conds needs at least one condition",
     lambda: S.specialize(base, "y[_] = 2.0", [])),
    ("specialize_on_a_number", SchedulingError, "n + 1 is not a condition",
     lambda: S.specialize(base, "y[_] = 2.0", "n + 1")),
    ("specialize_on_an_int", ArgumentTypeError, "conds must be a condition string or a list",
     lambda: S.specialize(base, "y[_] = 2.0", 5)),
    ("eliminate_undecidable_if", SchedulingError, "could not prove the condition 'i < 3'",
     lambda: S.eliminate_dead_code(guarded, "if _: _")),
    ("eliminate_an_assignment", SchedulingError, "expects an if or a for statement",
     lambda: S.eliminate_dead_code(base, "y[_] = 2.0")),
    ("recompute_dependent_iterations", SchedulingError, "the iterations are not independent",
     lambda: S.divide_with_recompute(shifted, "i", "n / 2", 2, ["io", "ii"])),
    ("recompute_not_covering", SchedulingError, "the chunks must cover the loop's range",
     lambda: S.divide_with_recompute(base, "k", "n", 2, ["io", "ii"])),
    ("recompute_zero_stride", ArgumentTypeError, "outer_stride must be at least 1, got 0",
     lambda: S.divide_with_recompute(base, "k", "1", 0, ["io", "ii"])),
    ("rename_to_a_keyword", ArgumentTypeError, "'for' is not a valid procedure name",
     lambda: S.rename(base, "for")),
    ("insert_pass_at_a_loop", ArgumentTypeError, "expected a gap between statements",
     lambda: S.insert_pass(base, base.find_loop("k"))),
    ("primitive_on_a_string", ArgumentTypeError, "expected a procedure as the first argument",
     lambda: S.simplify("base")),
    ("cursor_of_another_procedure", SchedulingError, "the cursor is from procedure 'other'",
     lambda: S.remove_loop(base, other.find_loop("i"))),
    ("add_unsafe_guard_bad_condition", ParseFragmentError, "cannot parse the expression 'n +'",
     lambda: S.add_unsafe_guard(base, "y[_] = 2.0", "n +")),
]


@pytest.mark.parametrize("name, cls, fragment, call", SCHED, ids=[c[0] for c in SCHED])
def test_scheduling_mistake(name, cls, fragment, call):
    with pytest.raises(ExoError) as info:
        call()
    err = info.value
    assert type(err) is cls, f"expected {cls.__name__}, got {type(err).__name__}: {err}"
    assert fragment in err.message, err.message
    line = call.__code__.co_firstlineno
    src = open(THIS_FILE).read().splitlines()[line - 1]
    assert err.srcinfo is not None and err.srcinfo.filename == THIS_FILE, str(err)
    assert err.srcinfo.lineno == line, (str(err), src)
    assert err.srcinfo.col_offset == src.index("S."), (str(err), src)


# ---------------------------------------------------------------------------
# code generation: reported at the offending statement, the procedure whose
# name is wrong, or the calling line


@proc
def register_element(x: f32[16]):
    r: f32[16] @ AVX512
    x[0] = r[0] + 1.0  # ERR:reg_elem


@proc
def tensor4(x: f32[4]):
    x[0] = 1.0


@proc
def window_to_tensor(y: f32[8]):
    tensor4(y[2:6])  # ERR:win_tensor


@proc
def load_from_dram(x: f32[16], y: f32[16]):
    mm512_loadu_ps(x, y)  # ERR:loadu


@instr("{0} = {1};")
def positional_hole(a: f32[1], b: f32[1]):
    a[0] = b[0]


@proc
def uses_positional(x: f32[1], y: f32[1]):
    positional_hole(x, y)  # ERR:positional


@instr("{foo} = {b_data};")
def unknown_hole(a: f32[1], b: f32[1]):
    a[0] = b[0]


@proc
def uses_unknown_hole(x: f32[1], y: f32[1]):
    unknown_hole(x, y)  # ERR:unknown_hole


@proc
def window_of_register(x: f32[16]):
    r: f32[16] @ AVX512
    w = r[0:8]  # ERR:reg_window


class FailingMemory(Memory):
    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo):
        raise RuntimeError("no room")


@proc
def failing_alloc(x: f32[4]):
    t: f32[4] @ FailingMemory  # ERR:alloc_hook
    t[0] = 1.0
    x[0] = t[0]


@proc
def one(x: f32[1]):  # ERR:kw
    x[0] = 1.0


@proc
def another_one(x: f32[1]):  # ERR:twice
    x[0] = 2.0


def _compile(*procs):
    return compile_procs_to_strings(list(procs), "out.h")


def test_codegen_element_access_to_a_register():
    with expect(MemGenError, "cannot read or write AVX512 buffer r element-wise", "reg_elem", at="r[0]"):
        _compile(register_element)


def test_codegen_window_to_a_tensor_parameter():
    with expect(CodegenError, "cannot pass a window to x, a tensor parameter", "win_tensor", at="y[2:6]"):
        _compile(window_to_tensor)


def test_codegen_instruction_argument_in_the_wrong_memory():
    with expect(CodegenError, "must be in AVX512 memory, but x is in DRAM", "loadu", at="x, y"):
        _compile(load_from_dram)


def test_codegen_positional_hole_in_instruction_text():
    with expect(CodegenError, "has a positional hole {0}", "positional", at="positional_hole("):
        _compile(uses_positional)


def test_codegen_hole_naming_no_argument():
    with expect(CodegenError, "has a hole {foo} that names none of its arguments", "unknown_hole", at="unknown_hole("):
        _compile(uses_unknown_hole)


def test_codegen_window_statement_over_a_register():
    with expect(CodegenError, "window statements over AVX512 buffers (r)", "reg_window", at="w ="):
        _compile(window_of_register)


def test_codegen_memory_hook_failure():
    with expect(MemGenError, "memory FailingMemory failed in its alloc() hook", "alloc_hook", at="t:"):
        _compile(failing_alloc)


def test_codegen_c_keyword_as_procedure_name():
    with expect(CodegenError, "the procedure name 'static' cannot be a C function name", "kw", at="def"):
        _compile(S.rename(one, "static"))


def test_codegen_two_procedures_of_one_name():
    with expect(CodegenError, "two different procedures are both named one", "twice", at="def"):
        _compile(one, S.rename(another_one, "one"))


def test_codegen_not_a_procedure():
    with expect(CodegenError, "expected a procedure (made with @proc), got str", "not_proc", at="compile_procs_to_strings"):
        compile_procs_to_strings([one, "one"], "out.h")  # ERR:not_proc


def test_codegen_header_name_not_a_string():
    with expect(CodegenError, "the header file name must be a string, got int", "h_int", at="compile_procs_to_strings"):
        compile_procs_to_strings([one], 5)  # ERR:h_int


# ---------------------------------------------------------------------------
# jit: argument mistakes are reported at the parameter's declaration, the
# failed precondition at its assertion, aliasing at the procedure


@proc
def scale_all(n: size, x: f32[n]):  # ERR:jit_def
    assert n >= 2  # ERR:jit_assert
    for i in seq(0, n):
        x[i] = x[i] * 2.0


@proc
def copy_one(x: f32[2], y: f32[2]):  # ERR:jit_alias
    x[0] = y[0]


@pytest.fixture(scope="module")
def lib():
    if find_c_compiler() is None:
        pytest.skip("no C compiler (cc/$CC) installed")
    return jit([scale_all, copy_one])


def _f32(*shape):
    return np.ones(shape, np.float32)


JIT = [
    ("too_few_arguments", "scale_all takes 2 arguments; missing x", "jit_def", "def",
     lambda f: f.scale_all(2)),
    ("too_many_arguments", "takes 2 arguments but 3 were given", "jit_def", "def",
     lambda f: f.scale_all(2, _f32(2), 3)),
    ("unknown_keyword", "scale_all has no parameter named z", "jit_def", "def",
     lambda f: f.scale_all(2, _f32(2), z=3)),
    ("argument_given_twice", "scale_all got two values for n", "jit_def", "def",
     lambda f: f.scale_all(2, _f32(2), n=3)),
    ("precondition_violated", "precondition `assert n >= 2` does not hold", "jit_assert",
     'n >= 2',
     lambda f: f.scale_all(1, _f32(1))),
    ("wrong_dtype", "must have dtype float32, got float64", "jit_def", "x: f32",
     lambda f: f.scale_all(2, np.ones(2))),
    ("wrong_shape", "must have shape [n=2], got [3]", "jit_def", "x: f32",
     lambda f: f.scale_all(2, _f32(3))),
    ("wrong_rank", "must have shape [n=2], got [2, 1]", "jit_def", "x: f32",
     lambda f: f.scale_all(2, _f32(2, 1))),
    ("float_size", "argument n (size) must be an int, got float", "jit_def", "n: size",
     lambda f: f.scale_all(2.5, _f32(2))),
    ("negative_size", "must be a positive size (at least 1), got -2", "jit_def", "n: size",
     lambda f: f.scale_all(-2, _f32(2))),
    ("bool_size", "argument n (size) must be an int, got bool", "jit_def", "n: size",
     lambda f: f.scale_all(True, _f32(1))),
    ("list_for_a_buffer", "must be a numpy array of dtype float32, got list", "jit_def", "x: f32",
     lambda f: f.scale_all(2, [1.0, 2.0])),
    ("strided_array", "must be C-contiguous", "jit_def", "x: f32",
     lambda f: f.scale_all(2, _f32(4)[::2])),
    ("read_only_array", "is written by the procedure but the array is read-only", "jit_def",
     "x: f32",
     lambda f: f.scale_all(2, np.frombuffer(bytes(8), np.float32))),
    ("aliased_arrays", "arguments x and y overlap in memory", "jit_alias", "def",
     lambda f: f.copy_one(*[_f32(2)] * 2)),
]


@pytest.mark.parametrize("name, fragment, tag, at, call", JIT, ids=[c[0] for c in JIT])
def test_jit_mistake(lib, name, fragment, tag, at, call):
    with expect(JitArgumentError, fragment, tag, at=at):
        call(lib)


def test_jit_of_a_string():
    with expect(CodegenError, "expected a procedure (made with @proc), got str", "jit_str", at="jit("):
        jit("scale_all")  # ERR:jit_str
