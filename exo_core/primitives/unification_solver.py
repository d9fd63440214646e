"""Solving the equations of a unification (`exo_core.primitives.unification`)
and building the call it found.

The unknowns are the subprocedure's size and index parameters and, for
each buffer parameter, the offsets of its window into the block's buffer.
Which dimensions of the block's buffer a window parameter keeps is tried
innermost first; `Solver.complete` fixes the window starts a block leaves
free. `UnifyFailure` (with a sentence naming the code that did not unify)
is raised on every failure.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from attrs import frozen

import exo_core.ir as ir
from exo_core.analysis.logic_partial import PartialScope
from exo_core.frontend.affine import window_extent
from exo_core.ir.prelude import Sym, SrcInfo
from exo_core.ir.printer import expr_to_str, stmt_to_str
from exo_core.ir.types import INDEX, INT, TensorType
from exo_core.primitives.affine_equations import ONE, AffineSystem, add_forms as _add
from exo_core.primitives.index_normal_form import normalize_control
from exo_core.primitives.sym_substitution import subst_expr


class UnifyFailure(Exception):
    """The block is not an instance of the subprocedure's body."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@frozen(eq=False)
class Match:
    """The call that replaces the block: one argument per parameter of ``sub``."""

    args: tuple


# ----------------------------------------------------------------------------
# Walking the two trees


def show_stmt(s) -> str:
    return stmt_to_str(s).splitlines()[0].strip()


def position_note(node) -> str:
    si = getattr(node, "srcinfo", None)
    return f" (at {si})" if si is not None and si.lineno else ""


def failure(what: str, s, b, why: str = "") -> UnifyFailure:
    show = show_stmt if isinstance(s, ir.Stmt) else expr_to_str
    why = f": {why}" if why else ""
    return UnifyFailure(f"cannot unify {what} `{show(s)}`{position_note(s)} of the subprocedure "
                        f"with "
                        f"`{show(b)}`{position_note(b)} of the block{why}")


class ParamUses:
    """Where the body uses one buffer parameter: pairs of index tuples."""

    def __init__(self, block_buf: Sym):
        self.block_buf = block_buf
        self.pairs: list = []  # (sub node, block node, sub idx, block idx)


# ----------------------------------------------------------------------------
# Solving and building the call


def _dim_choices(k: int, m: int) -> list:
    """Which ``k`` of ``m`` dimensions stay intervals, innermost first."""
    return sorted(itertools.combinations(range(m), k), key=lambda c: tuple(reversed(c)),
                  reverse=True)


