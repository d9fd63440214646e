"""Typecheck an untyped `ProcIR` from the parser into typed IR.

Every expression gets its type; statements get the element type of the buffer
they write; windows get window types whose shape is their extents. Errors are
`ExoTypeError` (a builtin ``TypeError``) at the user's source position.

Checks done here (the definition-time verifier adds bounds, preconditions of
callees and symbolic shape equalities later):

- control/data separation, quasi-affine control arithmetic;
- assignments only to numeric buffers and scalars, with the right number of
  indices;
- calls: arity; control arguments are control expressions; scalar data
  arguments are buffer elements or scalars; tensor parameters get whole
  tensors (never windows); window parameters get windows or whole buffers;
  ranks and constant extents agree; no buffer is passed twice. Argument
  precisions are checked by code generation, as in Exo
  (`exo_codegen.precision`): scheduling (``set_precision``) may leave a call
  whose precisions disagree, and its printed text must still load.
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.errors import AliasedArgumentsError
from exo_core.ir.types import BOOL, INDEX, STRIDE, ScalarType, TensorType
from exo_core.frontend.affine import constant_value, substitute
from exo_core.frontend.check_expr import ExprChecker, VarInfo, _show

_ROLE_OF_CTRL_ARG = {"size": "size argument", "index": "index argument",
                     "bool": "bool argument", "stride": "stride argument"}


class ProcChecker(ExprChecker):
    """Types one procedure."""

    def __init__(self):
        super().__init__()
        self.roots: dict = {}  # window symbol -> the buffer it views

    def check(self, p: ir.ProcIR) -> ir.ProcIR:
        args = [self.argument(a) for a in p.args]
        self.unbound_msg = "preconditions (assert) can only refer to procedure arguments; " \
                           "{name} is not one"
        preds = tuple(self.cond(e, "a precondition") for e in p.preds)
        self.unbound_msg = "{name} is not in scope here"
        body = self.block(p.body)
        return p.update(args=tuple(args), preds=preds, body=body)

    def argument(self, a: ir.FnArg) -> ir.FnArg:
        t = a.type
        if isinstance(t, TensorType):
            shape = tuple(self.shape_dim(d, f"the shape of {a.name}") for d in t.shape_exprs)
            t = TensorType(t.elem, shape, t.is_window)
            role = "window argument" if t.is_window else "tensor argument"
        elif t.kind == "ctrl":
            role = _ROLE_OF_CTRL_ARG.get(t.name, "control argument")
        else:
            role = "scalar argument"
        self.env[a.name] = VarInfo(t, a.mem, role)
        self.roots[a.name] = a.name
        return a.update(type=t)

    def shape_dim(self, d, what: str) -> ir.Expr:
        e = self.ctrl(d, what)
        if e.type is STRIDE:
            raise self.err(f"{_show(e)} is a stride and cannot be used in {what}", e)
        v = constant_value(e)
        if v is not None and v <= 0:
            raise self.err(f"{what} must be positive, but a dimension is {v}", e)
        return e

    # --------------------------------------------------------- statements
    def block(self, stmts):
        return [self.stmt(s) for s in stmts]

    def stmt(self, s: ir.Stmt) -> ir.Stmt:
        if isinstance(s, (ir.Assign, ir.Reduce)):
            return self.assign(s)
        if isinstance(s, ir.For):
            lo = self.ctrl(s.lo, "a loop bound")
            hi = self.ctrl(s.hi, "a loop bound")
            self.env[s.iter] = VarInfo(INDEX, None, "loop variable")
            return s.update(lo=lo, hi=hi, body=self.block(s.body))
        if isinstance(s, ir.If):
            return s.update(cond=self.cond(s.cond, "an if condition"),
                            body=self.block(s.body), orelse=self.block(s.orelse))
        if isinstance(s, ir.Alloc):
            t = s.type
            if isinstance(t, TensorType):
                t = TensorType(t.elem, tuple(self.shape_dim(d, f"the shape of {s.name}")
                                             for d in t.shape_exprs), False)
            self.env[s.name] = VarInfo(t, s.mem, "buffer")
            self.roots[s.name] = s.name
            return s.update(type=t)
        if isinstance(s, ir.WindowStmt):
            rhs = self.window(s.rhs)
            base = self.env[rhs.name]
            self.env[s.name] = VarInfo(rhs.type, base.mem, "window")
            self.roots[s.name] = self.roots.get(rhs.name, rhs.name)
            return s.update(rhs=rhs)
        if isinstance(s, ir.WriteConfig):
            t = s.config.lookup_type(s.field)
            what = f"the value of {s.config.name()}.{s.field}"
            if t.is_numeric():
                rhs = self.data(s.rhs)
            elif t is BOOL:
                rhs = self.cond(s.rhs, what)
            else:
                rhs = self.ctrl(s.rhs, what)
            return s.update(rhs=rhs)
        if isinstance(s, ir.Call):
            return self.call(s)
        if isinstance(s, ir.Pass):
            return s
        raise self.err(f"unexpected statement {type(s).__name__}", s)

    def assign(self, s):
        vi = self.info(s.name, s)
        t = vi.type
        verb = "assign to" if isinstance(s, ir.Assign) else "reduce into"
        if isinstance(t, ScalarType) and t.kind == "ctrl":
            raise self.err(f"cannot {verb} {s.name}: it is a {vi.role} ({t}), not data", s)
        if isinstance(t, ScalarType):
            if s.idx:
                raise self.err(f"{s.name} is a scalar and cannot be indexed", s)
            elem = t
        else:
            if not s.idx:
                raise self.err(f"cannot {verb} the whole buffer {s.name}; write its elements "
                               f"({s.name}[...])", s)
            self.check_rank(s.name, t, len(s.idx), s)
            elem = t.elem
        idx = tuple(self.index(i) for i in s.idx)
        return s.update(type=elem, idx=idx, rhs=self.data(s.rhs))

    # --------------------------------------------------------------- calls
    def call(self, s: ir.Call) -> ir.Call:
        f = s.f
        if len(s.args) != len(f.args):
            raise self.err(f"{f.name} takes {len(f.args)} argument"
                           f"{'s' if len(f.args) != 1 else ''} but {len(s.args)} "
                           f"{'were' if len(s.args) != 1 else 'was'} given", s)
        subst = {}
        passed = {}  # root buffer -> parameter name
        args = []
        for fa, actual in zip(f.args, s.args):
            t = fa.type
            if isinstance(t, ScalarType) and t.kind == "ctrl":
                what = f"argument {fa.name} of {f.name}"
                a = self.cond(actual, what) if t is BOOL else self.ctrl(actual, what)
                subst[fa.name] = a
            elif isinstance(t, ScalarType):
                a = self.scalar_arg(f, fa, actual)
            elif t.is_window:
                a = self.window_arg(f, fa, actual, subst)
            else:
                a = self.tensor_arg(f, fa, actual, subst)
            if isinstance(t, TensorType) or t.is_numeric():
                root = self.roots.get(a.name, a.name)
                if root in passed:
                    raise AliasedArgumentsError(
                        f"buffer {root} is passed to {f.name} as both {passed[root]} and "
                        f"{fa.name}; procedure arguments must not alias", actual.srcinfo)
                passed[root] = fa.name
            args.append(a)
        return s.update(args=tuple(args))

    def scalar_arg(self, f, fa, actual):
        if not isinstance(actual, ir.Read):
            raise self.err(f"argument {fa.name} of {f.name} is a scalar passed by reference; "
                           "pass a scalar variable or a buffer element, not an expression",
                           actual)
        vi = self.info(actual.name, actual)
        if isinstance(vi.type, TensorType) and not actual.idx:
            raise self.err(f"argument {fa.name} of {f.name} is a scalar ({fa.type}), but "
                           f"{actual.name} is a buffer", actual)
        a = self.data_read(actual)
        return a

    def _whole_buffer(self, f, fa, actual):
        vi = self.info(actual.name, actual)
        if not isinstance(vi.type, TensorType):
            raise self.err(f"argument {fa.name} of {f.name} is a buffer, but {actual.name} "
                           f"is a {vi.role} ({vi.type})", actual)
        return actual.update(type=vi.type)

    def tensor_arg(self, f, fa, actual, subst):
        # As in Exo, a window is accepted for a tensor parameter here (with the
        # same shape checks as for a window parameter); code generation refuses it.
        want = fa.type
        actual = self._partial_index_window(actual)
        if isinstance(actual, ir.WindowExpr):
            return self.window_arg(f, fa, actual, subst)
        if isinstance(actual, ir.Read) and actual.idx:
            raise self.err(f"argument {fa.name} of {f.name} is a buffer ({want}), but "
                           f"{_show(actual)} is one element of a buffer", actual)
        if not isinstance(actual, ir.Read):
            raise self.err(f"argument {fa.name} of {f.name} must be a buffer", actual)
        a = self._whole_buffer(f, fa, actual)
        self._shapes(f, fa, actual, a.type.shape_exprs, subst)
        return a

    def _partial_index_window(self, actual):
        """``x[i]`` of a buffer with more dimensions, passed as an argument, is
        (as in Exo) the window ``x[i, 0:n]`` of the remaining dimensions."""
        if not (isinstance(actual, ir.Read) and actual.idx):
            return actual
        vi = self.info(actual.name, actual)
        if not isinstance(vi.type, TensorType) or len(actual.idx) >= vi.type.ndim():
            return actual
        si = actual.srcinfo
        rest = [ir.Interval(ir.Const(0, None, si), None, si)
                for _ in range(vi.type.ndim() - len(actual.idx))]
        return ir.WindowExpr(actual.name, tuple(ir.Point(i, si) for i in actual.idx) + tuple(rest),
                             None, si)

    def window_arg(self, f, fa, actual, subst):
        actual = self._partial_index_window(actual)
        if isinstance(actual, ir.WindowExpr):
            a = self.window(actual)
        elif isinstance(actual, ir.Read) and not actual.idx:
            a = self._whole_buffer(f, fa, actual)
        elif isinstance(actual, ir.Read):
            raise self.err(f"argument {fa.name} of {f.name} is a window, but {_show(actual)} "
                           f"is not a window", actual)
        else:
            raise self.err(f"argument {fa.name} of {f.name} must be a window or a buffer",
                           actual)
        self._shapes(f, fa, actual, a.type.shape_exprs, subst)
        return a

    def _shapes(self, f, fa, actual, got_shape, subst):
        want = fa.type.shape_exprs
        kind = "window" if isinstance(actual, ir.WindowExpr) else "buffer"
        if len(want) != len(got_shape):
            raise self.err(f"parameter {fa.name} of {f.name} has {len(want)} dimension"
                           f"{'s' if len(want) != 1 else ''}, but the {kind} {_show(actual)} "
                           f"has {len(got_shape)}", actual)
        for d, (w, g) in enumerate(zip(want, got_shape)):
            wv = constant_value(substitute(w, subst))
            gv = constant_value(g)
            if wv is not None and gv is not None and wv != gv:
                where = f" in dimension {d}" if len(want) > 1 else ""
                if kind == "window":
                    raise self.err(f"window {_show(actual)} has extent {gv}{where} but "
                                   f"{f.name}'s parameter {fa.name} expects {wv}", actual)
                raise self.err(f"buffer {_show(actual)} has size {gv}{where} but "
                               f"{f.name}'s parameter {fa.name} expects {wv}", actual)


def typecheck_procedure(p: ir.ProcIR) -> ir.ProcIR:
    """Type an untyped procedure from the parser (raises `ExoTypeError`)."""
    return ProcChecker().check(p)
