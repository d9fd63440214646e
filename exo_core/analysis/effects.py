"""The effect model: what code reads, writes and reduces, as integer facts.

One model serves the definition-time checks (`definition_checks`, through
`scopes`) and every scheduling primitive's obligations (`dependence`,
`fusion`, the primitives' own config checks). Its record is `Access`::

    Access(buffer, kind, index, iters, domain, stmt, local, n_prefix, instance)

- ``buffer``: the `Sym` of the buffer finally accessed (windows resolved to
  the buffer they view), or a `ConfigField` (a configuration field counts as
  a buffer with no dimensions);
- ``kind``: ``READ``, ``WRITE`` or ``REDUCE``;
- ``index``: the location, one `exo_verify` term per dimension; an entry is
  None where the index cannot be stated (a data-dependent or config-dependent
  index: "any index"), and ``index`` itself is None for "any location" (a
  whole buffer read as a value);
- ``iters``/``domain``: the existential variables of the access -- the loops
  inside the described code around it (outermost first), the loops of a
  callee, unknown call arguments -- and the condition on them under which
  the access happens (loop bounds, ``if`` conditions; a fact that cannot be
  stated is left out);
- ``stmt``: the statement performing it (the call, for a callee's access);
- ``local``: the buffer is allocated inside the described code; such a
  buffer is a new one in every iteration of the loops around its
  allocation, so its index starts with ``n_prefix`` terms naming that
  instance (the iterators of those loops);
- ``instance``: 0 for the canonical effects, whose variables are the ones
  the scopes use (`exo_core.analysis.logic.sym_var`); ``k > 0`` for the
  k-th independent copy made by `collect_accesses` (iteration ``i'`` of a
  block compared with iteration ``i``).

Entry points::

    stmt_effects(s, scope=None)    # Effects of one statement (cached by node)
    block_effects(stmts, scope=None)
    proc_effects(p)                # the callee summary: p's effects on its
                                   # arguments and configs (cached by proc)
    param_kinds(p)                 # per parameter: the kinds p performs on it
    eff.accesses, eff.reads, eff.writes, eff.reduces, eff.configs
    eff.relation(x, kinds)         # { scope.iters -> x's locations } (IntMap)
    eff.written_configs()          # ((config, field), ...)
    collect_accesses(stmts, windows=windows_in_scope(p))  # a fresh Instance
    windows_in_scope(p)            # window statements of p, as `WindowView`s
    call_binding(call)             # the callee's parameters -> the call's arguments

Rules:

- The translation is partial (`exo_core.analysis.logic_partial`): data
  values, bool variables and config fields do not become facts, so every
  description over-approximates; ``stride(x, d)`` is an unknown.
- Accesses through a window (a window statement, or a window passed to a
  call) are mapped to the viewed buffer with the one window model
  (`exo_core.analysis.logic.WindowView`); a window bound *outside* the
  described code stays as written until `collect_accesses` (given
  `windows_in_scope`) or `Effects.resolved` (given a `Scope`) maps it.
- A call's effects are its callee's, precisely: `proc_effects` of the
  callee (its locals dropped) with the parameters replaced by the call's
  arguments -- control arguments substituted (one that cannot be stated
  becomes an unknown), buffer parameters mapped through the argument's
  window, a scalar parameter passed a buffer element hitting that element,
  the callee's loop variables renamed apart at every call.
- Configuration fields read in control expressions (indices, loop bounds,
  conditions, window bounds, call arguments) are reads.

Results are cached by node identity: nodes are immutable, so the effects of
a subtree are the same in every procedure version that shares it.
"""

from __future__ import annotations

import itertools
import weakref
from typing import Iterable, Iterator, Mapping, Sequence

from attrs import field, frozen

from exo_verify import TRUE, Exists, Formula, IntMap, Term, Var, any_of, conj
from exo_verify.formulas import Compare, Not
from exo_verify.substitution import substitute_formula, substitute_term

import exo_core.ir as ir
from exo_core.analysis.logic import Scope, WindowView, stride_var, sym_var, window_view
from exo_core.analysis.logic_partial import PartialScope, loop_range
from exo_core.ir.prelude import Sym, SrcInfo
from exo_core.ir.types import BOOL, TensorType

READ, WRITE, REDUCE = "read", "write", "reduce"
KINDS = (READ, WRITE, REDUCE)


