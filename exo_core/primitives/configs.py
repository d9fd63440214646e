"""Configuration primitives: `bind_config`, `write_config`, `delete_config`.

    bind_config(p, "a", CFG, "scale")        # CFG.scale = a; x[i] = CFG.scale * x[i]
    write_config(p, s.before(), CFG, "on", "True")   # CFG.on = True; s
    delete_config(p, "CFG.scale = _")        # the write removed

Each changes what a configuration field holds from some point on, so each
proves that no later read of the field sees a different value
(`exo_core.analysis.config_state`): the value the field held there is dead
(overwritten on every path before any read, or never read again), or the
field already holds the value written. When the field's final value may now
differ, the result records it (`exo_core.ir.provenance.add_modified_configs`):
it is equivalent to the input modulo that field, as in Exo, and `call_eqv`
swaps such a procedure in only where the caller does not read the field
afterwards.

Values, as in Exo: a configuration field receives a literal, a stride
``stride(x, d)``, or a scalar variable of a data type or ``bool`` (whose type
must be the field's); index and size values are refused, since they may
depend on a loop iteration.
"""

from __future__ import annotations

import exo_core.ir as ir
from exo_core.analysis.config_state import field_holds, field_observer
from exo_core.cursors.base import lift
from exo_core.cursors.paths import GapLoc, stmt_prefix_len
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.errors import ArgumentTypeError
from exo_core.ir.config import Config
from exo_core.ir.printer import expr_to_str
from exo_core.ir.provenance import add_modified_configs
from exo_core.ir.types import BOOL, SIZE, STRIDE, ScalarType
from exo_core.procedure import Procedure
from exo_core.primitives.arguments import (ConfigFieldName, ConfigObject, Expr, Gap, Stmt, Text,
                                           err)
from exo_core.primitives.control_strings import parse_fragment
from exo_core.primitives.signature import primitive
from exo_core.user_frame import caller_srcinfo

__all__ = ["bind_config", "write_config", "delete_config"]


def _type_error(P: str, message: str) -> ArgumentTypeError:
    return ArgumentTypeError(f"{P}: {message}", caller_srcinfo())


def _varying(P: str, verb: str, e: ir.Expr) -> ArgumentTypeError:
    return _type_error(P, f"cannot {verb} the {e.type} value {expr_to_str(e)} to a "
                          "configuration field: index and size values may depend on a loop "
                          "iteration (only literals, strides and scalar data or bool variables "
                          "can be stored)")


def _check_value(P: str, verb: str, e: ir.Expr, config: Config, field: str) -> None:
    """``e`` may be stored in ``config.field`` (see the module docstring)."""
    t = config.lookup_type(field)
    if isinstance(e, ir.Const):
        ok = (t is BOOL) == isinstance(e.val, bool) and (
            t.is_numeric() or isinstance(e.val, (bool, int)))
        if ok and t is SIZE and e.val < 1:
            raise _type_error(P, f"{config.name()}.{field} is a size; {e.val} is not positive")
    elif isinstance(e, ir.StrideExpr):
        ok = t is STRIDE
    elif isinstance(e, ir.Read):
        if e.type is not BOOL and not (isinstance(e.type, ScalarType) and e.type.is_numeric()):
            raise _varying(P, verb, e)
        if any(not isinstance(i, ir.Const) for i in e.idx):
            raise _varying(P, verb, e)
        ok = e.type is t
    else:
        raise _type_error(P, f"the value must be a literal, a stride or a variable; got "
                             f"{expr_to_str(e)}")
    if not ok:
        raise _type_error(P, f"the type of {expr_to_str(e)} ({e.type}) does not match the type "
                             f"of {config.name()}.{field} ({t})")


def _change_field(P: str, proc: Procedure, owner: tuple, fld: str, k: int, config: Config,
                  field: str, value: ir.Expr | None) -> bool:
    """Check that the value ``config.field`` holds at the gap before
    ``block[k]`` may change to ``value`` (None: to whatever it held before a
    deleted write): it is dead there, or already ``value``. Returns whether
    the field's final value may now differ."""
    root = proc._root
    key = (config, field)
    if value is not None and field_holds(root, owner, fld, k, key, value):
        return False
    reader = field_observer(root, owner, fld, k, key)
    if reader is not None:
        where = f" at {reader.srcinfo}" if getattr(reader, "srcinfo", None) else ""
        raise err(P, f"cannot change the value of {config.name()}.{field} here: the new (and "
                     f"different) value may be read later in this procedure{where}")
    return True


def _finish(ed: ProcEditor, key: tuple, modified: bool) -> Procedure:
    new = ed.finish()
    if modified:
        add_modified_configs(new._root, [key])
    return new


