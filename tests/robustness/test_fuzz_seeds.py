"""Fuzz: small random mutations of the seed procedures' text go through
``proc_from_source``, printing, re-parsing and C generation; whatever the
mutation, only ExoError subclasses may escape (never KeyError,
AttributeError, RecursionError, ... from the compiler's internals)."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exo_core import DRAM, ExoError
from exo_core.api import proc_from_source
from exo_core.ir.memory import Memory
from exo_core.ir.printer import source_scope
from tests.seed_examples import all_seed_procs

_SEEDS = all_seed_procs()


def _plain_function(x):
    return x


class _NotAMemory:
    pass


def _scope_of(p) -> dict:
    scope = {name: q for name, q in _SEEDS.items()}
    scope.update({q.name(): q for q in _SEEDS.values()})
    scope.update(source_scope(p))
    # odd Python values a mutated text may name
    scope.update(DRAM=DRAM, Memory=Memory, plain=_plain_function, NotMem=_NotAMemory,
                 HUGE=10 ** 40, HALF=0.5, NAN=math.nan, TEXT="s", LIST=[1, 2])
    return scope


_TEXTS = [(str(p), _scope_of(p)) for p in _SEEDS.values()]

_TOKENS = ["x", "i", "0", "1", "-1", "1.5", "1e400", "10**40", "HUGE", "HALF", "NAN", "TEXT",
           "LIST", "plain", "NotMem", "Memory", "[", "]", ":", "::2", "(", ")", ",", "+", "-",
           "*", "/", "%", "**", "//", "<", "==", "and", "or", "not", "seq", "par", "for",
           "if", "else", "@", "@ DRAM", "@ NotMem", "f32", "i8", "size", "index", "stride",
           "=", "+=", ":=", "lambda: 0", "f'{x}'", "*x", "x=1", "\n    ", "\n        ",
           "pass", "assert", "return", "λ", "stride(x, 0)", "sin", "select", "DRAM",
           "[f32][4]", "f32[0]", "f32[-1]", "foo", "bar", "y[0:3]"]


@st.composite
def _mutated(draw):
    text, scope = draw(st.sampled_from(_TEXTS))
    chars = list(text)
    for _ in range(draw(st.integers(1, 3))):
        pos = draw(st.integers(0, len(chars) - 1))
        kind = draw(st.sampled_from(["delete", "insert", "insert", "swap", "digit"]))
        if kind == "delete":
            del chars[pos:pos + draw(st.integers(1, 8))]
        elif kind == "insert":
            chars[pos:pos] = list(" " + draw(st.sampled_from(_TOKENS)) + " ")
        elif kind == "swap":
            other = draw(st.integers(0, len(chars) - 1))
            chars[pos], chars[other] = chars[other], chars[pos]
        else:
            digits = [k for k, c in enumerate(chars) if c.isdigit()]
            if digits:
                k = digits[pos % len(digits)]
                chars[k] = draw(st.sampled_from("0123456789"))
        if not chars:
            chars = list("def")
    return "".join(chars), scope


@settings(max_examples=250, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_mutated())
def test_mutated_seed_text_raises_only_exo_errors(case):
    text, scope = case
    try:
        p = proc_from_source(text, scope)
        printed = str(p)
        again = proc_from_source(printed, {**scope, **source_scope(p)})
        assert str(again) == printed
        if not p.is_instr():
            p.c_code_str()
    except ExoError as err:
        assert isinstance(err.message, str) and err.message
