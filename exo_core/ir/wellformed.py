"""The well-formedness check of typed IR: the invariants that every procedure
the front end builds has and that every scheduling primitive must keep.

    check_wellformed(proc_ir)                   # None, or raises MalformedIRError
    check_wellformed(proc_ir, memories=False)   # the same without memory legality

What is checked:

- scoping: every symbol is bound once in the procedure (arguments, loop
  iterators, allocations, window statements) and used only inside the scope
  of its binding: a loop iterator in the loop's body, an allocation or a
  window statement from the statement to the end of its block, an argument
  everywhere (preconditions and shapes included, an argument's shape only
  mentioning earlier arguments);
- types: indices, loop bounds, shapes and control arguments are integer
  control expressions (int, index, size, stride), never data or bool;
  conditions are bool; data expressions (right-hand sides, scalar arguments)
  are numeric and each node's ``type`` agrees with what it reads; writes go to
  numeric buffers and scalars with as many indices as the buffer has
  dimensions (never to a size, an index or a loop iterator); call arguments
  match the callee's parameter kinds (control, scalar, buffer/window) and ranks (precisions are code generation's to check);
  window expressions and strides refer to buffers and stay within their rank;
  no two different procedures are called by one name;
- memory legality (``memories=True``, not inside ``@instr`` bodies, which are
  semantics and are never compiled): no element read or write of a buffer whose
  `Memory` cannot be accessed element-wise. A memory says so with
  ``can_read()`` returning False (the vector register files, RVM tiles); its
  ``read``/``write``/``reduce`` hooks only give the C text of the accesses it
  allows and are called by code generation with C operands, so they are not
  probed here.

What is not checked here: the facts the verifier proves (indices in bounds,
callee preconditions, shape equalities), which are semantic, not structural.

A violation is a bug in the compiler (a rewrite built a wrong tree), not a
user mistake, so the error is `MalformedIRError`, an internal error that names
the procedure, the offending statement (its position, or its text when it has
none) and what is wrong.
"""

from __future__ import annotations

from attrs import frozen

from exo_core.ir import nodes as ir
from exo_core.ir.equal import proc_equal
from exo_core.ir.memory import Memory
from exo_core.ir.prelude import Sym, SrcInfo, null_srcinfo
from exo_core.ir.printer import stmt_to_str
from exo_core.ir.types import BOOL, INDEX, INT, SIZE, STRIDE, ScalarType, TensorType

__all__ = ["MalformedIRError", "check_wellformed", "memory_allows_element_access",
           "clashing_callee_name"]

_INT_CTRL = (INT, INDEX, SIZE, STRIDE)
_ARITH = ("+", "-", "*", "/", "%")
_CMP = ("<", ">", "<=", ">=", "==")


class MalformedIRError(Exception):
    """An IR tree breaks a well-formedness rule (an internal compiler error).

    ``str(err)`` is ``"file:line:col: in proc NAME, at `stmt`: message"``.
    """

    def __init__(self, message: str, proc_name: str, srcinfo: SrcInfo | None = None,
                 stmt_text: str | None = None):
        self.message = message
        self.proc_name = proc_name
        self.srcinfo = srcinfo
        self.stmt_text = stmt_text
        where = f"{srcinfo}: " if srcinfo is not None and srcinfo != null_srcinfo else ""
        at = f", at `{stmt_text}`" if stmt_text else ""
        super().__init__(f"{where}malformed IR in proc {proc_name}{at}: {message}")


def memory_allows_element_access(mem) -> bool:
    """False for a memory whose buffers cannot be read or written element-wise
    (``mem.can_read()`` is False); such buffers are only passed to instructions."""
    if not (isinstance(mem, type) and issubclass(mem, Memory)):
        return True
    return bool(mem.can_read())


def clashing_callee_name(root: ir.ProcIR) -> str | None:
    """A name by which ``root`` calls two different procedures (procedures
    that are not alpha-equal), or None. Such a procedure cannot be printed and
    loaded again (its text names the callees) nor compiled (Exo refuses
    "multiple procs named ..."); primitives that bring in a callee refuse it."""
    seen: dict = {}

    def walk(block) -> str | None:
        for s in block:
            if isinstance(s, ir.Call):
                prior = seen.setdefault(s.f.name, s.f)
                if prior is not s.f and not proc_equal(prior, s.f):
                    return s.f.name
            for f in s.block_fields:
                found = walk(getattr(s, f))
                if found is not None:
                    return found
        return None

    return walk(root.body)


