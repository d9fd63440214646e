"""Shared fixtures for the code generation tests: a C compiler check."""

from __future__ import annotations

import os
import subprocess

import pytest

from exo_codegen.jit import find_c_compiler


@pytest.fixture(scope="session")
def cc() -> str:
    """Path of the system C compiler; skips the test when none is installed."""
    path = find_c_compiler()
    if path is None:
        pytest.skip("no C compiler (cc/$CC) installed: cannot compile generated C")
    return path


@pytest.fixture
def c_syntax_check(cc, tmp_path):
    """``check(c_text, h_text, h_name)`` compiles the C with
    ``-std=c11 -Wall -Werror -c`` and fails the test on any diagnostic."""

    def check(c_text: str, h_text: str, h_name: str) -> None:
        (tmp_path / h_name).write_text(h_text)
        c_path = tmp_path / (os.path.splitext(h_name)[0] + ".c")
        c_path.write_text(c_text)
        res = subprocess.run([cc, "-std=c11", "-Wall", "-Werror", "-c", str(c_path),
                              "-o", str(tmp_path / "out.o")],
                             capture_output=True, text=True)
        assert res.returncode == 0, f"C compile failed:\n{res.stderr}\n---\n{c_text}"

    return check
