"""Unification of a block with a subprocedure's body, modulo linear equalities.

`unify_block(sub, stmts, buffers)` decides whether the statements ``stmts``
are the body of ``sub`` for some values of its parameters, and finds them::

    body of sub                         block
    for i in seq(0, n):                 for j in seq(0, 8):
        y[i] += a * x[i]                    z[r, j] += b * w[r, j]

    -->  n = 8, a = b, x = w[r, 0:8], y = z[r, 0:8]

The two trees must agree statement by statement and on every data
expression; symbols each side binds (loop iterators, local buffers) are
identified pairwise. Integer control expressions only need to be equal as
affine functions: each pair becomes a linear equation whose unknowns are the
subprocedure's size and index parameters and, for each buffer parameter, the
offsets of its window into the block's buffer (one per dimension of that
buffer); a non-affine part of the block's expression that reads no symbol
bound in the block (``M / 6`` in ``ir + 6 * (M / 6)``, where a cut tail
starts) counts as one more variable. The equations are solved exactly
(rational Gaussian elimination whose right-hand sides are affine forms in
the block's variables); a
solution must be an integer affine function of variables that are free in
the block (never of one of its loop iterators).

A buffer parameter with ``k`` dimensions bound to a block buffer with ``m``
keeps ``k`` of them as intervals (``lo:lo+extent``) and fixes the others as
points; the dimensions are tried innermost first and the first choice that
solves is taken. A scalar data parameter is the ``k = 0`` case (a buffer
element, or a scalar). Whether the call is then valid (preconditions, window
bounds, aliasing) is not decided here: `exo_core.primitives.subprocs`
asks the definition checks about the new call.

Failures raise `UnifyFailure` with a sentence naming the two pieces of code
that did not unify and their positions.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from attrs import frozen

import exo_core.ir as ir
from exo_core.analysis.logic_partial import PartialScope, is_control_expr
from exo_core.frontend.affine import window_extent
from exo_core.ir.prelude import Sym, SrcInfo
from exo_core.ir.printer import expr_to_str, stmt_to_str
from exo_core.ir.types import BOOL, INDEX, INT, TensorType
from exo_core.primitives.affine_equations import ONE, AffineSystem, add_forms as _add, affine_form as _affine
from exo_core.ir.equal import expr_equal
from exo_core.primitives.index_normal_form import normalize_control
from exo_core.primitives.ir_build import expr_syms
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


def _show_stmt(s) -> str:
    return stmt_to_str(s).splitlines()[0].strip()


def _at(node) -> str:
    si = getattr(node, "srcinfo", None)
    return f" (at {si})" if si is not None and si.lineno else ""


def _fail(what: str, s, b, why: str = "") -> UnifyFailure:
    show = _show_stmt if isinstance(s, ir.Stmt) else expr_to_str
    why = f": {why}" if why else ""
    return UnifyFailure(f"cannot unify {what} `{show(s)}`{_at(s)} of the subprocedure with "
                        f"`{show(b)}`{_at(b)} of the block{why}")


class _ParamUses:
    """Where the body uses one buffer parameter: pairs of index tuples."""

    def __init__(self, block_buf: Sym):
        self.block_buf = block_buf
        self.pairs: list = []  # (sub node, block node, sub idx, block idx)


class _Unifier:
    def __init__(self, sub: ir.ProcIR, buffers: dict):
        self.sub = sub
        self.buffers = buffers  # block buffer Sym -> (type, mem)
        self.params = {a.name: a for a in sub.args}
        self.ctrl = {a.name for a in sub.args
                     if not isinstance(a.type, TensorType) and a.type.kind == "ctrl"
                     and a.type is not BOOL}
        self.bools: dict = {}  # sub bool param Sym -> the block's condition it stands for
        self.env: dict = {}  # sub bound Sym -> block Sym
        self.bound: set = set()  # block Syms bound inside the block
        self.accesses: dict = {}  # sub buffer param Sym -> _ParamUses
        self.equations: list = []  # (form, sub expr, block expr)
        self.types: dict = {}  # block control Sym -> its type
        self.atoms: dict = {}  # Atom -> the block's non-affine control expression

    # ------------------------------------------------------------ statements
    def block(self, ss, bs, owner_s=None, owner_b=None) -> None:
        if len(ss) != len(bs):
            where = (f" in `{_show_stmt(owner_s)}`{_at(owner_s)}" if owner_s is not None
                     else "")
            raise UnifyFailure(
                f"cannot unify {len(ss)} statement{'s' if len(ss) != 1 else ''} of the "
                f"subprocedure{where} with {len(bs)} statement{'s' if len(bs) != 1 else ''} "
                f"of the block" + (f" (`{_show_stmt(owner_b)}`{_at(owner_b)})"
                                   if owner_b is not None else ""))
        for s, b in zip(ss, bs):
            self.stmt(s, b)

    def bind(self, s_sym: Sym, b_sym: Sym) -> None:
        self.env[s_sym] = b_sym
        self.bound.add(b_sym)

    def stmt(self, s, b) -> None:
        if type(s) is not type(b):
            raise _fail("the statement", s, b, f"a {_kind(s)} is not a {_kind(b)}")
        if isinstance(s, (ir.Assign, ir.Reduce)):
            self.buffer_access(s, b, s.name, b.name, s.idx, b.idx)
            self.data(s.rhs, b.rhs)
        elif isinstance(s, ir.For):
            if s.loop_mode != b.loop_mode:
                raise _fail("the loop", s, b, f"a {s.loop_mode} loop is not a {b.loop_mode} loop")
            self.control(s.lo, b.lo, s)
            self.control(s.hi, b.hi, s)
            self.bind(s.iter, b.iter)
            self.types[b.iter] = INDEX
            self.block(s.body, b.body, s, b)
        elif isinstance(s, ir.If):
            self.condition(s.cond, b.cond)
            self.block(s.body, b.body, s, b)
            self.block(s.orelse, b.orelse, s, b)
        elif isinstance(s, ir.Alloc):
            st, bt = s.type, b.type
            if isinstance(st, TensorType) != isinstance(bt, TensorType) or \
                    st.basetype() is not bt.basetype():
                raise _fail("the allocation", s, b, f"type {st} is not {bt}")
            if isinstance(st, TensorType):
                if st.ndim() != bt.ndim():
                    raise _fail("the allocation", s, b, "the numbers of dimensions differ")
                for se, be in zip(st.shape_exprs, bt.shape_exprs):
                    self.control(se, be, s)
            if s.mem is not b.mem:
                raise _fail("the allocation", s, b,
                            f"memory {_mem_name(s.mem)} is not {_mem_name(b.mem)}")
            self.bind(s.name, b.name)
        elif isinstance(s, ir.Pass):
            pass
        elif isinstance(s, ir.WriteConfig):
            if s.config is not b.config or s.field != b.field:
                raise _fail("the configuration write", s, b, "different fields")
            self.data(s.rhs, b.rhs)
        elif isinstance(s, ir.Call):
            self.call(s, b)
        else:
            raise _fail("the statement", s, b, f"a {_kind(s)} in the subprocedure's body is "
                                               "not supported by replace yet")

    def call(self, s: ir.Call, b: ir.Call) -> None:
        if s.f is not b.f:
            raise _fail("the call", s, b, f"{s.f.name} is not {b.f.name}")
        for fa, sa, ba in zip(s.f.args, s.args, b.args):
            if not isinstance(fa.type, TensorType) and fa.type.kind == "ctrl":
                if fa.type is BOOL:
                    self.condition(sa, ba)
                else:
                    self.control(sa, ba, s)
            elif isinstance(sa, ir.Read) and isinstance(ba, ir.Read) and not sa.idx \
                    and sa.name in self.env and self.env[sa.name] == ba.name and not ba.idx:
                continue
            else:
                raise _fail("the call", s, b, "passing a parameter's buffer on to another "
                                              "call is not supported by replace yet")

    # ----------------------------------------------------------- expressions
    def buffer_access(self, s_node, b_node, s_name: Sym, b_name: Sym, s_idx, b_idx) -> None:
        if s_name in self.env:
            if self.env[s_name] != b_name:
                raise _fail("the access", s_node, b_node,
                            f"{s_name.name} stands for {self.env[s_name].name} here, "
                            f"not {b_name.name}")
            if len(s_idx) != len(b_idx):
                raise _fail("the access", s_node, b_node, "the numbers of indices differ")
            for se, be in zip(s_idx, b_idx):
                self.control(se, be, s_node)
            return
        fa = self.params.get(s_name)
        if fa is None or s_name in self.ctrl:  # pragma: no cover - the typechecker's job
            raise _fail("the access", s_node, b_node, f"{s_name.name} is not a buffer")
        if b_name in self.bound:
            raise _fail("the access", s_node, b_node,
                        f"the parameter {s_name.name} would be {b_name.name}, which the block "
                        "declares itself")
        if b_name not in self.buffers:
            raise _fail("the access", s_node, b_node, f"{b_name.name} is not a buffer")
        acc = self.accesses.get(s_name)
        if acc is None:
            acc = self.accesses[s_name] = _ParamUses(b_name)
        elif acc.block_buf != b_name:
            raise _fail("the access", s_node, b_node,
                        f"the parameter {s_name.name} stands for {acc.block_buf.name} "
                        f"elsewhere in the block, not {b_name.name}")
        acc.pairs.append((s_node, b_node, tuple(s_idx), tuple(b_idx)))

    def data(self, s, b) -> None:
        if is_control_expr(s) or s.type is BOOL:
            if s.type is BOOL:
                self.condition(s, b)
            else:
                self.control(s, b, s)
            return
        if type(s) is not type(b):
            raise _fail("the expression", s, b,
                        f"{_ekind(s)} is not {_ekind(b)}")
        if isinstance(s, ir.Read):
            self.buffer_access(s, b, s.name, b.name, s.idx, b.idx)
        elif isinstance(s, ir.Const):
            if s.val != b.val:
                raise _fail("the constant", s, b, "different values")
        elif isinstance(s, ir.USub):
            self.data(s.arg, b.arg)
        elif isinstance(s, ir.BinOp):
            if s.op != b.op:
                raise _fail("the expression", s, b, f"operator {s.op} is not {b.op}")
            self.data(s.lhs, b.lhs)
            self.data(s.rhs, b.rhs)
        elif isinstance(s, ir.Extern):
            if s.f is not b.f and getattr(s.f, "name", None) != getattr(b.f, "name", None):
                raise _fail("the expression", s, b, "different functions")
            if len(s.args) != len(b.args):
                raise _fail("the expression", s, b, "different numbers of arguments")
            for x, y in zip(s.args, b.args):
                self.data(x, y)
        elif isinstance(s, ir.ReadConfig):
            if s.config is not b.config or s.field != b.field:
                raise _fail("the expression", s, b, "different configuration fields")
        else:
            raise _fail("the expression", s, b, f"{_ekind(s)} is not supported by replace yet")

    def condition(self, s, b) -> None:
        if isinstance(s, ir.BinOp) and isinstance(b, ir.BinOp) and s.op == b.op:
            if s.op in ("and", "or"):
                self.condition(s.lhs, b.lhs)
                self.condition(s.rhs, b.rhs)
                return
            if s.op in ("<", ">", "<=", ">=", "=="):
                if s.lhs.type is BOOL or s.rhs.type is BOOL:
                    self.condition(s.lhs, b.lhs)
                    self.condition(s.rhs, b.rhs)
                else:
                    self.control(s.lhs, b.lhs, s)
                    self.control(s.rhs, b.rhs, s)
                return
        if isinstance(s, ir.Read) and not s.idx and s.name in self.params \
                and self.params[s.name].type is BOOL:
            self.bool_param(s, b)
            return
        if isinstance(s, ir.Const) and isinstance(b, ir.Const) and s.val == b.val:
            return
        if isinstance(s, ir.Read) and isinstance(b, ir.Read) and not s.idx and not b.idx \
                and s.name not in self.params and self.env.get(s.name, s.name) == b.name:
            return
        if isinstance(s, ir.ReadConfig) and isinstance(b, ir.ReadConfig) and \
                s.config is b.config and s.field == b.field:
            return
        raise _fail("the condition", s, b, "different conditions")

    def bool_param(self, s: ir.Read, b) -> None:
        """A bool parameter stands for the block's condition ``b``: the same
        one at every use, and made only of names visible at the call."""
        local = sorted(x.name for x in expr_syms(b, set()) if x in self.bound)
        if local:
            raise _fail("the condition", s, b, f"the bool parameter {s.name.name} cannot stand "
                        f"for it: it uses {local[0]}, which the block binds itself")
        prev = self.bools.get(s.name)
        if prev is not None and not expr_equal(prev, b):
            raise _fail("the condition", s, b, f"the bool parameter {s.name.name} stands for "
                        f"`{expr_to_str(prev)}` elsewhere in the block")
        self.bools.setdefault(s.name, b)

    def control(self, s, b, where) -> None:
        """Record ``s == b`` for two integer control expressions."""
        fs = _affine(s, self.env)
        fb = self.block_form(b)
        if fs is not None and fb is not None:
            self._note_types(b)
            self.equations.append((_add(fs, fb, Fraction(-1)), s, b))
            return
        if type(s) is type(b):
            if isinstance(s, ir.BinOp) and s.op == b.op:
                self.control(s.lhs, b.lhs, where)
                self.control(s.rhs, b.rhs, where)
                return
            if isinstance(s, ir.USub):
                self.control(s.arg, b.arg, where)
                return
            if isinstance(s, ir.ReadConfig) and s.config is b.config and s.field == b.field:
                return
        raise _fail("the index expression", s, b, "they are not equal as affine "
                                                   "expressions, and their shapes differ")

    def block_form(self, b) -> dict | None:
        """The affine form of the block's control expression ``b``, its
        non-affine parts (``M / 6``) as atoms when they use no symbol bound
        inside the block."""
        atoms: dict = {}
        form = _affine(b, {}, atoms)
        if form is not None and any(self.bound & key.syms for key in atoms):
            return None
        self.atoms.update(atoms)
        return form

    def _note_types(self, e) -> None:
        if isinstance(e, ir.Read) and not e.idx:
            self.types.setdefault(e.name, e.type)
        for c in ir.expr_children(e):
            self._note_types(c)


def _kind(s) -> str:
    return {ir.Assign: "assignment", ir.Reduce: "reduction", ir.For: "loop", ir.If: "if",
            ir.Alloc: "allocation", ir.Pass: "pass", ir.Call: "call",
            ir.WriteConfig: "configuration write", ir.WindowStmt: "window statement"}.get(type(s), type(s).__name__)


def _ekind(e) -> str:
    return {ir.Read: "a read", ir.Const: "a constant", ir.USub: "a negation",
            ir.BinOp: "an operation", ir.Extern: "a function call",
            ir.WindowExpr: "a window", ir.StrideExpr: "a stride",
            ir.ReadConfig: "a configuration read"}.get(type(e), type(e).__name__)


def _mem_name(mem) -> str:
    return getattr(mem, "__name__", str(mem))


# ----------------------------------------------------------------------------
# Solving and building the call


def _dim_choices(k: int, m: int) -> list:
    """Which ``k`` of ``m`` dimensions stay intervals, innermost first."""
    return sorted(itertools.combinations(range(m), k), key=lambda c: tuple(reversed(c)),
                  reverse=True)


class _Solver:
    def __init__(self, u: _Unifier):
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
                raise _fail("the index expression", s, b, "no values of the parameters make "
                            "them equal")
        for p, acc in self.u.accesses.items():
            self.place(p, acc)

    def place(self, p: Sym, acc: _ParamUses) -> None:
        fa = self.u.params[p]
        k = fa.type.ndim() if isinstance(fa.type, TensorType) else 0
        btype = self.u.buffers[acc.block_buf][0]
        m = _ndim(btype)
        if m < k:
            s, b = acc.pairs[0][:2]
            raise _fail("the access", s, b, f"the parameter {p.name} has {k} dimensions but "
                        f"{acc.block_buf.name} has only {m}")
        if isinstance(fa.type, TensorType) and not fa.type.is_window:
            if m != k or (isinstance(btype, TensorType) and btype.is_window):
                s, b = acc.pairs[0][:2]
                raise _fail("the access", s, b, f"the parameter {p.name} is a whole tensor, "
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

    def _try(self, system: AffineSystem, p: Sym, acc: _ParamUses, dims: tuple, tensor: bool):
        m = len(self.offsets_of(p))
        for s_node, b_node, s_idx, b_idx in acc.pairs:
            if len(s_idx) != len(dims) or len(b_idx) != m:
                return _fail("the access", s_node, b_node, "the numbers of indices differ")
            pos = dict(zip(dims, s_idx))
            for d in range(m):
                fb = self.u.block_form(b_idx[d])
                se = pos.get(d)
                fs = {} if se is None else _affine(se, self.u.env)
                if fb is None or fs is None:
                    return _fail("the index", se if se is not None else b_idx[d], b_idx[d],
                                 "it is not an affine expression")
                self.u._note_types(b_idx[d])
                off = {} if tensor else {self.offsets[(p, d)]: Fraction(1)}
                if not system.add(_add(_add(fs, off), fb, Fraction(-1))):
                    return _fail("the index", se if se is not None else b_idx[d], b_idx[d],
                                 f"dimension {d} of {acc.block_buf.name} cannot be "
                                 + ("the window's dimension" if se is not None
                                    else "a fixed point of the window"))
        if tensor:
            for d in range(m):
                system.add({self.offsets[(p, d)]: Fraction(1)})
        for d in range(m):
            v = system.value(self.offsets[(p, d)])
            bad = [key for key in (v or ()) if key != ONE and key in self.u.bound]
            if bad:
                s_node, b_node = acc.pairs[0][:2]
                return _fail("the access", s_node, b_node,
                             f"dimension {d} of {acc.block_buf.name} would start at an offset "
                             f"depending on {bad[0].name}, which the block binds itself")
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


def _form_to_ir(form: dict, types: dict, si: SrcInfo, atoms: dict) -> ir.Expr:
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


def _normal(e: ir.Expr, si: SrcInfo) -> ir.Expr:
    new = normalize_control(e, PartialScope(atoms={}))
    return new if new.srcinfo is si else new.update(srcinfo=si)


def unify_block(sub: ir.ProcIR, stmts, buffers: dict, srcinfo: SrcInfo,
                completion: str | None = None) -> Match:
    """Unify ``stmts`` with the body of ``sub`` and build the call arguments
    (positioned at ``srcinfo``). ``buffers`` gives the type and memory of each
    buffer the block may use (arguments, allocations and windows around it).
    ``completion`` ("constant", "zero" or "window", see `_Solver.complete`) fixes the
    window starts the block leaves free. Raises `UnifyFailure`."""
    u = _Unifier(sub, buffers)
    u.block(list(sub.body), list(stmts))
    for fa in sub.args:
        if fa.type is BOOL:
            if fa.name not in u.bools:
                raise UnifyFailure(f"the block does not determine the bool parameter "
                                   f"{fa.name.name} of {sub.name}: the body never tests it")
            continue
        if fa.name not in u.ctrl and fa.name not in u.accesses:
            raise UnifyFailure(f"the block does not determine the buffer parameter "
                               f"{fa.name.name} of {sub.name}: the body never uses it")
    solver = _Solver(u)
    solver.solve()
    if completion is not None:
        solver.complete(completion)
    values: dict = {}
    args = []
    for fa in sub.args:
        if fa.name in u.ctrl:
            form = solver.value(fa.name, f"the parameter {fa.name.name} of {sub.name}")
            # typed as the front end types it (``K % 256`` is an index even
            # when it is passed as a size)
            e = _normal(_form_to_ir(form, u.types, srcinfo, u.atoms), srcinfo)
            values[fa.name] = e
            args.append(e)
    out = []
    k_ctrl = 0
    for fa in sub.args:
        if fa.name in u.ctrl:
            out.append(args[k_ctrl])
            k_ctrl += 1
            continue
        if fa.type is BOOL:
            out.append(u.bools[fa.name])
            continue
        out.append(_buffer_arg(solver, fa, values, srcinfo, sub.name))
    return Match(tuple(out))


def _buffer_arg(solver: _Solver, fa: ir.FnArg, values: dict, si: SrcInfo, sub_name: str):
    u = solver.u
    acc = u.accesses[fa.name]
    b = acc.block_buf
    btype = u.buffers[b][0]
    m = _ndim(btype)
    offs = [_normal(_form_to_ir(solver.value(solver.offsets[(fa.name, d)],
                                             f"the window of {b.name} passed as "
                                             f"{fa.name.name} (dimension {d})"),
                                u.types, si, u.atoms), si) for d in range(m)]
    if not isinstance(fa.type, TensorType):
        return ir.Read(b, tuple(offs), btype.basetype(), si) if m else ir.Read(b, (), btype, si)
    if not fa.type.is_window:
        return ir.Read(b, (), btype, si)
    dims = solver.dims[fa.name]
    extents = [_normal(subst_expr(e, values), si) for e in fa.type.shape_exprs]
    idx, shape = [], []
    for d in range(m):
        if d in dims:
            ext = extents[dims.index(d)]
            hi = _normal(ir.BinOp("+", offs[d], ext, INDEX, si), si)
            idx.append(ir.Interval(offs[d], hi, si))
            shape.append(window_extent(offs[d], hi, si))  # as the front end types it
        else:
            idx.append(ir.Point(offs[d], si))
    wtype = TensorType(btype.basetype(), tuple(shape), True)
    return ir.WindowExpr(b, tuple(idx), wtype, si)


__all__ = ["Match", "UnifyFailure", "unify_block"]
