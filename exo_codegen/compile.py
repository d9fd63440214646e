"""Entry points of C code generation.

- `compile_procs(procs, directory, c_file, h_file)` writes a C file and its
  header;
- `compile_procs_to_strings(procs, h_file_name)` returns ``(c_text, h_text)``;
- `proc_c_code_str(proc)` is the text ``Procedure.c_code_str()`` shows: the
  header's declarations followed by the C code.

The procedures given are exported (declared in the header). Procedures they
call that are not in the list are emitted ``static`` in the C file, with a
forward declaration; ``@instr`` procedures are never emitted as functions:
their C text is pasted at each call.

Layout of the C file: ``#include "<header>"``, the memories' ``global_()``
text, a comment per instruction used, the instructions' ``c_global`` text,
the externs' ``globl`` text, helper functions (floor division), configuration
state, forward declarations of static procedures, then the procedures.
"""

from __future__ import annotations

import os

from exo_core.analysis.parallel import check_parallel_loops
import exo_core.ir as ir
from exo_core.errors import ExoError
from exo_core.ir.types import TensorType
from exo_core.user_frame import caller_srcinfo, user_entry

from exo_codegen.c_exprs import mem_can_read
from exo_codegen.c_stmts import ProcCompiler
from exo_codegen.c_types import RESERVED_C_NAMES, c_ident_ok
from exo_codegen.c_unit import CUnit
from exo_codegen.errors import CodegenError
from exo_codegen.precision import check_precisions
from exo_codegen.header import header_text, signature_comment
from exo_codegen.proc_facts import reachable_procs, memories_used, all_exprs


def as_proc_ir(p) -> ir.ProcIR:
    """The `ProcIR` of a `Procedure` (or of a `ProcIR`)."""
    if isinstance(p, ir.ProcIR):
        return p
    internal = getattr(p, "INTERNAL_proc", None)
    if callable(internal):
        root = internal()
        if isinstance(root, ir.ProcIR):
            return root
    raise CodegenError(f"expected a procedure (made with @proc), got {type(p).__name__}",
                       caller_srcinfo())


def _instr_comment(p: ir.ProcIR) -> str:
    params = ", ".join(a.name.name for a in p.args)
    body = p.instr.c_instr.replace("*/", "* /").replace("/*", "/ *")
    lines = [f"/* This file relies on the instruction {p.name}({params}),",
             "   trusted to implement its object-code specification, emitted as:"]
    lines += ["       " + line for line in body.split("\n")]
    lines.append("*/")
    return "\n".join(lines)


def _memory_globals(mems) -> list[str]:
    out = []
    for m in mems:
        text = _call_global(m)
        if text and text.strip() and text not in out:
            out.append(text)
    return out


def _call_global(mem) -> str:
    try:
        text = mem.global_()
    except ExoError:
        raise
    except Exception as err:
        raise CodegenError(f"memory {getattr(mem, '__name__', mem)} failed in its "
                           f"global_() hook ({type(err).__name__}: {err})") from err
    return text if isinstance(text, str) else ""


def _register_param_memories(procs: list[ir.ProcIR]) -> list:
    """Memories without element access that exported procedures take buffers
    in: their C types appear in the header's prototypes."""
    mems = []
    for p in procs:
        for a in p.args:
            if (a.mem is not None and not mem_can_read(a.mem, a.srcinfo)
                    and isinstance(a.type, TensorType) and a.mem not in mems):
                mems.append(a.mem)
    return mems


def _reset_allocation_state(mems) -> None:
    """Free every slot of memories that allocate from a fixed pool
    (``StaticMemory.reset_allocations``), so each procedure starts from the
    same state and compiling twice assigns the same registers."""
    for m in mems:
        reset = getattr(m, "reset_allocations", None)
        if callable(reset):
            try:
                reset()
            except ExoError:
                raise
            except Exception as err:
                raise CodegenError(f"memory {getattr(m, '__name__', m)} failed in "
                                   f"reset_allocations() ({type(err).__name__}: {err})") from err


def _c_function_names(procs: list[ir.ProcIR]) -> dict:
    names: dict = {}
    by_name: dict[str, ir.ProcIR] = {}
    for p in procs:
        if not c_ident_ok(p.name):
            raise CodegenError(f"the procedure name {p.name!r} cannot be a C function name",
                               p.srcinfo)
        other = by_name.get(p.name)
        if other is not None and other is not p:
            raise CodegenError(f"two different procedures are both named {p.name}; "
                               f"rename one (e.g. with rename()) before compiling them "
                               f"together", p.srcinfo)
        by_name[p.name] = p
        names[id(p)] = p.name
    return names


@user_entry
def compile_procs_to_strings(proc_list, h_file_name: str) -> tuple[str, str]:
    """Compile procedures to ``(c_text, h_text)``; the C text includes
    ``h_file_name``."""
    c_text, h_text, _ = compile_unit(proc_list, h_file_name)
    return c_text, h_text