@frozen
class _Var:
    """What a symbol in scope is."""

    kind: str   # "control", "iter", "scalar", "buffer", "window"
    type: object
    mem: object  # the memory holding the data (a window's is its base's)
    role: str   # for messages: "size argument", "loop iterator", ...


_KIND_OF_EXPR = {"Read": "a read", "Const": "a literal", "USub": "a negation",
                 "BinOp": "an operation", "Extern": "an extern call",
                 "WindowExpr": "a window expression", "StrideExpr": "a stride",
                 "ReadConfig": "a config read"}


def _kind(e) -> str:
    return _KIND_OF_EXPR.get(type(e).__name__, f"a {type(e).__name__} node")


def _role_of_ctrl(t: ScalarType) -> str:
    return f"{t.name} argument"


class _Checker:
    def __init__(self, p: ir.ProcIR, memories: bool):
        self.p = p
        self.memories = memories and p.instr is None
        self.scope: dict[Sym, _Var] = {}
        self.bound: set[Sym] = set()
        self.stmt: ir.Stmt | None = None
        self.where: SrcInfo | None = p.srcinfo
        self.callees: dict = {}

    # ---------------------------------------------------------------- errors
    def fail(self, message: str, node=None):
        si = getattr(node, "srcinfo", None)
        if si is None or si == null_srcinfo:
            si = getattr(self.stmt, "srcinfo", None) if self.stmt is not None else None
        if si is None or si == null_srcinfo:
            si = self.where
        text = None
        if self.stmt is not None:
            text = _stmt_text(self.stmt)
        raise MalformedIRError(message, self.p.name, si, text)

    # --------------------------------------------------------------- scoping
    def bind(self, sym, var: _Var, node, added: list | None) -> None:
        if not isinstance(sym, Sym):
            self.fail(f"a {var.role} is named by {sym!r}, not by a symbol", node)
        if sym in self.scope:
            self.fail(f"{sym} ({sym!r}) is bound again while its {self.scope[sym].role} "
                      f"binding is still in scope", node)
        if sym in self.bound:
            self.fail(f"{sym} ({sym!r}) is bound a second time (as a {var.role}); every "
                      f"symbol must be bound once in a procedure", node)
        self.bound.add(sym)
        self.scope[sym] = var
        if added is not None:
            added.append(sym)

    def lookup(self, sym, node) -> _Var:
        var = self.scope.get(sym) if isinstance(sym, Sym) else None
        if var is None:
            if sym in self.bound:
                self.fail(f"{sym} ({sym!r}) is used outside the scope of its binding", node)
            self.fail(f"{sym} ({sym!r}) is used but never bound", node)
        return var

    # ------------------------------------------------------------- procedure
    def proc(self) -> None:
        p = self.p
        for a in p.args:
            self.arg(a)
        for e in p.preds:
            self.cond(e, "a precondition")
        self.block(p.body, "the procedure body", may_be_empty=bool(p.preds))

    def arg(self, a: ir.FnArg) -> None:
        t = a.type
        if isinstance(t, TensorType):
            self.buffer_type(t, f"the shape of argument {a.name}", a)
            self.memory(a.mem, a)
            self.bind(a.name, _Var("window" if t.is_window else "buffer", t, a.mem,
                                   "window argument" if t.is_window else "tensor argument"),
                      a, None)
        elif isinstance(t, ScalarType) and t.kind == "ctrl":
            if t is INT:
                self.fail(f"argument {a.name} has type int; control arguments are size, "
                          "index, stride or bool", a)
            self.bind(a.name, _Var("control", t, None, _role_of_ctrl(t)), a, None)
        elif isinstance(t, ScalarType) and t.is_numeric():
            self.memory(a.mem, a)
            self.bind(a.name, _Var("scalar", t, a.mem, "scalar argument"), a, None)
        else:
            self.fail(f"argument {a.name} has no valid type ({t!r})", a)

    def memory(self, mem, node) -> None:
        if not (isinstance(mem, type) and issubclass(mem, Memory)):
            self.fail(f"the memory {mem!r} is not a Memory class", node)

    def buffer_type(self, t: TensorType, what: str, node) -> None:
        if not (isinstance(t.elem, ScalarType) and t.elem.is_numeric()):
            self.fail(f"{what}: the element type {t.elem!r} is not numeric", node)
        if not t.shape_exprs:
            self.fail(f"{what}: a buffer type has no dimension", node)
        for d in t.shape_exprs:
            self.ctrl(d, what)
            if d.type is STRIDE:
                self.fail(f"{what} uses a stride", d)

    # ------------------------------------------------------------ statements
    def block(self, stmts, what: str, may_be_empty: bool = False) -> None:
        if not len(stmts) and not may_be_empty:
            self.fail(f"{what} is empty (an empty block holds a single pass)")
        added: list = []
        for s in stmts:
            self.statement(s, added)
        for sym in added:
            del self.scope[sym]

    def statement(self, s, added: list) -> None:
        outer = self.stmt
        self.stmt = s
        if isinstance(s, (ir.Assign, ir.Reduce)):
            self.write(s)
        elif isinstance(s, ir.For):
            if s.loop_mode not in ("seq", "par"):
                self.fail(f"loop mode {s.loop_mode!r} is neither seq nor par", s)
            self.ctrl(s.lo, "a loop bound")
            self.ctrl(s.hi, "a loop bound")
            body: list = []
            self.bind(s.iter, _Var("iter", INDEX, None, "loop iterator"), s, body)
            self.block(s.body, f"the body of loop {s.iter}")
            del self.scope[s.iter]
        elif isinstance(s, ir.If):
            self.cond(s.cond, "an if condition")
            self.block(s.body, "the body of an if")
            self.block(s.orelse, "the else branch", may_be_empty=True)
        elif isinstance(s, ir.Alloc):
            t = s.type
            if isinstance(t, TensorType):
                if t.is_window:
                    self.fail(f"allocation {s.name} has a window type", s)
                self.buffer_type(t, f"the shape of {s.name}", s)
                kind = "buffer"
            elif isinstance(t, ScalarType) and t.is_numeric():
                kind = "scalar"
            else:
                self.fail(f"allocation {s.name} has type {t!r}; only numeric scalars "
                          "and tensors are allocated", s)
            self.memory(s.mem, s)
            self.bind(s.name, _Var(kind, t, s.mem, "buffer"), s, added)
        elif isinstance(s, ir.WindowStmt):
            if not isinstance(s.rhs, ir.WindowExpr):
                self.fail(f"window statement {s.name} is not bound to a window expression", s)
            base = self.window(s.rhs)
            self.bind(s.name, _Var("window", s.rhs.type, base.mem, "window"), s, added)
        elif isinstance(s, ir.WriteConfig):
            t = self.config_field(s.config, s.field, s)
            self.typed(s.rhs, t, f"the value of {s.config.name()}.{s.field}")
        elif isinstance(s, ir.Call):
            self.call(s)
        elif not isinstance(s, ir.Pass):
            self.fail(f"unexpected statement kind {type(s).__name__}", s)
        self.stmt = outer

    def write(self, s) -> None:
        verb = "assigns to" if isinstance(s, ir.Assign) else "reduces into"
        var = self.lookup(s.name, s)
        if var.kind in ("control", "iter"):
            self.fail(f"{verb} {s.name}, a {var.role} ({var.type}); only numeric buffers and "
                      "scalars are written", s)
        self.element(var, s.name, s.idx, s, verb)
        if s.type is not var.type.basetype():
            self.fail(f"the statement's type {s.type!r} is not the element type "
                      f"{var.type.basetype()} of {s.name}", s)
        self.data(s.rhs)

    def element(self, var: _Var, name, idx, node, verb: str) -> None:
        """An element access ``name[idx]`` (or a scalar ``name``)."""
        if var.kind == "scalar":
            if idx:
                self.fail(f"{verb} {name} with indices, but {name} is a scalar", node)
        else:
            n = var.type.ndim()
            if len(idx) != n:
                self.fail(f"{verb} {name} with {len(idx)} indices, but {name} has {n} "
                          f"dimension{'s' if n != 1 else ''}", node)
        for i in idx:
            self.ctrl(i, "an index")
        if self.memories and var.mem is not None and not memory_allows_element_access(var.mem):
            self.fail(f"{verb} an element of {name}, which lives in {var.mem.name()}: that "
                      "memory cannot be read or written element-wise (its can_read() is "
                      "False); only instructions may access it", node)

    def config_field(self, config, field: str, node) -> ScalarType:
        if not (hasattr(config, "has_field") and config.has_field(field)):
            self.fail(f"{config!r} has no field {field}", node)
        return config.lookup_type(field)

    # ------------------------------------------------------------------ calls
    def call(self, s: ir.Call) -> None:
        f = s.f
        if not isinstance(f, ir.ProcIR):
            self.fail(f"the callee {f!r} is not a procedure", s)
        if len(s.args) != len(f.args):
            self.fail(f"{f.name} takes {len(f.args)} arguments, but {len(s.args)} are passed", s)
        prior = self.callees.setdefault(f.name, f)
        if prior is not f and not proc_equal(prior, f):
            self.fail(f"two different procedures named {f.name} are called (the printed "
                      "procedure could not tell them apart)", s)
        for fa, a in zip(f.args, s.args):
            t = fa.type
            what = f"argument {fa.name} of {f.name}"
            if isinstance(t, ScalarType) and t.kind == "ctrl":
                if t is BOOL:
                    self.cond(a, what)
                else:
                    self.ctrl(a, what)
            elif isinstance(t, ScalarType):
                if not isinstance(a, ir.Read):
                    self.fail(f"{what} is a scalar passed by reference, but the argument "
                              "is not a variable or buffer element", a)
                var = self.lookup(a.name, a)
                if var.kind not in ("scalar", "buffer", "window"):
                    self.fail(f"{what} is a scalar, but {a.name} is a {var.role}", a)
                self.element(var, a.name, a.idx, a, f"{what} reads")
            elif isinstance(t, TensorType):
                if isinstance(a, ir.WindowExpr):
                    base = self.window(a)
                    got = a.type
                elif isinstance(a, ir.Read) and not a.idx:
                    base = self.lookup(a.name, a)
                    if base.kind not in ("buffer", "window"):
                        self.fail(f"{what} is a buffer, but {a.name} is a {base.role}", a)
                    got = base.type
                else:
                    self.fail(f"{what} is a buffer, but the argument is not a buffer or "
                              "a window", a)
                if got.ndim() != t.ndim():
                    self.fail(f"{what} has {t.ndim()} dimensions, but the argument has "
                              f"{got.ndim()}", a)
            else:
                self.fail(f"{what} has no valid type ({t!r})", a)

    # ------------------------------------------------------------ expressions
    def typed(self, e, t: ScalarType, what: str) -> None:
        if t is BOOL:
            self.cond(e, what)
        elif t.is_numeric():
            self.data(e)
        else:
            self.ctrl(e, what)

    def ctrl(self, e, what: str) -> None:
        """``e`` is an integer control expression (in ``what``)."""
        if not isinstance(e, ir.Expr):
            self.fail(f"{what} is {e!r}, not an expression")
        if isinstance(e, ir.Const):
            if not isinstance(e.val, int) or isinstance(e.val, bool):
                self.fail(f"the literal {e.val!r} in {what} is not an integer", e)
        elif isinstance(e, ir.Read):
            var = self.lookup(e.name, e)
            if var.kind not in ("control", "iter") or var.type is BOOL or e.idx:
                self.fail(f"{what} reads {e.name}, a {var.role} ({var.type}); {what} must "
                          "be an integer control expression", e)
        elif isinstance(e, ir.USub):
            self.ctrl(e.arg, what)
        elif isinstance(e, ir.BinOp):
            if e.op not in _ARITH:
                self.fail(f"{what} is the condition {e.op!r}; it must be an integer", e)
            self.ctrl(e.lhs, what)
            self.ctrl(e.rhs, what)
        elif isinstance(e, ir.StrideExpr):
            self.stride(e)
        elif isinstance(e, ir.ReadConfig):
            t = self.config_field(e.config, e.field, e)
            if t not in _INT_CTRL:
                self.fail(f"{what} reads {e.config.name()}.{e.field} of type {t}; it must "
                          "be an integer control value", e)
        else:
            self.fail(f"{what} is {_kind(e)}; it must be an integer control expression", e)
        if e.type not in _INT_CTRL:
            self.fail(f"an expression in {what} has type {e.type!r}, not an integer control "
                      "type", e)

    def stride(self, e: ir.StrideExpr) -> None:
        var = self.lookup(e.name, e)
        if var.kind not in ("buffer", "window"):
            self.fail(f"stride of {e.name}, a {var.role}, which is not a buffer", e)
        if not isinstance(e.dim, int) or not 0 <= e.dim < var.type.ndim():
            self.fail(f"stride({e.name}, {e.dim}): {e.name} has {var.type.ndim()} dimensions", e)

    def cond(self, e, what: str) -> None:
        """``e`` is a bool condition."""
        if isinstance(e, ir.Const):
            if not isinstance(e.val, bool):
                self.fail(f"{what} is the literal {e.val!r}, not a bool", e)
        elif isinstance(e, ir.Read):
            var = self.lookup(e.name, e)
            if var.type is not BOOL or e.idx:
                self.fail(f"{what} reads {e.name}, a {var.role} ({var.type}), not a bool", e)
        elif isinstance(e, ir.ReadConfig):
            if self.config_field(e.config, e.field, e) is not BOOL:
                self.fail(f"{what} reads {e.config.name()}.{e.field}, which is not a bool", e)
        elif isinstance(e, ir.BinOp) and e.op in ("and", "or"):
            self.cond(e.lhs, what)
            self.cond(e.rhs, what)
        elif isinstance(e, ir.BinOp) and e.op in _CMP:
            if getattr(e.lhs, "type", None) is BOOL and e.op == "==":
                self.cond(e.lhs, what)
                self.cond(e.rhs, what)
            else:
                self.ctrl(e.lhs, what)
                self.ctrl(e.rhs, what)
        else:
            self.fail(f"{what} is {_kind(e)}, not a condition", e)
        if e.type is not BOOL:
            self.fail(f"the condition in {what} has type {e.type!r}, not bool", e)

    def data(self, e) -> None:
        """``e`` is a numeric (data) expression."""
        if isinstance(e, ir.Const):
            if isinstance(e.val, bool) or not isinstance(e.val, (int, float)):
                self.fail(f"the literal {e.val!r} is not a number", e)
        elif isinstance(e, ir.Read):
            var = self.lookup(e.name, e)
            if var.kind not in ("scalar", "buffer", "window"):
                self.fail(f"a data expression reads {e.name}, a {var.role} ({var.type}); "
                          "data expressions only read numeric buffers and scalars", e)
            self.element(var, e.name, e.idx, e, "reads")
            if e.type is not var.type.basetype():
                self.fail(f"the read of {e.name} has type {e.type!r}, not its element type "
                          f"{var.type.basetype()}", e)
        elif isinstance(e, ir.USub):
            self.data(e.arg)
        elif isinstance(e, ir.BinOp):
            if e.op not in _ARITH or e.op == "%":
                self.fail(f"the operator {e.op!r} is not defined on data values", e)
            self.data(e.lhs)
            self.data(e.rhs)
        elif isinstance(e, ir.Extern):
            for a in e.args:
                self.data(a)
        elif isinstance(e, ir.ReadConfig):
            if not self.config_field(e.config, e.field, e).is_numeric():
                self.fail(f"a data expression reads {e.config.name()}.{e.field}, which is "
                          "not numeric", e)
        else:
            self.fail(f"{_kind(e)} is used as a data value", e)
        if not (isinstance(e.type, ScalarType) and e.type.is_numeric()):
            self.fail(f"a data expression has type {e.type!r}, not a numeric type", e)

    def window(self, e: ir.WindowExpr) -> _Var:
        """Check a window expression; returns its base buffer's record."""
        var = self.lookup(e.name, e)
        if var.kind not in ("buffer", "window"):
            self.fail(f"a window of {e.name}, a {var.role}, which is not a buffer", e)
        n = var.type.ndim()
        if len(e.idx) != n:
            self.fail(f"a window of {e.name} has {len(e.idx)} dimensions, but {e.name} has {n}", e)
        kept = 0
        for a in e.idx:
            if isinstance(a, ir.Interval):
                self.ctrl(a.lo, "a window bound")
                self.ctrl(a.hi, "a window bound")
                kept += 1
            elif isinstance(a, ir.Point):
                self.ctrl(a.pt, "a window index")
            else:
                self.fail(f"a window of {e.name} has a dimension {a!r}", e)
        t = e.type
        if not (isinstance(t, TensorType) and t.is_window):
            self.fail(f"the window of {e.name} has type {t!r}, not a window type", e)
        if t.ndim() != kept or kept == 0:
            self.fail(f"the window of {e.name} keeps {kept} dimensions but its type has "
                      f"{t.ndim()}", e)
        if t.elem is not var.type.basetype():
            self.fail(f"the window of {e.name} has element type {t.elem}, not "
                      f"{var.type.basetype()}", e)
        for d in t.shape_exprs:
            self.ctrl(d, f"the extent of a window of {e.name}")
        return var


def _stmt_text(s) -> str:
    """The first line of a statement's text (for messages)."""
    try:
        return stmt_to_str(s).splitlines()[0].strip()
    except Exception:  # a malformed node may not print; its kind still helps
        return type(s).__name__


def check_wellformed(proc, *, memories: bool = True) -> None:
    """Raise `MalformedIRError` when ``proc`` (a `ProcIR`, or anything with
    ``INTERNAL_proc()``) breaks a well-formedness rule (see the module text).

    ``memories=False`` skips memory legality: a scheduled procedure may access
    a buffer ``set_memory`` put in a vector memory until ``replace`` turns the
    accesses into instructions, so legality is only required of what is compiled.
    """
    root = proc.INTERNAL_proc() if hasattr(proc, "INTERNAL_proc") else proc
    if not isinstance(root, ir.ProcIR):
        raise TypeError(f"check_wellformed expects a procedure, got {type(proc).__name__}")
    _Checker(root, memories).proc()
