"""Control expressions written as strings by a schedule (``"n > 16"``), parsed
in the scope of a point of the procedure.

    cond = parse_control(proc, steps, "n % 4 == 0 and i < n", want_bool=True)

Names resolve to the control variables visible at the statement at
``steps``: size/index/bool arguments and the iterators of enclosing loops
(innermost first); ``stride(x, d)`` may name any buffer visible there. The
grammar is object code's control grammar: integer literals, ``+ - *``, ``/``
and ``%`` by a positive constant, unary minus, comparisons, ``and``, ``or``,
``True``/``False``. A multiplication needs a constant side (the language is
quasi-affine). Every error is a SchedulingError at the user's calling line.
"""

from __future__ import annotations

import ast

from .. import ir
from ..errors import SchedulingError
from ..types import BOOL, INDEX, INT, STRIDE, ScalarType, TensorType
from ..user_frame import caller_srcinfo
from .control_logic import int_type_of

_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "/",
          ast.Mod: "%"}
_CMP = {ast.Lt: "<", ast.Gt: ">", ast.LtE: "<=", ast.GtE: ">=", ast.Eq: "=="}


def visible_names(root: ir.ProcIR, steps: tuple) -> dict:
    """name -> (Sym, type) visible just before the statement at ``steps``
    (later bindings shadow earlier ones)."""
    env = {}
    for a in root.args:
        env[a.name.name] = (a.name, a.type)
    node = root
    for n, (field, k) in enumerate(steps):
        block = getattr(node, field)
        for s in list(block)[:k]:
            if isinstance(s, ir.Alloc):
                env[s.name.name] = (s.name, s.type)
            elif isinstance(s, ir.WindowStmt):
                env[s.name.name] = (s.name, s.rhs.type)
        node = block[k]
        if isinstance(node, ir.For) and n + 1 < len(steps):
            env[node.iter.name] = (node.iter, INDEX)
    return env


class _Parser:
    def __init__(self, env: dict, text: str, what: str):
        self.env = env
        self.text = text
        self.what = what
        self.si = caller_srcinfo()

    def err(self, msg: str) -> SchedulingError:
        return SchedulingError(f"{self.what}: {msg} (in {self.text!r})", self.si)

    def ctrl(self, node) -> ir.Expr:
        si = self.si
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int):
                raise self.err(f"{node.value!r} is not an integer")
            return ir.Const(node.value, INT, si)
        if isinstance(node, ast.Name):
            found = self.env.get(node.id)
            if found is None:
                raise self.err(f"{node.id} is not a variable visible here")
            sym, t = found
            if not (isinstance(t, ScalarType) and t.kind == "ctrl" and t is not BOOL):
                raise self.err(f"{node.id} is not an integer control variable")
            return ir.Read(sym, (), t, si)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            arg = self.ctrl(node.operand)
            if isinstance(arg, ir.Const):
                return ir.Const(-arg.val, INT, si)
            return ir.USub(arg, int_type_of((arg.type, INT)), si)
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
            op = _ARITH[type(node.op)]
            lhs, rhs = self.ctrl(node.left), self.ctrl(node.right)
            if op == "*" and not (isinstance(lhs, ir.Const) or isinstance(rhs, ir.Const)):
                raise self.err("a product needs a constant factor (control arithmetic is "
                               "quasi-affine)")
            if op in ("/", "%") and not (isinstance(rhs, ir.Const) and rhs.val > 0):
                raise self.err(f"{op} needs a positive constant divisor")
            return ir.BinOp(op, lhs, rhs, int_type_of((lhs.type, rhs.type)), si)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "stride" and len(node.args) == 2 and not node.keywords:
            buf, dim = node.args
            found = self.env.get(buf.id) if isinstance(buf, ast.Name) else None
            if found is None or not isinstance(found[1], TensorType):
                raise self.err("stride() needs a buffer visible here")
            if not (isinstance(dim, ast.Constant) and isinstance(dim.value, int)
                    and 0 <= dim.value < found[1].ndim()):
                raise self.err("stride() needs a valid dimension number")
            return ir.StrideExpr(found[0], dim.value, STRIDE, si)
        raise self.err(f"{ast.unparse(node)!r} is not a control expression")

    def cond(self, node) -> ir.Expr:
        si = self.si
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return ir.Const(node.value, BOOL, si)
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            out = self.cond(node.values[0])
            for v in node.values[1:]:
                out = ir.BinOp(op, out, self.cond(v), BOOL, si)
            return out
        if isinstance(node, ast.Compare):
            if len(node.ops) != 1 or type(node.ops[0]) not in _CMP:
                raise self.err("use one comparison (<, >, <=, >=, ==) at a time")
            lhs, rhs = self.ctrl(node.left), self.ctrl(node.comparators[0])
            return ir.BinOp(_CMP[type(node.ops[0])], lhs, rhs, BOOL, si)
        if isinstance(node, ast.Name):
            found = self.env.get(node.id)
            if found is not None and found[1] is BOOL:
                return ir.Read(found[0], (), BOOL, si)
        raise self.err(f"{ast.unparse(node)!r} is not a condition")


def parse_control(root: ir.ProcIR, steps: tuple, text: str, want_bool: bool,
                  what: str) -> ir.Expr:
    """Parse ``text`` as a condition (``want_bool``) or an integer control
    expression in the scope of the statement at ``steps``."""
    if not isinstance(text, str):
        raise SchedulingError(f"{what}: expected a string, got {type(text).__name__}",
                              caller_srcinfo())
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise SchedulingError(f"{what}: {text!r} is not an expression",
                              caller_srcinfo()) from None
    p = _Parser(visible_names(root, steps), text, what)
    return p.cond(tree.body) if want_bool else p.ctrl(tree.body)
