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
starts) counts as one more variable, and one that does (``i / 2``) must
cancel against the same part of the subprocedure's expression over the
corresponding symbols (``k / 2``, k standing for i). The equations are solved exactly
(rational Gaussian elimination whose right-hand sides are affine forms in
the block's variables); a
solution must be an integer affine function of variables that are free in
the block (never of one of its loop iterators).

A call of the body unifies with a call of the block to the same callee:
index arguments as above, and a buffer argument (a window ``x[4 * k:4 * k +
4]``, an element ``x[i]``, or a whole buffer ``x``, which spans every
dimension) as one more access of the parameter, whose points and interval
ends must meet the block's argument's once the window offsets are added.

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

from fractions import Fraction

import exo_core.ir as ir
from exo_core.analysis.logic_partial import is_control_expr
from exo_core.ir.prelude import Sym, SrcInfo
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import BOOL, INDEX, INT, TensorType
from exo_core.primitives.affine_equations import (Atom, add_forms as _add,
                                                  affine_form as _affine)
from exo_core.ir.equal import expr_equal
from exo_core.primitives.ir_build import expr_syms
from exo_core.primitives.sym_substitution import subst_expr
from exo_core.primitives.unification_solver import (Match, ParamUses, Solver, UnifyFailure,
                                                    buffer_argument, failure, form_to_ir,
                                                    normal_control_expr, position_note,
                                                    show_stmt)


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
        self.accesses: dict = {}  # sub buffer param Sym -> ParamUses
        self.equations: list = []  # (form, sub expr, block expr)
        self.types: dict = {}  # block control Sym -> its type
        self.atoms: dict = {}  # Atom -> the block's non-affine control expression
        self.local_types: dict = {}  # buffers either side allocates -> their types

    # ------------------------------------------------------------ statements
    def block(self, ss, bs, owner_s=None, owner_b=None) -> None:
        if len(ss) != len(bs):
            where = (f" in `{show_stmt(owner_s)}`{position_note(owner_s)}" if owner_s is not None
                     else "")
            raise UnifyFailure(
                f"cannot unify {len(ss)} statement{'s' if len(ss) != 1 else ''} of the "
                f"subprocedure{where} with {len(bs)} statement{'s' if len(bs) != 1 else ''} "
                f"of the block" + (f" (`{show_stmt(owner_b)}`{position_note(owner_b)})"
                                   if owner_b is not None else ""))
        for s, b in zip(ss, bs):
            self.stmt(s, b)

    def bind(self, s_sym: Sym, b_sym: Sym) -> None:
        self.env[s_sym] = b_sym
        self.bound.add(b_sym)

    def stmt(self, s, b) -> None:
        if type(s) is not type(b):
            raise failure("the statement", s, b, f"a {_kind(s)} is not a {_kind(b)}")
        if isinstance(s, (ir.Assign, ir.Reduce)):
            self.buffer_access(s, b, s.name, b.name, s.idx, b.idx)
            self.data(s.rhs, b.rhs)
        elif isinstance(s, ir.For):
            if s.loop_mode != b.loop_mode:
                raise failure("the loop", s, b, f"a {s.loop_mode} loop is not a {b.loop_mode} loop")
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
                raise failure("the allocation", s, b, f"type {st} is not {bt}")
            if isinstance(st, TensorType):
                if st.ndim() != bt.ndim():
                    raise failure("the allocation", s, b, "the numbers of dimensions differ")
                for se, be in zip(st.shape_exprs, bt.shape_exprs):
                    self.control(se, be, s)
            if s.mem is not b.mem:
                raise failure("the allocation", s, b,
                            f"memory {_mem_name(s.mem)} is not {_mem_name(b.mem)}")
            self.bind(s.name, b.name)
            self.local_types[s.name] = st
            self.local_types[b.name] = bt
        elif isinstance(s, ir.Pass):
            pass
        elif isinstance(s, ir.WriteConfig):
            if s.config is not b.config or s.field != b.field:
                raise failure("the configuration write", s, b, "different fields")
            self.data(s.rhs, b.rhs)
        elif isinstance(s, ir.Call):
            self.call(s, b)
        else:
            raise failure("the statement", s, b, f"a {_kind(s)} in the subprocedure's body is "
                                               "not supported by replace yet")

    def call(self, s: ir.Call, b: ir.Call) -> None:
        if s.f is not b.f:
            raise failure("the call", s, b, f"{s.f.name} is not {b.f.name}")
        for fa, sa, ba in zip(s.f.args, s.args, b.args):
            if not isinstance(fa.type, TensorType) and fa.type.kind == "ctrl":
                if fa.type is BOOL:
                    self.condition(sa, ba)
                else:
                    self.control(sa, ba, s)
            else:
                self.buffer_arg(s, b, sa, ba)

    def buffer_arg(self, s_call, b_call, sa, ba) -> None:
        """A buffer passed to a call: the window (or element, or whole
        buffer) the body passes must be, once the parameters are replaced,
        exactly the one the block passes."""
        s_name, s_idx = self._arg_window(sa, self._sub_type)
        b_name, b_idx = self._arg_window(ba, self._block_type)
        if s_name is None or b_name is None:  # pragma: no cover - the typechecker's job
            raise failure("the call", s_call, b_call, "an argument is not a buffer")
        if s_name in self.env:
            if self.env[s_name] != b_name:
                raise failure("the call", s_call, b_call,
                            f"{s_name.name} stands for {self.env[s_name].name} here, "
                            f"not {b_name.name}")
            if len(s_idx) != len(b_idx):
                raise failure("the call", s_call, b_call, "the numbers of indices differ")
            for se, be in zip(s_idx, b_idx):
                if isinstance(se, ir.Interval) != isinstance(be, ir.Interval):
                    raise failure("the call", s_call, b_call, "a window's interval is not a point")
                if isinstance(se, ir.Interval):
                    self.control(se.lo, be.lo, s_call)
                    self.control(se.hi, be.hi, s_call)
                else:
                    self.control(se, be, s_call)
            return
        self.buffer_access(s_call, b_call, s_name, b_name, s_idx, b_idx)

    def _sub_type(self, name: Sym):
        fa = self.params.get(name)
        return fa.type if fa is not None else self.local_types.get(name)

    def _block_type(self, name: Sym):
        entry = self.buffers.get(name)
        return entry[0] if entry is not None else self.local_types.get(name)

    @staticmethod
    def _arg_window(arg, type_of):
        """A buffer argument as (buffer, one index per dimension): a point is
        an expression, a kept dimension an `ir.Interval`; a whole buffer
        spans every dimension (``x`` is ``x[0:n0, 0:n1]``)."""
        if isinstance(arg, ir.WindowExpr):
            idx = tuple(w.pt if isinstance(w, ir.Point) else w for w in arg.idx)
            return arg.name, idx
        if isinstance(arg, ir.Read):
            t = type_of(arg.name)
            if arg.idx or not isinstance(t, TensorType):
                return arg.name, tuple(arg.idx)
            si = arg.srcinfo
            return arg.name, tuple(ir.Interval(ir.Const(0, INT, si), e, si)
                                   for e in t.shape_exprs)
        return None, ()

    # ----------------------------------------------------------- expressions
    def buffer_access(self, s_node, b_node, s_name: Sym, b_name: Sym, s_idx, b_idx) -> None:
        if s_name in self.env:
            if self.env[s_name] != b_name:
                raise failure("the access", s_node, b_node,
                            f"{s_name.name} stands for {self.env[s_name].name} here, "
                            f"not {b_name.name}")
            if len(s_idx) != len(b_idx):
                raise failure("the access", s_node, b_node, "the numbers of indices differ")
            for se, be in zip(s_idx, b_idx):
                self.control(se, be, s_node)
            return
        fa = self.params.get(s_name)
        if fa is None or s_name in self.ctrl:  # pragma: no cover - the typechecker's job
            raise failure("the access", s_node, b_node, f"{s_name.name} is not a buffer")
        if b_name in self.bound:
            raise failure("the access", s_node, b_node,
                        f"the parameter {s_name.name} would be {b_name.name}, which the block "
                        "declares itself")
        if b_name not in self.buffers:
            raise failure("the access", s_node, b_node, f"{b_name.name} is not a buffer")
        acc = self.accesses.get(s_name)
        if acc is None:
            acc = self.accesses[s_name] = ParamUses(b_name)
        elif acc.block_buf != b_name:
            raise failure("the access", s_node, b_node,
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
            raise failure("the expression", s, b,
                        f"{_ekind(s)} is not {_ekind(b)}")
        if isinstance(s, ir.Read):
            self.buffer_access(s, b, s.name, b.name, s.idx, b.idx)
        elif isinstance(s, ir.Const):
            if s.val != b.val:
                raise failure("the constant", s, b, "different values")
        elif isinstance(s, ir.USub):
            self.data(s.arg, b.arg)
        elif isinstance(s, ir.BinOp):
            if s.op != b.op:
                raise failure("the expression", s, b, f"operator {s.op} is not {b.op}")
            self.data(s.lhs, b.lhs)
            self.data(s.rhs, b.rhs)
        elif isinstance(s, ir.Extern):
            if s.f is not b.f and getattr(s.f, "name", None) != getattr(b.f, "name", None):
                raise failure("the expression", s, b, "different functions")
            if len(s.args) != len(b.args):
                raise failure("the expression", s, b, "different numbers of arguments")
            for x, y in zip(s.args, b.args):
                self.data(x, y)
        elif isinstance(s, ir.ReadConfig):
            if s.config is not b.config or s.field != b.field:
                raise failure("the expression", s, b, "different configuration fields")
        else:
            raise failure("the expression", s, b, f"{_ekind(s)} is not supported by replace yet")

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
        raise failure("the condition", s, b, "different conditions")

    def bool_param(self, s: ir.Read, b) -> None:
        """A bool parameter stands for the block's condition ``b``: the same
        one at every use, and made only of names visible at the call."""
        local = sorted(x.name for x in expr_syms(b, set()) if x in self.bound)
        if local:
            raise failure("the condition", s, b, f"the bool parameter {s.name.name} cannot stand "
                        f"for it: it uses {local[0]}, which the block binds itself")
        prev = self.bools.get(s.name)
        if prev is not None and not expr_equal(prev, b):
            raise failure("the condition", s, b, f"the bool parameter {s.name.name} stands for "
                        f"`{expr_to_str(prev)}` elsewhere in the block")
        self.bools.setdefault(s.name, b)

    def control(self, s, b, where) -> None:
        """Record ``s == b`` for two integer control expressions."""
        form = self.difference_form(s, b)
        if form is not None:
            self._note_types(b)
            self.equations.append((form, s, b))
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
        raise failure("the index expression", s, b, "they are not equal as affine "
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

    def difference_form(self, s, b) -> dict | None:
        """The affine form of ``s - b`` (``s`` of the subprocedure, ``b``
        of the block), or None. A non-affine part of ``b`` is one more
        variable when it uses no symbol bound inside the block (see
        `block_form`); one that does must cancel against the same part of
        ``s`` (``k / 2`` where the block has ``i / 2`` and ``k`` stands for
        ``i``): they are the same value."""
        fs = _affine(s, self.env)
        fb = self.block_form(b)
        if fs is not None and fb is not None:
            return _add(fs, fb, Fraction(-1))
        s_atoms: dict = {}
        b_atoms: dict = {}
        fs = _affine(subst_expr(s, self.env), {}, s_atoms)
        fb = _affine(b, {}, b_atoms)
        if fs is None or fb is None or any(not key.syms <= self.bound for key in s_atoms):
            return None  # a non-affine part of s over the parameters is not one value
        form = _add(fs, fb, Fraction(-1))
        if any(isinstance(key, Atom) and key.syms & self.bound for key in form):
            return None
        self.atoms.update({key: e for key, e in {**s_atoms, **b_atoms}.items() if key in form})
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
# The call

def unify_block(sub: ir.ProcIR, stmts, buffers: dict, srcinfo: SrcInfo,
                completion: str | None = None) -> Match:
    """Unify ``stmts`` with the body of ``sub`` and build the call arguments
    (positioned at ``srcinfo``). ``buffers`` gives the type and memory of each
    buffer the block may use (arguments, allocations and windows around it).
    ``completion`` ("constant", "zero" or "window", see `Solver.complete`) fixes the
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
    solver = Solver(u)
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
            e = normal_control_expr(form_to_ir(form, u.types, srcinfo, u.atoms), srcinfo)
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
        out.append(buffer_argument(solver, fa, values, srcinfo, sub.name))
    return Match(tuple(out))


__all__ = ["Match", "UnifyFailure", "unify_block"]
