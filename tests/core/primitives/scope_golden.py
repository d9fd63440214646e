"""Golden files of the scope/statement/simplify primitive tests.

`check_golden(name, proc)` compares ``str(proc)`` with
``golden/<name>.txt`` next to the tests. With ``EXO_UPDATE_GOLDEN=1`` in the
environment a missing or different golden is (re)written instead -- then
read the new file by eye before keeping it.
"""

from __future__ import annotations

import os
import pathlib

GOLDEN_DIR = pathlib.Path(__file__).parent / "golden"


def check_golden(name: str, proc) -> None:
    text = str(proc).rstrip("\n") + "\n"
    path = GOLDEN_DIR / f"{name}.txt"
    if os.environ.get("EXO_UPDATE_GOLDEN") == "1":
        GOLDEN_DIR.mkdir(exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
        return
    assert path.exists(), f"missing golden file {path}"
    assert text == path.read_text(), f"output differs from {path}:\n{text}"
