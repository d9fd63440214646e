"""Python that is not object code must be rejected with an ExoError subclass
carrying the user's real file position and a plain sentence.

Each test defines a bad procedure right here; the offending line carries a
``# ERR:<tag>`` marker and the test checks that the reported line is that one.
"""

from __future__ import annotations

import random

import pytest

from exo_core import DRAM, ExoError, ExoTypeError, ParseError, config, proc, instr
from exo_core.api import proc_from_source
from exo_core.errors import AliasedArgumentsError
from exo_core.ir.extern import select
from exo_core.ir.printer import source_scope

_THIS_FILE = __file__
with open(_THIS_FILE) as _f:
    _LINES = _f.read().splitlines()


def _marker_line(tag: str) -> int:
    hits = [n for n, text in enumerate(_LINES, 1) if text.rstrip().endswith(f"# ERR:{tag}")]
    assert len(hits) == 1, f"marker {tag} must appear exactly once"
    return hits[0]


class expect:
    """``with expect(ExoTypeError, "fragment", "tag"): <bad definition>``"""

    def __init__(self, cls, fragment: str, tag: str):
        self.cls, self.fragment, self.tag = cls, fragment, tag

    def __enter__(self):
        return self

    def __exit__(self, et, ev, tb):
        assert ev is not None, f"expected {self.cls.__name__}, nothing was raised"
        assert type(ev) is self.cls, f"expected {self.cls.__name__}, got {et.__name__}: {ev}"
        assert self.fragment in ev.message, ev.message
        assert ev.srcinfo is not None
        assert ev.srcinfo.filename == _THIS_FILE
        assert ev.srcinfo.lineno == _marker_line(self.tag), (str(ev), self.tag)
        assert str(ev).startswith(f"{_THIS_FILE}:{ev.srcinfo.lineno}:")
        return True


@proc
def take3(x: [f32][3]):
    for i in seq(0, 3):
        x[i] = 0.0


@proc
def take_tensor(x: f32[10]):
    pass


@proc
def two_windows(a: [f32][5], b: [f32][5]):
    pass


@proc
def two_tensors(a: f32[8], b: f32[8]):
    pass


@proc
def scale(s: f32):
    s = s * 2.0


@config
class Cfg:
    scale: f32
    n: index


# ------------------------------------------------------------ affine indexing

def test_non_affine_index():
    with expect(ExoTypeError, "is not affine", "nonaffine"):
        @proc
        def p(n: size, x: f32[n, n]):
            for i in seq(0, n):
                for j in seq(0, n):
                    x[i * j, 0] = 0.0  # ERR:nonaffine


def test_non_affine_condition():
    with expect(ExoTypeError, "is not affine", "nonaffine_cond"):
        @proc
        def p(n: size, m: size):
            if n * m < 30:  # ERR:nonaffine_cond
                pass


def test_division_by_non_constant():
    with expect(ExoTypeError, "divides by a non-constant", "div"):
        @proc
        def p(n: size, x: f32[n]):
            for i in seq(0, n):
                x[i / n] = 0.0  # ERR:div


def test_modulo_by_zero():
    with expect(ExoTypeError, "positive constant", "mod0"):
        @proc
        def p(n: size, x: f32[n]):
            for i in seq(0, n):
                x[i % 0] = 0.0  # ERR:mod0


# ------------------------------------------------------ control versus data

def test_value_dependent_control():
    with expect(ExoTypeError, "data value data[i] cannot be used", "valdep"):
        @proc
        def p(data: f32[8]):
            for i in seq(0, 8):
                if data[i] < 3.0:  # ERR:valdep
                    pass


def test_data_value_as_index():
    with expect(ExoTypeError, "data value y cannot be used in an index", "dataidx"):
        @proc
        def p(x: f32[8], y: f32):
            x[y] = 1.0  # ERR:dataidx


def test_float_index():
    with expect(ExoTypeError, "the float 1.5", "floatidx"):
        @proc
        def p(x: f32[8]):
            x[1.5] = 1.0  # ERR:floatidx


