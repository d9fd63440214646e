"""Every module, class or function the documentation names by its dotted
path (``exo_core.analysis.effects``, ``exo_codegen.register_split``,
``exo_core.api.register_definition_check``, ...) exists: a page describing
code that is not there is a bug."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
DOTTED = re.compile(r"\b(?:exo_core|exo_codegen|exo_stdlib|exo_verify)(?:\.[A-Za-z_]\w*)+")


def _names():
    out = set()
    for page in PAGES:
        for m in DOTTED.finditer(page.read_text()):
            out.add((page.name, m.group(0)))
    return sorted(out)


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ImportError:
            continue
        for attr in parts[k:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


NAMES = _names()


def test_the_pages_name_something():
    assert len(NAMES) > 30


@pytest.mark.parametrize("page,dotted", NAMES, ids=[f"{p}:{d}" for p, d in NAMES])
def test_named_code_exists(page, dotted):
    assert _resolves(dotted), f"{page} names {dotted}, which does not exist"


FILE_REF = re.compile(r"\b(?:exo_core|exo_codegen|exo_stdlib|exo_verify|tests|benchmarks|tools|examples)"
                      r"/[\w/.-]*\w\.(?:py|md|h|txt)\b")


def _files():
    out = set()
    for page in PAGES:
        for m in FILE_REF.finditer(page.read_text()):
            out.add((page.name, m.group(0)))
    return sorted(out)


FILES = _files()


@pytest.mark.parametrize("page,path", FILES, ids=[f"{p}:{f}" for p, f in FILES])
def test_named_files_exist(page, path):
    assert (ROOT / path).exists(), f"{page} names {path}, which does not exist"
