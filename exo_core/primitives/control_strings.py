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
line naming the primitive; a fragment that does not parse, or names
something not visible there, is a `ParseFragmentError`.

A `FormattedExprStr` is text with holes (``_``) filled, in order, by the
expressions that cursors point at, so code found by navigation can be
reused without printing it::

    hi = p.find_loop("i").hi()
    cut_loop(p, "i", FormattedExprStr("_ - 4", hi))        # cut at hi - 4
"""

from __future__ import annotations

import ast

import exo_core.ir as ir
from exo_core.cursors.expr_cursors import ExprCursor
from exo_core.errors import ArgumentTypeError, ExoError, ParseFragmentError, SchedulingError
from exo_core.frontend.check_expr import ExprChecker, VarInfo
from exo_core.frontend.parse_expr import ExprParser
from exo_core.frontend.scope import PythonEnv
from exo_core.frontend.source import SourceText
from exo_core.ir.extern import BUILTIN_EXTERNS
from exo_core.ir.prelude import SrcInfo, Sym
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
        if k >= len(block):  # the gap at the end of a block
            break
        node = block[k]
        if isinstance(node, ir.For) and n + 1 < len(steps):
            env[node.iter.name] = (node.iter, INDEX)
    return env


class FormattedExprStr:
    """An expression string with holes: each ``_`` in ``expr_str`` stands
    for the expression an `ExprCursor` of ``expr_holes`` points at, in
    order (extra cursors are ignored; too few is a `ParseFragmentError`
    when a primitive reads it). Accepted wherever a primitive takes an
    expression as text::

        FormattedExprStr("_ + 1", loop.hi())     # (the loop's bound) + 1
    """

    def __init__(self, expr_str: str, *expr_holes) -> None:
        if not isinstance(expr_str, str):
            raise ArgumentTypeError(f"FormattedExprStr: expr_str must be a string, got "
                                    f"{type(expr_str).__name__}", caller_srcinfo())
        for c in expr_holes:
            if not isinstance(c, ExprCursor):
                raise ArgumentTypeError(f"FormattedExprStr: Cursor provided to fill a hole must "
                                        f"be a ExprCursor, got {type(c).__name__}",
                                        caller_srcinfo())
        self._expr_str = expr_str
        self._expr_holes = tuple(c._node() for c in expr_holes)

    def __repr__(self):
        return f"FormattedExprStr({self._expr_str!r}, {len(self._expr_holes)} holes)"


_HOLE = "_"


def _number_holes(tree: ast.AST, count: int, fail) -> list:
    """Rename the holes of ``tree`` to ``__hole_k`` in source order; their number."""
    holes = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == _HOLE),
                   key=lambda n: (n.lineno, n.col_offset))
    if len(holes) > count:
        raise fail("String contains more holes than expressions provided", ParseFragmentError)
    for k, n in enumerate(holes):
        n.id = f"__hole_{k}"
    return holes


def _fill_holes(e: ir.Expr, fills: dict) -> ir.Expr:
    if isinstance(e, ir.Read) and not e.idx and e.name in fills:
        return fills[e.name]
    return ir.map_exprs(e, lambda c: _fill_holes(c, fills))


def _is_control(t) -> bool:
    return isinstance(t, ScalarType) and t.kind == "ctrl"


def _check_names(tree: ast.AST, env: dict, fail, allow_data: bool = False,
                 config_names: dict | None = None) -> None:
    """Unknown names, and buffers or data used as control values, get the
    primitive's own sentence (the front end would speak of Python names)."""
    nodes = list(ast.walk(tree))
    stride_buffers = set()
    externs = set()  # select(...), relu(...) in data
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "stride" and node.args:
                stride_buffers.add(id(node.args[0]))
            elif allow_data and node.func.id in BUILTIN_EXTERNS:
                externs.add(id(node.func))
    for node in nodes:
        if not isinstance(node, ast.Name) or node.id == "stride" or id(node) in externs:
            continue
        found = env.get(node.id)
        if found is None:
            if node.id in ("True", "False") or node.id in (config_names or {}):
                continue
            raise fail(f"{node.id} is not a variable visible here", ParseFragmentError)
        if id(node) not in stride_buffers and not allow_data and not _is_control(found[1]):
            raise fail(f"{node.id} is not a control variable")


