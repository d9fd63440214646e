"""How a cursor prints: its procedure, with what it points at marked.

    print(p.find_loop("k"))               print(p.body()[0].body())
    def foo(n: size, x: f32[n] @ DRAM):   def foo(n: size, x: f32[n] @ DRAM):
        for i in seq(0, n):                   for i in seq(0, n):
            for k in seq(0, 4):  # <-- NODE       # BLOCK START
                x[i] = 0.0                        for k in seq(0, 4):
                                                      x[i] = 0.0
                                                  # BLOCK END

A statement gets ``# <-- NODE`` at the end of its first line, a block is
framed by ``# BLOCK START`` / ``# BLOCK END``, a gap is a line
``[GAP - Before]`` (before its anchor statement) or ``[GAP - After]``, as the
reference prints them; the procedure's assertions are left out, as there.
An expression cursor prints as its expression, an argument as its
declaration, a list of expressions as ``[e1, e2]``.
"""

from __future__ import annotations

from exo_core.ir.nodes import Expr, FnArg, ProcIR
from exo_core.cursors.paths import BlockLoc, ListLoc, NodeLoc, field_value, rebuild, resolve
from exo_core.ir.printer import INDENT, arg_to_str, expr_to_str, proc_lines_with_spans


def _printed(root: ProcIR, marked: list) -> tuple[list, dict, list]:
    """The lines and spans of ``root`` without its assertions; the
    statements at the paths ``marked`` are printed from fresh copies, so
    their spans are theirs even when the same node object occurs twice.
    Returns the copies too."""
    copies = []

    def fresh(node):
        new = node.update()
        copies.append(new)
        return new

    for steps in marked:
        root = rebuild(root, steps, fresh)
    lines, spans = proc_lines_with_spans(root.update(preds=()))
    return lines, spans, copies


def _block(root: ProcIR, owner: tuple, field: str) -> list:
    return list(field_value(resolve(root, owner), field))


def cursor_text(proc, loc) -> str:
    """The text of the cursor at ``loc`` in ``proc`` (see the module docstring)."""
    root = proc._root
    if isinstance(loc, NodeLoc):
        node = resolve(root, loc.steps)
        if isinstance(node, Expr):
            return expr_to_str(node)
        if isinstance(node, FnArg):
            return arg_to_str(node)
        lines, spans, (mark,) = _printed(root, [loc.steps])
        first, _, _ = spans[id(mark)]
        lines[first] += "  # <-- NODE"
        return "\n".join(lines)
    if isinstance(loc, ListLoc):
        return "[" + ", ".join(expr_to_str(e) for e in _block(root, loc.owner, loc.field)) + "]"
    n = len(_block(root, loc.owner, loc.field))
    if isinstance(loc, BlockLoc):
        ends = [loc.owner + ((loc.field, loc.lo),), loc.owner + ((loc.field, loc.hi - 1),)]
        lines, spans, copies = _printed(root, ends if loc.hi - 1 > loc.lo else ends[:1])
        first, _, depth = spans[id(copies[0])]
        _, end, _ = spans[id(copies[-1])]
        lines.insert(end, INDENT * depth + "# BLOCK END")
        lines.insert(first, INDENT * depth + "# BLOCK START")
    else:
        k = loc.pos if loc.pos < n else n - 1
        lines, spans, (mark,) = _printed(root, [loc.owner + ((loc.field, k),)])
        first, end, depth = spans[id(mark)]
        at = first if loc.pos < n else end
        kind = "Before" if loc.anchor == "before" else "After"
        lines.insert(at, INDENT * depth + f"[GAP - {kind}]")
    return "\n".join(lines)


__all__ = ["cursor_text"]
