"""Subprocedure primitives: replace (a block becomes a call of an
instruction or procedure whose body it matches), call_eqv (a call of one
procedure becomes a call of an equivalent one) and make_instr (a procedure
becomes an instruction). inline and extract_subproc are in
`exo_core.primitives.inlining`.

`replace` unifies the block with the subprocedure's body
(`exo_core.primitives.unification`), checks that the arguments respect the
memories the subprocedure's parameters declare, and then asks the
definition checks (`exo_core.analysis.definition_checks`) about the new
call: the subprocedure's preconditions hold there (``assert stride(src, 1)
== 1``), its window arguments are in bounds and have the parameters'
shapes, size arguments are positive, and no two arguments overlap.
"""

from __future__ import annotations

import attrs

import exo_core.ir as ir
from exo_core.analysis.config_state import field_observer
from exo_core.analysis.definition_checks import check_procedure
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.errors import MemoryError, SchedulingError, UnificationError
from exo_core.ir.printer import proc_to_str, stmt_to_str
from exo_core.ir.types import TensorType
from exo_core.procedure import Procedure
from exo_core.ir.provenance import add_modified_configs, equivalent, modified_configs
from exo_core.ir.wellformed import clashing_callee_name
from exo_core.primitives.arguments import Block, Bool, CallStmt, Proc, Text
from exo_core.primitives.signature import primitive
from exo_core.primitives.unification import UnifyFailure, unify_block
from exo_core.user_frame import caller_srcinfo

__all__ = ["replace", "call_eqv", "make_instr", "MemoryError", "UnificationError"]


def procedure_buffers(root: ir.ProcIR) -> dict:
    """Every buffer of a procedure: Sym -> (type, memory). A window
    statement's memory is that of the buffer it views."""
    out = {}
    for a in root.args:
        if isinstance(a.type, TensorType) or a.type.is_numeric():
            out[a.name] = (a.type, a.mem)

    def visit(stmts):
        for s in stmts:
            if isinstance(s, ir.Alloc):
                out[s.name] = (s.type, s.mem)
            elif isinstance(s, ir.WindowStmt):
                base = out.get(s.rhs.name)
                out[s.name] = (s.rhs.type, base[1] if base else None)
            for f in s.block_fields:
                visit(getattr(s, f))

    visit(root.body)
    return out


def refuse_clashing_callee(P: str, new: Procedure) -> None:
    """Refuse a result that calls two different procedures by one name (its
    printed text could not tell them apart, and it could not be compiled)."""
    name = clashing_callee_name(new._root)
    if name is not None:
        raise SchedulingError(f"{P}: the procedure already calls another procedure named "
                              f"{name}; rename one of them (rename(proc, new_name))",
                              caller_srcinfo())


def _mem_name(mem) -> str:
    return getattr(mem, "__name__", str(mem))


def _check_memories(P: str, sub: ir.ProcIR, args, buffers: dict) -> None:
    for fa, arg in zip(sub.args, args):
        if fa.mem is None or not isinstance(arg, (ir.Read, ir.WindowExpr)):
            continue
        if arg.name not in buffers:
            continue
        mem = buffers[arg.name][1]
        if mem is not None and not (isinstance(mem, type) and isinstance(fa.mem, type)
                                    and issubclass(mem, fa.mem)):
            raise MemoryError(
                f"{P}: the parameter {fa.name.name} of {sub.name} is in {_mem_name(fa.mem)}, "
                f"but the block's buffer {arg.name.name} is in {_mem_name(mem)}",
                caller_srcinfo())


def _explain_failure(sub: ir.ProcIR, stmts) -> str:
    body = "\n".join(stmt_to_str(s) for s in stmts)
    return f"Failed to unify the following:\nSubproc:\n{proc_to_str(sub)}\nStatements:\n{body}"


def new_call_failures(old: Procedure, new: Procedure) -> list:
    """The messages of the definition obligations that fail in ``new`` but
    not in ``old`` (a rewrite that only changed a call: what the new call
    breaks), or of a failure that kept the checks from finishing."""
    before = {o.message for o in check_procedure(old._root).outcomes if o.failed}
    return [o.message for o in check_procedure(new._root).outcomes
            if o.failed and (o.message not in before or o.obligation.kind == "error")]


def _call_failures(new_root: ir.ProcIR, marker) -> list:
    """The failed definition obligations of the new call (and any failure
    that kept the checks from reaching it)."""
    report = check_procedure(new_root)
    return [o for o in report.outcomes if o.failed and (
        o.obligation.srcinfo is marker or o.obligation.kind == "error")]