def parse_control(root: ir.ProcIR, steps: tuple, text, want_bool: bool,
                  what: str, configs: tuple = ()) -> ir.Expr:
    """The typed IR of ``text``: a condition (``want_bool``) or an integer
    control expression (an int is accepted too) in the scope of the
    statement at ``steps``; ``what`` names the primitive in errors. ``text``
    may be a `FormattedExprStr`; ``configs`` are the configurations whose
    fields it may read (``CFG.n``), by name."""
    si = caller_srcinfo()
    if not want_bool and isinstance(text, int) and not isinstance(text, bool):
        return ir.Const(text, INT, si)
    if not isinstance(text, (str, FormattedExprStr)):
        expected = "a condition as a string" if want_bool else \
            "an expression (a string or an int)"
        raise SchedulingError(f"{what}: expected {expected}, got {type(text).__name__}", si)
    return parse_fragment(root, steps, text, what,
                          lambda checker, e: checker.cond(e, "the condition") if want_bool
                          else checker.ctrl(e, "the expression"), configs=configs, srcinfo=si)


def parse_fragment(root: ir.ProcIR, steps: tuple, text, what: str, typed,
                   allow_data: bool = False, configs: tuple = (),
                   srcinfo: SrcInfo | None = None) -> ir.Expr:
    """The IR of the expression ``text`` (a string or a `FormattedExprStr`)
    read in the scope of the statement at ``steps`` and typed by
    ``typed(checker, expr)`` (an `ExprChecker` method); data variables may
    appear only with ``allow_data``, configuration fields only of
    ``configs``. Errors name the primitive ``what``, at ``srcinfo`` (by
    default, the user's calling line)."""
    si = srcinfo if srcinfo is not None else caller_srcinfo()
    fills = ()
    if isinstance(text, FormattedExprStr):
        text, fills = text._expr_str, text._expr_holes
    shown = text

    def fail(msg: str, cls=SchedulingError) -> SchedulingError:
        return cls(f"{what}: {msg} (in {shown!r})", si)

    if not isinstance(text, str):
        raise SchedulingError(f"{what}: expected an expression as a string, got "
                              f"{type(text).__name__}", si)
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise ParseFragmentError(f"{what}: cannot parse the expression {text!r}", si) from None
    # (a hole is the name ``_``: text without that character has none)
    holes = _number_holes(tree, len(fills), fail) if _HOLE in text else []
    env = dict(visible_names(root, steps))
    hole_syms = {}
    visible = {sym for sym, _ in env.values()}
    for k in range(len(holes)):
        fill = fills[k]
        hidden = [s.name for s in _expr_syms(fill) if s not in visible]
        if hidden:
            raise fail(f"the expression filling hole {k + 1} uses {hidden[0]}, which is not "
                       "visible here")
        sym = Sym(f"__hole_{k}")
        hole_syms[sym] = fill
        env[f"__hole_{k}"] = (sym, fill.type)
    config_names = {c.name(): c for c in configs}
    _check_names(tree, env, fail, allow_data, config_names)
    where = si if isinstance(si, SrcInfo) else SrcInfo("<string>", 1, 0)
    source = SourceText(text.strip(), where.filename, max(where.lineno - 1, 0), where.col_offset)
    parser = ExprParser(source, PythonEnv(config_names, {}), getattr(where, "function", None))
    parser.scope.names.update({name: sym for name, (sym, _) in env.items()})
    checker = ExprChecker()
    checker.env = {sym: VarInfo(t, None, "variable") for sym, t in env.values()}
    try:
        e = typed(checker, parser.expr(tree))
    except SchedulingError:
        raise
    except ExoError as err:
        raise fail(err.message) from None
    return _fill_holes(e, hole_syms) if hole_syms else e


def parse_data(root: ir.ProcIR, steps: tuple, text, what: str) -> ir.Expr:
    """The typed IR of the data (numeric) expression ``text`` (a string or
    a `FormattedExprStr`) in the scope of the statement at ``steps``:
    buffer elements, numeric scalars, literals, ``+ - * /`` and externs,
    indices being control expressions. ``what`` names the primitive."""
    return parse_fragment(root, steps, text, what, lambda checker, e: checker.data(e),
                          allow_data=True)


def _expr_syms(e: ir.Expr) -> set:
    out = set()
    if isinstance(e, (ir.Read, ir.WindowExpr, ir.StrideExpr)):
        out.add(e.name)
    for c in ir.expr_children(e):
        out |= _expr_syms(c)
    return out


__all__ = ["FormattedExprStr", "parse_control", "parse_data", "parse_fragment", "visible_names"]