def test_control_value_as_data():
    with expect(ExoTypeError, "is a control value", "ctrldata"):
        @proc
        def p(n: size, x: f32[n]):
            for i in seq(0, n):
                x[i] = i  # ERR:ctrldata


def test_comparison_in_data():
    with expect(ExoTypeError, "is a condition", "cmpdata"):
        @proc
        def p(x: f32[8], a: f32, b: f32):
            x[0] = a < b  # ERR:cmpdata


def test_whole_buffer_as_value():
    with expect(ExoTypeError, "index it", "wholebuf"):
        @proc
        def p(x: f32[3]):
            y: f32
            y = x  # ERR:wholebuf


# ------------------------------------------------------------- assignments

def test_assign_to_size():
    with expect(ExoTypeError, "cannot assign to N: it is a size argument", "asgsize"):
        @proc
        def p(N: size):
            N = 3  # ERR:asgsize


def test_assign_to_loop_variable():
    with expect(ExoTypeError, "loop variable", "asgloop"):
        @proc
        def p(x: f32[4]):
            for i in seq(0, 4):
                i = 0  # ERR:asgloop


def test_reduce_into_size():
    with expect(ExoTypeError, "cannot reduce into N", "redsize"):
        @proc
        def p(N: size):
            N += 1  # ERR:redsize


def test_wrong_number_of_indices():
    with expect(ExoTypeError, "has 2 dimensions but is accessed with 1 index", "nidx"):
        @proc
        def p(x: f32[4, 4]):
            x[0] = 1.0  # ERR:nidx


def test_undeclared_assignment():
    with expect(ParseError, "z is not declared", "undecl"):
        @proc
        def p(x: f32[4]):
            z = 1.0  # ERR:undecl


def test_unknown_name():
    with expect(ParseError, "name zz is not defined", "unknown"):
        @proc
        def p(x: f32[4]):
            x[0] = zz  # ERR:unknown


def test_minus_equals():
    with expect(ParseError, "only += is supported", "minuseq"):
        @proc
        def p(x: f32[4]):
            x[0] -= 1.0  # ERR:minuseq


def test_chained_assignment():
    with expect(ParseError, "chained assignment", "chain"):
        @proc
        def p(x: f32[4], y: f32[4]):
            x[0] = y[0] = 1.0  # ERR:chain


# ------------------------------------------------------------ statements

def test_while_loop():
    with expect(ParseError, "while loops are not supported", "while"):
        @proc
        def p(x: f32[4]):
            while True:  # ERR:while
                pass


def test_return():
    with expect(ParseError, "do not return values", "return"):
        @proc
        def p(x: f32[4]):
            return  # ERR:return


def test_for_over_range():
    with expect(ParseError, "loops must iterate over seq", "range"):
        @proc
        def p(x: f32[4]):
            for i in range(0, 4):  # ERR:range
                pass


def test_nested_assert():
    with expect(ParseError, "top level", "nestassert"):
        @proc
        def p(n: size):
            for i in seq(0, n):
                assert i < n  # ERR:nestassert


def test_assert_on_local():
    with expect(ExoTypeError, "can only refer to procedure arguments", "assertlocal"):
        @proc
        def p(n: size):
            y: f32
            assert y < n  # ERR:assertlocal


def test_not_equal():
    with expect(ParseError, "comparison != is not supported", "neq"):
        @proc
        def p(n: size):
            if n != 3:  # ERR:neq
                pass


def test_not_operator():
    with expect(ParseError, "`not` is not supported", "not"):
        @proc
        def p(n: size):
            if not n < 3:  # ERR:not
                pass


def test_alloc_with_value():
    with expect(ParseError, "cannot have an initial value", "allocval"):
        @proc
        def p(n: size):
            y: f32 = 0.0  # ERR:allocval


def test_alloc_of_control_type():
    with expect(ParseError, "must have a numeric type", "allocctrl"):
        @proc
        def p(n: size):
            k: size  # ERR:allocctrl