@primitive(var_cursor=Expr(), config=ConfigObject(), field=ConfigFieldName(config="config"))
def bind_config(proc: Procedure, var_cursor, config: Config, field: str) -> Procedure:
    """Store a variable's value in a configuration field just before the
    statement that uses it, and read the field there instead::

        for i in seq(0, n):                  for i in seq(0, n):
            x[i] = a * x[i]         -->          CFG.f = a
                                                 x[i] = CFG.f * x[i]

    ``var_cursor`` is a read of a scalar data or ``bool`` variable whose type
    is the field's. Obligation: the field's old value is not read after that
    point (or the field already holds the value).
    """
    P = "bind_config"
    e = var_cursor._node()
    if not isinstance(e, ir.Read):
        raise _type_error(P, f"expected a cursor to a single variable read, got {expr_to_str(e)}")
    _check_value(P, "bind", e, config, field)
    steps = var_cursor._loc.steps
    n = stmt_prefix_len(steps)
    s = proc._root
    for step in steps[:n]:
        s = getattr(s, step[0])[step[1]]
    if isinstance(s, ir.Call):
        raise err(P, f"{expr_to_str(e)} is an argument of a call to {s.f.name}; a scalar "
                     "argument is passed by reference and cannot be a configuration field")
    owner, (fld, k) = steps[:n - 1], steps[n - 1]
    modified = _change_field(P, proc, owner, fld, k, config, field, e)
    si = caller_srcinfo() or e.srcinfo
    ed = ProcEditor(proc)
    ed.insert(lift(proc, GapLoc(owner, fld, k, "before")),
              [ir.WriteConfig(config, field, e, si)])
    ed.replace_expr(ed.cursor(var_cursor), ir.ReadConfig(config, field, e.type, e.srcinfo))
    return _finish(ed, (config, field), modified)


def _parse_value(proc: Procedure, gap, rhs, config: Config, field: str) -> ir.Expr:
    P = "write_config"
    loc = gap._loc
    t = config.lookup_type(field)

    def typed(checker, e):
        if isinstance(e, ir.Const):
            if isinstance(e.val, bool):
                return checker.cond(e)
            return checker.data(e) if t.is_numeric() else checker.ctrl(e)
        if isinstance(e, ir.StrideExpr):
            return checker.ctrl(e)
        if isinstance(e, ir.Read):
            vt = checker.info(e.name, e).type
            if vt is BOOL:
                return checker.cond(e)
            if isinstance(vt, ScalarType) and not vt.is_numeric():
                return checker.ctrl(e)
            return checker.data(e)
        raise _type_error(P, f"expected the value to be a variable, a stride expression or a "
                             f"literal, got {rhs if isinstance(rhs, str) else rhs._expr_str!r}")

    if isinstance(rhs, (int, float)) and not isinstance(rhs, bool):
        rhs = repr(rhs)
    steps = loc.owner + ((loc.field, loc.pos),)
    return parse_fragment(proc._root, steps, rhs, P, typed, allow_data=True)


@primitive(gap_cursor=Gap(), config=ConfigObject(), field=ConfigFieldName(config="config"),
           rhs=Text("rhs", formatted=True, numbers=True))
def write_config(proc: Procedure, gap_cursor, config: Config, field: str, rhs) -> Procedure:
    """Insert a write of a configuration field at a gap::

        s1                        s1
           <- gap_cursor   -->    CFG.f = a
        s2                        s2

    ``rhs`` is a literal, ``stride(x, d)``, or a scalar data or ``bool``
    variable, of the field's type. Obligation: the field's old value is not
    read after the gap (or the field already holds ``rhs``).
    """
    P = "write_config"
    value = _parse_value(proc, gap_cursor, rhs, config, field)
    _check_value(P, "write", value, config, field)
    loc = gap_cursor._loc
    modified = _change_field(P, proc, loc.owner, loc.field, loc.pos, config, field, value)
    ed = ProcEditor(proc)
    ed.insert(gap_cursor, [ir.WriteConfig(config, field, value, caller_srcinfo() or
                                          value.srcinfo)])
    return _finish(ed, (config, field), modified)


@primitive(stmt_cursor=Stmt())
def delete_config(proc: Procedure, stmt_cursor) -> Procedure:
    """Delete a write of a configuration field::

        s1                      s1
        CFG.f = _       -->     s3
        s3

    Obligation: the value written is not read later (it is overwritten on
    every path first, or never read again), or the field already held it.
    """
    P = "delete_config"
    s = stmt_cursor._node()
    if not isinstance(s, ir.WriteConfig):
        raise err(P, "expected a cursor to a configuration write (Config.field = ...); this "
                     "statement may modify non-configuration data")
    steps = stmt_cursor._loc.steps
    owner, (fld, k) = steps[:-1], steps[-1]
    key = (s.config, s.field)
    root = proc._root
    if field_holds(root, owner, fld, k, key, s.rhs):
        modified = False
    else:
        reader = field_observer(root, owner, fld, k + 1, key)
        if reader is not None:
            where = f" at {reader.srcinfo}" if getattr(reader, "srcinfo", None) else ""
            raise err(P, f"cannot delete this write of {s.config.name()}.{s.field}: the value "
                         f"it writes may be read later in this procedure{where}")
        modified = True
    ed = ProcEditor(proc)
    ed.delete(stmt_cursor)
    return _finish(ed, key, modified)
