"""Checks of the plain arguments every scheduling primitive takes.

    check_proc(proc, "divide_loop")        # the first argument is a Procedure
    check_identifier("rename", "gemm_v2", "procedure name")
    new_names("divide_loop", ["io", "ii"], 2, taken)   # fresh, valid, distinct Syms

Every error is a SchedulingError at the user's calling line, with a plain
sentence that starts with the primitive's name.
"""

from __future__ import annotations

import keyword

from exo_core.errors import SchedulingError
from exo_core.ir.prelude import Sym
from exo_core.procedure import Procedure
from exo_core.user_frame import scheduling_error


def err(primitive: str, message: str) -> SchedulingError:
    """A SchedulingError at the user's calling line."""
    return scheduling_error(f"{primitive}: {message}")


def check_proc(proc, primitive: str) -> None:
    """The first argument of a primitive must be a procedure."""
    if not isinstance(proc, Procedure):
        raise err(primitive, f"expected a procedure as the first argument, got "
                             f"{type(proc).__name__}")


def is_valid_identifier(name) -> bool:
    """A name usable for a variable or procedure in both the object code
    (Python syntax) and the generated C: an identifier, not a Python keyword."""
    return isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name)


def check_identifier(primitive: str, name, what: str) -> str:
    """``name`` must be a valid identifier (see `is_valid_identifier`)."""
    if not is_valid_identifier(name):
        reason = " (it is a Python keyword)" if isinstance(name, str) and \
            keyword.iskeyword(name) else " (it must be an identifier)"
        raise err(primitive, f"{name!r} is not a valid {what}{reason}")
    return name


def new_names(primitive: str, names, count: int, taken: set, what: str = "new_iters") -> list:
    """Validated new variable names: ``count`` valid identifiers, distinct,
    none of them in ``taken``. Returns fresh Syms."""
    if isinstance(names, str) and count == 1:
        names = [names]
    if not isinstance(names, (list, tuple)) or len(names) != count or not all(
            isinstance(n, str) for n in names):
        shape = "a string" if count == 1 else f"a list of {count} strings"
        raise err(primitive, f"{what} must be {shape}, got {names!r}")
    for n in names:
        check_identifier(primitive, n, "variable name")
        if n in taken:
            raise err(primitive, f"the name {n} is already used here; choose another name")
    if len(set(names)) != len(names):
        raise err(primitive, f"the new names must be different, got {names!r}")
    return [Sym(n) for n in names]