@frozen(eq=False)
class ConfigField:
    """A configuration field, as a buffer key (equal by config and field)."""

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
    """One access, possibly executed many times (see the module docstring)."""

    buffer: object  # a Sym or a ConfigField
    kind: str  # READ, WRITE or REDUCE
    index: tuple | None  # terms (None entries: any index); None: any location
    iters: tuple = ()
    domain: Formula = TRUE
    stmt: ir.Stmt | None = None
    local: bool = False
    n_prefix: int = 0
    instance: int = 0

    @property
    def srcinfo(self) -> SrcInfo | None:
        """The position of the statement performing the access."""
        return getattr(self.stmt, "srcinfo", None)

    @property
    def buf_name(self) -> str:
        return self.buffer.name

    @property
    def is_config(self) -> bool:
        return isinstance(self.buffer, ConfigField)

    def nested(self, iters: Sequence[Var], domain: Formula) -> "Access":
        """The access seen from outside enclosing loops (``iters``) and
        conditions (``domain``); a local buffer's index gains the new loop
        variables as its instance prefix."""
        iters = tuple(iters)
        index, n_prefix = self.index, self.n_prefix
        if self.local and iters and index is not None:
            index, n_prefix = iters + index, n_prefix + len(iters)
        return Access(self.buffer, self.kind, index, iters + self.iters,
                      conj(domain, self.domain), self.stmt, self.local, n_prefix,
                      self.instance)

    def viewed(self, view: WindowView) -> "Access":
        """The access of window coordinates seen on the buffer ``view`` views."""
        return Access(view.base, self.kind, view.to_base(self.index), self.iters, self.domain,
                      self.stmt, self.local, self.n_prefix, self.instance)

    def renamed(self, buffer) -> "Access":
        """The same access of another buffer (a parameter's argument)."""
        return Access(buffer, self.kind, self.index, self.iters, self.domain, self.stmt,
                      self.local, self.n_prefix, self.instance)

    def as_local(self) -> "Access":
        """The access, marked as one of a buffer allocated in the described code."""
        return Access(self.buffer, self.kind, self.index, self.iters, self.domain, self.stmt,
                      True, self.n_prefix, self.instance)

    def substituted(self, mapping: Mapping[Var, Term], iters: tuple | None = None,
                    stmt: ir.Stmt | None = None, instance: int | None = None) -> "Access":
        """Variables replaced by terms in the index and the domain; ``iters``
        (default: the old ones, renamed by ``mapping``), ``stmt`` and
        ``instance`` replaced when given."""
        index = self.index
        if index is not None:
            index = tuple(None if t is None else substitute_term(t, mapping) for t in index)
        if iters is None:
            iters = tuple(mapping.get(v, v) for v in self.iters)
        domain = self.domain if self.domain is TRUE else substitute_formula(self.domain, mapping)
        return Access(self.buffer, self.kind, index, iters, domain,
                      self.stmt if stmt is None else stmt, self.local, self.n_prefix,
                      self.instance if instance is None else instance)

    def condition(self, out_dims: Sequence[Var]) -> Formula:
        """``exists iters: domain and out_dims == index`` (unknown entries
        constrain nothing)."""
        eqs = () if self.index is None else tuple(
            Compare("==", o, t) for o, t in zip(out_dims, self.index) if t is not None)
        body = conj(self.domain, *eqs)
        for v in reversed(self.iters):
            body = Exists(v, None, None, body)
        return body