def compile_unit(proc_list, h_file_name: str, pragma_once: bool = True
                 ) -> tuple[str, str, CUnit]:
    """`compile_procs_to_strings` plus the `CUnit` describing what the file
    uses (window structs, configurations...), for the jit."""
    if isinstance(proc_list, ir.ProcIR) or hasattr(proc_list, "INTERNAL_proc"):
        proc_list = [proc_list]
    if isinstance(proc_list, (str, bytes)) or not hasattr(proc_list, "__iter__"):
        raise CodegenError(f"expected a procedure or a list of procedures, got "
                           f"{type(proc_list).__name__}", caller_srcinfo())
    if not isinstance(h_file_name, str):
        raise CodegenError(f"the header file name must be a string, got "
                           f"{type(h_file_name).__name__}", caller_srcinfo())
    try:
        return _compile_unit(list(proc_list), h_file_name, pragma_once)
    except RecursionError:
        raise CodegenError("the procedure is nested too deeply to compile (an expression or "
                           "loop nest of hundreds of levels); split it into smaller parts",
                           caller_srcinfo()) from None


def _compile_unit(proc_list: list, h_file_name: str, pragma_once: bool
                  ) -> tuple[str, str, CUnit]:
    roots = []
    for p in proc_list:
        root = as_proc_ir(p)
        if root.instr is not None:
            raise CodegenError(f"{root.name} is an instruction (@instr); it has no C "
                               f"function of its own and cannot be compiled alone",
                               root.srcinfo)
        if not any(r is root for r in roots):
            roots.append(root)
    procs, instrs = reachable_procs(roots)
    for p in procs:
        check_parallel_loops(p)
        check_precisions(p)
    exported = {id(r) for r in roots}
    c_names = _c_function_names(procs)

    reserved = set(RESERVED_C_NAMES) | set(c_names.values())
    for p in procs:
        for e in all_exprs(p):
            if isinstance(e, ir.Extern):
                name = e.f.name() if callable(getattr(e.f, "name", None)) else None
                if isinstance(name, str):
                    reserved.add(name)

    unit = CUnit()
    compiled = []  # (proc, comment, signature, body)
    for p in procs:
        _reset_allocation_state(memories_used([p], []))
        pc = ProcCompiler(p, unit, c_names, reserved)
        sig = pc.signature()
        body = pc.body()
        compiled.append((p, signature_comment(p), sig, body))

    h_text = header_text(
        h_file_name,
        unit.window_structs.values(),
        unit.config_struct_defs(),
        [(comment, sig) for p, comment, sig, _ in compiled if id(p) in exported],
        _memory_globals(_register_param_memories(roots)),
        pragma_once=pragma_once,
    )

    parts = [f'#include "{os.path.basename(h_file_name)}"', ""]
    for text in _memory_globals(memories_used(procs, instrs)):
        parts += [text, ""]
    for p in unit.instrs_used:
        parts += [_instr_comment(p), ""]
    for text in unit.instr_globals + unit.extern_globals + unit.helper_definitions():
        parts += [text.rstrip("\n"), ""]
    for text in unit.config_definitions():
        parts += [text, ""]
    statics = [(comment, sig) for p, comment, sig, _ in compiled if id(p) not in exported]
    for comment, sig in statics:
        parts += [comment, f"static {sig};", ""]
    for p, comment, sig, body in compiled:
        storage = "" if id(p) in exported else "static "
        parts += [comment, f"{storage}{sig} {{", body, "}", ""]
    c_text = "\n".join(parts)
    return c_text, h_text, unit


@user_entry
def compile_procs(proc_list, basedir, c_file: str, h_file: str) -> None:
    """Write ``basedir/c_file`` and ``basedir/h_file`` for the procedures."""
    for what, value in (("directory", basedir), ("C file name", c_file),
                        ("header file name", h_file)):
        if not isinstance(value, (str, os.PathLike)) or not os.fspath(value):
            raise CodegenError(f"the {what} must be a non-empty path string, got {value!r}",
                               caller_srcinfo())
    c_text, h_text = compile_procs_to_strings(proc_list, os.fspath(h_file))
    try:
        os.makedirs(basedir, exist_ok=True)
        for name, text in ((c_file, c_text), (h_file, h_text)):
            with open(os.path.join(basedir, name), "w") as f:
                f.write(text)
    except OSError as err:
        raise CodegenError(f"cannot write the C files to {os.fspath(basedir)}: "
                           f"{err.strerror or err}", caller_srcinfo()) from err


@user_entry
def proc_c_code_str(proc) -> str:
    """Declarations and C code of one procedure (and its callees) as one C
    file's text: it compiles on its own (no ``#pragma once``, which gcc
    rejects in a main file under ``-Werror``)."""
    root = as_proc_ir(proc)
    c_text, h_text, _ = compile_unit([root], f"{root.name}.h", pragma_once=False)
    c_body = c_text.split("\n", 1)[1].lstrip("\n")
    return h_text + "\n" + c_body