def test_extern_as_statement():
    with expect(ParseError, "returns a value", "externstmt"):
        @proc
        def p(a: f32):
            select(a, a, a, a)  # ERR:externstmt


def test_undefined_procedure():
    with expect(ParseError, "procedure nope is not defined", "noproc"):
        @proc
        def p(a: f32):
            nope(a)  # ERR:noproc


# ------------------------------------------------------------ signatures

def test_missing_annotation():
    with expect(ParseError, "needs a type annotation", "noannot"):
        @proc
        def p(n: size,
              x):  # ERR:noannot
            pass


def test_memory_on_size():
    with expect(ParseError, "cannot have a memory annotation", "sizemem"):
        @proc
        def p(n: size @ DRAM):  # ERR:sizemem
            pass


def test_unknown_memory():
    with expect(ParseError, "memory NOWHERE is not defined", "nomem"):
        @proc
        def p(x: f32[4] @ NOWHERE):  # ERR:nomem
            pass


def test_unknown_type():
    with expect(ParseError, "f33 is not a type", "notype"):
        @proc
        def p(x: f33[4]):  # ERR:notype
            pass


def test_shape_uses_later_argument():
    with expect(ParseError, "used before its declaration", "later"):
        @proc
        def p(x: f32[n],  # ERR:later
              n: size):
            pass


def test_stride_dimension_out_of_range():
    with expect(ExoTypeError, "x has 1 dimension", "stridedim"):
        @proc
        def p(x: f32[4]):
            assert stride(x, 2) == 1  # ERR:stridedim


def test_config_unknown_field():
    with expect(ParseError, "config Cfg has no field nope", "cfgfield"):
        @proc
        def p(x: f32[4]):
            x[0] = Cfg.nope  # ERR:cfgfield


# ------------------------------------------------------------------ calls

def test_element_to_tensor_parameter():
    # windows (and partial indexing, x[1] of a 2-d x) are accepted for a tensor
    # parameter, as in Exo; one element is not a buffer
    with expect(ExoTypeError, "argument x of take_tensor is a buffer (f32[10]), but x[1, 2] "
                "is one element of a buffer", "elemtensor"):
        @proc
        def p(x: f32[2, 10]):
            take_tensor(x[1, 2])  # ERR:elemtensor


def test_aliased_whole_buffers():
    with expect(AliasedArgumentsError, "must not alias", "alias1"):
        @proc
        def p(y: f32[8]):
            two_tensors(y, y)  # ERR:alias1


def test_aliased_windows():
    with expect(AliasedArgumentsError, "buffer y is passed to two_windows as both a and b", "alias2"):
        @proc
        def p(y: f32[10]):
            two_windows(y[0:5], y[2:7])  # ERR:alias2


def test_aliased_through_window_statement():
    with expect(AliasedArgumentsError, "must not alias", "alias3"):
        @proc
        def p(y: f32[10]):
            w = y[5:10]
            two_windows(y[0:5], w)  # ERR:alias3


def test_wrong_arity():
    with expect(ExoTypeError, "take3 takes 1 argument but 2 were given", "arity"):
        @proc
        def p(y: f32[10]):
            take3(y[0:3], y[3:6])  # ERR:arity


def test_window_extent_mismatch():
    with expect(ExoTypeError, "window y[2:6] has extent 4 but take3's parameter x expects 3",
                "extent"):
        @proc
        def p(y: f32[10]):
            take3(y[2:6])  # ERR:extent


@proc
def take_n(n: size, x: [f32][n]):
    pass


def test_extent_mismatch_through_size_argument():
    with expect(ExoTypeError, "window y[0:3] has extent 3 but take_n's parameter x expects 4",
                "sizeextent"):
        @proc
        def p(y: f32[10]):
            take_n(4, y[0:3])  # ERR:sizeextent


