"""Translating IR control facts into `exo_verify` terms and formulas.

Everything the checks of this compiler reason about -- indices, loop bounds,
``if`` conditions, assertions, window bounds, strides -- is a quasi-affine
integer fact over the procedure's control variables. This module turns IR
control expressions into the verifier's terms and gathers the facts that hold
at a point of a procedure into a `Scope`::

    scope = proc_scope(p)                    # sizes >= 1, assert lines
    scope = scope.enter_loop(for_stmt)       # + lo <= i < hi
    scope = scope.enter_branch(if_stmt, True)  # + the if condition
    scope.term(e), scope.formula(cond)       # exo_verify Term / Formula

Variables (`sym_var`) are canonical per `Sym` -- the same symbol always
becomes the same verifier variable, whatever procedure version or scope it is
seen from -- so results computed for a shared subtree can be cached by node
identity. Each variable is *shown* with the user's name; `format_assignment`
tells apart two different variables shown with one name (``i`` and ``i_1``).

Conventions:

- ``size`` arguments are positive (``n >= 1``); ``bool`` control values are
  0/1 integer variables.
- ``/`` and ``%`` are floor division and modulo by a positive constant
  (they agree with C on the non-negative values indices take).
- ``stride(x, d)``: a tensor's strides are known (innermost 1, then products
  of the inner extents); a window statement's strides are those of the viewed
  dimensions; a window argument's strides are positive unknowns.
- ``Config.field`` (a control field) is an unknown; each write to the field
  starts a new unknown, so facts about an old value never leak to a new one.

Two modes. A `Scope` *raises* `VerificationError` on anything it cannot
state (definition checks must not silently lose a fact they are asked to
prove). A `PartialScope` (`exo_core.analysis.logic_partial`) answers ``None`` instead, for callers that can
soundly do without the fact (dropping an assumption can only prevent a
rewrite): data values, bool variables and config fields (which code
may change under a scheduling rewrite) do not translate, and the stride of a
buffer the scope does not declare is an unknown. The scheduling checks use
it through `ctrl_term`, `cond_formula`, `context_at` and `partial_proc_scope`;
``rename`` (the scope's ``bindings``) maps selected symbols to other terms,
which is how two instances of the same code (iterations ``i`` and ``i'``,
see `fresh_var`) are compared. A `PartialScope` built with an ``atoms``
dict records which IR expression each variable stands for, so that
normalised terms can be turned back into IR (`simplify`).
"""

from __future__ import annotations

import functools
import weakref
import itertools
from typing import Callable, Iterable, Mapping, Sequence

from attrs import evolve, field, frozen
from pyrsistent import pmap, PMap

from exo_verify import (
    FALSE,
    TRUE,
    Assignment,
    Compare,
    Const as TConst,
    Formula,
    Term,
    Var,
    conj,
    disj,
    in_range,
)

import exo_core.ir as ir
from exo_core.errors import VerificationError
from exo_core.frontend.affine import constant_value
from exo_core.ir.prelude import Sym
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import BOOL, SIZE, TensorType

# ----------------------------------------------------------------------------
# Variables


@functools.lru_cache(maxsize=None)
def sym_var(sym: Sym) -> Var:
    """The verifier variable of a control symbol (shown as the user's name)."""
    return Var(f"{sym.name}#{sym.id}", sym.name)


@functools.lru_cache(maxsize=None)
def stride_var(sym: Sym, dim: int) -> Var:
    """The unknown stride of dimension ``dim`` of the window argument ``sym``."""
    return Var(f"stride({sym.name}#{sym.id},{dim})", f"stride({sym.name}, {dim})")


def config_var(config, fld: str, version: int = 0) -> Var:
    """The unknown value of ``config.fld`` between two writes (``version``)."""
    name = config.name()
    return Var(f"{name}.{fld}#{id(config)}v{version}", f"{name}.{fld}")


def fresh_var(sym: Sym, tag: str = "'") -> Var:
    """A new variable for another instance of ``sym`` (``i'`` for iteration
    ``i'`` of a loop compared with iteration ``i``)."""
    return Var.fresh(sym.name + tag)


def is_stride_var(v: Var) -> bool:
    """True for the variables made by `stride_var`."""
    return v.name.startswith("stride(")


