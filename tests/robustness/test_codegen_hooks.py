"""Code-generation robustness: failing user hooks, literals C cannot spell
and bad output paths are reported as ExoErrors with a source position."""

from __future__ import annotations

import os

import pytest

from exo_core import DRAM, MemGenError, proc
from exo_core.api import proc_from_source
from exo_codegen.compile import compile_procs
from exo_codegen.errors import CodegenError
from tests.robustness.marker_check import expect


class _CanReadFails(DRAM):
    @classmethod
    def can_read(cls):
        raise ValueError("no idea")


def test_memory_whose_can_read_hook_raises_on_an_allocation():
    @proc
    def p(x: f32[3]):
        y: f32[3] @ _CanReadFails
        y[0] = x[0]  # ERR:can_read_alloc

    with expect(MemGenError, "failed in its can_read() hook (ValueError: no idea)",
                "can_read_alloc"):
        p.c_code_str()


def test_memory_whose_can_read_hook_raises_on_a_parameter():
    @proc
    def p(x: f32[3] @ _CanReadFails):
        x[0] = 1.0  # ERR:can_read_param

    with expect(MemGenError, "memory _CanReadFails failed in its can_read() hook",
                "can_read_param"):
        p.c_code_str()


@pytest.mark.parametrize("text, line", [
    ("def f(x: f32[10]):\n    for i in seq(0, 10**40):\n        pass\n", 2),
    ("def f(x: f32[100000000000000000000000000000000]):\n    x[0] = 1.0\n", 1),
    ("def f(x: i32[4]):\n    x[0] = 100000000000000000000000000000000\n", 2),
])
def test_integers_beyond_64_bits(text, line):
    p = proc_from_source(text.replace("10**40", str(10 ** 40)))
    with expect(CodegenError, "does not fit in C's 64-bit integers", line=line,
                filename="<string>"):
        p.c_code_str()


@proc
def _small(x: f32[3]):
    x[0] = 1.0


def test_compile_c_into_an_unusable_directory(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    with expect(CodegenError, "cannot write the C files to", "bad_dir"):
        _small.compile_c(str(blocker / "sub"), "small")  # ERR:bad_dir


def test_compile_c_with_non_path_arguments():
    with expect(CodegenError, "the directory must be a non-empty path string", "none_dir"):
        _small.compile_c(None, "small")  # ERR:none_dir
    with expect(CodegenError, "the C file name must be a non-empty path string", "int_name"):
        compile_procs([_small], ".", 3, "small.h")  # ERR:int_name


def test_compile_procs_of_a_non_list(tmp_path):
    with expect(CodegenError, "expected a procedure or a list of procedures, got int",
                "non_list"):
        compile_procs(3, str(tmp_path), "a.c", "a.h")  # ERR:non_list
    assert not os.listdir(tmp_path)


class _NameFails(DRAM):
    @classmethod
    def name(cls):
        raise RuntimeError("no name today")


class _NameNotText(DRAM):
    @classmethod
    def name(cls):
        return 5


@pytest.mark.parametrize("mem", [_NameFails, _NameNotText])
def test_printing_a_memory_whose_name_hook_misbehaves(mem):
    p = proc_from_source("def f(x: f32[3]):\n    y: f32 @ M\n    y = x[0]\n", {"M": mem})
    text = str(p)  # used to raise the hook's RuntimeError / print `@ 5`
    assert f"y: f32 @ {mem.__name__}" in text
    again = proc_from_source(text, {mem.__name__: mem})
    assert str(again) == text
