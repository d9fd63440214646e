"""Python `ast` expressions -> untyped IR expressions; type annotations.

The result has names resolved to `Sym`s (or to Python values: constants,
externs, configs) but carries no types: `exo_core.frontend.typecheck` adds
them. Literals come out as ``Const(val, None)``; the typechecker decides from
their context whether an integer literal is a control value (``int``) or data
(``R``).
"""

from __future__ import annotations

import ast
import math
import numbers

import exo_core.ir as ir
from exo_core.ir.config import Config
from exo_core.errors import ParseError
from exo_core.ir.extern import Extern as ExternFn
from exo_core.ir.memory import Memory
from exo_core.ir.types import CONTROL_TYPES, NUMERIC_ALIASES, ScalarType, TensorType
from exo_core.ir.version import ProcVersion
from exo_core.frontend.quote import QuotedExpr, evaluate_in, unquote_operand
from exo_core.frontend.scope import MISSING, ObjectScope, PythonEnv
from exo_core.frontend.source import SourceText

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Mod: "%"}
_CMPOPS = {ast.Lt: "<", ast.Gt: ">", ast.LtE: "<=", ast.GtE: ">=", ast.Eq: "=="}
_NUMERIC_NAMES = dict(NUMERIC_ALIASES)
_CONTROL_NAMES = dict(CONTROL_TYPES)


def python_value_kind(v) -> str:
    """A short description of a Python value for error messages."""
    if isinstance(v, type):
        return f"the Python class {v.__name__}"
    return f"a Python {type(v).__name__}"


