"""Effects: what each statement reads, writes and reduces, as integer relations.

The effect of a statement is a list of `Access`es (buffer, kind, index terms,
the loops inside the statement around the access and the condition under
which it happens) and `ConfigAccess`es. Seen from a `Scope` (the statement's
enclosing loops, path conditions and windows), each buffer's accesses become
an `exo_verify.IntMap` from the enclosing iteration space to buffer
locations, with the sizes as parameters::

    scope = scope_at(p, path)                  # loops/ifs/windows around s
    eff = stmt_effects(s, scope)              # resolved to base buffers
    eff.writes, eff.reads, eff.reduces        # tuples of Access
    eff.relation(x, kinds=("write",))         # { [i] -> [x0] : ... } over scope.iters
    eff.buffers()                             # every buffer touched

Rules:

- Accesses through a window (a window statement, or a window passed to a
  call) are mapped back to the viewed buffer; without a scope, names of
  windows bound *outside* the statement stay as written and `Effects.resolved`
  maps them later.
- A call's effects are its callee's (computed once per callee) with the
  parameters replaced by the call's arguments; ``bool`` arguments and
  ``Config.field`` values in indices become unknowns (an over-approximation).
- Buffers allocated inside a block are local to it and leave no effect.
- ``stride(x, d)`` in an index is an unknown positive value.

Results are cached by node identity: nodes are immutable, so the effects of
a subtree are the same in every procedure version that shares it.
"""

from __future__ import annotations

import weakref
from typing import Iterable, Sequence

from attrs import field, frozen

from exo_verify import TRUE, Exists, Formula, IntMap, Term, Var, any_of, conj, tuple_eq
from exo_verify.substitution import substitute_formula, substitute_term

import exo_core.ir as ir
from exo_core.analysis.logic import Scope, WindowView, opaque_var, proc_scope, stride_var, sym_var
from exo_core.ir.prelude import Sym, SrcInfo
from exo_core.ir.types import BOOL, TensorType

KINDS = ("read", "write", "reduce")


@frozen(eq=False)
class Access:
    """One buffer access: ``buffer[index]`` of ``kind`` (read/write/reduce).

    ``iters`` are the loop variables *inside* the statement around the
    access (outermost first) and ``domain`` the condition on them (their
    bounds and the ``if`` conditions inside the statement).
    """

    buffer: Sym
    kind: str
    index: tuple
    iters: tuple = ()
    domain: Formula = TRUE
    srcinfo: SrcInfo | None = None

    def nested(self, iters: Sequence[Var], domain: Formula) -> "Access":
        """The access seen from outside enclosing loops/conditions."""
        return Access(self.buffer, self.kind, self.index, tuple(iters) + self.iters,
                      conj(domain, self.domain), self.srcinfo)

    def substituted(self, mapping: dict) -> "Access":
        """Variables replaced by terms (in the index and the domain)."""
        return Access(self.buffer, self.kind,
                      tuple(substitute_term(t, mapping) for t in self.index), self.iters,
                      substitute_formula(self.domain, mapping), self.srcinfo)

    def condition(self, out_dims: Sequence[Var]) -> Formula:
        """``exists iters: domain and out_dims == index``."""
        body = conj(self.domain, tuple_eq(out_dims, self.index))
        for v in reversed(self.iters):
            body = Exists(v, None, None, body)
        return body


@frozen(eq=False)
class ConfigAccess:
    """A read or write of ``config.field`` (under ``domain`` over ``iters``)."""

    config: object
    field: str
    kind: str  # "read" | "write"
    iters: tuple = ()
    domain: Formula = TRUE
    srcinfo: SrcInfo | None = None

    def nested(self, iters: Sequence[Var], domain: Formula) -> "ConfigAccess":
        return ConfigAccess(self.config, self.field, self.kind, tuple(iters) + self.iters,
                            conj(domain, self.domain), self.srcinfo)

    def substituted(self, mapping: dict) -> "ConfigAccess":
        return ConfigAccess(self.config, self.field, self.kind, self.iters,
                            substitute_formula(self.domain, mapping), self.srcinfo)


