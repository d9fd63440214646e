"""Code simplification: `simplify` and `eliminate_dead_code`.

`simplify(proc)` rewrites every integer control expression (indices, window
bounds, loop bounds, conditions, control call arguments, allocation shapes)
into the normal form of `exo_core.primitives.index_normal_form`, using the
facts that hold where the expression is evaluated (assertions, sizes >= 1,
enclosing loop bounds, enclosing branch conditions) to apply quasi-affine
identities; folds boolean constants; and removes code proven dead: an ``if``
whose condition is proven always true (false) under those facts is replaced
by its body (its else branch), and a loop proven to run zero times is
deleted. Each proof is asked of `exo_verify`; an undecided question leaves the
code as it is (simplify never guesses).

    for io in seq(0, n / 4):                for io in seq(0, n / 4):
        for ii in seq(0, 4):                    for ii in seq(0, 4):
            x[(4 * io + ii) / 4] = 0.0   -->        x[io] = 0.0
            if ii < 4:                              y[ii + 4 * io] = 1.0
                y[4 * io + ii] = 1.0

`eliminate_dead_code(proc, stmt)` does the dead-code part for one ``if`` or
``for`` statement and reports when it cannot prove anything.
"""

from __future__ import annotations

from exo_verify import FALSE, TRUE, Not, Proof, prove

import exo_core.ir as ir
from exo_core.cursors.base import lift
from exo_core.errors import SchedulingError
from exo_core.ir.equal import expr_equal
from exo_core.ir.printer import expr_to_str
from exo_core.analysis.logic_partial import PartialScope, is_control_expr, partial_proc_scope, partial_scope_at
from exo_core.cursors.paths import NodeLoc, block_of
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.procedure import Procedure
from exo_core.ir.types import BOOL, TensorType
from exo_core.user_frame import caller_srcinfo
from exo_core.primitives.arguments import Stmt
from exo_core.primitives.signature import primitive
from exo_core.primitives.index_normal_form import normalize_control

__all__ = ["simplify", "eliminate_dead_code"]


# ---------------------------------------------------------------------------
# Expressions


class ExprSimplifier:
    """Simplifies expressions under the facts of a `PartialScope` (``facts``,
    which records atoms); returns the very same object for an expression
    that does not change."""

    def expr(self, e: ir.Expr, facts: PartialScope) -> ir.Expr:
        if is_control_expr(e):
            new = normalize_control(e, facts)
            if new is not e:
                return e if expr_equal(new, e) else new
        if isinstance(e, ir.Read) and e.idx:
            idx = self.exprs(e.idx, facts)
            return e if idx is e.idx else e.update(idx=idx)
        if isinstance(e, ir.WindowExpr):
            idx = tuple(self.waccess(a, facts) for a in e.idx)
            if all(x is y for x, y in zip(idx, e.idx)):
                return e
            return e.update(idx=idx)
        if isinstance(e, ir.USub):
            arg = self.expr(e.arg, facts)
            return e if arg is e.arg else e.update(arg=arg)
        if isinstance(e, ir.BinOp):
            lhs, rhs = self.expr(e.lhs, facts), self.expr(e.rhs, facts)
            if e.type is BOOL:
                folded = _fold_bool(e.op, lhs, rhs, e.srcinfo)
                if folded is not None:
                    return folded
            if lhs is e.lhs and rhs is e.rhs:
                return e
            return e.update(lhs=lhs, rhs=rhs)
        if isinstance(e, ir.Extern):
            args = self.exprs(e.args, facts)
            return e if args is e.args else e.update(args=args)
        return e

    def exprs(self, es: tuple, facts) -> tuple:
        new = tuple(self.expr(x, facts) for x in es)
        return es if all(x is y for x, y in zip(new, es)) else new

    def waccess(self, a, facts):
        if isinstance(a, ir.Interval):
            lo, hi = self.expr(a.lo, facts), self.expr(a.hi, facts)
            return a if lo is a.lo and hi is a.hi else a.update(lo=lo, hi=hi)
        pt = self.expr(a.pt, facts)
        return a if pt is a.pt else a.update(pt=pt)


def _bool_const(e):
    if isinstance(e, ir.Const) and isinstance(e.val, bool):
        return e.val
    return None


def _int_const(e):
    if isinstance(e, ir.Const) and isinstance(e.val, int) and not isinstance(e.val, bool):
        return e.val
    return None


_COMPARE = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b,
            ">=": lambda a, b: a >= b, "==": lambda a, b: a == b}


def _fold_bool(op, lhs, rhs, si):
    """Constant-fold a boolean operator (None when it does not fold)."""
    if op in _COMPARE:
        a, b = _int_const(lhs), _int_const(rhs)
        if a is not None and b is not None:
            return ir.Const(_COMPARE[op](a, b), BOOL, si)
        return None
    a, b = _bool_const(lhs), _bool_const(rhs)
    if op == "and":
        if a is False or b is False:
            return ir.Const(False, BOOL, si)
        if a is True:
            return rhs
        if b is True:
            return lhs
    if op == "or":
        if a is True or b is True:
            return ir.Const(True, BOOL, si)
        if a is False:
            return rhs
        if b is False:
            return lhs
    return None


# ---------------------------------------------------------------------------
# Statements

