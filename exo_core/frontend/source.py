"""Getting a decorated function's source and mapping positions back to the file.

The front end parses the text of a ``@proc`` function with Python's `ast`
(the function is never executed). `SourceText` remembers where that text sits
in the user's file so that every `SrcInfo` names the real line and column.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import warnings

from exo_core.errors import ParseError
from exo_core.ir.prelude import SrcInfo


class SourceText:
    """Dedented source of one definition plus its position in the file.

    ``line_offset`` is added to AST line numbers, ``col_offset`` (the removed
    indentation) to AST columns.
    """

    def __init__(self, text: str, filename: str, line_offset: int = 0, col_offset: int = 0):
        self.text = text
        self.filename = filename
        self.line_offset = line_offset
        self.col_offset = col_offset

    def srcinfo(self, node: ast.AST, function: str | None = None) -> SrcInfo:
        """The file position of an AST node of this text."""
        lineno = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        end_lineno = getattr(node, "end_lineno", None)
        end_col = getattr(node, "end_col_offset", None)
        return SrcInfo(
            self.filename,
            lineno + self.line_offset,
            col + self.col_offset,
            None if end_lineno is None else end_lineno + self.line_offset,
            None if end_col is None else end_col + self.col_offset,
            function,
        )

    def parse_function(self) -> ast.FunctionDef:
        """Parse the text and return its (first) function definition."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SyntaxWarning)
                module = ast.parse(self.text)
        except SyntaxError as e:
            line = (e.lineno or 1) + self.line_offset
            col = max((e.offset or 1) - 1, 0) + self.col_offset
            raise ParseError(f"invalid Python syntax: {e.msg}",
                             SrcInfo(self.filename, line, col)) from None
        except (ValueError, RecursionError, MemoryError) as e:
            raise ParseError(f"cannot parse the source: {e}",
                             SrcInfo(self.filename, 1 + self.line_offset, 0)) from None
        for stmt in module.body:
            if isinstance(stmt, ast.FunctionDef):
                return stmt
            if isinstance(stmt, ast.AsyncFunctionDef):
                raise ParseError("a procedure cannot be an async function",
                                 self.srcinfo(stmt))
        raise ParseError("expected a function definition (def name(...):)",
                         SrcInfo(self.filename, 1 + self.line_offset, 0))


def source_of_function(f) -> SourceText:
    """The source of a Python function object, with its file position."""
    name = getattr(f, "__name__", repr(f))
    if not inspect.isfunction(f):
        raise ParseError(f"@proc and @instr decorate functions, not {type(f).__name__} objects")
    try:
        lines, start = inspect.getsourcelines(f)
        filename = inspect.getsourcefile(f) or f.__code__.co_filename
    except (OSError, TypeError):
        raise ParseError(
            f"cannot find the source text of {name}; define it in a file "
            "(or use proc_from_source for text)") from None
    raw = "".join(lines)
    text = textwrap.dedent(raw)
    removed = _removed_indent(raw, text)
    return SourceText(text, filename, max(start - 1, 0), removed)


def _removed_indent(raw: str, dedented: str) -> int:
    for a, b in zip(raw.splitlines(), dedented.splitlines()):
        if a.strip():
            return len(a) - len(b)
    return 0
