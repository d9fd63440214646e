"""``expect``: assert that a block raises a given `ExoError` subclass, with a
message fragment, at the line of a ``# ERR:<tag>`` marker of the test file."""

from __future__ import annotations

import sys


def marker_line(filename: str, tag: str) -> int:
    """The line of ``filename`` that ends with ``# ERR:<tag>`` (exactly one)."""
    with open(filename) as f:
        lines = f.read().splitlines()
    hits = [n for n, text in enumerate(lines, 1) if text.rstrip().endswith(f"# ERR:{tag}")]
    assert len(hits) == 1, f"marker {tag} must appear exactly once in {filename}"
    return hits[0]


class expect:
    """``with expect(ExoTypeError, "fragment", "tag"):`` -- the error must be
    exactly of that class, its message must contain the fragment, and it must
    be reported at the marked line of the calling test file. With
    ``line=<int>`` and ``filename=...`` instead of a tag, at that position
    (for text given to ``proc_from_source``). With ``at="TEXT"``, the error's
    column must be where TEXT first occurs on that line."""

    def __init__(self, cls, fragment: str, tag: str | None = None, *,
                 line: int | None = None, filename: str | None = None, at: str | None = None):
        self.cls, self.fragment, self.tag = cls, fragment, tag
        self.line, self.filename, self.at = line, filename, at
        self.caller = sys._getframe(1).f_code.co_filename
        self.error = None

    def __enter__(self):
        return self

    def __exit__(self, et, ev, tb):
        assert ev is not None, f"expected {self.cls.__name__}, nothing was raised"
        assert type(ev) is self.cls, f"expected {self.cls.__name__}, got {et.__name__}: {ev}"
        assert self.fragment in ev.message, ev.message
        assert ev.srcinfo is not None, f"no source position: {ev}"
        filename = self.filename if self.filename is not None else self.caller
        line = self.line if self.line is not None else marker_line(self.caller, self.tag)
        assert ev.srcinfo.filename == filename, str(ev)
        assert ev.srcinfo.lineno == line, (str(ev), line)
        assert str(ev).startswith(f"{filename}:{line}:"), str(ev)
        if self.at is not None:
            with open(filename) as f:
                text = f.read().splitlines()[line - 1]
            assert self.at in text, f"{self.at!r} is not on line {line}"
            assert ev.srcinfo.col_offset == text.index(self.at), (
                f"column {ev.srcinfo.col_offset}, expected {text.index(self.at)} "
                f"(at {self.at!r}): {ev}")
        self.error = ev
        return True