@frozen(eq=False)
class Effects:
    """The accesses of a statement or block.

    ``iters``/``context`` are those of the scope the effects were resolved in
    (empty/true for raw effects): the input dimensions and the facts of every
    relation built from them.
    """

    accesses: tuple = ()
    configs: tuple = ()
    iters: tuple = ()
    context: Formula = TRUE
    _maps: dict = field(factory=dict, repr=False)

    @property
    def reads(self) -> tuple:
        return tuple(a for a in self.accesses if a.kind == "read")

    @property
    def writes(self) -> tuple:
        return tuple(a for a in self.accesses if a.kind == "write")

    @property
    def reduces(self) -> tuple:
        return tuple(a for a in self.accesses if a.kind == "reduce")

    @property
    def config_reads(self) -> tuple:
        return tuple(c for c in self.configs if c.kind == "read")

    @property
    def config_writes(self) -> tuple:
        return tuple(c for c in self.configs if c.kind == "write")

    def buffers(self, kinds: Iterable[str] = KINDS) -> tuple:
        """The buffers accessed with one of ``kinds``, in order of first access."""
        kinds = tuple(kinds)
        return tuple(dict.fromkeys(a.buffer for a in self.accesses if a.kind in kinds))

    def written_configs(self) -> tuple:
        """The distinct ``(config, field)`` pairs written."""
        return tuple(dict.fromkeys((c.config, c.field) for c in self.config_writes))

    def relation(self, buffer: Sym, kinds: Iterable[str] = KINDS) -> IntMap:
        """``{ iters -> location of buffer : some access of kinds }``."""
        kinds = tuple(kinds)
        key = (buffer, kinds)
        if key in self._maps:
            return self._maps[key]
        matching = [a for a in self.accesses if a.buffer == buffer and a.kind in kinds]
        ndim = len(matching[0].index) if matching else 0
        out_dims = tuple(Var.fresh(f"{buffer.name}{k}") for k in range(ndim))
        cond = conj(self.context, any_of(a.condition(out_dims) for a in matching))
        result = IntMap.of(self.iters, out_dims, cond)
        self._maps[key] = result
        return result

    def without(self, buffers: Iterable[Sym]) -> "Effects":
        """These effects minus the accesses to ``buffers``."""
        drop = set(buffers)
        return Effects(tuple(a for a in self.accesses if a.buffer not in drop), self.configs,
                       self.iters, self.context)

    def resolved(self, scope: Scope) -> "Effects":
        """Seen from ``scope``: window names mapped to their base buffers; the
        relations range over ``scope.iters`` under ``scope``'s facts."""
        accesses = []
        for a in self.accesses:
            view = scope.windows.get(a.buffer)
            if view is not None:
                a = Access(view.base, a.kind, view.to_base(a.index), a.iters, a.domain,
                           a.srcinfo)
            accesses.append(a)
        return Effects(tuple(accesses), self.configs, tuple(scope.iters),
                       scope.assumptions())

    def __add__(self, other: "Effects") -> "Effects":
        return Effects(self.accesses + other.accesses, self.configs + other.configs,
                       self.iters, self.context)


NO_EFFECTS = Effects()

# ----------------------------------------------------------------------------
# Translating control expressions without a scope


@frozen
class _OpaqueScope(Scope):
    """Translation for raw effects: strides and config values are unknowns."""

    def stride_term(self, e: ir.StrideExpr) -> Term:
        return stride_var(e.name, e.dim)

    def config_term(self, config, fld: str) -> Term:
        return opaque_var(f"{config.name()}.{fld}")


_RAW = _OpaqueScope()


def _control_configs(e, out: list, srcinfo=None) -> None:
    """Config reads inside a control or data expression."""
    if isinstance(e, ir.ReadConfig):
        out.append(ConfigAccess(e.config, e.field, "read", srcinfo=e.srcinfo))
        return
    for child in _children(e):
        _control_configs(child, out)


def _children(e) -> tuple:
    if isinstance(e, (ir.Read, ir.WindowExpr)):
        return tuple(e.idx)
    if isinstance(e, ir.USub):
        return (e.arg,)
    if isinstance(e, ir.BinOp):
        return (e.lhs, e.rhs)
    if isinstance(e, ir.Extern):
        return tuple(e.args)
    if isinstance(e, ir.Interval):
        return (e.lo, e.hi)
    if isinstance(e, ir.Point):
        return (e.pt,)
    return ()


def expr_effects(e: ir.Expr) -> Effects:
    """The reads of a data expression (buffer elements, scalars, configs)."""
    accesses: list = []
    configs: list = []
    _expr_reads(e, accesses, configs)
    return Effects(tuple(accesses), tuple(configs))


