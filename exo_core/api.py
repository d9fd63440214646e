"""The decorators users write: ``@proc``, ``@instr``, ``@config``; and
`proc_from_source` to build a procedure from text (e.g. printed code).

Building a procedure is a pipeline with one step per concern::

    source text --parse--> untyped ProcIR --typecheck--> typed ProcIR
                --definition checks--> Procedure

`DEFINITION_CHECKS` is the single place where whole-procedure checks run
after typechecking (bounds, callee preconditions, symbolic shapes). A check is
a function ``check(proc_ir) -> None`` that raises an `ExoError` subclass.
"""

from __future__ import annotations

import ast
import sys
import textwrap
from collections.abc import Mapping
from typing import Callable

import exo_core.ir as ir
from exo_core.ir.config import Config, make_config
from exo_core.errors import ParseError
from exo_core.frontend.parser import ProcParser
from exo_core.frontend.scope import PythonEnv
from exo_core.frontend.source import SourceText, _removed_indent, source_of_function
from exo_core.frontend.config_loops import check_config_writes_in_loops
from exo_core.frontend.typecheck import typecheck_procedure
from exo_core.procedure import Procedure
from exo_core.user_frame import caller_srcinfo, user_entry

DEFINITION_CHECKS: list[Callable[[ir.ProcIR], None]] = []
"""Checks run on every newly defined procedure after typechecking, in order."""


def register_definition_check(check: Callable[[ir.ProcIR], None]):
    """Add ``check`` to `DEFINITION_CHECKS` (idempotent); returns ``check`` so it
    can be used as a decorator."""
    if check not in DEFINITION_CHECKS:
        DEFINITION_CHECKS.append(check)
    return check


def run_definition_checks(p: ir.ProcIR) -> None:
    """Run every registered definition check on a typed procedure."""
    for check in DEFINITION_CHECKS:
        check(p)


def _check_definition(p: ir.ProcIR) -> None:
    """Bounds, callee preconditions, shapes, aliasing (`exo_core.analysis.definition_checks`,
    imported on first use: it loads the verifier)."""
    from exo_core.analysis.definition_checks import check_definition

    check_definition(p)


register_definition_check(_check_definition)


def build_procedure(source: SourceText, env: PythonEnv, fdef: ast.FunctionDef | None = None,
                    instr: ir.InstrInfo | None = None) -> Procedure:
    """The front-end pipeline: parse -> typecheck -> definition checks -> Procedure."""
    if fdef is None:
        fdef = source.parse_function()
    try:
        untyped = ProcParser(source, env, fdef, instr).parse()
        typed = typecheck_procedure(untyped)
        check_config_writes_in_loops(typed)
        run_definition_checks(typed)
    except RecursionError:
        raise ParseError("the procedure is nested too deeply to compile (an expression or "
                         "statement nest of hundreds of levels); split it into smaller parts",
                         source.srcinfo(fdef)) from None
    return Procedure(typed)


def _defining_env(f, depth: int) -> PythonEnv:
    """Python names visible where ``f`` was defined: the defining frame's locals
    (when it is a function frame) over ``f``'s globals. ``depth`` counts the
    frames between the caller and the defining frame, the `user_entry`
    wrapper of the decorator included."""
    frame = sys._getframe(depth + 1)
    local_vars = frame.f_locals if frame.f_locals is not frame.f_globals else {}
    return PythonEnv(local_vars, getattr(f, "__globals__", frame.f_globals))


@user_entry
def proc(f) -> Procedure:
    """Decorator: parse a Python function as an object-code procedure.

    >>> @proc
    ... def foo(x: [f32][3]):
    ...     for i in seq(0, 3):
    ...         x[i] = 0.0
    """
    env = _defining_env(f, 2)
    return build_procedure(source_of_function(f), env)


