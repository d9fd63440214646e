"""Metaprogramming: quoting and unquoting object code (Exo's Metaprogramming.md).

Inside a procedure, a ``with python:`` block is Python code that runs when the
procedure is parsed; each ``with exo:`` block in it pastes its object-code
statements where the ``with python:`` block stands, every time it runs::

    @proc
    def foo(a: i32, b: i32):
        with python:
            for e in [a, ~{b * 2}]:      # a and ~{b * 2} are quoted expressions
                with exo:
                    a += {e}             # unquote: a += a; a += b * 2

- ``~{e}`` quotes the object-code expression ``e`` (a `QuotedExpr`); an Exo
  name used in Python where Python has no such name is quoted implicitly.
- ``{e}`` in object code unquotes the Python value of ``e``: a quoted
  expression, a number (a literal), a ``slice`` as an index (an interval),
  a string as a scalar type in an annotation (``x: {T}[5]``); as a statement,
  ``{s}`` pastes the statements quoted by ``with exo as s:``. A Python name
  used in object code where object code has no such name is unquoted
  implicitly, also as the target of ``=`` and ``+=`` when it holds a quoted
  name.

A quote records the Python syntax tree and the object-code scope where it
was written; each unquote parses it again there, so every pasted copy is
made of new IR nodes. This module turns a ``with python:`` body into Python
code (`PythonBlock`) and runs it; `exo_core.frontend.parser` calls back into
the parser for the object code.
"""

from __future__ import annotations

import ast
import builtins
from typing import Callable

from exo_core.errors import ParseError
from exo_core.frontend.scope import MISSING, ObjectScope, PythonEnv

_EMIT = "__exo_emit__"
_QUOTE_STMTS = "__exo_quote_stmts__"
_QUOTE_EXPR = "__exo_quote_expr__"


class QuotedExpr:
    """A quoted object-code expression (``~{e}``, or an Exo name used in Python)."""

    __slots__ = ("node", "scope")

    def __init__(self, node: ast.expr, scope: ObjectScope):
        self.node, self.scope = node, scope

    def __repr__(self):
        return f"<quoted expression {ast.unparse(self.node)}>"


class QuotedStmts:
    """Object-code statements quoted by ``with exo as name:``."""

    __slots__ = ("body", "scope")

    def __init__(self, body: list, scope: ObjectScope):
        self.body, self.scope = body, scope

    def __repr__(self):
        return f"<quoted statements ({len(self.body)})>"


def is_with(node, name: str) -> bool:
    """``with name:`` / ``with name as x:`` with one item."""
    return (isinstance(node, ast.With) and len(node.items) == 1
            and isinstance(node.items[0].context_expr, ast.Name)
            and node.items[0].context_expr.id == name)


def unquote_operand(node) -> ast.expr | None:
    """The Python expression of an unquote ``{e}`` (a one-element set), or None."""
    if isinstance(node, ast.Set) and len(node.elts) == 1:
        return node.elts[0]
    return None


def _quote_operand(node) -> ast.expr | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
        return unquote_operand(node.operand)
    return None


class _Lowering(ast.NodeTransformer):
    """``with exo:`` -> ``__exo_emit__(k)``; ``with exo as s:`` ->
    ``s = __exo_quote_stmts__(k)``; ``~{e}`` -> ``__exo_quote_expr__(k)``."""

    def __init__(self, parser):
        self.parser = parser
        self.exo_blocks: list[list] = []
        self.quoted_exprs: list[ast.expr] = []

    def visit_With(self, node: ast.With):
        if is_with(node, "exo"):
            k = len(self.exo_blocks)
            self.exo_blocks.append(node.body)
            target = node.items[0].optional_vars
            if target is None:
                call = ast.Call(ast.Name(_EMIT, ast.Load()), [ast.Constant(k)], [])
                return ast.copy_location(ast.Expr(call), node)
            if not isinstance(target, ast.Name):
                raise self.parser.err("`with exo as ...:` needs a plain name", target)
            call = ast.Call(ast.Name(_QUOTE_STMTS, ast.Load()), [ast.Constant(k)], [])
            return ast.copy_location(
                ast.Assign([ast.Name(target.id, ast.Store())], call), node)
        if is_with(node, "python"):
            raise self.parser.err("`with python:` blocks cannot be nested", node)
        return self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp):
        inner = _quote_operand(node)
        if inner is None:
            return self.generic_visit(node)
        k = len(self.quoted_exprs)
        self.quoted_exprs.append(inner)
        call = ast.Call(ast.Name(_QUOTE_EXPR, ast.Load()), [ast.Constant(k)], [])
        return ast.copy_location(call, node)