def named_values(values: Assignment, variables: Iterable[Var]) -> list[tuple[str, int]]:
    """``[("i", 9), ("n", 10)]``: the values of ``variables`` in the user's names.

    Two different variables shown with the same name are told apart by a
    suffix on the later one (``i``, ``i_1``), as the printer does.
    """
    shown: dict[str, int] = {}
    out = []
    seen = set()
    for v in variables:
        if v in seen or v not in values:
            continue
        seen.add(v)
        label = v.label
        k = shown.get(label, 0)
        shown[label] = k + 1
        out.append((label if k == 0 else f"{label}_{k}", values[v]))
    return out


def format_assignment(values: Assignment, variables: Iterable[Var]) -> str:
    """``"i = 9, n = 10"`` (see `named_values`)."""
    return ", ".join(f"{name} = {value}" for name, value in named_values(values, variables))


_shown: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def show(e) -> str:
    """Object-code text of an IR expression, for messages (cached by node
    identity: nodes are immutable, and checks describe the same expression
    in several obligations)."""
    text = _shown.get(e)
    if text is None:
        text = _shown[e] = expr_to_str(e)
    return text


# ----------------------------------------------------------------------------
# Windows: how a window's coordinates map to its base buffer


@frozen
class WindowView:
    """How a window's coordinates map to the buffer it finally views: the one
    window model, shared by the definition checks (`Scope.windows`) and the
    effect model (`exo_core.analysis.effects`).

    For ``y = x[lo0:hi0, p1, lo2:hi2]`` (possibly through other windows),
    ``base`` is ``x`` and ``dims`` has one entry per base dimension:
    ``("point", term)`` for a fixed index, ``("interval", lo, k)`` for a
    dimension that is coordinate ``k`` of the window, offset by ``lo``.
    ``dims`` is None for the identity (a whole buffer passed as it is).
    In the partial translation (`window_view` with a term function that
    answers None) a term may be None: "some value", so the coordinate it
    contributes to is "any index" as well.
    """

    base: Sym
    dims: tuple | None

    def to_base(self, idx: Sequence[Term | None] | None) -> tuple | None:
        """Base-buffer coordinates of window coordinates ``idx`` (None
        entries stay unknown; ``idx`` None, "any location", gives the
        points of the view and None for its intervals)."""
        if self.dims is None:
            return None if idx is None else tuple(idx)
        out = []
        for d in self.dims:
            if d[0] == "point":
                out.append(d[1])
            else:
                i = idx[d[2]] if idx is not None and d[2] < len(idx) else None
                out.append(None if d[1] is None or i is None else d[1] + i)
        return tuple(out)

    def window_dims(self) -> tuple[int, ...]:
        """The base dimensions the window keeps, in window order."""
        if self.dims is None:
            raise ValueError("the identity view does not know its dimensions")
        return tuple(k for k, d in enumerate(self.dims) if d[0] == "interval")

    def compose(self, dims: tuple) -> "WindowView":
        """The view of a window taken of this one: ``dims`` are in this
        window's coordinates (entries as in ``dims`` above)."""
        if self.dims is None:
            return WindowView(self.base, dims)
        composed = []
        for d in self.dims:
            if d[0] == "point":
                composed.append(d)
                continue
            mine = dims[d[2]]
            offset = None if d[1] is None or mine[1] is None else d[1] + mine[1]
            if mine[0] == "point":
                composed.append(("point", offset))
            else:
                composed.append(("interval", offset, mine[2]))
        return WindowView(self.base, tuple(composed))


def window_view(w: ir.WindowExpr, term: Callable[[ir.Expr], Term | None],
                windows: Mapping) -> WindowView:
    """The view of window expression ``w``: its bounds translated by ``term``,
    composed with ``windows[w.name]`` when ``w`` is a window of a window."""
    dims = []
    k = 0
    for a in w.idx:
        if isinstance(a, ir.Interval):
            dims.append(("interval", term(a.lo), k))
            k += 1
        else:
            dims.append(("point", term(a.pt)))
    outer = windows.get(w.name)
    if outer is None:
        return WindowView(w.name, tuple(dims))
    return outer.compose(tuple(dims))


# ----------------------------------------------------------------------------
# Scopes