class ExprParser:
    """Parses expressions and annotations against an object scope and a Python env."""

    def __init__(self, source: SourceText, env: PythonEnv, fname: str):
        self.source = source
        self.env = env
        self.fname = fname
        self.scope = ObjectScope()
        # names declared later in the signature, for a better error message
        self.pending_args: set[str] = set()
        self.unquoting = False  # evaluating the Python of an unquote ``{e}``

    # ---------------------------------------------------------------- helpers
    def srcinfo(self, node):
        return self.source.srcinfo(node, self.fname)

    def err(self, msg: str, node) -> ParseError:
        return ParseError(msg, self.srcinfo(node))

    def python_value(self, node):
        """Evaluate a Name or dotted Attribute in the Python environment
        (`MISSING` when unresolvable)."""
        if isinstance(node, ast.Name):
            return self.env.lookup(node.id)
        if isinstance(node, ast.Attribute):
            base = self.python_value(node.value)
            if base is MISSING:
                return MISSING
            if isinstance(base, Config):
                return MISSING  # config fields are object code, not Python values
            try:
                return getattr(base, node.attr)
            except Exception:  # arbitrary user objects: any failure means "absent"
                return MISSING
        return MISSING

    # -------------------------------------------------------- metaprogramming
    def unquote_value(self, node: ast.expr):
        """The Python value of the unquote ``{node}`` (`exo_core.frontend.quote`)."""
        self.unquoting = True
        try:
            return evaluate_in(self.env, node, lambda: self.scope)
        except ParseError:
            raise
        except Exception as e:  # the user's Python expression failed
            raise self.err(f"the unquoted Python expression {self.dotted_name(node)} raised "
                           f"{type(e).__name__}: {e}", node) from None
        finally:
            self.unquoting = False

    def in_quote_scope(self, q, parse):
        """``parse()`` with the object scope where the quote ``q`` was written."""
        saved = self.scope
        self.scope = q.scope
        try:
            return parse()
        finally:
            self.scope = saved

    def unquoted_expr(self, value, node) -> ir.Expr:
        """The object-code expression an unquoted Python value stands for."""
        if isinstance(value, QuotedExpr):
            return self.in_quote_scope(value, lambda: self.expr(value.node))
        const = self._python_number(value, node, self.srcinfo(node), self.dotted_name(node))
        if const is None:
            raise self.err(f"cannot unquote {python_value_kind(value)} as an expression "
                           "(expected a quoted expression ~{...} or a number)", node)
        return const

    def dotted_name(self, node) -> str:
        try:
            return ast.unparse(node)
        except Exception:
            return "<expression>"

    # ------------------------------------------------------------ expressions
    def expr(self, node) -> ir.Expr:
        """Parse an expression of object code."""
        si = self.srcinfo(node)
        if isinstance(node, ast.Constant):
            return self._literal(node.value, node, si)
        if isinstance(node, ast.Name):
            return self._name(node, si)
        if isinstance(node, ast.Subscript):
            return self.access(node)
        if isinstance(node, ast.BinOp):
            op = _BINOPS.get(type(node.op))
            if op is None:
                sym = _op_symbol(node.op)
                hint = " (object-code / on control values already rounds down)" if sym == "//" else ""
                raise self.err(f"operator {sym} is not supported in object code{hint}", node)
            return ir.BinOp(op, self.expr(node.left), self.expr(node.right), None, si)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node, si)
        if isinstance(node, ast.Compare):
            return self._compare(node, si)
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            acc = self.expr(node.values[0])
            for v in node.values[1:]:
                acc = ir.BinOp(op, acc, self.expr(v), None, si)
            return acc
        if isinstance(node, ast.Call):
            return self._call(node, si)
        if isinstance(node, ast.Attribute):
            return self._attribute(node, si)
        inner = unquote_operand(node)
        if inner is not None:
            return self.unquoted_expr(self.unquote_value(inner), node)
        raise self.err(f"{_describe(node)} is not supported in object code", node)

    def _literal(self, val, node, si):
        if isinstance(val, float) and not math.isfinite(val):
            raise self.err(f"this float literal is too large for a floating-point number "
                           f"(it would be {val})", node)
        if isinstance(val, bool) or isinstance(val, (int, float)):
            return ir.Const(val, None, si)
        raise self.err(f"the literal {val!r} is not a number or bool; object code has no "
                       f"{type(val).__name__} values", node)

    def _name(self, node: ast.Name, si):
        sym = self.scope.lookup(node.id)
        if sym is not None:
            return ir.Read(sym, (), None, si)
        return self._python_constant(node, si)

    def _python_constant(self, node, si):
        val = self.python_value(node)
        name = self.dotted_name(node)
        if val is MISSING:
            if isinstance(node, ast.Name) and node.id in self.pending_args:
                raise self.err(f"{name} is used before its declaration in the argument list", node)
            raise self.err(f"name {name} is not defined", node)
        if isinstance(val, QuotedExpr):  # an implicit unquote of a quoted expression
            return self.unquoted_expr(val, node)
        const = self._python_number(val, node, si, name)
        if const is None:
            raise self.err(f"{name} is {python_value_kind(val)}, not a value object code can "
                           "use", node)
        return const

    def _python_number(self, val, node, si, name: str) -> ir.Const | None:
        """A Python bool or number as an object-code literal (None for any
        other value)."""
        if isinstance(val, bool):
            return ir.Const(val, None, si)
        if isinstance(val, numbers.Integral):
            return ir.Const(int(val), None, si)
        if isinstance(val, numbers.Real):
            if not math.isfinite(float(val)):
                raise self.err(f"{name} is {float(val)}, not a finite number", node)
            return ir.Const(float(val), None, si)
        return None

    def _unary(self, node: ast.UnaryOp, si):
        if isinstance(node.op, ast.UAdd):
            return self.expr(node.operand)
        if isinstance(node.op, ast.USub):
            arg = self.expr(node.operand)
            if isinstance(arg, ir.Const) and not isinstance(arg.val, bool):
                return ir.Const(-arg.val, None, si)
            return ir.USub(arg, None, si)
        if isinstance(node.op, ast.Not):
            raise self.err("`not` is not supported in object code; "
                           "write the opposite comparison instead", node)
        raise self.err("operator ~ is not supported in object code", node)

    def _compare(self, node: ast.Compare, si):
        # a < b <= c  ->  (a < b) and (b <= c)
        result = None
        left = node.left
        for op, right in zip(node.ops, node.comparators):
            sym = _CMPOPS.get(type(op))
            if sym is None:
                raise self.err(f"comparison {_op_symbol(op)} is not supported in object code "
                               "(use <, >, <=, >= or ==)", node)
            cmp = ir.BinOp(sym, self.expr(left), self.expr(right), None, si)
            result = cmp if result is None else ir.BinOp("and", result, cmp, None, si)
            left = right
        return result

    def _check_extern_name(self, f, name: str, node) -> None:
        """An extern must have an identifier name (the one printed and used in C)."""
        try:
            ename = f.name()
        except Exception:  # e.g. a subclass whose __init__ skipped super().__init__
            ename = None
        if not isinstance(ename, str) or not ename.isidentifier():
            raise self.err(f"extern {name} has no valid name (got {ename!r}); its __init__ "
                           "must call super().__init__(\"name\") with an identifier", node)

    def _call(self, node: ast.Call, si):
        if node.keywords:
            raise self.err("keyword arguments are not supported in object code", node)
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.err("*args are not supported in object code", node)
        func = node.func
        if isinstance(func, ast.Name) and func.id == "stride" and self.scope.lookup("stride") is None:
            return self._stride(node, si)
        if isinstance(func, (ast.Name, ast.Attribute)):
            if isinstance(func, ast.Name) and self.scope.lookup(func.id) is not None:
                raise self.err(f"{func.id} is a variable of this procedure, not a function", node)
            f = self.python_value(func)
            name = self.dotted_name(func)
            if isinstance(f, ExternFn):
                self._check_extern_name(f, name, func)
                return ir.Extern(f, tuple(self.expr(a) for a in node.args), None, si)
            if f is MISSING:
                raise self.err(f"function {name} is not defined", func)
            if _is_procedure(f):
                raise self.err(f"procedure {name} returns no value; call it as a statement", node)
            raise self.err(f"{name} is {python_value_kind(f)}, not an extern function", node)
        raise self.err("only named functions can be called in object code", node)

    def _stride(self, node: ast.Call, si):
        if len(node.args) != 2:
            raise self.err(f"stride takes 2 arguments (buffer, dimension), got {len(node.args)}", node)
        buf, dim = node.args
        if not isinstance(buf, ast.Name) or self.scope.lookup(buf.id) is None:
            raise self.err("the first argument of stride must be a buffer of this procedure", buf)
        dim_val = self._int_constant(dim, "the dimension of stride")
        return ir.StrideExpr(self.scope.lookup(buf.id), dim_val, None, si)

    def _int_constant(self, node, what: str) -> int:
        e = self.expr(node)
        if isinstance(e, ir.Const) and isinstance(e.val, int) and not isinstance(e.val, bool):
            return e.val
        raise self.err(f"{what} must be an integer constant", node)

    def _attribute(self, node: ast.Attribute, si):
        base = self.python_value(node.value) if not (
            isinstance(node.value, ast.Name) and self.scope.lookup(node.value.id) is not None
        ) else MISSING
        if isinstance(base, Config):
            self.check_config_field(base, node)
            return ir.ReadConfig(base, node.attr, None, si)
        if isinstance(node.value, ast.Name) and self.scope.lookup(node.value.id) is not None:
            raise self.err(f"{node.value.id} is a variable of this procedure and has no "
                           f"attribute {node.attr}", node)
        return self._python_constant(node, si)

    def check_config_field(self, cfg: Config, node: ast.Attribute):
        if not cfg.has_field(node.attr):
            raise self.err(f"config {cfg.name()} has no field {node.attr}", node)
        if not cfg.is_allow_rw():
            raise self.err(f"config {cfg.name()} was declared with disable_rw=True; "
                           "object code cannot read or write its fields", node)

    # ------------------------------------------------------------- accesses
    def access(self, node: ast.Subscript) -> ir.Expr:
        """``x[i, j]`` (a Read) or ``x[0:3, i]`` (a WindowExpr)."""
        si = self.srcinfo(node)
        if not isinstance(node.value, ast.Name):
            raise self.err("only named buffers can be indexed", node)
        sym = self.scope.lookup(node.value.id)
        if sym is None:
            val = self.python_value(node.value)
            quoted = self.quoted_name(val)
            if quoted is not None:
                sym = quoted
            elif val is MISSING:
                raise self.err(f"name {node.value.id} is not defined", node.value)
            else:
                raise self.err(f"{node.value.id} is {python_value_kind(val)}, not a buffer of "
                               "this procedure", node.value)
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if not items:
            raise self.err("empty index", node)
        accesses = []
        is_window = False
        for it in items:
            inner = unquote_operand(it)
            if inner is not None:
                v = self.unquote_value(inner)
                if isinstance(v, slice):
                    if v.step is not None:
                        raise self.err("an unquoted slice cannot have a step", it)
                    lo = (self.unquoted_expr(v.start, it) if v.start is not None
                          else ir.Const(0, None, self.srcinfo(it)))
                    hi = self.unquoted_expr(v.stop, it) if v.stop is not None else None
                    accesses.append(ir.Interval(lo, hi, self.srcinfo(it)))
                    is_window = True
                else:
                    accesses.append(ir.Point(self.unquoted_expr(v, it), self.srcinfo(it)))
                continue
            if isinstance(it, ast.Slice):
                is_window = True
                if it.step is not None:
                    raise self.err("window slices cannot have a step", it)
                lo = self.expr(it.lower) if it.lower is not None else ir.Const(0, None, self.srcinfo(it))
                hi = self.expr(it.upper) if it.upper is not None else None
                accesses.append(ir.Interval(lo, hi, self.srcinfo(it)))
            elif isinstance(it, ast.Starred):
                raise self.err("starred indices are not supported", it)
            else:
                accesses.append(ir.Point(self.expr(it), self.srcinfo(it)))
        if is_window:
            return ir.WindowExpr(sym, tuple(accesses), None, si)
        return ir.Read(sym, tuple(a.pt for a in accesses), None, si)

    def quoted_name(self, val):
        """The object-code name a Python value holds when it is a quoted name
        (an implicit unquote of a buffer or variable), else None."""
        if isinstance(val, QuotedExpr) and isinstance(val.node, ast.Name):
            return val.scope.lookup(val.node.id)
        return None

    # ----------------------------------------------------------- annotations
    def annotation(self, node, what: str):
        """Parse ``T``, ``T[dims]``, ``[T][dims]``, each optionally ``@ Mem``.

        Returns ``(type, mem, mem_node)``; ``mem`` is None when not written.
        """
        mem = None
        mem_node = None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            mem_node = node.right
            mem = self.memory(node.right)
            node = node.left
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            raise self.err(f"the type of {what} must be written as object code, not a string", node)
        if isinstance(node, ast.Subscript):
            is_window = False
            base = node.value
            if isinstance(base, ast.List):
                if len(base.elts) != 1:
                    raise self.err(f"window type of {what} must be written [T][dims]", base)
                is_window = True
                base = base.elts[0]
            elem = self.scalar_type(base, what)
            if not elem.is_numeric():
                raise self.err(f"buffers hold numeric values; {what} cannot be a buffer of {elem}", base)
            dims = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            shape = []
            for d in dims:
                if isinstance(d, ast.Slice):
                    raise self.err(f"the shape of {what} must list sizes, not slices", d)
                shape.append(self.expr(d))
            return TensorType(elem, tuple(shape), is_window), mem, mem_node
        if isinstance(node, ast.List):
            raise self.err(f"window type of {what} needs dimensions: [T][dims]", node)
        return self.scalar_type(node, what), mem, mem_node

    def scalar_type(self, node, what: str) -> ScalarType:
        inner = unquote_operand(node)
        if inner is not None:  # ``{T}`` with T = "f32"
            name = self.unquote_value(inner)
            if not isinstance(name, str) or not name.isidentifier():
                raise self.err(f"an unquoted type must be a type name as a string (e.g. "
                               f"\"f32\"), got {name!r}", node)
            return self.scalar_type(ast.copy_location(ast.Name(name, ast.Load()), node), what)
        if isinstance(node, ast.Name):
            if node.id in _NUMERIC_NAMES:
                return _NUMERIC_NAMES[node.id]
            if node.id in _CONTROL_NAMES:
                return _CONTROL_NAMES[node.id]
        val = self.python_value(node) if isinstance(node, (ast.Name, ast.Attribute)) else MISSING
        if isinstance(val, ScalarType):
            return val
        if val is bool:
            return _CONTROL_NAMES["bool"]
        raise self.err(
            f"{self.dotted_name(node)} is not a type (expected one of f16, f32, f64, i8, ui8, "
            f"ui16, i32, R, size, index, bool, stride) in the declaration of {what}", node)

    def memory(self, node):
        if isinstance(node, (ast.Name, ast.Attribute)):
            val = self.python_value(node)
        elif isinstance(node, (ast.Subscript, ast.Call)):  # ``@ mems[0]``: a Python expression
            val = self.unquote_value(node)
        else:
            val = MISSING
        name = self.dotted_name(node)
        if val is MISSING:
            raise self.err(f"memory {name} is not defined", node)
        if not (isinstance(val, type) and issubclass(val, Memory)):
            raise self.err(f"{name} after @ must be a Memory class, but it is "
                           f"{python_value_kind(val)}", node)
        return val


def _is_procedure(f) -> bool:
    return isinstance(f, (ProcVersion, ir.ProcIR))


def _op_symbol(op) -> str:
    return {
        ast.FloorDiv: "//", ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>",
        ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^", ast.MatMult: "@",
        ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in",
        ast.NotIn: "not in",
    }.get(type(op), type(op).__name__)


def _describe(node) -> str:
    names = {
        ast.IfExp: "a conditional expression (x if c else y)", ast.Lambda: "lambda",
        ast.List: "a list", ast.Tuple: "a tuple", ast.Dict: "a dict", ast.Set: "a set",
        ast.ListComp: "a list comprehension", ast.GeneratorExp: "a generator expression",
        ast.DictComp: "a dict comprehension", ast.SetComp: "a set comprehension",
        ast.JoinedStr: "an f-string", ast.Starred: "a starred expression",
        ast.NamedExpr: "the := operator", ast.Await: "await", ast.Yield: "yield",
        ast.YieldFrom: "yield from", ast.Slice: "a slice",
    }
    return names.get(type(node), type(node).__name__)