def _expr_reads(e, accesses: list, configs: list) -> None:
    if isinstance(e, ir.Read):
        t = e.type
        if t is not None and getattr(t, "kind", None) == "ctrl":
            return
        accesses.append(Access(e.name, "read", tuple(_RAW.term(i) for i in e.idx),
                               srcinfo=e.srcinfo))
        for i in e.idx:
            _control_configs(i, configs)
        return
    if isinstance(e, ir.ReadConfig):
        configs.append(ConfigAccess(e.config, e.field, "read", srcinfo=e.srcinfo))
        return
    for child in _children(e):
        _expr_reads(child, accesses, configs)


# ----------------------------------------------------------------------------
# Statements

_stmt_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_proc_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def stmt_effects(s: ir.Stmt, scope: Scope | None = None) -> Effects:
    """The effects of statement ``s`` (resolved in ``scope`` when given)."""
    raw = _stmt_cache.get(s)
    if raw is None:
        raw = _raw_stmt_effects(s)
        _stmt_cache[s] = raw
    return raw.resolved(scope) if scope is not None else raw


def block_effects(stmts: Iterable[ir.Stmt], scope: Scope | None = None) -> Effects:
    """The effects of a sequence of statements.

    Windows bound in the block are resolved; buffers allocated in it are
    dropped (they are local).
    """
    accesses: list = []
    configs: list = []
    windows: dict = {}
    local: list = []
    for s in stmts:
        if isinstance(s, ir.Alloc):
            local.append(s.name)
            continue
        if isinstance(s, ir.WindowStmt):
            windows[s.name] = _raw_view(s.rhs, windows)
            continue
        eff = stmt_effects(s)
        for a in eff.accesses:
            view = windows.get(a.buffer)
            if view is not None:
                a = Access(view.base, a.kind, view.to_base(a.index), a.iters, a.domain,
                           a.srcinfo)
            accesses.append(a)
        configs.extend(eff.configs)
    eff = Effects(tuple(accesses), tuple(configs))
    if local:
        eff = eff.without(local)
    return eff.resolved(scope) if scope is not None else eff


def proc_effects(p: ir.ProcIR) -> Effects:
    """The effects of a procedure's body on its arguments and configs."""
    eff = _proc_cache.get(p)
    if eff is None:
        eff = block_effects(p.body)
        _proc_cache[p] = eff
    return eff


def _raw_view(w: ir.WindowExpr, windows: dict) -> WindowView:
    if w.name in windows:
        return _OpaqueScope(windows=_pmap(windows)).window_view(w)
    return _RAW.window_view(w)


def _pmap(d: dict):
    from pyrsistent import pmap

    return pmap(d)


def _raw_stmt_effects(s: ir.Stmt) -> Effects:
    if isinstance(s, (ir.Assign, ir.Reduce)):
        eff = expr_effects(s.rhs)
        kind = "write" if isinstance(s, ir.Assign) else "reduce"
        configs: list = []
        for i in s.idx:
            _control_configs(i, configs)
        me = Access(s.name, kind, tuple(_RAW.term(i) for i in s.idx), srcinfo=s.srcinfo)
        return Effects(eff.accesses + (me,), eff.configs + tuple(configs))
    if isinstance(s, ir.WriteConfig):
        eff = expr_effects(s.rhs)
        me = ConfigAccess(s.config, s.field, "write", srcinfo=s.srcinfo)
        return Effects(eff.accesses, eff.configs + (me,))
    if isinstance(s, ir.If):
        configs: list = []
        _control_configs(s.cond, configs)
        cond = _RAW.formula(s.cond)
        body = block_effects(s.body)
        orelse = block_effects(s.orelse)
        accesses = tuple(a.nested((), cond) for a in body.accesses) + \
            tuple(a.nested((), ~cond) for a in orelse.accesses)
        cfgs = tuple(configs) + tuple(c.nested((), cond) for c in body.configs) + \
            tuple(c.nested((), ~cond) for c in orelse.configs)
        return Effects(accesses, cfgs)
    if isinstance(s, ir.For):
        configs = []
        _control_configs(s.lo, configs)
        _control_configs(s.hi, configs)
        i = sym_var(s.iter)
        bounds = conj(_RAW.term(s.lo) <= i, i < _RAW.term(s.hi))
        body = block_effects(s.body)
        return Effects(tuple(a.nested((i,), bounds) for a in body.accesses),
                       tuple(configs) + tuple(c.nested((i,), bounds) for c in body.configs))
    if isinstance(s, ir.Call):
        return _call_effects(s)
    if isinstance(s, (ir.Pass, ir.Alloc, ir.Free, ir.WindowStmt)):
        return NO_EFFECTS
    raise TypeError(f"unexpected statement {type(s).__name__}")  # pragma: no cover