def test_scalar_argument_must_be_a_location():
    with expect(ExoTypeError, "passed by reference", "scalarexpr"):
        @proc
        def p(y: f32[10]):
            scale(y[0] + 1.0)  # ERR:scalarexpr


def test_extern_arity():
    with expect(ExoTypeError, "select expects 4 arguments, got 2", "externarity"):
        @proc
        def p(a: f32, b: f32):
            a = select(a, b)  # ERR:externarity


def test_instr_same_checks():
    with expect(ExoTypeError, "is not affine", "instr"):
        @instr("{x_data}[0] = 0;")
        def p(n: size, m: size, x: [f32][n]):
            x[n * m] = 0.0  # ERR:instr


def test_externs_may_alias():
    # not an error: extern arguments are read-only
    @proc
    def p(x: f32[4]):
        x[0] = select(x[1], x[1], x[1], x[1])

    assert "select(x[1], x[1], x[1], x[1])" in str(p)


# ------------------------------------------------------------------- fuzz

_FUZZ_BASE = [
    """def f(n: size, x: f32[n, 4] @ DRAM, y: [f32][4]):
    assert stride(y, 0) == 1
    for i in seq(0, n):
        t: f32[4] @ DRAM
        for j in seq(0, 4):
            if i + j < n:
                t[j] = x[i, j] * y[j] + 1.0
            else:
                t[j] = select(y[j], 0.0, y[j], -y[j])
        w = t[1:3]
        x[i, 0] += w[0] + w[1]
        take3(t[0:3])
""",
    """def g(a: f32, b: i8[16], m: index):
    for k in seq(0, 16 / 4):
        b[4 * k + m % 4] = a
    a = Cfg.scale
    Cfg.n = m + 1
""",
]

_FUZZ_TOKENS = ["x", "y", "i", "n", "0", "1.0", "[", "]", ":", "(", ")", ",", "+", "*",
                "/", "%", "-", "<", "==", "and", "seq", "for", "if", "else", "@", "DRAM",
                "f32", "size", "=", "+=", "\n    ", "\n        ", "pass", "stride",
                "take3", "select", "Cfg.n", "Cfg.scale", "True", "not", "lambda", "'s'"]


def _mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        pos = rng.randrange(len(chars))
        if kind < 0.3:
            del chars[pos:pos + rng.randint(1, 6)]
        elif kind < 0.7:
            chars[pos:pos] = list(" " + rng.choice(_FUZZ_TOKENS) + " ")
        else:
            j = rng.randrange(len(chars))
            chars[pos], chars[j] = chars[j], chars[pos]
    return "".join(chars)


def test_fuzz_only_exo_errors():
    rng = random.Random(1234)
    scope = {"take3": take3, "select": select, "Cfg": Cfg, "DRAM": DRAM}
    accepted = rejected = 0
    for trial in range(4000):
        base = _FUZZ_BASE[trial % len(_FUZZ_BASE)]
        text = _mutate(rng, base)
        try:
            p = proc_from_source(text, scope)
        except ExoError as e:
            assert e.message and isinstance(e.message, str)
            rejected += 1
            continue
        accepted += 1
        # whatever is accepted must print and parse back
        again = proc_from_source(str(p), {**scope, **source_scope(p.INTERNAL_proc())})
        assert str(again) == str(p)
    assert rejected > 1500 and accepted > 100, (accepted, rejected)


def test_fuzz_random_token_soup():
    rng = random.Random(99)
    for _ in range(500):
        body = " ".join(rng.choice(_FUZZ_TOKENS) for _ in range(rng.randint(1, 15)))
        text = f"def h(x: f32[4], n: size):\n    {body}\n"
        try:
            proc_from_source(text, {"take3": take3, "Cfg": Cfg})
        except ExoError:
            pass


def test_unbalanced_and_non_function_text():
    for text in ["", "x = 1", "def f(:\n  pass", "class A: pass", "async def f(): pass",
                 "def f(x: f32):\n\tpass\n        pass", "\x00"]:
        with pytest.raises(ExoError):
            proc_from_source(text)
