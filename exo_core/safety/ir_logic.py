"""IR control expressions -> exo_verify terms and formulas.

Control expressions (indices, loop bounds, sizes, conditions) are quasi-affine
integer expressions over size arguments, loop iterators and strides. This
module translates them into `exo_verify` terms, and gathers the facts that
hold at a statement (enclosing loop bounds, branch conditions, the
procedure's ``assert`` predicates, sizes being positive).

Anything that is not a control expression the verifier can state (a data
value, a config field that code may change) translates to ``None``; callers
treat ``None`` conservatively (an unknown location, a missing assumption).

A variable is named by its `Sym`, so ``i`` in two sibling loops are two
variables; ``rename`` maps selected symbols to other variables, which is how
two instances of the same code (say, iterations ``i`` and ``i'``) are
compared.
"""

from __future__ import annotations

from typing import Mapping

from exo_verify import FALSE, TRUE, Formula, Not, Term, Var, conj, disj
from exo_verify import Const as TConst
from exo_verify.formulas import Compare

from .. import ir
from ..paths import resolve
from ..prelude import Sym
from ..types import SIZE

_sym_vars: dict[int, Var] = {}


def sym_var(sym: Sym) -> Var:
    """The verifier variable of a symbol (shown with the user's name)."""
    v = _sym_vars.get(sym.id)
    if v is None:
        v = Var(f"{sym.name}@{sym.id}", sym.name)
        _sym_vars[sym.id] = v
    return v


def stride_var(sym: Sym, dim: int) -> Var:
    """The variable standing for ``stride(sym, dim)``."""
    return Var(f"stride({sym.name}@{sym.id},{dim})", f"stride({sym.name}, {dim})")


def fresh_var(sym: Sym, tag: str = "'") -> Var:
    """A new variable for another instance of ``sym`` (e.g. ``i'``)."""
    return Var.fresh(sym.name + tag)


def int_value(e) -> int | None:
    """The integer value of a literal control expression, else None."""
    if isinstance(e, ir.Const) and isinstance(e.val, int) and not isinstance(e.val, bool):
        return e.val
    return None


def ctrl_term(e, rename: Mapping[Sym, Term] | None = None) -> Term | None:
    """The term of a control expression, or None when it is not one the
    verifier can state (data reads, config fields, division by a
    non-constant)."""
    rename = rename or {}
    if isinstance(e, ir.Const):
        v = int_value(e)
        return None if v is None else TConst(v)
    if isinstance(e, ir.Read):
        if e.idx or not _is_ctrl(e.type):
            return None
        t = rename.get(e.name)
        return t if t is not None else sym_var(e.name)
    if isinstance(e, ir.StrideExpr):
        return stride_var(e.name, e.dim)
    if isinstance(e, ir.USub):
        a = ctrl_term(e.arg, rename)
        return None if a is None else -a
    if isinstance(e, ir.BinOp) and e.op in ("+", "-", "*", "/", "%"):
        lhs = ctrl_term(e.lhs, rename)
        rhs = ctrl_term(e.rhs, rename)
        if lhs is None or rhs is None:
            return None
        if e.op == "+":
            return lhs + rhs
        if e.op == "-":
            return lhs - rhs
        if e.op == "*":
            return lhs * rhs
        d = int_value(e.rhs)
        if d is None or d <= 0:
            return None
        return lhs // d if e.op == "/" else lhs % d
    return None


def _is_ctrl(t) -> bool:
    return t is not None and getattr(t, "kind", None) == "ctrl"


def cond_formula(e, rename: Mapping[Sym, Term] | None = None) -> Formula | None:
    """The formula of a boolean control expression, or None."""
    if isinstance(e, ir.Const) and isinstance(e.val, bool):
        return TRUE if e.val else FALSE
    if isinstance(e, ir.BinOp):
        if e.op in ("and", "or"):
            lhs, rhs = cond_formula(e.lhs, rename), cond_formula(e.rhs, rename)
            if lhs is None or rhs is None:
                return None
            return conj(lhs, rhs) if e.op == "and" else disj(lhs, rhs)
        if e.op in ("<", ">", "<=", ">=", "=="):
            lhs, rhs = ctrl_term(e.lhs, rename), ctrl_term(e.rhs, rename)
            if lhs is None or rhs is None:
                return None
            return Compare(e.op, lhs, rhs)
    return None


def loop_range(loop: ir.For, var: Term, rename=None) -> Formula:
    """``lo <= var < hi`` for a loop (TRUE for a bound that cannot be stated,
    which only weakens what is known)."""
    lo, hi = ctrl_term(loop.lo, rename), ctrl_term(loop.hi, rename)
    parts = []
    if lo is not None:
        parts.append(Compare("<=", lo, var))
    if hi is not None:
        parts.append(Compare("<", var, hi))
    return conj(*parts)


def proc_facts(root: ir.ProcIR) -> Formula:
    """Facts true everywhere in a procedure: sizes are non-negative (a size
    may be 0 at run time), and the ``assert`` predicates that the verifier
    can state."""
    parts = []
    for a in root.args:
        if a.type is SIZE:
            parts.append(Compare(">=", sym_var(a.name), TConst(0)))
    for p in root.preds:
        f = cond_formula(p)
        if f is not None:
            parts.append(f)
    return conj(*parts)


def context_at(root: ir.ProcIR, steps: tuple) -> tuple[Formula, list]:
    """The facts holding at the node ``steps`` leads to (exclusive of the node
    itself), and the enclosing loops (outermost first).

    The facts are the procedure facts, the bounds of every enclosing loop and
    the conditions of every enclosing branch (negated in an ``else``)."""
    parts = [proc_facts(root)]
    loops = []
    node = root
    for k, step in enumerate(steps[:-1]):
        node = resolve(root, steps[:k + 1])
        nxt_field = steps[k + 1][0]
        if isinstance(node, ir.For) and nxt_field == "body":
            parts.append(loop_range(node, sym_var(node.iter)))
            loops.append(node)
        elif isinstance(node, ir.If) and nxt_field in ("body", "orelse"):
            f = cond_formula(node.cond)
            if f is not None:
                parts.append(f if nxt_field == "body" else Not(f))
    return conj(*parts), loops


def show_term(t: Term | None, e=None) -> str:
    """A term in user syntax (falls back to the IR text)."""
    if t is None:
        from ..printer import expr_to_str

        return expr_to_str(e) if e is not None else "?"
    return str(t)
