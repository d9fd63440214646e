"""Control expressions given to a primitive as text (``"n - 4"``, ``"n > 16"``).

Primitives such as ``cut_loop(p, loop, "n - 4")``, ``shift_loop(p, loop,
"n - 3")`` or ``specialize(p, s, ["n > 16"])`` take an expression as a
string (or, for an integer expression, a Python int). It is read in the
scope of one statement of the procedure::

    cut = parse_control(root, steps, "n / 2", False, "cut_loop")
    cond = parse_control(root, steps, "n % 4 == 0 and i < n", True, "specialize")

Names resolve to what is visible just before the statement at ``steps``:
the arguments, the allocations and window statements before it and the
iterators of the enclosing loops (an inner binding shadows an outer one).
Parsing and typing are the front end's (`exo_core.frontend`): the text
obeys exactly the control grammar of object code (quasi-affine arithmetic,
``/`` and ``%`` by a positive constant, comparisons, ``and``/``or``,
``stride(x, d)``). Every error is a SchedulingError at the user's calling
line naming the primitive.
"""

from __future__ import annotations

import ast

import exo_core.ir as ir
from exo_core.errors import ExoError, SchedulingError
from exo_core.frontend.check_expr import ExprChecker, VarInfo
from exo_core.frontend.parse_expr import ExprParser
from exo_core.frontend.scope import PythonEnv
from exo_core.frontend.source import SourceText
from exo_core.ir.prelude import SrcInfo
from exo_core.ir.types import INDEX, INT, ScalarType
from exo_core.user_frame import caller_srcinfo


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


def _is_control(t) -> bool:
    return isinstance(t, ScalarType) and t.kind == "ctrl"


def _check_names(tree: ast.AST, env: dict, fail) -> None:
    """Unknown names, and buffers or data used as control values, get the
    primitive's own sentence (the front end would speak of Python names)."""
    stride_buffers = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "stride" and node.args:
            stride_buffers.add(id(node.args[0]))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name) or node.id == "stride":
            continue
        found = env.get(node.id)
        if found is None:
            if node.id in ("True", "False"):
                continue
            raise fail(f"{node.id} is not a variable visible here")
        if id(node) not in stride_buffers and not _is_control(found[1]):
            raise fail(f"{node.id} is not a control variable")


def parse_control(root: ir.ProcIR, steps: tuple, text, want_bool: bool,
                  what: str) -> ir.Expr:
    """The typed IR of ``text``: a condition (``want_bool``) or an integer
    control expression (an int is accepted too) in the scope of the
    statement at ``steps``; ``what`` names the primitive in errors."""
    si = caller_srcinfo()

    def fail(msg: str) -> SchedulingError:
        return SchedulingError(f"{what}: {msg} (in {text!r})", si)

    if not want_bool and isinstance(text, int) and not isinstance(text, bool):
        return ir.Const(text, INT, si)
    if not isinstance(text, str):
        expected = "a condition as a string" if want_bool else \
            "an expression (a string or an int)"
        raise SchedulingError(f"{what}: expected {expected}, got {type(text).__name__}", si)
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise SchedulingError(f"{what}: cannot parse the expression {text!r}", si) from None
    env = visible_names(root, steps)
    _check_names(tree, env, fail)
    where = si if isinstance(si, SrcInfo) else SrcInfo("<string>", 1, 0)
    source = SourceText(text.strip(), where.filename, max(where.lineno - 1, 0), where.col_offset)
    parser = ExprParser(source, PythonEnv({}, {}), getattr(where, "function", None))
    parser.scope.names.update({name: sym for name, (sym, _) in env.items()})
    checker = ExprChecker()
    checker.env = {sym: VarInfo(t, None, "variable") for sym, t in env.values()}
    try:
        e = parser.expr(tree)
        if want_bool:
            return checker.cond(e, "the condition")
        return checker.ctrl(e, "the expression")
    except ExoError as err:
        raise fail(err.message) from None


__all__ = ["parse_control", "visible_names"]