@frozen(eq=False)
class Effects:
    """The accesses of a statement or block, buffers and config fields alike.

    ``iters``/``context`` are those of the scope the effects were resolved in
    (empty/true for raw effects): the input dimensions and the facts of every
    relation built from them.
    """

    accesses: tuple = ()
    iters: tuple = ()
    context: Formula = TRUE
    _maps: dict = field(factory=dict, repr=False)

    def _buffer_accesses(self, kind: str) -> tuple:
        return tuple(a for a in self.accesses if a.kind == kind and not a.is_config)

    @property
    def reads(self) -> tuple:
        return self._buffer_accesses(READ)

    @property
    def writes(self) -> tuple:
        return self._buffer_accesses(WRITE)

    @property
    def reduces(self) -> tuple:
        return self._buffer_accesses(REDUCE)

    @property
    def configs(self) -> tuple:
        """The accesses of configuration fields."""
        return tuple(a for a in self.accesses if a.is_config)

    def buffers(self, kinds: Iterable[str] = KINDS) -> tuple:
        """The buffers accessed with one of ``kinds``, in order of first access."""
        kinds = tuple(kinds)
        return tuple(dict.fromkeys(a.buffer for a in self.accesses
                                   if a.kind in kinds and not a.is_config))

    def written_configs(self) -> tuple:
        """The distinct ``(config, field)`` pairs written."""
        return tuple(dict.fromkeys((a.buffer.config, a.buffer.field) for a in self.accesses
                                   if a.is_config and a.kind != READ))

    def relation(self, buffer: Sym, kinds: Iterable[str] = KINDS) -> IntMap:
        """``{ iters -> location of buffer : some access of kinds }``."""
        kinds = tuple(kinds)
        key = (buffer, kinds)
        if key in self._maps:
            return self._maps[key]
        matching = [a for a in self.accesses if a.buffer == buffer and a.kind in kinds]
        ndim = max((len(a.index) for a in matching if a.index is not None), default=0)
        out_dims = tuple(Var.fresh(f"{buffer.name}{k}") for k in range(ndim))
        cond = conj(self.context, any_of(a.condition(out_dims) for a in matching))
        result = IntMap.of(self.iters, out_dims, cond)
        self._maps[key] = result
        return result

    def without(self, buffers: Iterable) -> "Effects":
        """These effects minus the accesses to ``buffers``."""
        drop = set(buffers)
        return Effects(tuple(a for a in self.accesses if a.buffer not in drop),
                       self.iters, self.context)

    def without_locals(self) -> "Effects":
        """These effects minus the accesses to buffers allocated inside."""
        return Effects(tuple(a for a in self.accesses if not a.local), self.iters,
                       self.context)

    def resolved(self, scope: Scope) -> "Effects":
        """Seen from ``scope``: window names mapped to their base buffers; the
        relations range over ``scope.iters`` under ``scope``'s facts."""
        accesses = []
        for a in self.accesses:
            view = scope.windows.get(a.buffer)
            accesses.append(a.viewed(view) if view is not None else a)
        return Effects(tuple(accesses), tuple(scope.iters), scope.assumptions())

    def __add__(self, other: "Effects") -> "Effects":
        return Effects(self.accesses + other.accesses, self.iters, self.context)


NO_EFFECTS = Effects()

# ----------------------------------------------------------------------------
# Translation (partial: what cannot be stated is None, or left out)

_PARTIAL = PartialScope()


def _term(e: ir.Expr) -> Term | None:
    return _PARTIAL.term(e)


def _is_data(t) -> bool:
    return t is not None and (isinstance(t, TensorType) or getattr(t, "kind", None) == "num")


def _reads(e: ir.Expr, s: ir.Stmt, out: list) -> None:
    """The reads of an expression (data or control) into ``out``: buffer
    elements, data scalars, config fields; a window expression met as a
    value reads its whole region."""
    if isinstance(e, ir.Read):
        for i in e.idx:
            _reads(i, s, out)
        if e.idx:
            out.append(Access(e.name, READ, tuple(_term(i) for i in e.idx), stmt=s))
        elif isinstance(e.type, TensorType):
            out.append(Access(e.name, READ, None, stmt=s))
        elif _is_data(e.type):
            out.append(Access(e.name, READ, (), stmt=s))
    elif isinstance(e, ir.ReadConfig):
        out.append(Access(ConfigField(e.config, e.field), READ, (), stmt=s))
    elif isinstance(e, ir.WindowExpr):
        for c in ir.expr_children(e):
            _reads(c, s, out)
        region = tuple(None if isinstance(a, ir.Interval) else _term(a.pt) for a in e.idx)
        out.append(Access(e.name, READ, region, stmt=s))
    else:
        for c in ir.expr_children(e):
            _reads(c, s, out)


def expr_effects(e: ir.Expr, s: ir.Stmt | None = None) -> Effects:
    """The reads of an expression (performed by statement ``s``)."""
    out: list = []
    _reads(e, s, out)
    return Effects(tuple(out))


# ----------------------------------------------------------------------------
# Statements and blocks

_stmt_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_proc_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def stmt_effects(s: ir.Stmt, scope: Scope | None = None) -> Effects:
    """The effects of statement ``s`` (resolved in ``scope`` when given)."""
    raw = _stmt_cache.get(s)
    if raw is None:
        raw = Effects(tuple(_raw_stmt_accesses(s)))
        _stmt_cache[s] = raw
    return raw.resolved(scope) if scope is not None else raw


