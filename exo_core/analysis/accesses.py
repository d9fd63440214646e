"""Memory accesses of a block of statements, as integer facts.

`collect_accesses(stmts)` lists every read, write and reduction the
statements perform: the buffer (windows resolved to the buffer they view; a
configuration field counts as a one-element buffer), the location as a tuple
of `exo_verify` terms, and the condition under which the access happens
(bounds of the loops inside the block, branch conditions, the extent of a
window passed to a call). Loop iterators of loops *inside* the block get
fresh variables for every call, so two calls describe two independent
instances of the block (iteration ``i`` and iteration ``i'``); everything
else (sizes, iterators of enclosing loops) is shared between instances.

The description over-approximates: a location the verifier cannot state
(data-dependent index, config field in an index) is ``None`` ("any
location"), a branch condition it cannot state is dropped, and a call is
assumed to touch the whole region of each buffer it is passed (or the one
element passed to a scalar parameter), with the kinds of access the
callee's body performs on that argument (all of them, when it performs
several). Every check built on these facts is therefore conservative.

A buffer allocated inside the block is a new buffer in every iteration of
the loops around its allocation: its locations are prefixed with those
loops' iterators, and the access is marked ``local``.
"""

from __future__ import annotations

from typing import Iterable

from attrs import frozen

from exo_verify import TRUE, Formula, Not, Var, conj
from exo_verify import Const as TConst
from exo_verify.formulas import Compare

import exo_core.ir as ir
from exo_core.ir.prelude import Sym
from exo_core.ir.types import TensorType
from exo_core.analysis.logic import fresh_var, sym_var
from exo_core.analysis.logic_partial import cond_formula, ctrl_term

READ, WRITE, REDUCE = "read", "write", "reduce"


@frozen(eq=False)
class ConfigField:
    """A configuration field, as a buffer key."""

    config: object
    field: str

    def __eq__(self, other):
        return (isinstance(other, ConfigField) and other.config is self.config
                and other.field == self.field)

    def __hash__(self):
        return hash((id(self.config), self.field))

    @property
    def name(self) -> str:
        return f"{self.config.name()}.{self.field}"


@frozen(eq=False)
class Access:
    """One access of a statement (possibly executed many times)."""

    buf: object  # a Sym or a ConfigField
    kind: str  # READ, WRITE or REDUCE
    idx: tuple | None  # terms (None entries: any index); None: any location
    cond: Formula  # when the access happens, over the block's iterators
    stmt: ir.Stmt
    local: bool = False  # the buffer is allocated inside the block
    n_prefix: int = 0  # leading index terms naming the allocation instance

    @property
    def buf_name(self) -> str:
        return self.buf.name if isinstance(self.buf, (Sym, ConfigField)) else str(self.buf)


@frozen(eq=False)
class Instance:
    """The accesses of one instance of a block, and the variables chosen for
    the iterators of the loops inside it."""

    accesses: tuple
    loop_vars: dict  # Sym -> Var


class _Window:
    """How a window name maps its indices to the buffer it views."""

    __slots__ = ("base", "dims")

    def __init__(self, base, dims):
        self.base = base  # Sym of the viewed buffer
        self.dims = dims  # per base dim: ("pt", term|None) or ("iv", lo term|None)

    def map(self, idx):
        out, k = [], 0
        for kind, t in self.dims:
            if kind == "pt":
                out.append(t)
            else:
                i = idx[k] if idx is not None and k < len(idx) else None
                k += 1
                out.append(None if (t is None or i is None) else t + i)
        return tuple(out)


def collect_accesses(stmts: Iterable[ir.Stmt], rename: dict | None = None,
                     windows: dict | None = None) -> Instance:
    """The accesses of one instance of ``stmts``.

    ``rename`` maps symbols of the enclosing code to terms (rarely needed);
    ``windows`` gives the window statements of the enclosing code (see
    `windows_in_scope`)."""
    c = _Collector(dict(rename or {}), dict(windows or {}))
    c.block(stmts, TRUE, ())
    return Instance(tuple(c.out), c.loop_vars)


