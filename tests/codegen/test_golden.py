"""Golden C for the object-code seed's ``foo``/``bar`` example.

The golden files were checked by eye against the C the seed shows: ``bar``
passes ``(struct exo_win_1f32){ &y[2], { 1 } }`` and a window of row 1 of
``z`` starting at column 10 (offset 20 + 10 = 30); ``foo`` indexes its window
with ``x.data[i * x.strides[0]]`` and stores ``0.0f``. Regenerate with
``EXO_UPDATE_GOLDEN=1`` only after reading the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exo_core import proc, f32, compile_procs_to_strings

GOLDEN = Path(__file__).parent / "golden"


@proc
def foo(x: [f32][3]):
    for i in seq(0, 3):
        x[i] = 0.0


@proc
def bar(y: f32[10], z: f32[20, 20]):
    foo(y[2:5])
    foo(z[1, 10:13])


def _check_golden(name: str, text: str, directory: Path = GOLDEN):
    path = directory / name
    if os.environ.get("EXO_UPDATE_GOLDEN") == "1":
        path.write_text(text)
    assert text == path.read_text(), f"{name} differs from the golden file"


def test_update_golden_only_when_asked(tmp_path, monkeypatch):
    (tmp_path / "g.c").write_text("old\n")
    for value in ("0", "", "no"):
        monkeypatch.setenv("EXO_UPDATE_GOLDEN", value)
        with pytest.raises(AssertionError, match="differs from the golden file"):
            _check_golden("g.c", "new\n", tmp_path)
        assert (tmp_path / "g.c").read_text() == "old\n"
    monkeypatch.setenv("EXO_UPDATE_GOLDEN", "1")
    _check_golden("g.c", "new\n", tmp_path)
    assert (tmp_path / "g.c").read_text() == "new\n"


def test_foo_bar_golden():
    c_text, h_text = compile_procs_to_strings([foo, bar], "tmp.h")
    _check_golden("foo_bar.c", c_text)
    _check_golden("foo_bar.h", h_text)


def test_foo_bar_compiles(c_syntax_check):
    c_text, h_text = compile_procs_to_strings([foo, bar], "tmp.h")
    c_syntax_check(c_text, h_text, "tmp.h")


def test_callee_not_exported_is_static():
    c_text, h_text = compile_procs_to_strings([bar], "only_bar.h")
    assert "static void foo(void *ctxt, struct exo_win_1f32 x);" in c_text
    assert "static void foo(void *ctxt, struct exo_win_1f32 x) {" in c_text
    assert "void foo(" not in h_text
    assert "void bar(void *ctxt, float* y, float* z);" in h_text


def test_c_code_str_has_declarations_and_code():
    text = bar.c_code_str()
    assert "#include <stdint.h>" in text
    assert text.count("void bar(void *ctxt, float* y, float* z)") == 2  # decl + def
    assert "foo(ctxt, (struct exo_win_1f32){ &z[30], { 1 } });" in text
