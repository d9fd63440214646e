"""Control expressions as verifier terms, and the facts that hold at a statement.

This is the part of the IR -> logic translation the scope/statement/simplify
primitives need (control expressions, conditions, loop bounds, assertions).
It is self-contained so it can move into a shared IR -> logic module.

Translation (`ControlLogic`):

- a control variable ``i`` (loop iterator, size or index argument) becomes a
  verifier variable named after the symbol's identity and shown as ``i``;
- ``stride(x, d)`` becomes an opaque variable (a stride is fixed for the call);
- integer literals, ``+``, ``-``, unary minus, ``*``, and ``/`` and ``%`` by a
  positive constant translate directly (floor semantics, as in the C code);
- comparisons, ``and``, ``or`` and boolean literals become formulas.

Anything else (configuration fields, which statements may change; data
values; bool variables) is *untranslatable*: the functions return None and the
callers either leave the expression alone or drop the fact. Dropping an
assumption is always sound: fewer facts can only prevent a rewrite.

Facts (`facts_at`): the assertions of the procedure, ``size >= 0`` for every
size argument, ``lo <= i < hi`` for each enclosing loop, and the condition (or
its negation) of each enclosing ``if`` branch.
"""

from __future__ import annotations

from exo_verify import (FALSE, TRUE, Compare, Formula, Not, Term, Var, conj, disj)
from exo_verify import Const as TConst

from .. import ir
from ..types import BOOL, INDEX, INT, SIZE, STRIDE, ScalarType

_CMP = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "==": "=="}


def is_control_expr(e: ir.Expr) -> bool:
    """True for an integer control expression (index, size, int, stride)."""
    t = getattr(e, "type", None)
    return isinstance(t, ScalarType) and t.kind == "ctrl" and t is not BOOL


class ControlLogic:
    """Translates control expressions to terms and back.

    ``atoms`` remembers, for each verifier variable created, the IR expression
    it stands for, so normalised terms can be turned back into IR.
    """

    def __init__(self) -> None:
        self.atoms: dict[Var, ir.Expr] = {}

    # --- variables ---------------------------------------------------------
    def sym_var(self, sym, typ=INDEX) -> Var:
        """The verifier variable of a control symbol."""
        v = Var(f"{sym.name}#{sym.id}", sym.name)
        if v not in self.atoms:
            self.atoms[v] = ir.Read(sym, (), typ)
        return v

    def _stride_var(self, e: ir.StrideExpr) -> Var:
        v = Var(f"stride({e.name.name}#{e.name.id},{e.dim})", f"stride({e.name.name}, {e.dim})")
        if v not in self.atoms:
            self.atoms[v] = ir.StrideExpr(e.name, e.dim, STRIDE, e.srcinfo)
        return v

    # --- expressions -------------------------------------------------------
    def term(self, e: ir.Expr) -> Term | None:
        """The term of an integer control expression, or None."""
        if isinstance(e, ir.Const):
            if isinstance(e.val, bool) or not isinstance(e.val, int):
                return None
            return TConst(e.val)
        if isinstance(e, ir.Read):
            if e.idx or not is_control_expr(e):
                return None
            return self.sym_var(e.name, e.type)
        if isinstance(e, ir.StrideExpr):
            return self._stride_var(e)
        if isinstance(e, ir.USub):
            a = self.term(e.arg)
            return None if a is None else -a
        if isinstance(e, ir.BinOp) and e.op in ("+", "-", "*", "/", "%"):
            lhs = self.term(e.lhs)
            rhs = self.term(e.rhs)
            if lhs is None or rhs is None:
                return None
            if e.op == "+":
                return lhs + rhs
            if e.op == "-":
                return lhs - rhs
            if e.op == "*":
                return lhs * rhs
            if not isinstance(rhs, TConst) or rhs.value <= 0:
                return None
            return lhs // rhs.value if e.op == "/" else lhs % rhs.value
        return None

    def formula(self, e: ir.Expr) -> Formula | None:
        """The formula of a boolean control expression, or None."""
        if isinstance(e, ir.Const) and isinstance(e.val, bool):
            return TRUE if e.val else FALSE
        if isinstance(e, ir.BinOp):
            if e.op in ("and", "or"):
                lhs, rhs = self.formula(e.lhs), self.formula(e.rhs)
                if lhs is None or rhs is None:
                    return None
                return conj(lhs, rhs) if e.op == "and" else disj(lhs, rhs)
            if e.op in _CMP:
                lhs, rhs = self.term(e.lhs), self.term(e.rhs)
                if lhs is None or rhs is None:
                    return None
                return Compare(_CMP[e.op], lhs, rhs)
        return None

    # --- facts -------------------------------------------------------------
    def proc_facts(self, proc: ir.ProcIR) -> list[Formula]:
        """Assertions of the procedure and non-negativity of its sizes."""
        facts: list[Formula] = []
        for a in proc.args:
            if a.type is SIZE:
                facts.append(self.sym_var(a.name, SIZE) >= 0)
        for p in proc.preds:
            f = self.formula(p)
            if f is not None:
                facts.append(f)
        return facts

    def loop_facts(self, loop: ir.For) -> list[Formula]:
        """``lo <= i < hi`` (the parts that translate)."""
        i = self.sym_var(loop.iter, INDEX)
        facts = []
        lo, hi = self.term(loop.lo), self.term(loop.hi)
        if lo is not None:
            facts.append(lo <= i)
        if hi is not None:
            facts.append(i < hi)
        return facts

    def branch_facts(self, stmt: ir.If, branch: str) -> list[Formula]:
        """The condition of an if (``branch == "body"``) or its negation."""
        f = self.formula(stmt.cond)
        if f is None:
            return []
        return [f] if branch == "body" else [Not(f)]

    def facts_at(self, proc: ir.ProcIR, steps: tuple) -> list[Formula]:
        """Every fact that holds when the node at path ``steps`` runs or is
        evaluated: the facts of its enclosing loops and branches (a loop's
        own bounds are not facts of the loop statement itself, only of its
        body)."""
        facts = self.proc_facts(proc)
        node = proc
        for n, (field, k) in enumerate(steps[:-1]):
            node = getattr(node, field)[k] if k is not None else getattr(node, field)
            inner_field = steps[n + 1][0]
            if isinstance(node, ir.For) and inner_field == "body":
                facts.extend(self.loop_facts(node))
            elif isinstance(node, ir.If) and inner_field in ("body", "orelse"):
                facts.extend(self.branch_facts(node, inner_field))
        return facts


def int_type_of(types) -> ScalarType:
    """The control type of a sum/product of operands of ``types``."""
    types = list(types)
    if all(t is INT for t in types):
        return INT
    if STRIDE in types:
        return STRIDE
    if all(t in (SIZE, INT) for t in types):
        return SIZE
    return INDEX
