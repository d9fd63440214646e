"""Python `ast` of a ``@proc`` function -> untyped `ProcIR`.

The parser checks that the text is object code (the syntax the language has),
resolves names (object names to `Sym`s with block scoping, other names in the
defining Python scope), and builds IR nodes whose expression types are still
``None``. `exo_core.frontend.typecheck` then types and checks them.

Statements of object code::

    x: f32[N, 4] @ M          # allocation (memory defaults to DRAM)
    x[i, j] = e               # assignment
    x[i, j] += e              # reduction
    y = x[0:3, i]             # window statement (y is a new name)
    Cfg.field = e             # config write
    for i in seq(lo, hi): ... # loop (par(lo, hi) after parallelize_loop)
    if c: ... elif/else: ...
    foo(a, x[0:4], y)         # call of another procedure
    pass
    assert c                  # precondition (top level only)
"""

from __future__ import annotations

import ast

import exo_core.ir as ir
from exo_core.ir.config import Config
from exo_core.ir.memory import DRAM
from exo_core.ir.extern import Extern as ExternFn
from exo_core.ir.types import TensorType
from exo_core.frontend.quote import PythonBlock, QuotedStmts, is_with, unquote_operand
from exo_core.frontend.parse_expr import ExprParser, _is_procedure, python_value_kind
from exo_core.frontend.scope import MISSING, PythonEnv
from exo_core.frontend.source import SourceText

_UNSUPPORTED_STMTS = {
    ast.While: "while loops are not supported; use `for i in seq(lo, hi):`",
    ast.Return: "procedures do not return values (remove the return)",
    ast.Break: "break is not supported in object code",
    ast.Continue: "continue is not supported in object code",
    ast.With: "with statements are not supported in object code (except the `with python:` "
              "blocks of metaprogramming)",
    ast.Try: "try statements are not supported in object code",
    ast.Raise: "raise is not supported in object code",
    ast.Import: "import is not allowed inside a procedure",
    ast.ImportFrom: "import is not allowed inside a procedure",
    ast.Global: "global is not supported in object code",
    ast.Nonlocal: "nonlocal is not supported in object code",
    ast.Delete: "del is not supported in object code",
    ast.FunctionDef: "nested function definitions are not supported in object code",
    ast.AsyncFunctionDef: "nested function definitions are not supported in object code",
    ast.ClassDef: "class definitions are not supported in object code",
    ast.AsyncFor: "async for is not supported in object code",
    ast.AsyncWith: "async with is not supported in object code",
}
if hasattr(ast, "Match"):
    _UNSUPPORTED_STMTS[ast.Match] = "match statements are not supported in object code"
if hasattr(ast, "TryStar"):
    _UNSUPPORTED_STMTS[ast.TryStar] = "try statements are not supported in object code"