@frozen
class Scope:
    """What holds at one point of a procedure.

    - ``iters``: enclosing loop variables, outermost first;
    - ``facts``: procedure assumptions, loop bounds and path conditions;
    - ``shapes``: the extents of every buffer in scope (terms);
    - ``strides``: the stride terms of every buffer in scope;
    - ``windows``: window names -> `WindowView` onto their base buffer;
    - ``configs``: the current version of each written config field;
    - ``bindings``/``bool_bindings``: symbols translated to given terms or
      formulas (a callee's parameters seen from a call site).
    """

    iters: tuple = ()
    facts: tuple = ()
    shapes: PMap = field(factory=pmap)
    strides: PMap = field(factory=pmap)
    windows: PMap = field(factory=pmap)
    configs: PMap = field(factory=pmap)
    bindings: PMap = field(factory=pmap)
    bool_bindings: PMap = field(factory=pmap)

    # ---------------------------------------------------------------- facts
    def assuming(self, *facts: Formula) -> "Scope":
        """This scope with more facts."""
        return evolve(self, facts=self.facts + tuple(f for f in facts if f is not TRUE))

    def assumptions(self) -> Formula:
        """The conjunction of the facts."""
        return conj(*self.facts)

    def enter_loop(self, s: ir.For) -> "Scope":
        """Inside ``for i in seq(lo, hi)``: ``lo <= i < hi``."""
        i = sym_var(s.iter)
        bounds = in_range(i, self.term(s.lo), self.term(s.hi))
        return evolve(self, iters=self.iters + (i,)).assuming(bounds)

    def enter_branch(self, s: ir.If, taken: bool) -> "Scope":
        """Inside the body (``taken``) or the else branch of ``s``."""
        cond = self.formula(s.cond)
        return self.assuming(cond if taken else ~cond)

    # -------------------------------------------------------------- buffers
    def bind_buffer(self, name: Sym, t: TensorType, window_arg: bool = False) -> "Scope":
        """Declare a tensor (argument or allocation) or a window argument."""
        shape = tuple(self.term(d) for d in t.shape_exprs)
        if window_arg or t.is_window:
            strides = tuple(stride_var(name, d) for d in range(len(shape)))
            facts = tuple(s >= 1 for s in strides)
        else:
            strides = tensor_strides(shape)
            facts = ()
        return evolve(self, shapes=self.shapes.set(name, shape),
                      strides=self.strides.set(name, strides)).assuming(*facts)

    def window_view(self, w: ir.WindowExpr) -> WindowView:
        """How the window expression ``w`` maps onto its base buffer."""
        return window_view(w, self.term, self.windows)

    def window_shape(self, w: ir.WindowExpr) -> tuple[Term, ...]:
        """The extents ``hi - lo`` of the intervals of ``w``."""
        return tuple(self.term(a.hi) - self.term(a.lo) for a in w.idx
                     if isinstance(a, ir.Interval))

    def window_strides(self, w: ir.WindowExpr) -> tuple[Term, ...]:
        """The strides of the dimensions ``w`` keeps."""
        base = self.buffer_strides(w.name)
        return tuple(base[d] for d, a in enumerate(w.idx) if isinstance(a, ir.Interval))

    def bind_window(self, s: ir.WindowStmt) -> "Scope":
        """After ``y = x[...]``."""
        w = s.rhs
        return evolve(self, windows=self.windows.set(s.name, self.window_view(w)),
                      shapes=self.shapes.set(s.name, self.window_shape(w)),
                      strides=self.strides.set(s.name, self.window_strides(w)))

    def buffer_shape(self, name: Sym) -> tuple[Term, ...]:
        """The extents of a buffer or window in scope."""
        try:
            return self.shapes[name]
        except KeyError:
            raise VerificationError(f"{name} is not a buffer in scope here") from None

    def buffer_strides(self, name: Sym) -> tuple[Term, ...]:
        """The strides of a buffer or window in scope."""
        try:
            return self.strides[name]
        except KeyError:
            raise VerificationError(f"{name} is not a buffer in scope here") from None

    def stride_term(self, e: ir.StrideExpr) -> Term:
        """The value of ``stride(x, d)``."""
        strides = self.buffer_strides(e.name)
        if not 0 <= e.dim < len(strides):
            raise control_error(f"stride({e.name}, {e.dim}): {e.name} has {len(strides)} "
                       "dimensions", e)
        return strides[e.dim]

    def base_of(self, name: Sym) -> Sym:
        """The buffer a window name finally views (the name itself otherwise)."""
        view = self.windows.get(name)
        return view.base if view is not None else name

    # -------------------------------------------------------------- configs
    def config_term(self, config, fld: str) -> Term:
        """The current value of a control config field."""
        return config_var(config, fld, self.configs.get((id(config), fld), 0))

    def after_config_write(self, config, fld: str,
                           value: Term | Formula | None) -> "Scope":
        """After ``config.fld = value``: a term for an integer field, a formula
        for a bool field, None when the value is unknown (data, or a loop)."""
        key = (id(config), fld)
        version = _next_version()
        scope = evolve(self, configs=self.configs.set(key, version))
        new = config_var(config, fld, version)
        if isinstance(value, Formula):
            scope = scope.assuming(disj(conj(new.eq(1), value), conj(new.eq(0), ~value)))
        elif value is not None:
            scope = scope.assuming(new.eq(value))
        return scope

    def forget_configs(self, fields: Iterable[tuple]) -> "Scope":
        """The given ``(config, field)`` pairs now hold unknown values."""
        scope = self
        for config, fld in fields:
            scope = scope.after_config_write(config, fld, None)
        return scope

    # ---------------------------------------------------------- translation
    def read_term(self, e: ir.Read) -> Term:
        """The term of a control variable read (``n``, ``i``)."""
        if e.idx:
            raise control_error(f"data value {show(e)} cannot be used in a control expression", e)
        bound = self.bindings.get(e.name)
        if bound is not None:
            return bound
        return sym_var(e.name)

    def flag_formula(self, e: ir.Read) -> Formula:
        """The formula of a ``bool`` control variable read (``b == 1``)."""
        bound = self.bool_bindings.get(e.name)
        if bound is not None:
            return bound
        return sym_var(e.name).eq(1)

    def term(self, e: ir.Expr) -> Term:
        """The integer term of a control expression."""
        return control_term(e, self)

    def formula(self, e: ir.Expr) -> Formula:
        """The formula of a condition."""
        return condition(e, self)