def block_effects(stmts: Iterable[ir.Stmt], scope: Scope | None = None) -> Effects:
    """The effects of a sequence of statements: windows bound in the block
    resolved, accesses to buffers allocated in it marked ``local``."""
    out: list = []
    windows: dict = {}
    allocated: set = set()
    for s in stmts:
        if isinstance(s, ir.Alloc):
            allocated.add(s.name)
            continue
        if isinstance(s, ir.WindowStmt):
            out.extend(stmt_effects(s).accesses)  # the config fields its bounds read
            windows[s.name] = window_view(s.rhs, _term, windows)
            continue
        for a in stmt_effects(s).accesses:
            view = windows.get(a.buffer)
            if view is not None:
                a = a.viewed(view)
            if not a.local and a.buffer in allocated:
                a = a.as_local()
            out.append(a)
    eff = Effects(tuple(out))
    return eff.resolved(scope) if scope is not None else eff


def proc_effects(p: ir.ProcIR) -> Effects:
    """The callee summary: the effects of ``p``'s body on its arguments and
    on configuration fields (its own allocations dropped); cached."""
    eff = _proc_cache.get(p)
    if eff is None:
        eff = block_effects(p.body).without_locals()
        _proc_cache[p] = eff
    return eff


_kinds_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def param_kinds(p: ir.ProcIR) -> tuple:
    """Per parameter of ``p``: the kinds of access (in the order read,
    write, reduce) its body performs on that argument, from `proc_effects`."""
    found = _kinds_cache.get(p)
    if found is None:
        per_param: dict = {a.name: set() for a in p.args}
        for a in proc_effects(p).accesses:
            if a.buffer in per_param:
                per_param[a.buffer].add(a.kind)
        found = tuple(tuple(k for k in KINDS if k in per_param[a.name]) for a in p.args)
        _kinds_cache[p] = found
    return found


def _raw_stmt_accesses(s: ir.Stmt) -> list:
    out: list = []
    if isinstance(s, (ir.Assign, ir.Reduce)):
        for e in s.idx:
            _reads(e, s, out)
        _reads(s.rhs, s, out)
        kind = WRITE if isinstance(s, ir.Assign) else REDUCE
        out.append(Access(s.name, kind, tuple(_term(e) for e in s.idx), stmt=s))
    elif isinstance(s, ir.WriteConfig):
        _reads(s.rhs, s, out)
        out.append(Access(ConfigField(s.config, s.field), WRITE, (), stmt=s))
    elif isinstance(s, ir.If):
        _reads(s.cond, s, out)
        cond = _PARTIAL.formula(s.cond)
        taken, other = (TRUE, TRUE) if cond is None else (cond, Not(cond))
        out.extend(a.nested((), taken) for a in block_effects(s.body).accesses)
        out.extend(a.nested((), other) for a in block_effects(s.orelse).accesses)
    elif isinstance(s, ir.For):
        _reads(s.lo, s, out)
        _reads(s.hi, s, out)
        i = sym_var(s.iter)
        bounds = loop_range(s, i, _PARTIAL)
        out.extend(a.nested((i,), bounds) for a in block_effects(s.body).accesses)
    elif isinstance(s, ir.Call):
        _call_accesses(s, out)
    elif isinstance(s, ir.WindowStmt):
        for c in ir.expr_children(s.rhs):
            _reads(c, s, out)
    elif not isinstance(s, (ir.Pass, ir.Alloc)):
        raise TypeError(f"unexpected statement {type(s).__name__}")  # pragma: no cover
    return out


@frozen(eq=False)
class CallBinding:
    """How a call's arguments stand for its callee's parameters.

    - ``mapping``: callee variables -> caller terms (the control parameters,
      the strides of buffer parameters);
    - ``unknown``: the variables standing for control arguments that cannot
      be stated (each one "some value");
    - ``targets``: buffer parameter -> ``(caller buffer, view)``, the view a
      `WindowView` of the argument's window (points for an element passed by
      reference) or None for a whole buffer passed as it is.
    """

    mapping: dict
    unknown: tuple
    targets: dict


def call_binding(s: ir.Call) -> CallBinding:
    """The binding of the parameters of ``s``'s callee to its arguments."""
    f = s.f
    mapping: dict = {}
    unknown: list = []
    targets: dict = {}
    for fa, arg in zip(f.args, s.args):
        t = fa.type
        if not isinstance(t, TensorType) and t.kind == "ctrl":
            if t is BOOL:  # conditions on bools are not modelled
                continue
            v = _term(arg)
            if v is None:
                v = Var.fresh(fa.name.name)
                unknown.append(v)
            mapping[sym_var(fa.name)] = v
            continue
        if isinstance(arg, ir.WindowExpr):
            view = window_view(arg, _term, {})
            targets[fa.name] = (arg.name, view)
            for d, base_dim in enumerate(view.window_dims()):
                mapping[stride_var(fa.name, d)] = stride_var(arg.name, base_dim)
        else:  # a whole buffer, a scalar, or a buffer element passed by reference
            idx = tuple(_term(i) for i in arg.idx)
            targets[fa.name] = (arg.name, WindowView(arg.name, tuple(("point", x) for x in idx))
                                if idx else None)
            if isinstance(t, TensorType):
                for d in range(len(t.shape_exprs)):
                    mapping[stride_var(fa.name, d)] = stride_var(arg.name, d)
    return CallBinding(mapping, tuple(unknown), targets)