def _call_effects(s: ir.Call) -> Effects:
    """The callee's effects with its parameters replaced by the arguments."""
    f = s.f
    callee = proc_effects(f)
    mapping: dict = {}
    targets: dict = {}  # callee buffer param -> (caller buffer, index mapping)
    configs: list = []
    for fa, arg in zip(f.args, s.args):
        t = fa.type
        if not isinstance(t, TensorType) and t.kind == "ctrl":
            _control_configs(arg, configs)
            if t is BOOL:
                mapping[sym_var(fa.name)] = opaque_var(fa.name.name)
            else:
                mapping[sym_var(fa.name)] = _RAW.term(arg)
            continue
        if isinstance(arg, ir.WindowExpr):
            view = _RAW.window_view(arg)
            targets[fa.name] = view
            for d, base_dim in enumerate(view.window_dims()):
                mapping[stride_var(fa.name, d)] = stride_var(arg.name, base_dim)
        else:  # a whole buffer, a scalar, or a buffer element passed by reference
            idx = tuple(_RAW.term(i) for i in arg.idx)
            targets[fa.name] = WindowView(arg.name, tuple(("point", t_) for t_ in idx)) \
                if idx else WindowView(arg.name, None)
            if isinstance(t, TensorType):
                for d in range(len(t.shape_exprs)):
                    mapping[stride_var(fa.name, d)] = stride_var(arg.name, d)
    accesses = []
    for a in callee.accesses:
        view = targets.get(a.buffer)
        if view is None:  # cannot happen for a typed callee: locals were dropped
            continue
        a = a.substituted(mapping)
        index = a.index if view.dims is None else view.to_base(a.index)
        accesses.append(Access(view.base, a.kind, index, a.iters, a.domain, s.srcinfo))
    cfgs = tuple(configs) + tuple(
        ConfigAccess(c.config, c.field, c.kind, c.iters,
                     substitute_formula(c.domain, mapping), s.srcinfo)
        for c in callee.configs)
    return Effects(tuple(accesses), cfgs)


# ----------------------------------------------------------------------------
# Scopes at a location


def scope_after(scope: Scope, s: ir.Stmt) -> Scope:
    """The scope after executing ``s`` (allocations, windows, config writes)."""
    if isinstance(s, ir.Alloc):
        if isinstance(s.type, TensorType):
            return scope.bind_buffer(s.name, s.type)
        return bind_scalar(scope, s.name)
    if isinstance(s, ir.WindowStmt):
        return scope.bind_window(s)
    if isinstance(s, ir.WriteConfig):
        t = s.config.lookup_type(s.field)
        if t is BOOL:
            return scope.after_config_write(s.config, s.field, scope.formula(s.rhs))
        if getattr(t, "kind", None) == "ctrl":
            return scope.after_config_write(s.config, s.field, scope.term(s.rhs))
        return scope.after_config_write(s.config, s.field, None)
    if isinstance(s, (ir.For, ir.If, ir.Call)):
        written = stmt_effects(s).written_configs()
        return scope.forget_configs(written) if written else scope
    return scope


def bind_scalar(scope: Scope, name: Sym) -> Scope:
    """Declare a numeric scalar (argument or allocation): no extent, no strides."""
    from attrs import evolve

    return evolve(scope, shapes=scope.shapes.set(name, ()), strides=scope.strides.set(name, ()))


def scope_at(p: ir.ProcIR, steps: Sequence[tuple]) -> Scope:
    """The scope right before the statement at ``steps`` (``("body", k)`` /
    ``("orelse", k)`` steps from the procedure root, as in `exo_core.cursors.paths`)."""
    scope = proc_scope(p)
    for a in p.args:
        if not isinstance(a.type, TensorType) and a.type.is_numeric():
            scope = bind_scalar(scope, a.name)
    owner = p
    for fld, k in steps:
        if fld not in ("body", "orelse"):
            raise ValueError(f"scope_at follows statement steps only, not {fld!r}")
        if isinstance(owner, ir.For):
            scope = scope.enter_loop(owner)
            written = block_effects(owner.body).written_configs()
            scope = scope.forget_configs(written) if written else scope
        elif isinstance(owner, ir.If):
            scope = scope.enter_branch(owner, fld == "body")
        block = getattr(owner, fld)
        for s in block[:k]:
            scope = scope_after(scope, s)
        owner = block[k]
    return scope


__all__ = [
    "Access", "ConfigAccess", "Effects", "NO_EFFECTS", "KINDS", "stmt_effects",
    "block_effects", "proc_effects", "expr_effects", "scope_after", "scope_at", "bind_scalar",
]
