"""Rewrites that change a procedure's signature: the bodies of
`Procedure.partial_eval`, `Procedure.transpose` and `Procedure.add_assertion`.

Each takes and returns a `ProcIR` root; the result is a new procedure, not a
version of the old one (its signature differs, so it is not equivalent)::

    partial_eval_root(foo, {"n": 8})        # n: size  -->  n replaced by 8
        def foo(n: size, x: f32[n]):              def foo(x: f32[8]):
            for i in seq(0, n): ...                    for i in seq(0, 8): ...

    transpose_root(foo, 1)                  # the 2-d argument x
        def foo(x: f32[n, m]):                    def foo(x: f32[m, n]):
            x[i, j] = 0.0                             x[j, i] = 0.0

    add_assertion_root(foo, "n % 4 == 0")   # one more precondition

Errors are SchedulingErrors at the user's calling line, named after the
method (``partial_eval: ...``).
"""

from __future__ import annotations

from pyrsistent import pvector

from exo_verify import Unsatisfiable, satisfiable

import exo_core.ir as ir
from exo_core.analysis.logic_partial import partial_proc_scope
from exo_core.errors import SchedulingError
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import BOOL, INDEX, INT, SIZE, TensorType
from exo_core.primitives.control_strings import parse_control
from exo_core.primitives.sym_substitution import subst_block, subst_expr, subst_type
from exo_core.user_frame import caller_srcinfo

__all__ = ["add_assertion_root", "partial_eval_root", "transpose_root"]


def _error(what: str, message: str) -> SchedulingError:
    return SchedulingError(f"{what}: {message}", caller_srcinfo())


def _line(node) -> str:
    si = getattr(node, "srcinfo", None)
    return f" (line {si.lineno})" if si is not None and si.lineno else ""


# ----------------------------------------------------------------------------
# partial_eval


def _constant(a: ir.FnArg, value) -> ir.Const:
    """The literal that replaces argument ``a``."""
    name = a.name.name
    if a.type is BOOL:
        if not isinstance(value, bool):
            raise _error("partial_eval", f"{name} is a bool argument; expected True or False, "
                                         f"got {value!r}")
        return ir.Const(value, BOOL)
    if a.type in (SIZE, INDEX, INT):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _error("partial_eval", f"{name} is a {a.type} argument; expected an int, "
                                         f"got {value!r}")
        if a.type is SIZE and value < 1:
            raise _error("partial_eval", f"{name} is a size argument; expected a positive int, "
                                         f"got {value}")
        return ir.Const(value, INT)
    raise _error("partial_eval", f"cannot partially evaluate {name}: only size, index, int "
                                 f"and bool arguments can be given a value, not {a.type}")


def partial_eval_root(root: ir.ProcIR, values: dict) -> ir.ProcIR:
    """``root`` with the control arguments named in ``values`` (name ->
    int or bool) replaced by those constants and removed from the signature.
    Refused when the values contradict the preconditions."""
    by_name = {a.name.name: a for a in root.args}
    for name in values:
        if name not in by_name:
            raise _error("partial_eval", f"{root.name} has no argument named {name!r}")
    env = {by_name[name].name: _constant(by_name[name], v) for name, v in values.items()}
    args = tuple(a.update(type=subst_type(a.type, env)) for a in root.args if a.name not in env)
    preds = tuple(subst_expr(p, env) for p in root.preds)
    new = root.update(args=args, preds=preds, body=subst_block(root.body, env))
    scope = partial_proc_scope(new)
    if isinstance(satisfiable(scope.assumptions()), Unsatisfiable):
        given = ", ".join(f"{name} = {v}" for name, v in values.items())
        conds = "; ".join(f"assert {expr_to_str(p)}" for p in root.preds)
        raise _error("partial_eval", f"with {given} the preconditions of {root.name} "
                                     f"cannot hold ({conds})")
    return new


# ----------------------------------------------------------------------------
# transpose


def _transposed_access(name: ir.Sym, node):
    """``node`` (an expression) with the two indices of every access to
    ``name`` swapped."""
    if isinstance(node, ir.Read) and node.name is name:
        if not node.idx:
            return node  # a whole-buffer read outside a call cannot occur
        return node.update(idx=(node.idx[1], node.idx[0]))
    if isinstance(node, ir.WindowExpr) and node.name is name:
        if all(isinstance(w, ir.Interval) for w in node.idx):
            raise _error("transpose", f"the window {expr_to_str(node)}{_line(node)} spans both "
                                      "dimensions; its own shape would change (not supported)")
        return node.update(idx=(node.idx[1], node.idx[0]))
    if isinstance(node, ir.StrideExpr) and node.name is name:
        raise _error("transpose", f"stride({name.name}, {node.dim}) is used{_line(node)}; "
                                  "transposing a buffer whose strides are read is not "
                                  "supported yet")
    return ir.map_exprs(node, lambda e: _transposed_access(name, e))


def _transposed_stmt(name: ir.Sym, s: ir.Stmt) -> ir.Stmt:
    if isinstance(s, ir.Call):
        for e in s.args:
            if isinstance(e, ir.Read) and e.name is name and not e.idx:
                raise _error("transpose", f"{name.name} is passed to {s.f.name}{_line(s)}; "
                                          "its type would change under the callee")
    new = ir.map_exprs(s, lambda e: _transposed_access(name, e))
    if isinstance(new, (ir.Assign, ir.Reduce)) and new.name is name:
        new = new.update(idx=(new.idx[1], new.idx[0]))
    return ir.map_blocks(new, lambda block: pvector(_transposed_stmt(name, x) for x in block))


def transpose_root(root: ir.ProcIR, k: int) -> ir.ProcIR:
    """``root`` with the dimensions of its 2-d buffer argument ``k`` swapped,
    in the signature and at every access."""
    a = root.args[k]
    t = a.type
    assert isinstance(t, TensorType) and len(t.shape_exprs) == 2
    new_arg = a.update(type=TensorType(t.elem, (t.shape_exprs[1], t.shape_exprs[0]), t.is_window))
    preds = tuple(_transposed_access(a.name, p) for p in root.preds)
    body = pvector(_transposed_stmt(a.name, s) for s in root.body)
    args = root.args[:k] + (new_arg,) + root.args[k + 1:]
    return root.update(args=args, preds=preds, body=body)


# ----------------------------------------------------------------------------
# add_assertion


def add_assertion_root(root: ir.ProcIR, assertion: str, configs: tuple = ()) -> ir.ProcIR:
    """``root`` with one more precondition, a condition on its control
    arguments (and on the control fields of ``configs``) given as text."""
    cond = parse_control(root, (), assertion, True, "add_assertion", configs)
    return root.update(preds=root.preds + (cond,))
