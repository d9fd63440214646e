"""``exocc`` and ``exo-verify`` on bad command lines and bad user files:
a one-line diagnostic naming the file (and line:column where there is one)
and the documented exit status; never a traceback."""

from __future__ import annotations

import io
import textwrap

import pytest

from exo_codegen.cli import main as exocc
from exo_core.verify_cli import main as exo_verify

GOOD = """\
from __future__ import annotations
from exo_core import proc

@proc
def f(x: f32[3]):
    x[0] = 1.0
"""


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def _verify(*argv):
    out = io.StringIO()
    code = exo_verify(list(argv), out=out)
    return code, out.getvalue()


def test_exocc_without_arguments_names_only_the_missing_file(capsys):
    with pytest.raises(SystemExit) as info:
        exocc([])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "required: FILE.py" in err and "PROC" not in err.splitlines()[-1]


def test_exocc_on_a_directory(tmp_path, capsys):
    assert exocc([str(tmp_path)]) == 2
    assert f"a directory, not a Python file: {tmp_path}" in capsys.readouterr().err


def test_exocc_syntax_error_has_file_line_column(tmp_path, capsys):
    path = _write(tmp_path, "syn.py", "x = 1\ndef f(:\n    pass\n")
    assert exocc([path]) == 1
    err = capsys.readouterr().err
    assert f"{path}:2:6: SyntaxError: invalid syntax" in err, err


def test_exocc_loads_a_file_without_the_py_suffix(tmp_path, capsys):
    path = _write(tmp_path, "kernels", GOOD)
    assert exocc([path, "-o", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "kernels.c").read_text().count("void f(") == 1


def test_exocc_unwritable_output_is_reported(tmp_path, capsys):
    path = _write(tmp_path, "good.py", GOOD)
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    assert exocc([path, "-o", str(blocker / "sub")]) == 1
    assert "cannot write the C files to" in capsys.readouterr().err


@pytest.mark.parametrize("code_text, shown", [("sys.exit(0)", "exit(0)"),
                                              ("sys.exit('bye')", "exit(bye)")])
def test_exo_verify_user_file_calling_exit(tmp_path, code_text, shown):
    path = _write(tmp_path, "quits.py", f"import sys\n{code_text}\n")
    code, text = _verify(path)  # used to end the verifier silently
    assert code == 2
    assert f"{path} called {shown} while loading" in text


def test_exo_verify_on_a_directory(tmp_path):
    code, text = _verify(str(tmp_path))
    # a directory is checked file by file; one without Python files is a usage error
    assert code == 2 and text.startswith("exo-verify: a directory without Python files")
