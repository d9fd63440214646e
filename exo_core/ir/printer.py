"""Printing IR as object code (the form users write and the seeds show).

``proc_to_str`` gives text such as::

    def foo(N: size, x: [f32][3] @ DRAM):
        assert stride(x, 0) == 1
        y: i32 @ DRAM
        for i in seq(0, 3):
            if i + 1 < N:
                x[i] += 2.0 * y
            else:
                pass

- One statement per line, four spaces per level; operators get only the
  parentheses their precedence needs (``a - (b + c)``, ``(a + b) * 2``).
- Float literals print as Python floats (``0.0``), integer literals as ints.
- An ``@instr`` procedure prints with its ``@instr("...")`` decorator line,
  so that the text parses back to an equal instruction procedure.
- Names: each symbol prints as its name, except that a binding whose name is
  already visible for a *different* symbol (shadowing, or two symbols with the
  same name in one scope) prints as ``name_1``, ``name_2``... (the first suffix
  not used anywhere in the procedure). The text therefore always parses back
  (`exo_core.api.proc_from_source`) to an alpha-equivalent procedure.
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.errors import ExoTypeError
from exo_core.ir.types import TensorType
from exo_core.user_frame import caller_srcinfo

PRECEDENCE = {"or": 10, "and": 20, "<": 30, ">": 30, "<=": 30, ">=": 30, "==": 30,
              "+": 40, "-": 40, "*": 50, "/": 50, "%": 50}
_UNARY_PREC = 60
_COMPARISONS = ("<", ">", "<=", ">=", "==")
_INDENT = "    "


class _Names:
    """Printed names of symbols, with scoping and collision renaming."""

    def __init__(self, taken=()):
        self.scopes: list[dict] = [{}]  # printed name -> Sym, per scope
        self.printed: dict = {}  # Sym -> printed name
        self.taken: set[str] = set(taken)

    def push(self):
        self.scopes.append({})

    def pop(self):
        self.scopes.pop()

    def _visible(self, name: str):
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def bind(self, sym) -> str:
        name = sym.name
        other = self._visible(name)
        if other is not None and other != sym:
            k = 1
            while f"{sym.name}_{k}" in self.taken or self._visible(f"{sym.name}_{k}") is not None:
                k += 1
            name = f"{sym.name}_{k}"
            self.taken.add(name)
        self.scopes[-1][name] = sym
        self.printed[sym] = name
        return name

    def __call__(self, sym) -> str:
        return self.printed.get(sym, sym.name)


def _const_to_str(val) -> str:
    if isinstance(val, bool):
        return "True" if val else "False"
    if isinstance(val, float):
        return repr(val)
    return str(val)


def _expr(e, names, prec: int = 0) -> str:
    if isinstance(e, ir.Read):
        if not e.idx:
            return names(e.name)
        return f"{names(e.name)}[{', '.join(_expr(i, names) for i in e.idx)}]"
    if isinstance(e, ir.Const):
        return _const_to_str(e.val)
    if isinstance(e, ir.USub):
        s = f"-{_expr(e.arg, names, _UNARY_PREC)}"
        return f"({s})" if _UNARY_PREC < prec else s
    if isinstance(e, ir.BinOp):
        p = PRECEDENCE[e.op]
        if e.op in _COMPARISONS:  # Python chains comparisons: never print a < b < c
            lhs, rhs = _expr(e.lhs, names, p + 1), _expr(e.rhs, names, p + 1)
        else:
            lhs, rhs = _expr(e.lhs, names, p), _expr(e.rhs, names, p + 1)
        s = f"{lhs} {e.op} {rhs}"
        return f"({s})" if p < prec else s
    if isinstance(e, ir.Extern):
        return f"{e.f.name()}({', '.join(_expr(a, names) for a in e.args)})"
    if isinstance(e, ir.WindowExpr):
        return f"{names(e.name)}[{', '.join(_waccess(a, names) for a in e.idx)}]"
    if isinstance(e, ir.StrideExpr):
        return f"stride({names(e.name)}, {e.dim})"
    if isinstance(e, ir.ReadConfig):
        return f"{e.config.name()}.{e.field}"
    if isinstance(e, (ir.Interval, ir.Point)):
        return _waccess(e, names)
    raise TypeError(f"not an expression: {type(e).__name__}")


def _waccess(a, names) -> str:
    if isinstance(a, ir.Interval):
        hi = "" if a.hi is None else _expr(a.hi, names)
        return f"{_expr(a.lo, names)}:{hi}"
    return _expr(a.pt, names)


def expr_to_str(e, names=None) -> str:
    """Object-code text of an expression (symbols print as their names)."""
    return _expr(e, names if names is not None else _Names())


def type_to_str(t, names=None) -> str:
    """``f32``, ``size``, ``f32[N, 4]`` or ``[f32][4]``."""
    names = names if names is not None else _Names()
    if isinstance(t, TensorType):
        dims = ", ".join(_expr(d, names) for d in t.shape_exprs)
        return f"[{t.elem}][{dims}]" if t.is_window else f"{t.elem}[{dims}]"
    return str(t)


# The text of a tensor type is its printed shape: the type layer cannot print
# expressions, so the printer gives `TensorType` its ``str()`` and ``repr()``.
TensorType.__str__ = TensorType.__repr__ = lambda t: type_to_str(t)


def _mem_to_str(mem) -> str:
    """The memory's name; its class name when a user's ``name()`` hook fails or
    does not give an identifier."""
    hook = getattr(mem, "name", None)
    try:
        name = hook() if callable(hook) else None
    except Exception:  # a user's memory class: printing must not fail
        name = None
    if isinstance(name, str) and name.isidentifier():
        return name
    return getattr(mem, "__name__", type(mem).__name__)


def _decl(name: str, t, mem, names) -> str:
    s = f"{name}: {type_to_str(t, names)}"
    if mem is not None and t.is_numeric():
        s += f" @ {_mem_to_str(mem)}"
    return s


class _Printer:
    def __init__(self, p: ir.ProcIR | None):
        self.names = _Names(_all_sym_names(p) if p is not None else ())
        self.lines: list[str] = []

    def stmts(self, block, depth: int):
        if not block:
            self.lines.append(_INDENT * depth + "pass")
        for s in block:
            self.stmt(s, depth)

    def stmt(self, s, depth: int):
        ind = _INDENT * depth
        n = self.names
        if isinstance(s, (ir.Assign, ir.Reduce)):
            lhs = n(s.name)
            if s.idx:
                lhs += f"[{', '.join(_expr(i, n) for i in s.idx)}]"
            op = "=" if isinstance(s, ir.Assign) else "+="
            self.lines.append(f"{ind}{lhs} {op} {_expr(s.rhs, n)}")
        elif isinstance(s, ir.WriteConfig):
            self.lines.append(f"{ind}{s.config.name()}.{s.field} = {_expr(s.rhs, n)}")
        elif isinstance(s, ir.Pass):
            self.lines.append(f"{ind}pass")
        elif isinstance(s, ir.If):
            self.lines.append(f"{ind}if {_expr(s.cond, n)}:")
            self.block(s.body, depth + 1)
            if s.orelse:
                self.lines.append(f"{ind}else:")
                self.block(s.orelse, depth + 1)
        elif isinstance(s, ir.For):
            lo, hi = _expr(s.lo, n), _expr(s.hi, n)
            n.push()
            it = n.bind(s.iter)
            self.lines.append(f"{ind}for {it} in {s.loop_mode}({lo}, {hi}):")
            self.stmts(s.body, depth + 1)
            n.pop()
        elif isinstance(s, ir.Alloc):
            self.lines.append(f"{ind}{_decl(n.bind(s.name), s.type, s.mem, n)}")
        elif isinstance(s, ir.Call):
            args = ", ".join(_expr(a, n) for a in s.args)
            self.lines.append(f"{ind}{s.f.name}({args})")
        elif isinstance(s, ir.WindowStmt):
            rhs = _expr(s.rhs, n)
            self.lines.append(f"{ind}{n.bind(s.name)} = {rhs}")
        else:
            raise TypeError(f"not a statement: {type(s).__name__}")

    def block(self, block, depth: int):
        self.names.push()
        self.stmts(block, depth)
        self.names.pop()

    def proc(self, p: ir.ProcIR) -> str:
        if p.instr is not None:
            deco = f"@instr({p.instr.c_instr!r}"
            if p.instr.c_global:
                deco += f", c_global={p.instr.c_global!r}"
            self.lines.append(deco + ")")
        args = []
        for a in p.args:
            args.append(_decl(self.names.bind(a.name), a.type, a.mem, self.names))
        self.lines.append(f"def {p.name}({', '.join(args)}):")
        for e in p.preds:
            self.lines.append(f"{_INDENT}assert {_expr(e, self.names)}")
        if p.body or not p.preds:
            self.block(p.body, 1)
        return "\n".join(self.lines)


def _all_sym_names(p: ir.ProcIR) -> set[str]:
    out: set[str] = set()
    for a in p.args:
        out.add(a.name.name)
    _collect_stmt_names(p.body, out)
    return out


def _collect_stmt_names(block, out: set):
    for s in ir.walk_stmts(block):
        for attr in ("name", "iter"):
            v = getattr(s, attr, None)
            if v is not None and hasattr(v, "id"):
                out.add(v.name)


def proc_to_str(p: ir.ProcIR) -> str:
    """Object-code text of a procedure (parses back with `proc_from_source`)."""
    return _Printer(p).proc(p)


def stmt_to_str(s, depth: int = 0) -> str:
    """Object-code text of one statement (symbols print as their names)."""
    pr = _Printer(None)
    pr.stmt(s, depth)
    return "\n".join(pr.lines)


def source_scope(p: ir.ProcIR) -> dict:
    """The Python names the text of ``p`` refers to (callees, memories, externs,
    configs), for parsing it back with ``proc_from_source(text, scope)``.
    ``p`` is a `ProcIR` or a `Procedure`."""
    if not isinstance(p, ir.ProcIR):
        internal = getattr(p, "INTERNAL_proc", None)
        root = internal() if callable(internal) else None
        if not isinstance(root, ir.ProcIR):
            raise ExoTypeError(f"source_scope expects a procedure, got {type(p).__name__}",
                               caller_srcinfo())
        p = root
    scope: dict = {}

    def mem(m):
        if m is not None:
            scope[_mem_to_str(m)] = m

    def expr(e):
        if isinstance(e, ir.Extern):
            scope[e.f.name()] = e.f
        elif isinstance(e, ir.ReadConfig):
            scope[e.config.name()] = e.config
        for child in ir.expr_children(e):
            expr(child)

    def stmts(block):
        for s in block:
            if isinstance(s, ir.Alloc):
                mem(s.mem)
                _shape_exprs(s.type, expr)
            elif isinstance(s, ir.Call):
                scope[s.f.name] = s.f
            elif isinstance(s, ir.WriteConfig):
                scope[s.config.name()] = s.config
            for e in ir.stmt_exprs(s):
                expr(e)
            for f in s.block_fields:
                stmts(getattr(s, f))

    for a in p.args:
        mem(a.mem)
        _shape_exprs(a.type, expr)
    for e in p.preds:
        expr(e)
    stmts(p.body)
    return scope


def _shape_exprs(t, fn):
    if isinstance(t, TensorType):
        for d in t.shape_exprs:
            fn(d)


__all__ = ["proc_to_str", "expr_to_str", "stmt_to_str", "type_to_str", "source_scope",
           "PRECEDENCE"]


class _SpanPrinter(_Printer):
    """The printer, remembering the lines each statement object took."""

    def __init__(self, p: ir.ProcIR):
        super().__init__(p)
        self.spans: dict = {}

    def stmt(self, s, depth: int):
        start = len(self.lines)
        super().stmt(s, depth)
        self.spans.setdefault(id(s), (start, len(self.lines), depth))


INDENT = _INDENT


def proc_lines_with_spans(p: ir.ProcIR) -> tuple[list, dict]:
    """The lines of `proc_to_str` and, per statement object (``id``), the
    lines it takes and its depth: ``(first, end, depth)`` (its first
    occurrence, if the object appears twice). Cursor printing marks them."""
    pr = _SpanPrinter(p)
    pr.proc(p)
    return pr.lines, pr.spans


def arg_to_str(a: ir.FnArg) -> str:
    """``name: type @ mem`` for a procedure argument."""
    return _decl(a.name.name, a.type, a.mem, lambda s: s.name)
