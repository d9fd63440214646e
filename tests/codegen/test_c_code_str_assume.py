"""`Procedure.c_code_str()` is one C file that compiles on its own, and a
procedure's assertions reach the C compiler as assumptions (EXO_ASSUME)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from exo_core import ExoError, proc
from exo_core.ir.memory import DRAM
from exo_codegen.c_unit import ASSUME_HELPER
from tests.seed_examples import all_seed_procs

GCC = shutil.which("gcc")
needs_gcc = pytest.mark.skipif(GCC is None, reason="needs the C compiler gcc")


def _dram_only(p) -> bool:
    root = p.INTERNAL_proc()
    if root.instr is not None:
        return False
    try:
        text = p.c_code_str()
    except ExoError:  # the seeds' deliberate MemGenError examples
        return False
    return "#include <immintrin.h>" not in text and "arm_neon" not in text and "asm" not in text


def _compile(tmp_path, text: str, name: str, extra=()) -> subprocess.CompletedProcess:
    src = tmp_path / f"{name}.c"
    src.write_text(text)
    return subprocess.run([GCC, "-Wall", "-Werror", "-std=c11", "-O2", *extra, "-c", str(src),
                           "-o", str(tmp_path / f"{name}.o")], capture_output=True, text=True)


SEEDS = {k: p for k, p in all_seed_procs().items() if _dram_only(p)}


@needs_gcc
@pytest.mark.parametrize("key", sorted(SEEDS))
def test_c_code_str_compiles_alone(tmp_path, key):
    text = SEEDS[key].c_code_str()
    assert "#pragma once" not in text
    r = _compile(tmp_path, text, key)
    assert r.returncode == 0, r.stderr


@proc
def with_asserts(n: size, m: size, x: f32[n, m], y: [f32][n]):
    assert n % 4 == 0
    assert m >= 2
    assert stride(y, 0) == 1
    for i in seq(0, n):
        x[i, 0] = y[i]


def test_assertions_become_assumptions():
    text = with_asserts.c_code_str()
    body = text.split("void with_asserts(", 2)[2]
    assert body.index("EXO_ASSUME(n % 4 == 0);") < body.index("EXO_ASSUME(m >= 2);") \
        < body.index("// assert stride(y, 0) == 1") < body.index("for (")
    assert "#define EXO_ASSUME" in text


def test_no_assume_macro_without_assertions():
    @proc
    def plain(n: size, x: f32[n]):
        for i in seq(0, n):
            x[i] = 0.0

    assert "EXO_ASSUME" not in plain.c_code_str()


@needs_gcc
def test_with_asserts_compiles_alone(tmp_path):
    r = _compile(tmp_path, with_asserts.c_code_str(), "with_asserts")
    assert r.returncode == 0, r.stderr


@needs_gcc
def test_the_compiler_uses_the_assumption(tmp_path):
    """gcc folds ``n * 3`` to 12 once it may assume ``n == 4``: the macro
    really hands the fact to the optimiser (without it, a multiply stays)."""
    fn = "int f(int n) {\n    EXO_ASSUME(n == 4);\n    return n * 3;\n}\n"
    src = tmp_path / "assume.c"
    src.write_text(ASSUME_HELPER + "\n" + fn)
    asm = tmp_path / "assume.s"
    r = subprocess.run([GCC, "-O2", "-S", "-std=c11", "-Wall", "-Werror", str(src), "-o", str(asm)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    text = asm.read_text()
    assert "$12" in text and "imul" not in text and "lea" not in text, text


@proc
def compared_conditions(n: size, m: size, x: f32[n]):
    assert (m < n) == True
    assert (m > 2 and n > 3) == False
    for i in seq(0, n):
        if i < m and i > 1 or i == 0:
            x[i] = 1.0
        if (i < m) == (i < 3):
            x[i] = 2.0


def test_compared_conditions_are_parenthesised():
    """C's precedence needs no parentheses in `(m < n) == true` or
    `(a && b) || c`; gcc's -Wparentheses (in -Wall) asks for them."""
    text = compared_conditions.c_code_str()
    assert "EXO_ASSUME((m < n) == true);" in text
    assert "EXO_ASSUME((m > 2 && n > 3) == false);" in text
    assert "if ((i < m && i > 1) || i == 0) {" in text
    assert "if ((i < m) == (i < 3)) {" in text


@needs_gcc
def test_compared_conditions_compile_alone(tmp_path):
    r = _compile(tmp_path, compared_conditions.c_code_str(), "compared_conditions")
    assert r.returncode == 0, r.stderr