class ProcParser(ExprParser):
    """Parses one function definition into an untyped `ProcIR`."""

    def __init__(self, source: SourceText, env: PythonEnv, fdef: ast.FunctionDef,
                 instr: ir.InstrInfo | None = None):
        super().__init__(source, env, fdef.name)
        self.fdef = fdef
        self.instr = instr

    # ----------------------------------------------------------- procedure
    def parse(self) -> ir.ProcIR:
        fdef = self.fdef
        a = fdef.args
        odd = a.posonlyargs or a.kwonlyargs
        if odd or a.vararg or a.kwarg:
            at = odd[0] if odd else (a.vararg or a.kwarg)
            raise self.err("procedure arguments must be plain `name: type` parameters", at)
        defaults = list(a.defaults) + [d for d in a.kw_defaults if d is not None]
        if defaults:
            raise self.err("procedure arguments cannot have default values", defaults[0])
        if fdef.returns is not None:
            raise self.err("procedures do not return values (remove the return annotation)",
                           fdef.returns)
        args = self.arguments(a.args)
        body = fdef.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]  # docstring
        preds = []
        stmts = []
        for s in body:
            if isinstance(s, ast.Assert):
                if s.msg is not None:
                    raise self.err("assert messages are not supported in object code", s.msg)
                preds.append(self.expr(s.test))
            else:
                stmts.extend(self.stmt(s))
        if not stmts and not preds and not body:
            stmts.append(ir.Pass(self.srcinfo(fdef)))
        return ir.ProcIR(fdef.name, tuple(args), tuple(preds), stmts, self.instr,
                         self.srcinfo(fdef))

    def arguments(self, arg_nodes) -> list[ir.FnArg]:
        self.pending_args = {x.arg for x in arg_nodes}
        out = []
        seen = set()
        for x in arg_nodes:
            if x.arg in seen:
                raise self.err(f"duplicate argument {x.arg} in the procedure definition", x)
            seen.add(x.arg)
            self.pending_args.discard(x.arg)
            if x.annotation is None:
                raise self.err(f"argument {x.arg} needs a type annotation (e.g. {x.arg}: f32[N])", x)
            typ, mem, mem_node = self.annotation(x.annotation, f"argument {x.arg}")
            if not typ.is_numeric():
                if mem is not None:
                    raise self.err(f"argument {x.arg} has control type {typ} and cannot have a "
                                   "memory annotation", mem_node)
            elif mem is None:
                mem = DRAM
            sym = self.scope.bind(x.arg)
            out.append(ir.FnArg(sym, typ, mem, self.srcinfo(x)))
        self.pending_args = set()
        return out

    # ---------------------------------------------------------- statements
    def block(self, stmts) -> list[ir.Stmt]:
        """Parse statements in a new block scope."""
        saved = self.scope
        self.scope = saved.child()
        try:
            out = []
            for s in stmts:
                out.extend(self.stmt(s))
            return out
        finally:
            self.scope = saved

    def stmt(self, node) -> list[ir.Stmt]:
        si = self.srcinfo(node)
        if isinstance(node, ast.Pass):
            return [ir.Pass(si)]
        if isinstance(node, ast.AnnAssign):
            return [self.alloc(node, si)]
        if isinstance(node, ast.Assign):
            return [self.assign(node, si)]
        if isinstance(node, ast.AugAssign):
            return [self.reduce(node, si)]
        if isinstance(node, ast.For):
            return [self.loop(node, si)]
        if isinstance(node, ast.If):
            cond = self.expr(node.test)
            body = self.block(node.body)
            orelse = self.block(node.orelse) if node.orelse else []
            return [ir.If(cond, body, orelse, si)]
        if isinstance(node, ast.Expr):
            return self.expr_stmt(node, si)
        if is_with(node, "python"):
            return self.python_block(node)
        if is_with(node, "exo"):
            raise self.err("`with exo:` quotes object code for Python; it is only allowed "
                           "inside a `with python:` block", node)
        if isinstance(node, ast.Assert):
            raise self.err("assert is only allowed at the top level of a procedure "
                           "(as a precondition)", node)
        msg = _UNSUPPORTED_STMTS.get(type(node))
        raise self.err(msg or f"{type(node).__name__} statements are not supported in "
                       "object code", node)

    def alloc(self, node: ast.AnnAssign, si) -> ir.Alloc:
        if not isinstance(node.target, ast.Name):
            raise self.err("only a plain name can be declared (e.g. `y: f32[4]`)", node.target)
        name = node.target.id
        if node.value is not None:
            raise self.err(f"a declaration cannot have an initial value; write `{name}: T` "
                           f"then `{name} = ...`", node.value)
        typ, mem, _ = self.annotation(node.annotation, name)
        if not typ.is_numeric():
            raise self.err(f"local variable {name} must have a numeric type; {typ} is only "
                           "allowed for procedure arguments", node.annotation)
        if isinstance(typ, TensorType) and typ.is_window:
            raise self.err(f"{name} cannot be allocated as a window; allocate a tensor "
                           f"({typ.elem}[...]) or bind a window with `{name} = x[...]`",
                           node.annotation)
        sym = self.scope.bind(name)
        return ir.Alloc(sym, typ, mem if mem is not None else DRAM, si)

    def assign(self, node: ast.Assign, si) -> ir.Stmt:
        if len(node.targets) != 1:
            raise self.err("chained assignment (a = b = c) is not supported", node)
        target = node.targets[0]
        if isinstance(target, ast.Attribute):
            return self.config_write(target, node.value, si)
        if isinstance(target, ast.Name):
            sym = self.scope.lookup(target.id) or self.quoted_name(self.python_value(target))
            if sym is None:
                rhs = self.expr(node.value)
                if isinstance(rhs, ir.WindowExpr):
                    return ir.WindowStmt(self.scope.bind(target.id), rhs, si)
                raise self.err(f"{target.id} is not declared; declare it first "
                               f"(e.g. `{target.id}: f32`)", target)
            return ir.Assign(sym, None, (), self.expr(node.value), si)
        if isinstance(target, ast.Subscript):
            lhs = self.access(target)
            if isinstance(lhs, ir.WindowExpr):
                raise self.err("cannot assign to a window; assign to individual elements "
                               "in a loop", target)
            return ir.Assign(lhs.name, None, lhs.idx, self.expr(node.value), si)
        if isinstance(target, (ast.Tuple, ast.List)):
            raise self.err("tuple assignment is not supported in object code", target)
        raise self.err("cannot assign to this expression", target)

    def reduce(self, node: ast.AugAssign, si) -> ir.Reduce:
        if not isinstance(node.op, ast.Add):
            raise self.err("only += is supported as an in-place update", node)
        target = node.target
        if isinstance(target, ast.Name):
            sym = self.scope.lookup(target.id) or self.quoted_name(self.python_value(target))
            if sym is None:
                raise self.err(f"{target.id} is not declared", target)
            return ir.Reduce(sym, None, (), self.expr(node.value), si)
        if isinstance(target, ast.Subscript):
            lhs = self.access(target)
            if isinstance(lhs, ir.WindowExpr):
                raise self.err("cannot reduce into a window; update individual elements "
                               "in a loop", target)
            return ir.Reduce(lhs.name, None, lhs.idx, self.expr(node.value), si)
        if isinstance(target, ast.Attribute):
            raise self.err("config fields cannot be updated with +=; write "
                           "`Cfg.f = Cfg.f + e`", target)
        raise self.err("cannot reduce into this expression", target)

    def config_write(self, target: ast.Attribute, value, si) -> ir.WriteConfig:
        cfg = MISSING
        if not (isinstance(target.value, ast.Name) and self.scope.lookup(target.value.id)):
            cfg = self.python_value(target.value)
        if not isinstance(cfg, Config):
            raise self.err(f"{self.dotted_name(target)} is not a field of a config; only "
                           "config fields can be assigned with `.`", target)
        self.check_config_field(cfg, target)
        return ir.WriteConfig(cfg, target.attr, self.expr(value), si)

    def loop(self, node: ast.For, si) -> ir.For:
        if node.orelse:
            raise self.err("for ... else is not supported in object code", node.orelse[0])
        if not isinstance(node.target, ast.Name):
            raise self.err("the loop variable must be a single name", node.target)
        it = node.iter
        if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name)
                and it.func.id in ("seq", "par")):
            raise self.err("loops must iterate over seq(lo, hi), e.g. "
                           "`for i in seq(0, N):`", it)
        if len(it.args) != 2 or it.keywords:
            raise self.err(f"{it.func.id} takes two arguments (lo, hi), got "
                           f"{len(it.args) + len(it.keywords)}", it)
        lo = self.expr(it.args[0])
        hi = self.expr(it.args[1])
        saved = self.scope
        self.scope = saved.child()
        try:
            iter_sym = self.scope.bind(node.target.id)
            body = self.block(node.body)
        finally:
            self.scope = saved
        return ir.For(iter_sym, lo, hi, body, it.func.id, si)

    # ----------------------------------------------------- metaprogramming
    def python_block(self, node: ast.With) -> list[ir.Stmt]:
        """Run a ``with python:`` block; its executed ``with exo:`` blocks give
        the statements that stand in its place (`exo_core.frontend.quote`)."""
        out: list[ir.Stmt] = []

        def emit(stmts, env):
            saved = self.env
            self.env = env
            try:
                for s in stmts:
                    out.extend(self.stmt(s))
            finally:
                self.env = saved
        PythonBlock(self, node).run(emit)
        return out

    def unquoted_stmts(self, node: ast.Expr, inner) -> list[ir.Stmt]:
        """``{s}`` as a statement: paste the statements quoted by ``with exo as s:``."""
        q = self.unquote_value(inner)
        if not isinstance(q, QuotedStmts):
            raise self.err(f"a statement {{...}} must unquote statements quoted with "
                           f"`with exo as name:`, not {python_value_kind(q)}", node)
        return [s for stmt in q.body for s in self.stmt(stmt)]

    def expr_stmt(self, node: ast.Expr, si) -> list[ir.Stmt]:
        value = node.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return []  # a string used as a comment
        inner = unquote_operand(value)
        if inner is not None:
            return self.unquoted_stmts(node, inner)
        if not isinstance(value, ast.Call):
            raise self.err("this expression statement has no effect; object code statements "
                           "are assignments, loops, ifs, calls and allocations", node)
        return [self.call(value, si)]

    def call(self, node: ast.Call, si) -> ir.Call:
        if node.keywords:
            raise self.err("keyword arguments are not supported in procedure calls",
                           node.keywords[0])
        func = node.func
        if not isinstance(func, (ast.Name, ast.Attribute)):
            raise self.err("only named procedures can be called", node)
        if isinstance(func, ast.Name) and self.scope.lookup(func.id) is not None:
            raise self.err(f"{func.id} is a variable of this procedure, not a procedure", func)
        name = self.dotted_name(func)
        f = self.python_value(func)
        if f is MISSING:
            if isinstance(func, ast.Name) and func.id in ("seq", "par", "stride"):
                raise self.err(f"{func.id}(...) cannot be used as a statement", node)
            if name == self.fdef.name:
                raise self.err(f"procedure {name} calls itself; recursion is not supported "
                               "in object code", func)
            raise self.err(f"procedure {name} is not defined", func)
        if isinstance(f, ExternFn):
            raise self.err(f"extern {name} returns a value; use it inside an expression "
                           "(e.g. `x = {name}(...)`)".replace("{name}", name), node)
        if not _is_procedure(f):
            raise self.err(f"{name} is {python_value_kind(f)}, not a procedure", func)
        callee = f if isinstance(f, ir.ProcIR) else f.INTERNAL_proc()
        args = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                raise self.err("*args are not supported in procedure calls", a)
            args.append(self.access(a) if isinstance(a, ast.Subscript) else self.expr(a))
        return ir.Call(callee, tuple(args), si)


def parse_procedure(source: SourceText, env: PythonEnv,
                    instr: ir.InstrInfo | None = None) -> ir.ProcIR:
    """Parse the function in ``source`` into an untyped `ProcIR`."""
    fdef = source.parse_function()
    return ProcParser(source, env, fdef, instr).parse()