_versions = itertools.count(1)


def _next_version() -> int:
    return next(_versions)


def tensor_strides(shape: Sequence[Term]) -> tuple[Term, ...]:
    """Row-major strides of a dense tensor: innermost 1, then products."""
    strides: list[Term] = []
    acc: Term = TConst(1)
    for d in reversed(shape):
        strides.append(acc)
        acc = _product(acc, d)
    return tuple(reversed(strides))


def _product(a: Term, b: Term) -> Term:
    if isinstance(a, TConst) and isinstance(b, TConst):
        return TConst(a.value * b.value)
    if isinstance(a, TConst) and a.value == 1:
        return b
    if isinstance(b, TConst) and b.value == 1:
        return a
    return a * b


def proc_scope(p: ir.ProcIR, with_preds: bool = True) -> Scope:
    """The facts at the start of ``p``'s body: arguments declared, sizes
    positive, bools 0/1, and (with ``with_preds``) the ``assert`` lines."""
    scope = Scope()
    for a in p.args:
        t = a.type
        if isinstance(t, TensorType):
            continue
        if t is SIZE:
            scope = scope.assuming(sym_var(a.name) >= 1)
        elif t is BOOL:
            scope = scope.assuming(in_range(sym_var(a.name), 0, 2))
    for a in p.args:
        if isinstance(a.type, TensorType):
            scope = scope.bind_buffer(a.name, a.type, window_arg=a.type.is_window)
    if with_preds:
        scope = scope.assuming(*(scope.formula(e) for e in p.preds))
    return scope


# ----------------------------------------------------------------------------
# Expressions


def control_error(msg: str, e) -> VerificationError:
    return VerificationError(msg, getattr(e, "srcinfo", None))


def constant_divisor(e: ir.Expr, scope: Scope) -> int:
    """The positive constant divisor of ``/`` or ``%`` (else a clear error)."""
    d = control_term(e, scope)
    if not isinstance(d, TConst):
        v = constant_value(e)
        if v is None:
            raise control_error(f"{show(e)} is not a constant; / and % in control expressions need "
                       "a positive constant divisor", e)
        d = TConst(v)
    if d.value <= 0:
        raise control_error(f"the divisor {show(e)} is {d.value}; the divisor must be a positive "
                   "constant", e)
    return d.value


