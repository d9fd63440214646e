"""Definition-time checks: what must hold for a procedure to be well defined.

Run on every procedure ``@proc``/``@instr`` builds (registered with
`exo_core.api.register_definition_check`), after typechecking:

- every buffer access and window is in bounds, under the loop bounds, the
  ``if`` conditions around it and the procedure's assertions;
- loop bounds are ordered (``lo <= hi``) and allocation/argument extents
  positive;
- every ``assert`` line can hold;
- at each call: size arguments are positive; window and buffer arguments
  have the callee's parameter shapes (``window y[2:6] has extent 4 but
  foo's parameter x expects 3``); the callee's preconditions hold; no two
  arguments overlap in the same buffer;
- ``/`` and ``%`` in control expressions divide by positive constants.

A callee precondition that fails only for some strides of the caller's own
window arguments (``assert stride(src, 0) == 1`` reached through a window
argument ``src`` whose stride is unknown) is not an error: it becomes a
requirement of the caller, checked at each of the caller's call sites
(`ProcReport.implied`). Strides of tensors are known, so a requirement always
ends at a call that can be checked.

`check_procedure` returns every obligation with its outcome (cached per
procedure); `check_definition` is the hook that raises the first failure as a
`VerificationError`; inside `deferred_definition_checks()` the hook records
the reports instead of raising (the exo-verify CLI loads files that way).
"""

from __future__ import annotations

import contextlib
import contextvars
import time
import weakref
from typing import Iterator

from attrs import evolve
from pyrsistent import pmap

from exo_verify import (TRUE, Const, Not, Term, Var, conj, formula_to_str, in_range,
                        satisfiable, simplify_term, term_to_str)
from exo_verify.substitution import substitute_formula
from exo_verify.errors import VerifyError

import exo_core.ir as ir
from exo_core.analysis.scopes import bind_scalar, enter_loop_body, scope_after
from exo_core.errors import ExoError, VerificationError
from exo_core.analysis.logic import Scope, is_stride_var, proc_scope, show, stride_var, variables_of
from exo_core.analysis.obligations import Obligation, Outcome, ProcReport, discharge
from exo_core.ir.types import BOOL, SIZE, TensorType

_ZERO = Const(0)
_reports: "weakref.WeakKeyDictionary[ir.ProcIR, ProcReport]" = weakref.WeakKeyDictionary()
_deferred: contextvars.ContextVar = contextvars.ContextVar("deferred_definition_checks",
                                                           default=None)


# ----------------------------------------------------------------------------
# Entry points


def check_procedure(p: ir.ProcIR) -> ProcReport:
    """Every definition-time obligation of ``p`` and its outcome (cached)."""
    report = _reports.get(p)
    if report is None:
        report = _Checker(p).run()
        _reports[p] = report
    return report


def check_definition(p: ir.ProcIR) -> None:
    """The front end's hook: raise the first failure (or record the report
    when checks are deferred)."""
    report = check_procedure(p)
    recorded = _deferred.get()
    if recorded is not None:
        recorded.append(report)
        return
    err = report.error()
    if err is not None:
        raise err


@contextlib.contextmanager
def deferred_definition_checks() -> Iterator[list]:
    """Within this block, definitions that fail their checks are still built;
    the yielded list receives the `ProcReport` of every procedure defined."""
    recorded: list = []
    token = _deferred.set(recorded)
    try:
        yield recorded
    finally:
        _deferred.reset(token)


def implied_preconditions(p: ir.ProcIR) -> tuple:
    """The stride requirements ``p`` passes on to its callers:
    ``(formula, sentence)`` pairs over the strides of its window arguments."""
    return check_procedure(p).implied


# ----------------------------------------------------------------------------
# Messages


def _value(t: Term, values) -> str:
    try:
        return str(t.evaluate(values))
    except VerifyError:
        return "?"


def _shown(t: Term) -> str:
    try:
        return term_to_str(simplify_term(t))
    except VerifyError:
        return term_to_str(t)


def _at_call(values, where: str, shown) -> str:
    """``may not hold at this call: stride(x, 0) is 4 when n = 4``."""
    facts = ", ".join(f"{label} is {_value(t, values)}" for label, t in shown
                      if not (isinstance(t, Var) and t.label == label and where))
    if not facts and not where:
        return "does not hold at this call"
    head = "may not hold at this call" if where else "does not hold at this call"
    if facts:
        return f"{head}: {facts}{_when(where)}"
    return f"{head}{_when(where)}"