@primitive(block_cursor=Block(), subproc=Proc(), quiet=Bool())
def replace(proc: Procedure, block_cursor, subproc: Procedure, quiet: bool = False) -> Procedure:
    """Replace a block by a call of ``subproc`` when the block is an
    instance of its body::

        for j in seq(0, 4):                     neon_vld_4xf32(dst[0:4],
            dst[j] = src[4 * i + j]     -->                    src[4 * i:4 + 4 * i])

    The parameters' values are found by unification (size and index
    parameters as affine functions of the block's variables, buffer
    parameters as windows). Rejected with `UnificationError` when the block
    does not match (the message names the code that did not unify), with
    `MemoryError` when an argument is in a memory the parameter does not
    accept, and with SchedulingError when a precondition of ``subproc``
    cannot be proven at the call or a window argument may be out of bounds.
    With ``quiet=False`` a failed match also prints both pieces of code.
    """
    P = "replace"
    blk = block_cursor
    stmts = list(blk._node())
    sub = subproc._root
    marker = attrs.evolve(stmts[0].srcinfo)
    buffers = procedure_buffers(proc._root)
    try:
        match = unify_block(sub, stmts, buffers, marker)
        completions = [None]
    except UnifyFailure as e:
        if not e.message.startswith("the block does not determine the parameter") and \
                not e.message.startswith("the block does not determine the window"):
            if not quiet:
                print(_explain_failure(sub, stmts))
            raise UnificationError(f"{P}: {e.message}", caller_srcinfo()) from None
        # an index parameter used as an offset into a window: try the window
        # starts `Solver.complete` proposes, keeping the first valid call
        first, match, completions = e, None, ["constant", "zero", "window"]
    failures = None
    for completion in completions:
        if completion is not None:
            try:
                match = unify_block(sub, stmts, buffers, marker, completion)
            except UnifyFailure:
                continue
        _check_memories(P, sub, match.args, buffers)
        ed = ProcEditor(proc)
        ed.replace_block(blk, [ir.Call(sub, match.args, marker)])
        new = ed.finish()
        refuse_clashing_callee(P, new)
        failures = _call_failures(new._root, marker)
        if not failures:
            return new
    if failures is None:
        if not quiet:
            print(_explain_failure(sub, stmts))
        raise UnificationError(f"{P}: {first.message}", caller_srcinfo())
    raise SchedulingError(f"{P}: the call {sub.name}(...) would not be valid here: "
                          f"{failures[0].message}", caller_srcinfo())


# ----------------------------------------------------------------------------
# call_eqv and make_instr


def _same_signature(f: ir.ProcIR, g: ir.ProcIR) -> str | None:
    """Why a call of ``f`` cannot become a call of ``g`` with the same
    arguments (None when it can)."""
    if len(f.args) != len(g.args):
        return f"{f.name} takes {len(f.args)} arguments but {g.name} takes {len(g.args)}"
    for a, b in zip(f.args, g.args):
        ta, tb = a.type, b.type
        if isinstance(ta, TensorType) != isinstance(tb, TensorType) or (
                not isinstance(ta, TensorType) and ta is not tb):
            return f"argument {a.name.name} of {f.name} is {ta} but {b.name.name} of {g.name} is {tb}"
        if isinstance(ta, TensorType) and (ta.elem is not tb.elem or ta.ndim() != tb.ndim()
                                           or ta.is_window != tb.is_window):
            return f"argument {a.name.name} of {f.name} is {ta} but {b.name.name} of {g.name} is {tb}"
    return None


@primitive(call_cursor=CallStmt(), eqv_proc=Proc())
def call_eqv(proc: Procedure, call_cursor, eqv_proc: Procedure) -> Procedure:
    """Call an equivalent procedure instead::

        gemm(n, A, B, C)   -->   gemm_avx(n, A, B, C)

    ``eqv_proc`` must have been scheduled from the procedure called (or both
    from one procedure): equivalence is tracked through scheduling, never
    guessed from the code. Its parameters must be those of the callee, and
    its preconditions must hold at the call. When the two are equivalent
    only up to the final values of some configuration fields (`bind_config`,
    `write_config`, `delete_config`), the caller must not read those fields
    after the call.
    """
    P = "call_eqv"
    call: ir.Call = call_cursor._node()
    new_f = eqv_proc._root
    if not equivalent(call.f, new_f):
        raise SchedulingError(f"{P}: cannot swap the call: {call.f.name} and {new_f.name} are "
                              "not equivalent (neither was scheduled from the other, nor both "
                              "from one procedure)", caller_srcinfo())
    why = _same_signature(call.f, new_f)
    if why is not None:
        raise SchedulingError(f"{P}: cannot swap the call: {why}", caller_srcinfo())
    _check_memories(P, new_f, call.args, procedure_buffers(proc._root))
    # equivalent modulo configuration fields: their final values may differ,
    # so the caller must not read them after the call
    fields = modified_configs(call.f) | modified_configs(new_f)
    steps = call_cursor._loc.steps
    for config, fld in sorted(fields, key=lambda f: (f[0].name(), f[1])):
        reader = field_observer(proc._root, steps[:-1], steps[-1][0], steps[-1][1] + 1,
                                (config, fld))
        if reader is not None:
            raise SchedulingError(
                f"{P}: cannot swap the call: {call.f.name} and {new_f.name} are equivalent "
                f"only up to the final value of {config.name()}.{fld}, which is read after "
                f"the call (at {reader.srcinfo})", caller_srcinfo())
    ed = ProcEditor(proc)
    ed.update(call_cursor, f=new_f)
    new = ed.finish()
    refuse_clashing_callee(P, new)
    failures = new_call_failures(proc, new)
    if failures:
        raise SchedulingError(f"{P}: the call of {new_f.name} would not be valid here: "
                              f"{failures[0]}", caller_srcinfo())
    add_modified_configs(new._root, fields)
    return new


@primitive(c_instr=Text("c_instr"), c_global=Text("c_global"))
def make_instr(proc: Procedure, c_instr: str, c_global: str = "") -> Procedure:
    """Make ``proc`` an instruction whose calls emit ``c_instr`` (with
    ``{arg}`` holes, as in ``@instr``) and whose compilation unit includes
    ``c_global`` once. The result is equivalent to ``proc`` (see `call_eqv`)::

        def axpy(n: size, ...):        @instr("axpy_c({n}, {x_data}, {y_data});")
            ...                  -->   def axpy(n: size, ...):
                                           ...
    """
    ed = ProcEditor(proc)
    ed.update_proc(instr=ir.InstrInfo(c_instr, c_global))
    return ed.finish()