class Solver:
    def __init__(self, u):
        # ``u``: the walk of `exo_core.primitives.unification` that collected the equations
        self.u = u
        self.offsets: dict = {}  # (param, dim) -> unknown Sym
        unknowns = set(u.ctrl)
        for p, acc in u.accesses.items():
            m = _ndim(u.buffers[acc.block_buf][0])
            for d in range(m):
                unknowns.add(self.offsets.setdefault((p, d), Sym(f"offset_{p.name}_{d}")))
        self.system = AffineSystem(unknowns)
        self.dims: dict = {}  # param -> the block dimensions kept as intervals

    def solve(self) -> None:
        for form, s, b in self.u.equations:
            if not self.system.add(form):
                raise failure("the index expression", s, b, "no values of the parameters make "
                            "them equal")
        for p, acc in self.u.accesses.items():
            self.place(p, acc)
        self.shapes()

    def shapes(self) -> None:
        """A whole-tensor parameter has the shape of the block's buffer: each
        dimension's equation (``m == n`` for ``z: f32[m]`` bound to
        ``z: f32[n]``) is added where it is consistent with the body's, so
        it determines a size the body leaves open. One that contradicts them
        is left to the check of the call, which knows the assertions
        (``8 == N`` where the procedure asserts ``N == 8``)."""
        for p, acc in self.u.accesses.items():
            fa = self.u.params[p]
            if not isinstance(fa.type, TensorType) or fa.type.is_window:
                continue
            btype = self.u.buffers[acc.block_buf][0]
            for se, be in zip(fa.type.shape_exprs, btype.shape_exprs):
                form = self.u.difference_form(se, be)
                trial = self.system.copy()
                if form is not None and trial.add(form):
                    self.u._note_types(be)
                    self.system = trial

    def place(self, p: Sym, acc: ParamUses) -> None:
        fa = self.u.params[p]
        k = fa.type.ndim() if isinstance(fa.type, TensorType) else 0
        btype = self.u.buffers[acc.block_buf][0]
        m = _ndim(btype)
        if m < k:
            s, b = acc.pairs[0][:2]
            raise failure("the access", s, b, f"the parameter {p.name} has {k} dimensions but "
                        f"{acc.block_buf.name} has only {m}")
        if isinstance(fa.type, TensorType) and not fa.type.is_window:
            if m != k or (isinstance(btype, TensorType) and btype.is_window):
                s, b = acc.pairs[0][:2]
                raise failure("the access", s, b, f"the parameter {p.name} is a whole tensor, "
                            f"so {acc.block_buf.name} must be a tensor with {k} dimensions")
            choices = [tuple(range(m))]
        else:
            choices = _dim_choices(k, m)
        first_error = None
        for dims in choices:
            trial = self.system.copy()
            err = self._try(trial, p, acc, dims, tensor=not getattr(fa.type, "is_window", True))
            if err is None:
                self.system = trial
                self.dims[p] = dims
                return
            first_error = first_error or err
        raise first_error

    def _try(self, system: AffineSystem, p: Sym, acc: ParamUses, dims: tuple, tensor: bool):
        m = len(self.offsets_of(p))
        for s_node, b_node, s_idx, b_idx in acc.pairs:
            if len(s_idx) != len(dims) or len(b_idx) != m:
                return failure("the access", s_node, b_node, "the numbers of indices differ")
            pos = dict(zip(dims, s_idx))
            for d in range(m):
                se, be = pos.get(d), b_idx[d]
                off = {} if tensor else {self.offsets[(p, d)]: Fraction(1)}
                if isinstance(se, ir.Interval) != isinstance(be, ir.Interval):
                    return failure("the call", s_node, b_node,
                                 f"dimension {d} of {acc.block_buf.name} is "
                                 + ("a point" if isinstance(be, ir.Interval) else "an interval")
                                 + " of the subprocedure's window but "
                                 + ("an interval" if isinstance(be, ir.Interval) else "a point")
                                 + " of the block's")
                ends = [(se.lo, be.lo), (se.hi, be.hi)] if isinstance(be, ir.Interval) \
                    else [(se, be)]
                for se_, be_ in ends:
                    err = self._equate(system, se_, be_, off, d, acc)
                    if err is not None:
                        return err
        if tensor:
            for d in range(m):
                system.add({self.offsets[(p, d)]: Fraction(1)})
        for d in range(m):
            v = system.value(self.offsets[(p, d)])
            bad = [key for key in (v or ()) if key != ONE and key in self.u.bound]
            if bad:
                s_node, b_node = acc.pairs[0][:2]
                return failure("the access", s_node, b_node,
                             f"dimension {d} of {acc.block_buf.name} would start at an offset "
                             f"depending on {bad[0].name}, which the block binds itself")
        return None

    def _equate(self, system: AffineSystem, se, be, off: dict, d: int, acc: ParamUses):
        """Add ``se + off == be`` (``se`` None: the window's fixed point
        ``off == be``); the failure, or None."""
        if se is None:
            fb = self.u.block_form(be)
            form = None if fb is None else _add({}, fb, Fraction(-1))
        else:
            form = self.u.difference_form(se, be)
        if form is None:
            return failure("the index", se if se is not None else be, be,
                         "it is not an affine expression")
        self.u._note_types(be)
        if not system.add(_add(form, off)):
            return failure("the index", se if se is not None else be, be,
                         f"dimension {d} of {acc.block_buf.name} cannot be "
                         + ("the window's dimension" if se is not None
                            else "a fixed point of the window"))
        return None

    def complete(self, strategy: str) -> None:
        """Fix the window offsets the block leaves free. An index parameter
        used as an offset into a window parameter (``rhs[l]``) meets the
        window's start in one equation (``offset + l == e``): with
        ``"constant"`` the window starts at the constant part of ``e`` and the
        parameter takes the rest; with ``"zero"`` the window starts at 0; with
        ``"window"`` it starts at ``e`` (the parameter is 0). The call built
        is checked like any other, so a choice that breaks a precondition or
        a bound is refused there."""
        sys_ = self.system
        for o in sorted(self.offsets.values(), key=lambda u: (u.name, u.id)):
            if sys_.value(o) is not None:
                continue
            target = {}
            for q, row in list(sys_.rows.items()):
                c = row.get(o)
                if q in self.u.ctrl and c and strategy != "zero":
                    # q = c * o + rest; the window start takes part of rest
                    rest = {k: v for k, v in row.items() if k != o and k not in sys_.unknowns}
                    if strategy == "constant":
                        rest = {k: v for k, v in rest.items() if k == ONE}
                    target = {k: -v / c for k, v in rest.items()}
                    break
            if not sys_.add(_add({o: Fraction(1)}, target, Fraction(-1))):
                raise UnifyFailure("no window start satisfies the block")

    def offsets_of(self, p: Sym) -> list:
        return [u for (q, _), u in self.offsets.items() if q == p]

    def value(self, u: Sym, what: str) -> dict:
        v = self.system.value(u)
        if v is None:
            raise UnifyFailure(f"the block does not determine {what}")
        bad = [key for key in v if key != ONE and key in self.u.bound]
        if bad:
            raise UnifyFailure(f"{what} would depend on {bad[0].name}, which the block binds "
                               "itself")
        if any(c.denominator != 1 for c in v.values()):
            raise UnifyFailure(f"{what} would not be an integer expression")
        return v


