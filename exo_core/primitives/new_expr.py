"""Parse a control expression given to a primitive (``"n - 1"``, ``4``).

Primitives such as ``cut_loop(p, loop, "n - 4")`` or ``add_loop(p, s, "k",
"m")`` take an expression as a string (or an int). It is parsed as a
quasi-affine control expression whose names are resolved at the primitive's
location: the enclosing loops' iterators (innermost first), then the
procedure's control arguments (sizes, indices, ints, bools).
"""

from __future__ import annotations

import ast

from .. import ir
from ..errors import SchedulingError
from ..paths import resolve
from ..types import BOOL, INDEX
from ..user_frame import caller_srcinfo
from .ir_build import cint

_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "/",
        ast.Mod: "%"}
_CMP = {ast.Lt: "<", ast.Gt: ">", ast.LtE: "<=", ast.GtE: ">=", ast.Eq: "=="}


def _err(primitive: str, msg: str) -> SchedulingError:
    return SchedulingError(f"{primitive}: {msg}", caller_srcinfo())


def names_at(root: ir.ProcIR, steps: tuple) -> dict:
    """Control variables visible at the node ``steps`` leads to: name -> Sym
    (an inner binding shadows an outer one)."""
    names = {}
    for a in root.args:
        if getattr(a.type, "kind", None) == "ctrl":
            names[a.name.name] = a.name
    for k in range(len(steps) - 1):
        node = resolve(root, steps[:k + 1])
        if isinstance(node, ir.For) and steps[k + 1][0] == "body":
            names[node.iter.name] = node.iter
    return names


def parse_ctrl_expr(primitive: str, text, names: dict, *, boolean: bool = False):
    """An IR control expression for ``text`` (a string or an int)."""
    si = caller_srcinfo()
    if isinstance(text, bool) or not isinstance(text, (int, str)):
        raise _err(primitive, f"expected an expression (a string or an int), got "
                              f"{type(text).__name__}")
    if isinstance(text, int):
        return cint(text, si)
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise _err(primitive, f"cannot parse the expression {text!r}") from None

    def conv(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, int) \
                and not isinstance(node.value, bool):
            return cint(node.value, si)
        if isinstance(node, ast.Name):
            sym = names.get(node.id)
            if sym is None:
                raise _err(primitive, f"the name {node.id} in {text!r} is not a control "
                                      "variable visible here")
            return ir.Read(sym, (), INDEX, si)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return ir.USub(conv(node.operand), INDEX, si)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            op = _OPS[type(node.op)]
            lhs, rhs = conv(node.left), conv(node.right)
            if op in ("/", "%") and not (isinstance(rhs, ir.Const) and rhs.val > 0):
                raise _err(primitive, f"division in {text!r} must be by a positive constant")
            return ir.BinOp(op, lhs, rhs, INDEX, si)
        if boolean and isinstance(node, ast.Compare) and len(node.ops) == 1 \
                and type(node.ops[0]) in _CMP:
            return ir.BinOp(_CMP[type(node.ops[0])], conv(node.left),
                            conv(node.comparators[0]), BOOL, si)
        if boolean and isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            out = conv(node.values[0])
            for v in node.values[1:]:
                out = ir.BinOp(op, out, conv(v), BOOL, si)
            return out
        raise _err(primitive, f"unsupported syntax in the expression {text!r}")

    e = conv(tree)
    if boolean != (e.type is BOOL):
        want = "a condition" if boolean else "an integer expression"
        raise _err(primitive, f"expected {want}, got {text!r}")
    return e


__all__ = ["parse_ctrl_expr", "names_at"]
