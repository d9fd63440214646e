"""Argument checking and facts shared by the loop primitives."""

from __future__ import annotations

from exo_verify import Formula

from .. import ir
from ..errors import SchedulingError
from ..paths import BlockLoc, GapLoc, NodeLoc
from ..prelude import Sym
from ..procedure import Procedure
from ..logic import context_at
from ..obligations import require
from ..safety import windows_in_scope
from ..user_frame import caller_srcinfo
from .ir_build import stmt_syms


def err(primitive: str, message: str) -> SchedulingError:
    """A SchedulingError at the user's calling line."""
    return SchedulingError(f"{primitive}: {message}", caller_srcinfo())


def check_proc(proc, primitive: str) -> None:
    if not isinstance(proc, Procedure):
        raise err(primitive, f"expected a procedure as the first argument, got "
                             f"{type(proc).__name__}")


def check_int(primitive: str, value, what: str, minimum: int) -> int:
    """``value`` must be a Python int >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise err(primitive, f"{what} must be an integer constant, got {value!r}")
    if value < minimum:
        raise err(primitive, f"{what} must be at least {minimum}, got {value}")
    return value


def check_bool(primitive: str, value, what: str) -> bool:
    if not isinstance(value, bool):
        raise err(primitive, f"{what} must be True or False, got {value!r}")
    return value


def stmt_steps(cursor) -> tuple:
    """The path of a statement cursor, or of the first statement of a block
    or the statement after a gap (used to find the facts there)."""
    loc = cursor._loc
    if isinstance(loc, NodeLoc):
        return loc.steps
    if isinstance(loc, BlockLoc):
        return loc.owner + ((loc.field, loc.lo),)
    if isinstance(loc, GapLoc):
        return loc.owner + ((loc.field, loc.pos),)
    raise err("internal", "expected a statement location")  # pragma: no cover


def facts_at(proc: Procedure, cursor) -> Formula:
    """What holds at a statement (enclosing bounds, branches, assertions)."""
    ctx, _ = context_at(proc._root, stmt_steps(cursor))
    return ctx


def windows_of(proc: Procedure) -> dict:
    """The window statements of a procedure (cached on the version)."""
    w = proc._cache.get("safety.windows")
    if w is None:
        w = windows_in_scope(proc._root)
        proc._cache["safety.windows"] = w
    return w


def visible_names(root: ir.ProcIR, stmts) -> set:
    """Names that a new variable next to/around ``stmts`` must not take:
    the arguments and every variable the statements mention."""
    names = {a.name.name for a in root.args}
    names |= {s.name for s in stmt_syms(stmts)}
    return names


def new_names(primitive: str, names, count: int, taken: set, what: str = "new_iters") -> list:
    """Validated new variable names (identifiers, distinct, no clash)."""
    if isinstance(names, str) and count == 1:
        names = [names]
    if not isinstance(names, (list, tuple)) or len(names) != count or not all(
            isinstance(n, str) for n in names):
        raise err(primitive, f"{what} must be {'a string' if count == 1 else f'a list of {count} strings'}"
                             f", got {names!r}")
    for n in names:
        if not n.isidentifier():
            raise err(primitive, f"{n!r} is not a valid variable name")
        if n in taken:
            raise err(primitive, f"the name {n} is already used here; choose another name")
    if len(set(names)) != len(names):
        raise err(primitive, f"the new names must be different, got {names!r}")
    return [Sym(n) for n in names]


def reject_iter_in_alloc_shapes(primitive: str, loop: ir.For) -> None:
    """Rewrites that substitute a loop's iterator in place do not rewrite
    allocation shapes; refuse (clearly) when a shape inside uses it."""
    from ..types import TensorType
    from .ir_build import expr_syms

    def visit(stmts):
        for s in stmts:
            if isinstance(s, ir.Alloc) and isinstance(s.type, TensorType):
                syms = set()
                for e in s.type.shape_exprs:
                    expr_syms(e, syms)
                if loop.iter in syms:
                    raise err(primitive, f"the shape of {s.name.name} uses the iterator "
                                         f"{loop.iter.name}; this is not supported yet")
            for f in ("body", "orelse"):
                visit(getattr(s, f, ()))
    visit(loop.body)


def check(obligation, unsafe: bool = False) -> None:
    """Discharge an obligation unless the user disabled the checks."""
    if not unsafe:
        require(obligation, caller_srcinfo())