def _ndim(t) -> int:
    return t.ndim() if isinstance(t, TensorType) else 0


def form_to_ir(form: dict, types: dict, si: SrcInfo, atoms: dict) -> ir.Expr:
    out = None
    for key, c in sorted(form.items(), key=lambda kv: str(kv[0])):
        c = int(c)
        if key == ONE:
            term = ir.Const(c, INT, si)
        elif key in atoms:
            term = atoms[key] if c == 1 else ir.BinOp("*", ir.Const(c, INT, si), atoms[key],
                                                      INDEX, si)
        else:
            read = ir.Read(key, (), types.get(key, INDEX), si)
            term = read if c == 1 else ir.BinOp("*", ir.Const(c, INT, si), read, INDEX, si)
        out = term if out is None else ir.BinOp("+", out, term, INDEX, si)
    return out if out is not None else ir.Const(0, INT, si)


def normal_control_expr(e: ir.Expr, si: SrcInfo) -> ir.Expr:
    new = normalize_control(e, PartialScope(atoms={}))
    return new if new.srcinfo is si else new.update(srcinfo=si)


def buffer_argument(solver: Solver, fa: ir.FnArg, values: dict, si: SrcInfo, sub_name: str):
    u = solver.u
    acc = u.accesses[fa.name]
    b = acc.block_buf
    btype = u.buffers[b][0]
    m = _ndim(btype)
    offs = [normal_control_expr(form_to_ir(solver.value(solver.offsets[(fa.name, d)],
                                             f"the window of {b.name} passed as "
                                             f"{fa.name.name} (dimension {d})"),
                                u.types, si, u.atoms), si) for d in range(m)]
    if not isinstance(fa.type, TensorType):
        return ir.Read(b, tuple(offs), btype.basetype(), si) if m else ir.Read(b, (), btype, si)
    if not fa.type.is_window:
        return ir.Read(b, (), btype, si)
    dims = solver.dims[fa.name]
    extents = [normal_control_expr(subst_expr(e, values), si) for e in fa.type.shape_exprs]
    idx, shape = [], []
    for d in range(m):
        if d in dims:
            ext = extents[dims.index(d)]
            hi = normal_control_expr(ir.BinOp("+", offs[d], ext, INDEX, si), si)
            idx.append(ir.Interval(offs[d], hi, si))
            shape.append(window_extent(offs[d], hi, si))  # as the front end types it
        else:
            idx.append(ir.Point(offs[d], si))
    wtype = TensorType(btype.basetype(), tuple(shape), True)
    return ir.WindowExpr(b, tuple(idx), wtype, si)



__all__ = ["Match", "ParamUses", "Solver", "UnifyFailure", "buffer_argument", "failure",
           "form_to_ir", "normal_control_expr", "position_note", "show_stmt"]