def _decided(formula, scope: PartialScope):
    """True / False when ``formula`` is proven always true / always false
    under the facts of ``scope``; None when neither can be proven."""
    facts = list(scope.facts)
    if formula is None:
        return None
    if formula == TRUE:
        return True
    if formula == FALSE:
        return False
    if isinstance(prove(formula, facts), Proof):
        return True
    if isinstance(prove(Not(formula), facts), Proof):
        return False
    return None


class _Simplifier:
    """One run of `simplify` over a procedure, through a ProcEditor."""

    def __init__(self, proc: Procedure):
        self.ed = ProcEditor(proc)
        self.atoms: dict = {}
        self.exprs = ExprSimplifier()

    def cursor(self, steps):
        return lift(self.ed.current(), NodeLoc(steps))

    def run(self) -> Procedure:
        facts = partial_proc_scope(self.ed.root, self.atoms)
        self.block((), "body", facts)
        return self.ed.finish()

    def block(self, owner: tuple, field: str, facts) -> None:
        k = 0
        while k < len(block_of(self.ed.root, owner, field)):
            s = block_of(self.ed.root, owner, field)[k]
            k += self.stmt(owner + ((field, k),), s, facts)

    def stmt(self, steps: tuple, s, facts) -> int:
        """Simplify one statement; returns how many statements to advance
        (0 after the statement was replaced by its own branch or deleted,
        so the statements now at its place are visited)."""
        if isinstance(s, ir.If):
            cond = self.exprs.expr(s.cond, facts)
            verdict = _decided(facts.formula(cond), facts)
            if verdict is True:
                self.ed.unwrap(self.cursor(steps), "body")
                return 0
            if verdict is False:
                if len(s.orelse):
                    self.ed.unwrap(self.cursor(steps), "orelse")
                else:
                    self.ed.delete(self.cursor(steps))
                return 0
            if cond is not s.cond:
                self.ed.update(self.cursor(steps), cond=cond)
            self.block(steps, "body", facts.enter_branch(s, True))
            if len(s.orelse):
                self.block(steps, "orelse", facts.enter_branch(s, False))
            return 1
        if isinstance(s, ir.For):
            lo, hi = self.exprs.expr(s.lo, facts), self.exprs.expr(s.hi, facts)
            tlo, thi = facts.term(lo), facts.term(hi)
            if tlo is not None and thi is not None and _decided(thi <= tlo, facts) is True:
                self.ed.delete(self.cursor(steps))
                return 0
            if lo is not s.lo or hi is not s.hi:
                self.ed.update(self.cursor(steps), lo=lo, hi=hi)
            loop = s.update(lo=lo, hi=hi)
            self.block(steps, "body", facts.enter_loop(loop))
            return 1
        if isinstance(s, ir.Alloc) and isinstance(s.type, TensorType):
            shape = self.exprs.exprs(s.type.shape_exprs, facts)
            if shape is not s.type.shape_exprs:
                self.ed.update(self.cursor(steps),
                               type=TensorType(s.type.elem, shape, s.type.is_window))
            return 1
        changes = {}
        for f in s.expr_fields:  # (if and for statements are handled above)
            old = getattr(s, f)
            new = self.exprs.exprs(old, facts) if isinstance(old, tuple) \
                else self.exprs.expr(old, facts)
            if new is not old:
                changes[f] = new
        if changes:
            self.ed.update(self.cursor(steps), **changes)
        return 1


@primitive()
def simplify(proc: Procedure) -> Procedure:
    """Normalise index arithmetic and remove code proven dead.

    See the module docstring for the rules; the result computes the same
    values as ``proc`` wherever ``proc``'s assertions hold.
    """
    return _Simplifier(proc).run()


@primitive(stmt_cursor=Stmt())
def eliminate_dead_code(proc: Procedure, stmt_cursor) -> Procedure:
    """Remove the dead part of one ``if`` or ``for`` statement.

    ``if p: s1 else: s2`` becomes ``s1`` when ``p`` is proven always true
    where the statement runs, ``s2`` (or nothing) when always false; a loop
    proven to run zero times is deleted. Raises SchedulingError when nothing
    can be proven dead.

        if n < 0:        -->   (nothing)        # with n: size
            x = 0.0
    """
    s = stmt_cursor
    node = s._node()
    steps = s._loc.steps
    root = proc._root
    facts, _ = partial_scope_at(root, steps)
    ed = ProcEditor(proc)
    cur = ed.stmt(s)
    if isinstance(node, ir.If):
        verdict = _decided(facts.formula(node.cond), facts)
        if verdict is True:
            ed.unwrap(cur, "body")
        elif verdict is False:
            if len(node.orelse):
                ed.unwrap(cur, "orelse")
            else:
                ed.delete(cur)
        else:
            raise SchedulingError(
                "eliminate_dead_code: could not prove the condition "
                f"'{_show(node.cond)}' always true or always false here", caller_srcinfo())
        return ed.finish()
    if isinstance(node, ir.For):
        tlo, thi = facts.term(node.lo), facts.term(node.hi)
        if tlo is None or thi is None or _decided(thi <= tlo, facts) is not True:
            raise SchedulingError(
                f"eliminate_dead_code: could not prove that loop {node.iter.name} runs zero "
                f"times (seq({_show(node.lo)}, {_show(node.hi)}))", caller_srcinfo())
        ed.delete(cur)
        return ed.finish()
    raise SchedulingError("eliminate_dead_code expects an if or a for statement, got a "
                          f"{type(node).__name__}", caller_srcinfo())


def _show(e) -> str:
    return expr_to_str(e)