class _Namespace(dict):
    """The local names of a running ``with python:`` block. A name Python does
    not know (not local, not in the defining scope, not a builtin) but the
    object code does is quoted implicitly."""

    def __init__(self, env: PythonEnv, scope_of: Callable[[], ObjectScope]):
        super().__init__()
        self._env, self._scope_of = env, scope_of

    def __missing__(self, name: str):
        v = self._env.lookup(name)
        if v is not MISSING:
            return v
        if hasattr(builtins, name):
            return getattr(builtins, name)
        scope = self._scope_of()
        if scope.lookup(name) is not None:
            return QuotedExpr(ast.Name(name, ast.Load()), scope)
        raise KeyError(name)


class BlockEnv(PythonEnv):
    """What object code inside a ``with exo:`` block sees of Python: the
    running block's names first, then the defining scope."""

    def __init__(self, namespace: _Namespace, outer: PythonEnv):
        super().__init__({}, outer.global_vars)
        self._ns, self._outer = namespace, outer

    def lookup(self, name: str):
        if dict.__contains__(self._ns, name):
            return dict.__getitem__(self._ns, name)
        return self._outer.lookup(name)

    def evaluate(self, node: ast.expr):
        """The Python value of an unquoted expression ``{node}``."""
        return _evaluate(node, self._ns, self._outer)


def _evaluate(node: ast.expr, namespace, env: PythonEnv):
    code = compile(ast.fix_missing_locations(ast.Expression(node)), "<unquote>", "eval")
    return eval(code, dict(env.global_vars), namespace)


def evaluate_in(env: PythonEnv, node: ast.expr, scope_of: Callable[[], ObjectScope]):
    """Evaluate an unquoted Python expression in ``env`` (a `BlockEnv` inside
    a ``with python:`` block, else the procedure's defining scope)."""
    if isinstance(env, BlockEnv):
        return env.evaluate(node)
    return _evaluate(node, _Namespace(env, scope_of), env)


class PythonBlock:
    """One ``with python:`` block, lowered to Python and ready to run."""

    def __init__(self, parser, node: ast.With):
        self.parser, self.node = parser, node
        lowering = _Lowering(parser)
        body = [lowering.visit(ast.fix_missing_locations(s)) for s in node.body]
        module = ast.fix_missing_locations(ast.Module(body=body, type_ignores=[]))
        self.exo_blocks = lowering.exo_blocks
        self.quoted = lowering.quoted_exprs
        self.code = compile(module, parser.source.filename or "<proc>", "exec")

    def run(self, emit_block: Callable[[list, "BlockEnv"], None]) -> None:
        """Run the Python code; each executed ``with exo:`` calls
        ``emit_block(statements, env)`` at that moment."""
        parser = self.parser
        outer_env = parser.env
        ns = _Namespace(outer_env, lambda: parser.scope)
        env = BlockEnv(ns, outer_env)
        scope = parser.scope

        def emit(k):
            if parser.unquoting:
                raise parser.err("a `with exo:` block ran while an expression was being "
                                 "unquoted; expressions cannot paste statements", self.node)
            emit_block(self.exo_blocks[k], env)

        # Functions defined in the block look names up in its globals: they see
        # the defining scope and the quoting helpers there.
        globals_ = dict(outer_env.global_vars)
        globals_.update(outer_env.local_vars)
        globals_[_EMIT] = emit
        globals_[_QUOTE_STMTS] = lambda k: QuotedStmts(self.exo_blocks[k], scope)
        globals_[_QUOTE_EXPR] = lambda k: QuotedExpr(self.quoted[k], scope)
        try:
            exec(self.code, globals_, ns)
        except ParseError:
            raise
        except Exception as e:  # the user's Python code failed
            raise parser.err(f"the Python code of this `with python:` block raised "
                             f"{type(e).__name__}: {e}", self.node) from None