@user_entry
def instr(c_instr: str, c_global: str = ""):
    """Decorator factory: a procedure whose calls compile to ``c_instr``.

    ``c_instr`` is C text with holes ``{arg}``, ``{arg_data}``, ``{arg_int}``
    filled from each call's arguments; ``c_global`` is emitted once per file.
    """
    if not isinstance(c_instr, str) or not isinstance(c_global, str):
        raise ParseError("@instr takes the C text of the instruction as a string "
                         "(and optionally c_global=...)")

    @user_entry
    def decorate(f) -> Procedure:
        env = _defining_env(f, 2)
        return build_procedure(source_of_function(f), env,
                               instr=ir.InstrInfo(c_instr, c_global))

    return decorate


@user_entry
def config(_cls=None, *, disable_rw: bool = False):
    """Decorator: a configuration object with typed fields.

    >>> @config
    ... class ConfigLoad:
    ...     src_stride: stride

    Also usable as ``@config(disable_rw=True)``.
    """
    if _cls is None:
        return user_entry(lambda cls: make_config(cls, disable_rw))
    return make_config(_cls, disable_rw)


def _instr_decorator(fdef: ast.FunctionDef, source: SourceText) -> ir.InstrInfo | None:
    """The `InstrInfo` of an ``@instr("...", c_global="...")`` decorator in text."""
    for dec in fdef.decorator_list:
        if not isinstance(dec, ast.Call):
            continue
        fn = dec.func
        name = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else None
        if name != "instr":
            continue
        texts = []
        for a in dec.args:
            if not (isinstance(a, ast.Constant) and isinstance(a.value, str)):
                raise ParseError("@instr takes string literals", source.srcinfo(a))
            texts.append(a.value)
        kw = {}
        for k in dec.keywords:
            if k.arg != "c_global" or not (isinstance(k.value, ast.Constant)
                                           and isinstance(k.value.value, str)):
                raise ParseError("@instr accepts only c_global=\"...\" as a keyword",
                                 source.srcinfo(k.value))
            kw["c_global"] = k.value.value
        if not 1 <= len(texts) <= 2 or (len(texts) == 2 and "c_global" in kw):
            raise ParseError("@instr takes the instruction text and optionally c_global",
                             source.srcinfo(dec))
        c_global = texts[1] if len(texts) == 2 else kw.get("c_global", "")
        return ir.InstrInfo(texts[0], c_global)
    return None


@user_entry
def par(lo, hi):
    """A parallel loop's range, ``for i in par(0, n):``, only meaningful as a
    loop bound in an ``@proc`` body (exported, as Exo does, so that linters
    and ``from ... import *`` know the name); calling it from Python is an
    error."""
    raise SyntaxError("par(lo, hi) is a loop bound of an @proc body; it cannot be "
                      "called from Python")


@user_entry
def proc_from_source(text: str, scope: dict | None = None,
                     filename: str = "<string>") -> Procedure:
    """Build a procedure from source text, e.g. the output of ``str(proc)``.

    ``scope`` maps the Python names the text uses (callee procedures, memories,
    configs, externs, constants) to their values. An ``@instr("...")``
    decorator in the text makes an instruction procedure.
    """
    if not isinstance(text, str):
        raise ParseError("proc_from_source expects the source text as a string",
                         caller_srcinfo())
    if scope is not None and not isinstance(scope, Mapping):
        raise ParseError("proc_from_source expects scope to be a dict from names to values, "
                         f"got {type(scope).__name__}", caller_srcinfo())
    if not isinstance(filename, str):
        raise ParseError(f"proc_from_source expects filename to be a string, got "
                         f"{type(filename).__name__}", caller_srcinfo())
    dedented = textwrap.dedent(text)
    source = SourceText(dedented, filename, 0, _removed_indent(text, dedented))
    fdef = source.parse_function()
    instr_info = _instr_decorator(fdef, source)
    return build_procedure(source, PythonEnv(scope or {}, {}), fdef, instr_info)


__all__ = ["proc", "instr", "config", "par", "proc_from_source", "Config", "DEFINITION_CHECKS",
           "register_definition_check", "run_definition_checks", "build_procedure"]