def _leaf_label(x, f, call) -> str:
    """How a callee's parameter is named in a message about a call: ``n``, or
    ``n (the argument n - 1)`` when the argument reads differently."""
    text = show(x)
    if isinstance(x, ir.Read):
        for fa, arg in zip(f.args, call.args):
            if fa.name == x.name and show(arg) != text:
                return f"{text} (the argument {show(arg)})"
    return text


def _control_leaves(e) -> list:
    """The parameter reads and strides a precondition mentions, once each."""
    out: list = []
    seen: set = set()

    def walk(x):
        if isinstance(x, ir.StrideExpr) or (isinstance(x, ir.Read) and not x.idx
                                            and x.type is not BOOL):
            key = (x.name, getattr(x, "dim", None))
            if key not in seen:
                seen.add(key)
                out.append(x)
        elif isinstance(x, ir.USub):
            walk(x.arg)
        elif isinstance(x, ir.BinOp):
            walk(x.lhs)
            walk(x.rhs)

    walk(e)
    return out


def _when(where: str) -> str:
    return f" when {where}" if where else ""


def _dim(d: int, ndim: int) -> str:
    return f" in dimension {d}" if ndim > 1 else ""


# ----------------------------------------------------------------------------
# The checker


class _Checker:
    """Walks one procedure, stating and discharging its obligations."""

    def __init__(self, p: ir.ProcIR):
        self.p = p
        self.outcomes: list[Outcome] = []
        self.implied: list = []
        self.window_args = {a.name for a in p.args
                            if isinstance(a.type, TensorType) and a.type.is_window}

    def run(self) -> ProcReport:
        start = time.perf_counter()
        try:
            self.procedure()
        except VerificationError as err:
            self.outcomes.append(_error_outcome(err))
        except ExoError as err:  # e.g. an unknown config field: report, don't crash
            self.outcomes.append(_error_outcome(VerificationError(err.message, err.srcinfo)))
        except VerifyError as err:  # a fact the engine cannot state
            self.outcomes.append(_error_outcome(VerificationError(
                f"{self.p.name} could not be checked: {err}", self.p.srcinfo)))
        return ProcReport(self.p.name, self.p.srcinfo, tuple(o.settled() for o in self.outcomes),
                          tuple(self.implied), time.perf_counter() - start)

    # ------------------------------------------------------------ obligations
    def need(self, ob: Obligation) -> None:
        out = discharge(ob)
        if out.failed and ob.may_propagate and out.status == "failed":
            out = self.try_propagate(ob, out)
        self.outcomes.append(out)

    def try_propagate(self, ob: Obligation, out: Outcome) -> Outcome:
        free = variables_of([ob.goal])
        mine = {stride_var(a, d) for a in self.window_args
                for d in range(len(_arg_type(self.p, a).shape_exprs))}
        if not free or not all(is_stride_var(v) and v in mine for v in free):
            return out
        if not satisfiable(ob.goal, ob.assumptions):
            return out
        self.implied.append((ob.goal, ob.origin or ob.what))
        return Outcome(ob, "propagated", out.solver, out.seconds)

    # ------------------------------------------------------------- procedure
    def procedure(self) -> None:
        p = self.p
        scope = proc_scope(p, with_preds=False)
        for a in p.args:
            if isinstance(a.type, TensorType):
                self.extents_positive(a.name, a.type, scope, a)
            elif a.type.is_numeric():
                scope = bind_scalar(scope, a.name)
        for pred in p.preds:
            f = scope.formula(pred)
            self.need(Obligation(
                "assertion", f"assertion {show(pred)} can hold", f, scope.assumptions(),
                pred.srcinfo,
                lambda values, where, pred=pred, first=pred is p.preds[0]:
                    f"the assertion {show(pred)} can never hold (sizes are positive"
                    f"{'' if first else ', and the assertions before it hold'})",
                question="satisfiable"))
            scope = scope.assuming(f)
        self.block(p.body, scope)

    def block(self, stmts, scope: Scope) -> None:
        for s in stmts:
            self.stmt(s, scope)
            scope = scope_after(scope, s)

    def stmt(self, s: ir.Stmt, scope: Scope) -> None:
        if isinstance(s, (ir.Assign, ir.Reduce)):
            self.access(s.name, s.idx, scope)
            self.data(s.rhs, scope)
        elif isinstance(s, ir.WriteConfig):
            t = s.config.lookup_type(s.field)
            if t.is_numeric():
                self.data(s.rhs, scope)
            elif t is BOOL:
                scope.formula(s.rhs)
            else:
                scope.term(s.rhs)
        elif isinstance(s, ir.If):
            self.block(s.body, scope.enter_branch(s, True))
            self.block(s.orelse, scope.enter_branch(s, False))
        elif isinstance(s, ir.For):
            self.loop(s, scope)
        elif isinstance(s, ir.Alloc):
            if isinstance(s.type, TensorType):
                self.extents_positive(s.name, s.type, scope, s)
        elif isinstance(s, ir.WindowStmt):
            self.window(s.rhs, scope, nonempty=False)
        elif isinstance(s, ir.Call):
            self.call(s, scope)

    def loop(self, s: ir.For, scope: Scope) -> None:
        lo, hi = scope.term(s.lo), scope.term(s.hi)
        self.need(Obligation(
            "loop", f"loop {s.iter.name} in seq({show(s.lo)}, {show(s.hi)}) has lo <= hi",
            lo <= hi, scope.assumptions(), s.srcinfo,
            lambda values, where: f"the bounds of loop {s.iter.name} may be reversed: "
                                  f"seq({show(s.lo)}, {show(s.hi)}) runs from "
                                  f"{_value(lo, values)} to {_value(hi, values)}{_when(where)}"))
        self.block(s.body, enter_loop_body(scope, s))

    def extents_positive(self, name, t: TensorType, scope: Scope, node) -> None:
        for d, e in enumerate(t.shape_exprs):
            v = scope.term(e)
            self.need(Obligation(
                "extent", f"extent {show(e)} of {name.name} is positive", v >= 1,
                scope.assumptions(), getattr(e, "srcinfo", None) or node.srcinfo,
                lambda values, where, e=e, v=v: f"extent {show(e)} of {name.name}"
                f"{_dim(d, len(t.shape_exprs))} must be positive, but it is "
                f"{_value(v, values)}{_when(where)}"))

    # --------------------------------------------------------------- accesses
    def data(self, e: ir.Expr, scope: Scope) -> None:
        """Check every buffer element read in a data expression."""
        if isinstance(e, ir.Read):
            if e.idx:
                self.access(e.name, e.idx, scope)
        elif isinstance(e, ir.USub):
            self.data(e.arg, scope)
        elif isinstance(e, ir.BinOp):
            self.data(e.lhs, scope)
            self.data(e.rhs, scope)
        elif isinstance(e, ir.Extern):
            for a in e.args:
                self.data(a, scope)

    def access(self, name, idx, scope: Scope) -> None:
        if not idx:
            return
        shape = scope.buffer_shape(name)
        for d, (ie, hi) in enumerate(zip(idx, shape)):
            self.index(name, ie, hi, d, len(shape), scope)

    def index(self, name, ie: ir.Expr, hi: Term, d: int, ndim: int, scope: Scope) -> None:
        t = scope.term(ie)

        def explain(values, where):
            bounds = f"[0, {_shown(hi)})"
            if not where:
                return f"index {show(ie)} of {name.name} is out of bounds {bounds}" \
                       f"{_dim(d, ndim)}"
            return f"index {show(ie)} of {name.name} may be out of bounds {bounds}" \
                   f"{_dim(d, ndim)}: it is {_value(t, values)}{_when(where)}"

        self.need(Obligation("bounds", f"index {show(ie)} of {name.name} within [0, "
                                       f"{term_to_str(hi)})", in_range(t, 0, hi),
                             scope.assumptions(), ie.srcinfo, explain))

    def window(self, w: ir.WindowExpr, scope: Scope, nonempty: bool) -> None:
        """Bounds of a window: ``0 <= lo``, ``hi <= extent`` and ``lo <= hi``
        (``lo < hi`` for a call argument: parameters have positive extents)."""
        shape = scope.buffer_shape(w.name)
        ndim = len(shape)
        for d, (a, n) in enumerate(zip(w.idx, shape)):
            if isinstance(a, ir.Point):
                self.index(w.name, a.pt, n, d, ndim, scope)
                continue
            lo, hi = scope.term(a.lo), scope.term(a.hi)
            where_dim = _dim(d, ndim)
            self.need(Obligation(
                "window", f"window {show(w)} starts at or after 0{where_dim}", lo >= 0,
                scope.assumptions(), a.lo.srcinfo,
                lambda values, where, a=a, lo=lo, where_dim=where_dim:
                    f"window {show(w)} may start before the beginning of {w.name.name}"
                    f"{where_dim}: it starts at {_value(lo, values)}{_when(where)}"))
            self.need(Obligation(
                "window", f"window {show(w)} ends within {w.name.name}{where_dim}", hi <= n,
                scope.assumptions(), a.hi.srcinfo,
                lambda values, where, a=a, hi=hi, n=n, where_dim=where_dim:
                    f"window {show(w)} may extend past the end of {w.name.name}{where_dim}: "
                    f"it ends at {_value(hi, values)} but the extent is {_value(n, values)}"
                    f"{_when(where)}"))
            if nonempty:
                self.need(Obligation(
                    "window", f"window {show(w)} is not empty{where_dim}", lo < hi,
                    scope.assumptions(), a.srcinfo,
                    lambda values, where, lo=lo, hi=hi, where_dim=where_dim:
                        f"window {show(w)} may be empty{where_dim}: it runs from "
                        f"{_value(lo, values)} to {_value(hi, values)}{_when(where)}"))
            else:
                self.need(Obligation(
                    "window", f"window {show(w)} has lo <= hi{where_dim}", lo <= hi,
                    scope.assumptions(), a.srcinfo,
                    lambda values, where, lo=lo, hi=hi, where_dim=where_dim:
                        f"window {show(w)} may end before it starts{where_dim}: it runs from "
                        f"{_value(lo, values)} to {_value(hi, values)}{_when(where)}"))

    # ------------------------------------------------------------------ calls
    def call(self, s: ir.Call, scope: Scope) -> None:
        f = s.f
        bindings, bools, strides, shapes = {}, {}, {}, {}
        buffers = []  # (param, arg) of buffer and scalar-by-reference arguments
        for fa, arg in zip(f.args, s.args):
            t = fa.type
            if not isinstance(t, TensorType) and t.kind == "ctrl":
                if t is BOOL:
                    bools[fa.name] = scope.formula(arg)
                    continue
                v = scope.term(arg)
                bindings[fa.name] = v
                if t is SIZE:
                    self.size_arg(f, fa, arg, v, scope)
                continue
            if isinstance(arg, ir.WindowExpr):
                self.window(arg, scope, nonempty=True)
                shapes[fa.name] = scope.window_shape(arg)
                strides[fa.name] = scope.window_strides(arg)
            elif isinstance(t, TensorType):
                shapes[fa.name] = scope.buffer_shape(arg.name)
                strides[fa.name] = scope.buffer_strides(arg.name)
            else:
                self.access(arg.name, arg.idx, scope)
            buffers.append((fa, arg))
        callee = evolve(Scope(), bindings=pmap(bindings), bool_bindings=pmap(bools),
                        strides=pmap(strides), configs=scope.configs)
        for fa, arg in buffers:
            if isinstance(fa.type, TensorType):
                self.shape(f, fa, arg, shapes[fa.name], callee, scope)
        self.aliasing(f, buffers, scope)
        for pred in f.preds:
            goal = callee.formula(pred)
            shown = [(_leaf_label(x, f, s), callee.term(x)) for x in _control_leaves(pred)]
            self.need(Obligation(
                "precondition", f"precondition {show(pred)} of {f.name}", goal,
                scope.assumptions(), s.srcinfo,
                lambda values, where, pred=pred, shown=shown:
                    f"the precondition {show(pred)} of {f.name} (at {pred.srcinfo}) "
                    f"{_at_call(values, where, shown)}",
                may_propagate=True,
                origin=f"the precondition {show(pred)} of {f.name} (at {pred.srcinfo})"))
        mapping = {}
        for fa in f.args:
            if fa.name in strides:
                for d, st in enumerate(strides[fa.name]):
                    mapping[stride_var(fa.name, d)] = st
        for req, origin in implied_preconditions(f):
            goal = substitute_formula(req, mapping)
            shown = [(v.label, mapping.get(v, v)) for v in req.free_vars()]
            self.need(Obligation(
                "precondition", f"{formula_to_str(req)} required by {f.name}", goal,
                scope.assumptions(), s.srcinfo,
                lambda values, where, req=req, origin=origin, shown=shown:
                    f"{f.name} requires {formula_to_str(req)} for {origin}; it "
                    f"{_at_call(values, where, shown)}",
                may_propagate=True, origin=origin))

    def size_arg(self, f, fa, arg, v: Term, scope: Scope) -> None:
        self.need(Obligation(
            "size", f"size argument {fa.name.name} of {f.name} is positive", v >= 1,
            scope.assumptions(), arg.srcinfo,
            lambda values, where: f"argument {fa.name.name} of {f.name} is a size and must be "
            f"positive, but {show(arg)} is {_value(v, values)}{_when(where)}"))

    def shape(self, f, fa, arg, got: tuple, callee: Scope, scope: Scope) -> None:
        want_exprs = fa.type.shape_exprs
        kind = "window" if isinstance(arg, ir.WindowExpr) else "buffer"
        noun = "extent" if kind == "window" else "size"
        for d, (g, we) in enumerate(zip(got, want_exprs)):
            w = callee.term(we)
            where_dim = _dim(d, len(want_exprs))

            def explain(values, where, g=g, w=w, where_dim=where_dim):
                return (f"{kind} {show(arg)} has {noun} {_shown(g)}{where_dim} but {f.name}'s "
                        f"parameter {fa.name.name} expects {_shown(w)}: they differ"
                        f"{_when(where)} ({_value(g, values)} vs {_value(w, values)})")

            self.need(Obligation(
                "shape", f"{noun} of {show(arg)} equals {f.name}'s {fa.name.name}{where_dim}",
                g.eq(w), scope.assumptions(), arg.srcinfo, explain))

    def aliasing(self, f, buffers, scope: Scope) -> None:
        regions = [(fa, arg, _region(arg, scope)) for fa, arg in buffers]
        for i, (fa1, a1, (b1, r1)) in enumerate(regions):
            for fa2, a2, (b2, r2) in regions[i + 1:]:
                if b1 != b2:
                    continue
                overlap = conj(*(conj(lo1 < hi2, lo2 < hi1)
                                 for (lo1, hi1), (lo2, hi2) in zip(r1, r2)))
                self.need(Obligation(
                    "alias", f"{show(a1)} and {show(a2)} do not overlap", Not(overlap),
                    scope.assumptions(), a2.srcinfo,
                    lambda values, where, fa1=fa1, fa2=fa2, a1=a1, a2=a2, b=b1:
                        f"buffer {b.name} is passed to {f.name} as both {fa1.name.name} and "
                        f"{fa2.name.name}; procedure arguments must not alias: {show(a1)} "
                        f"and {show(a2)} overlap{_when(where)}"))