def windows_in_scope(root: ir.ProcIR) -> dict:
    """Window statements anywhere in a procedure (symbols are unique, so one
    table serves every position), with their indices stated over the shared
    variables of the enclosing loops. Only loops, branches and window
    statements are visited."""
    c = _Collector({}, {})

    def visit(stmts):
        for s in stmts:
            if isinstance(s, ir.WindowStmt):
                c.window_stmt(s)
            elif isinstance(s, ir.For):
                c.env[s.iter] = sym_var(s.iter)
                visit(s.body)
            elif isinstance(s, ir.If):
                visit(s.body)
                visit(s.orelse)

    visit(root.body)
    return c.windows


class _Collector:
    def __init__(self, env: dict, windows: dict):
        self.env = env
        self.windows = windows
        self.allocs: dict = {}  # Sym -> iterator variables around the allocation
        self.loop_vars: dict = {}
        self.out: list = []

    # --- statements --------------------------------------------------------
    def block(self, stmts, cond, iters):
        for s in stmts:
            self.stmt(s, cond, iters)

    def stmt(self, s, cond, iters):
        if isinstance(s, (ir.Assign, ir.Reduce)):
            kind = WRITE if isinstance(s, ir.Assign) else REDUCE
            for e in s.idx:
                self.expr(e, s, cond)
            self.expr(s.rhs, s, cond)
            self.add(s.name, kind, tuple(ctrl_term(e, self.env) for e in s.idx), s, cond)
        elif isinstance(s, ir.WriteConfig):
            self.expr(s.rhs, s, cond)
            self.out.append(Access(ConfigField(s.config, s.field), WRITE, (), cond, s))
        elif isinstance(s, ir.If):
            self.expr(s.cond, s, cond)
            f = cond_formula(s.cond, self.env)
            self.block(s.body, cond if f is None else conj(cond, f), iters)
            self.block(s.orelse, cond if f is None else conj(cond, Not(f)), iters)
        elif isinstance(s, ir.For):
            self.expr(s.lo, s, cond)
            self.expr(s.hi, s, cond)
            v = fresh_var(s.iter, "")
            self.env[s.iter] = v
            self.loop_vars[s.iter] = v
            lo, hi = ctrl_term(s.lo, self.env), ctrl_term(s.hi, self.env)
            rng = conj(*([Compare("<=", lo, v)] if lo is not None else []),
                       *([Compare("<", v, hi)] if hi is not None else []))
            self.block(s.body, conj(cond, rng), iters + (v,))
        elif isinstance(s, ir.Alloc):
            self.allocs[s.name] = iters
        elif isinstance(s, ir.WindowStmt):
            self.window_stmt(s)
        elif isinstance(s, ir.Call):
            self.call(s, cond)
        # Pass, Free: no access

    def window_stmt(self, s):
        w = s.rhs
        dims = []
        for a in w.idx:
            if isinstance(a, ir.Interval):
                dims.append(("iv", ctrl_term(a.lo, self.env)))
            else:
                dims.append(("pt", ctrl_term(a.pt, self.env)))
        base = w.name
        inner = self.windows.get(base)
        if inner is not None:
            # a window of a window: compose the index maps
            composed, k = [], 0
            for kind, t in inner.dims:
                if kind == "pt":
                    composed.append((kind, t))
                else:
                    mine = dims[k] if k < len(dims) else ("iv", None)
                    k += 1
                    if mine[1] is None or t is None:
                        composed.append((mine[0], None))
                    else:
                        composed.append((mine[0], t + mine[1]))
            dims, base = composed, inner.base
        self.windows[s.name] = _Window(base, dims)

    def call(self, s, cond):
        from exo_core.analysis.callee import callee_summary

        summary = callee_summary(s.f)
        for k, a in enumerate(s.args):
            kinds = summary.arg_kinds[k] if k < len(summary.arg_kinds) else ()
            if isinstance(a, ir.WindowExpr):
                for e in a.idx:
                    for sub in ((e.lo, e.hi) if isinstance(e, ir.Interval) else (e.pt,)):
                        self.expr(sub, s, cond)
                region, rcond = self.region(a, cond)
                for kind in kinds:
                    self.add(a.name, kind, region, s, rcond)
            elif isinstance(a, ir.Read) and not a.idx and _is_buffer(a.type):
                region, rcond = self.whole(a.name, a.type, cond)
                for kind in kinds:
                    self.add(a.name, kind, region, s, rcond)
            elif isinstance(a, ir.Read) and a.idx and _is_data(a.type):
                # a buffer element passed to a scalar parameter (by reference
                # in C): the callee's accesses to the parameter hit the element
                for i in a.idx:
                    self.expr(i, s, cond)
                loc = tuple(ctrl_term(i, self.env) for i in a.idx)
                for kind in kinds:
                    self.add(a.name, kind, loc, s, cond)
            else:
                self.expr(a, s, cond)
        for cfg, kind in summary.configs:
            self.out.append(Access(cfg, kind, (), cond, s))

    def region(self, w: ir.WindowExpr, cond):
        """Locations of a window expression: fresh variables ranging over its
        intervals."""
        idx, parts = [], []
        for a in w.idx:
            if isinstance(a, ir.Interval):
                v = Var.fresh("w")
                lo, hi = ctrl_term(a.lo, self.env), ctrl_term(a.hi, self.env)
                if lo is not None:
                    parts.append(Compare("<=", lo, v))
                if hi is not None:
                    parts.append(Compare("<", v, hi))
                idx.append(v)
            else:
                idx.append(ctrl_term(a.pt, self.env))
        return tuple(idx), conj(cond, *parts)

    def whole(self, name, typ, cond):
        """Locations of a whole buffer (or window) passed to a call."""
        if not isinstance(typ, TensorType):
            return (), cond
        idx, parts = [], []
        for e in typ.shape_exprs:
            v = Var.fresh("w")
            hi = ctrl_term(e, self.env)
            parts.append(Compare("<=", TConst(0), v))
            if hi is not None:
                parts.append(Compare("<", v, hi))
            idx.append(v)
        return tuple(idx), conj(cond, *parts)

    # --- expressions -------------------------------------------------------
    def expr(self, e, s, cond):
        if isinstance(e, ir.Read):
            for i in e.idx:
                self.expr(i, s, cond)
            if e.idx or _is_data(e.type):
                self.add(e.name, READ, tuple(ctrl_term(i, self.env) for i in e.idx), s, cond)
        elif isinstance(e, ir.ReadConfig):
            self.out.append(Access(ConfigField(e.config, e.field), READ, (), cond, s))
        elif isinstance(e, ir.USub):
            self.expr(e.arg, s, cond)
        elif isinstance(e, ir.BinOp):
            self.expr(e.lhs, s, cond)
            self.expr(e.rhs, s, cond)
        elif isinstance(e, ir.Extern):
            for a in e.args:
                self.expr(a, s, cond)
        elif isinstance(e, ir.WindowExpr):
            region, rcond = self.region(e, cond)
            self.add(e.name, READ, region, s, rcond)

    def add(self, name, kind, idx, s, cond):
        w = self.windows.get(name)
        if w is not None:
            idx = w.map(idx)
            name = w.base
        local = name in self.allocs
        n_prefix = 0
        if local and idx is not None:
            prefix = self.allocs[name]
            idx, n_prefix = tuple(prefix) + tuple(idx), len(prefix)
        self.out.append(Access(name, kind, idx, cond, s, local, n_prefix))


def _is_data(t) -> bool:
    return t is not None and (isinstance(t, TensorType) or getattr(t, "kind", None) == "num")


def _is_buffer(t) -> bool:
    return _is_data(t)
