"""The header file and the signature comments of generated C.

Every procedure is preceded by a comment giving its object-code signature::

    // bar(
    //     y : f32[10] @DRAM,
    //     z : f32[20, 20] @DRAM
    // )

The header has include guards (and ``extern "C"`` for C++), includes
``<stdint.h>`` and ``<stdbool.h>``, defines the window structs and
configuration state the file uses (each guarded, so several generated headers
can be included together), and declares the exported procedures.
"""

from __future__ import annotations

import re

import exo_core.ir as ir
from exo_core.ir.types import ScalarType, TensorType

_OBJ_PREC = {"or": 10, "and": 20, "==": 30, "<": 40, ">": 40, "<=": 40, ">=": 40,
             "+": 50, "-": 50, "*": 60, "/": 60, "%": 60}


def shape_expr_text(e, prec: int = 0) -> str:
    """A shape/control expression in object-code syntax (``N + 1``, ``4``)."""
    if isinstance(e, ir.Const):
        return str(e.val)
    if isinstance(e, ir.Read):
        return e.name.name
    if isinstance(e, ir.StrideExpr):
        return f"stride({e.name.name}, {e.dim})"
    if isinstance(e, ir.USub):
        return f"-{shape_expr_text(e.arg, 70)}"
    if isinstance(e, ir.BinOp):
        p = _OBJ_PREC.get(e.op, 0)
        text = f"{shape_expr_text(e.lhs, p)} {e.op} {shape_expr_text(e.rhs, p + 1)}"
        return f"({text})" if p < prec else text
    return str(e)


def type_text(t) -> str:
    """``f32[10]``, ``[f32][3]``, ``size``..."""
    if isinstance(t, TensorType):
        dims = ", ".join(shape_expr_text(e) for e in t.shape_exprs)
        return f"[{t.elem}][{dims}]" if t.is_window else f"{t.elem}[{dims}]"
    return str(t)


def signature_comment(proc: ir.ProcIR) -> str:
    """The comment giving ``proc``'s object-code signature."""
    lines = [f"// {proc.name}("]
    for k, a in enumerate(proc.args):
        mem = ""
        if a.mem is not None and not (isinstance(a.type, ScalarType) and a.type.kind == "ctrl"):
            mem = f" @{a.mem.name()}"
        comma = "," if k + 1 < len(proc.args) else ""
        lines.append(f"//     {a.name.name} : {type_text(a.type)}{mem}{comma}")
    lines.append("// )")
    return "\n".join(lines)


def include_guard(h_file_name: str) -> str:
    """``foo/bar.h`` -> ``BAR_H``."""
    base = h_file_name.replace("\\", "/").rsplit("/", 1)[-1]
    guard = re.sub(r"\W", "_", base).upper()
    return guard if not guard[:1].isdigit() else f"H_{guard}"


def header_text(h_file_name: str, struct_defs, config_defs, prototypes,
                memory_globals=(), pragma_once: bool = True) -> str:
    """The whole header file. ``memory_globals`` is the ``global_()`` text of
    memories whose C types appear in the prototypes (register parameters).
    ``pragma_once=False`` leaves out ``#pragma once`` (the include guard
    remains), for header text pasted at the top of a C file, where gcc warns
    about it."""
    guard = include_guard(h_file_name)
    parts = ["#pragma once"] if pragma_once else []
    parts += [
        f"#ifndef {guard}",
        f"#define {guard}",
        "",
        "#ifdef __cplusplus",
        'extern "C" {',
        "#endif",
        "",
        "#include <stdint.h>",
        "#include <stdbool.h>",
        "",
    ]
    for d in list(memory_globals) + list(struct_defs) + list(config_defs):
        parts += [d, ""]
    for comment, proto in prototypes:
        parts += [comment, proto + ";", ""]
    parts += [
        "#ifdef __cplusplus",
        "}",
        "#endif",
        f"#endif  // {guard}",
        "",
    ]
    return "\n".join(parts)