def _call_accesses(s: ir.Call, out: list) -> None:
    """The reads of the arguments, then the callee's accesses with its
    parameters replaced by the arguments."""
    for fa, arg in zip(s.f.args, s.args):
        if not isinstance(fa.type, TensorType) and fa.type.kind == "ctrl":
            _reads(arg, s, out)
        else:
            for c in ir.expr_children(arg):
                _reads(c, s, out)
    binding = call_binding(s)
    for a in proc_effects(s.f).accesses:
        if a.is_config:
            target = None
        elif a.buffer in binding.targets:
            target = binding.targets[a.buffer]
        else:  # pragma: no cover - a typed callee only accesses its parameters
            continue
        # the callee's loops are renamed apart at every call
        renamed = {v: Var.fresh(v.label) for v in a.iters}
        a = a.substituted({**binding.mapping, **renamed},
                          iters=binding.unknown + tuple(renamed.values()), stmt=s)
        if target is not None:
            base, view = target
            a = a.viewed(view) if view is not None else a.renamed(base)
        out.append(a)


# ----------------------------------------------------------------------------
# Independent copies of a block (for dependence questions)

_instances = itertools.count(1)


class _Copies(Mapping):
    """The variables of one copy: each existential variable of the canonical
    effects gets a fresh one; ``copies[loop_sym]`` is the copy of a loop's
    iterator (made on first use)."""

    def __init__(self):
        self.vars: dict = {}

    def var(self, v: Var) -> Var:
        c = self.vars.get(v)
        if c is None:
            c = self.vars[v] = Var.fresh(v.label)
        return c

    def __getitem__(self, sym: Sym) -> Var:
        return self.var(sym_var(sym))

    def __iter__(self) -> Iterator:
        return iter(self.vars)

    def __len__(self) -> int:
        return len(self.vars)


@frozen(eq=False)
class Instance:
    """The accesses of one independent copy of a block, and the variables
    chosen for the iterators of the loops inside it (``loop_vars[sym]``)."""

    accesses: tuple
    loop_vars: Mapping
    tag: int = 0


def collect_accesses(stmts: Iterable[ir.Stmt], rename: dict | None = None,
                     windows: Mapping | None = None) -> Instance:
    """A new, independent copy of the accesses of ``stmts``: every variable
    of a loop inside the block (and of a callee's loops) is fresh, while
    sizes and the iterators of enclosing loops are shared with every other
    copy and with the scope (`exo_core.analysis.logic_partial.context_at`).

    ``windows`` gives the window statements of the enclosing code (see
    `windows_in_scope`); ``rename`` maps symbols of the enclosing code to
    the terms that stand for them."""
    tag = next(_instances)
    copies = _Copies()
    shared = {sym_var(sym): t for sym, t in (rename or {}).items()}
    out = []
    for a in block_effects(stmts).accesses:
        if windows:
            view = windows.get(a.buffer)
            if view is not None:
                a = a.viewed(view)
        mapping = {v: copies.var(v) for v in a.iters}
        if shared:
            mapping = {**shared, **mapping}
        out.append(a.substituted(mapping, instance=tag))
    return Instance(tuple(out), copies, tag)


def windows_in_scope(root: ir.ProcIR) -> dict:
    """Window statements anywhere in a procedure (symbols are unique, so one
    table serves every position), as `WindowView`s over the canonical
    variables of the enclosing loops. Only loops, branches and window
    statements are visited."""
    windows: dict = {}

    def visit(stmts):
        for s in stmts:
            if isinstance(s, ir.WindowStmt):
                windows[s.name] = window_view(s.rhs, _term, windows)
            elif isinstance(s, ir.For):
                visit(s.body)
            elif isinstance(s, ir.If):
                visit(s.body)
                visit(s.orelse)

    visit(root.body)
    return windows


__all__ = [
    "READ", "WRITE", "REDUCE", "KINDS", "Access", "ConfigField", "Effects", "NO_EFFECTS",
    "Instance", "stmt_effects", "block_effects", "proc_effects", "param_kinds", "expr_effects",
    "collect_accesses", "windows_in_scope", "CallBinding", "call_binding",
]
