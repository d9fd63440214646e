"""The ``exocc`` command line."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from exo_codegen.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _write(tmp_path, name, text) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_quick_start_example(tmp_path, capsys, c_syntax_check):
    out = tmp_path / "out"
    assert main([str(ROOT / "examples" / "conv1d.py"), "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    c_text = (out / "conv1d.c").read_text()
    h_text = (out / "conv1d.h").read_text()
    assert c_text.startswith('#include "conv1d.h"')
    assert "void generic_conv1d(void *ctxt, const int32_t* data, const int32_t* kernels, " \
           "int32_t* out);" in h_text
    assert "void conv1d_sized(" in h_text
    c_syntax_check(c_text, h_text, "conv1d.h")


def test_selected_procs_and_stem(tmp_path, capsys):
    out = tmp_path / "o"
    rc = main([str(ROOT / "examples" / "foo_bar.py"), "-o", str(out), "--stem", "lib", "bar"])
    assert rc == 0
    h_text = (out / "lib.h").read_text()
    c_text = (out / "lib.c").read_text()
    assert "void bar(" in h_text and "void foo(" not in h_text
    assert "static void foo(void *ctxt, struct exo_win_1f32 x) {" in c_text


def test_unknown_proc_is_a_usage_error(tmp_path, capsys):
    rc = main([str(ROOT / "examples" / "foo_bar.py"), "-o", str(tmp_path), "nope"])
    assert rc == 2
    assert "defines no procedure named nope (it defines: foo, bar)" in capsys.readouterr().err


def test_type_error_in_user_file_reports_position(tmp_path, capsys):
    path = _write(tmp_path, "bad.py", """\
        from __future__ import annotations
        from exo_core import proc, f32

        @proc
        def bad(x: f32[4]):
            for i in seq(0, 4):
                x[i, i] = 0.0
        """)
    assert main([path, "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:7:" in err
    assert not (tmp_path / "bad.c").exists()


def test_memgen_error_reports_position(tmp_path, capsys):
    path = _write(tmp_path, "mem.py", """\
        from __future__ import annotations
        from exo_core import proc, f32, Memory

        class REG(Memory):
            @classmethod
            def can_read(cls):
                return False

            @classmethod
            def alloc(cls, new_name, prim_type, shape, srcinfo):
                return f"float {new_name};"

        @proc
        def uses(x: f32[4]):
            r: f32 @ REG
            r = x[0]
        """)
    assert main([path, "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"MemGenError: {path}:16:" in err
    assert "cannot read or write REG buffer r element-wise" in err


def test_python_error_in_user_file(tmp_path, capsys):
    path = _write(tmp_path, "boom.py", "x = 1\nraise RuntimeError('boom')\n")
    assert main([path]) == 1
    assert f"{path}:2: RuntimeError: boom" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main([str(tmp_path / "missing.py")]) == 2
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2


def test_console_entry_point_runs_as_module(tmp_path):
    res = subprocess.run([sys.executable, "-m", "exo_codegen", "--help"], cwd=ROOT,
                         capture_output=True, text=True)
    assert res.returncode == 0 and "usage: exocc" in res.stdout