def control_term(e: ir.Expr, scope: Scope) -> Term:
    """The integer term of control expression ``e`` in ``scope``."""
    if isinstance(e, ir.Const):
        if isinstance(e.val, bool) or not isinstance(e.val, int):
            raise control_error(f"{show(e)} is not an integer control value", e)
        return TConst(e.val)
    if isinstance(e, ir.Read):
        return scope.read_term(e)
    if isinstance(e, ir.USub):
        return -control_term(e.arg, scope)
    if isinstance(e, ir.BinOp):
        op = e.op
        if op in ("+", "-"):
            lhs, rhs = control_term(e.lhs, scope), control_term(e.rhs, scope)
            return _fold(op, lhs, rhs)
        if op == "*":
            lhs, rhs = control_term(e.lhs, scope), control_term(e.rhs, scope)
            return _fold(op, lhs, rhs)
        if op in ("/", "%"):
            lhs = control_term(e.lhs, scope)
            d = constant_divisor(e.rhs, scope)
            if isinstance(lhs, TConst):
                return TConst(lhs.value // d if op == "/" else lhs.value % d)
            return lhs // d if op == "/" else lhs % d
        raise control_error(f"the condition {show(e)} cannot be used as an integer", e)
    if isinstance(e, ir.StrideExpr):
        return scope.stride_term(e)
    if isinstance(e, ir.ReadConfig):
        return scope.config_term(e.config, e.field)
    raise control_error(f"{show(e)} cannot be used in a control expression", e)


def _fold(op: str, lhs: Term, rhs: Term) -> Term:
    if isinstance(lhs, TConst) and isinstance(rhs, TConst):
        a, b = lhs.value, rhs.value
        return TConst(a + b if op == "+" else a - b if op == "-" else a * b)
    if op == "+":
        return lhs + rhs
    if op == "-":
        return lhs - rhs
    return lhs * rhs


_COMPARE = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "==": "=="}


def _is_bool(e: ir.Expr) -> bool:
    t = getattr(e, "type", None)
    if t is BOOL:
        return True
    if isinstance(e, ir.Const):
        return isinstance(e.val, bool)
    return isinstance(e, ir.BinOp) and (e.op in _COMPARE or e.op in ("and", "or"))


def condition(e: ir.Expr, scope: Scope) -> Formula:
    """The formula of condition ``e`` in ``scope``."""
    if isinstance(e, ir.Const):
        if isinstance(e.val, bool):
            return TRUE if e.val else FALSE
        raise control_error(f"{show(e)} is not a condition", e)
    if isinstance(e, ir.Read) and not e.idx:
        return scope.flag_formula(e)
    if isinstance(e, ir.ReadConfig):
        return scope.config_term(e.config, e.field).eq(1)
    if isinstance(e, ir.BinOp):
        if e.op == "and":
            return conj(condition(e.lhs, scope), condition(e.rhs, scope))
        if e.op == "or":
            return disj(condition(e.lhs, scope), condition(e.rhs, scope))
        if e.op == "==" and _is_bool(e.lhs) and _is_bool(e.rhs):
            a, b = condition(e.lhs, scope), condition(e.rhs, scope)
            return disj(conj(a, b), conj(~a, ~b))
        if e.op in _COMPARE:
            return Compare(_COMPARE[e.op], control_term(e.lhs, scope),
                           control_term(e.rhs, scope))
    raise control_error(f"{show(e)} is not a condition", e)


def variables_of(terms: Iterable[Term | Formula]) -> tuple[Var, ...]:
    """Distinct free variables of terms and formulas, in order."""
    out: dict[Var, None] = {}
    for t in terms:
        for v in t.free_vars():
            out[v] = None
    return tuple(out)


__all__ = [
    "Scope", "WindowView", "window_view", "sym_var", "stride_var", "config_var",
    "is_stride_var", "format_assignment", "named_values", "show", "tensor_strides", "proc_scope",
    "control_term", "condition", "constant_divisor", "variables_of", "fresh_var",
]