def _region(arg, scope: Scope) -> tuple:
    """The base buffer and the ``[lo, hi)`` ranges per base dimension an
    argument covers."""
    if isinstance(arg, ir.WindowExpr):
        view = scope.window_view(arg)
        extents = scope.window_shape(arg)
    else:
        view = scope.windows.get(arg.name)
        extents = scope.buffer_shape(arg.name) if not arg.idx else ()
        if arg.idx:  # a scalar element passed by reference
            pts = [scope.term(i) for i in arg.idx]
            if view is None:
                return arg.name, tuple((p, p + 1) for p in pts)
            base = view.to_base([p for p in pts])
            return view.base, tuple((b, b + 1) for b in base)
        if view is None:
            return arg.name, tuple((_ZERO, n) for n in extents)
    ranges = []
    for d in view.dims:
        if d[0] == "point":
            ranges.append((d[1], d[1] + 1))
        else:
            ranges.append((d[1], d[1] + extents[d[2]]))
    return view.base, tuple(ranges)


def _arg_type(p: ir.ProcIR, name):
    for a in p.args:
        if a.name == name:
            return a.type
    raise KeyError(name)  # pragma: no cover - names come from p.args


def _error_outcome(err: VerificationError) -> Outcome:
    ob = Obligation("error", err.message, TRUE, TRUE, err.srcinfo,
                    lambda values, where: err.message)
    return Outcome(ob, "failed", "none", 0.0, err.message)

__all__ = ["check_procedure", "check_definition", "deferred_definition_checks",
           "implied_preconditions"]
