"""Compiling one procedure's signature and body to C.

`ProcCompiler` walks the statements of a `ProcIR`, keeping for every name a
`Binding` (what it is in C) and, per C block, the allocations still to free
(through ``Memory.free``): each right after the last statement of the block
that uses it (`exo_codegen.free_points`), the unused ones when the block ends. A local no later statement reads is
marked used right after its declaration (``float t;`` ``(void)t;``), so the C
builds under ``-Wall -Werror``.

Calls of ordinary procedures pass ``ctxt`` first, then per parameter: control
values, pointers for numeric scalars and tensors, and window structs built
from window expressions. Calls of ``@instr`` procedures paste the
instruction's C text with its holes filled (see `instr_holes`).
"""

from __future__ import annotations

import string

import exo_core.ir as ir
from exo_core.errors import ExoError
from exo_core.ir.printer import expr_to_str
from exo_core.ir.types import BOOL, SIZE, TensorType, ScalarType, is_control
from exo_core.ir.walk import walk_expr

from exo_codegen.c_exprs import (ExprCompiler, CExpr, call_memory_hook, is_atomic_c, mul_text,
                      mem_can_read, mem_name)
from exo_codegen.c_names import Binding, NameScope, CTRL, SCALAR_PTR, SCALAR_VAL, TENSOR, WINDOW
from exo_codegen.c_types import scalar_ctype
from exo_codegen.c_unit import CUnit
from exo_codegen.errors import CodegenError
from exo_codegen.free_points import last_uses, unread_locals
from exo_codegen.proc_facts import written_params, stride_facts
from exo_codegen.register_split import register_indices, split_shape

INDENT = "    "


def tensor_strides(shape: list[CExpr]) -> tuple[list[CExpr], list]:
    """Row-major strides (C text, known integer or None) of a dense tensor."""
    strides, known = [], []
    acc = CExpr("1")
    for ext in reversed(shape):
        strides.append(acc)
        known.append(acc.int_value)
        acc = mul_text(ext, acc)
    return strides[::-1], known[::-1]


def register_buffer_arg(exprs, arg) -> bool:
    """Is ``arg`` a buffer (or window of one) in a memory without element access?"""
    if not isinstance(arg, (ir.Read, ir.WindowExpr)):
        return False
    b = exprs.binding(arg.name, arg.srcinfo)
    return (b.kind in (TENSOR, WINDOW) and b.mem is not None and not mem_can_read(b.mem, arg.srcinfo)
            and (isinstance(arg, ir.WindowExpr) or not arg.idx))


def check_arg_memory(exprs, f: ir.ProcIR, param: ir.FnArg, arg):
    """A buffer argument must live in the memory the callee's parameter names,
    when either of the two memories has no element access (registers cannot be
    passed where main memory is expected, nor the other way round)."""
    if not isinstance(arg, (ir.Read, ir.WindowExpr)) or param.mem is None:
        return
    b = exprs.binding(arg.name, arg.srcinfo)
    if b.kind not in (TENSOR, WINDOW, SCALAR_PTR, SCALAR_VAL) or b.mem is None:
        return
    if b.mem is param.mem or (mem_can_read(b.mem, arg.srcinfo) and mem_can_read(param.mem, arg.srcinfo)):
        return
    if issubclass(b.mem, param.mem) or mem_name(b.mem) == mem_name(param.mem):
        # (a user's own copy of a library memory, under the same name, is accepted)
        return
    raise CodegenError(
        f"argument {param.name} of {f.name} must be in {mem_name(param.mem)} memory, "
        f"but {arg.name} is in {mem_name(b.mem)}", arg.srcinfo)


class ProcCompiler:
    """Compiles one non-instruction procedure.

    ``c_names`` maps ``id(ProcIR)`` of every procedure of the file to its C
    function name; ``reserved`` are identifiers locals must not shadow.
    """

    def __init__(self, proc: ir.ProcIR, unit: CUnit, c_names: dict, reserved=()):
        self.proc = proc
        self.unit = unit
        self.c_names = c_names
        self.env: dict = {}
        self.names = NameScope(reserved)
        self.exprs = ExprCompiler(unit, self.env)
        self.lines: list[str] = []
        self.depth = 1
        self.written = written_params(proc)
        self.strides_fixed = stride_facts(proc)

    # --- signature --------------------------------------------------------
    def signature(self) -> str:
        """``void name(void *ctxt, ...)`` (binds the parameters)."""
        params = ["void *ctxt"]
        for a in self.proc.args:
            params.append(self._bind_param(a))
        return f"void {self.c_names[id(self.proc)]}({', '.join(params)})"

    def _bind_param(self, a: ir.FnArg) -> str:
        t = a.type
        cname = self.names.fresh(a.name.name)
        is_const = a.name not in self.written
        if isinstance(t, ScalarType) and is_control(t):
            nonneg = t is SIZE
            self.env[a.name] = Binding(cname, CTRL, t, nonneg=nonneg, root=cname)
            return f"{scalar_ctype(t)} {cname}"
        if isinstance(t, ScalarType):
            self.env[a.name] = Binding(cname, SCALAR_PTR, t, a.mem, is_const=is_const,
                                       root=cname)
            return f"{'const ' if is_const else ''}{scalar_ctype(t)}* {cname}"
        if isinstance(t, TensorType) and not t.is_window:
            shape = [self.exprs.ctrl(e) for e in t.shape_exprs]
            strides, known = tensor_strides(shape)
            self.env[a.name] = Binding(cname, TENSOR, t, a.mem, strides, known,
                                       is_const=is_const, root=cname)
            return f"{'const ' if is_const else ''}{scalar_ctype(t.elem)}* {cname}"
        if isinstance(t, TensorType) and a.mem is not None and not mem_can_read(a.mem, a.srcinfo):
            return self._bind_register_param(a, cname)
        if isinstance(t, TensorType):
            strides, known = [], []
            for d in range(t.ndim()):
                fixed = self.strides_fixed.get((a.name, d))
                strides.append(CExpr(str(fixed)) if fixed is not None
                               else CExpr(f"{cname}.strides[{d}]"))
                known.append(fixed)
            self.env[a.name] = Binding(cname, WINDOW, t, a.mem, strides, known,
                                       is_const=is_const, root=cname)
            struct = self.unit.window_struct(t.ndim(), t.elem, is_const)
            return f"{struct} {cname}"
        raise CodegenError(f"parameter {a.name} has a type ({t}) with no C form",
                           a.srcinfo)

    def _bind_register_param(self, a: ir.FnArg, cname: str) -> str:
        """A buffer parameter in a memory without element access (vector or
        tile registers) is passed as a pointer to the memory's own storage:
        the declaration is what ``alloc`` gives for the name ``(*x)``, e.g.
        ``__m512 (*x)``, and the body uses ``(*x)`` wherever it would use an
        allocated ``x``. Callers pass ``&x`` (or ``&x[i]`` for a window)."""
        t = a.type
        shape = [self.exprs.ctrl(e) for e in t.shape_exprs]
        shape_texts = [x.text for x in shape]
        ref = f"(*{cname})"
        text = call_memory_hook(a.mem, "alloc", a.srcinfo, ref, scalar_ctype(t.elem),
                                shape_texts)
        decl = text.strip() if isinstance(text, str) else ""
        if decl.endswith(";"):
            decl = decl[:-1].rstrip()
        if (not decl or "\n" in decl or decl.startswith("#") or ref not in decl
                or ";" in decl):
            raise CodegenError(
                f"parameter {a.name} is in {mem_name(a.mem)}, whose alloc() gives no C "
                f"declaration a pointer can be made of; buffers in {mem_name(a.mem)} can "
                f"only be parameters of instructions", a.srcinfo)
        strides, known = tensor_strides(shape)
        self.env[a.name] = Binding(ref, TENSOR, t, a.mem, strides, known, root=ref)
        return decl

    # --- body -------------------------------------------------------------
    def body(self) -> str:
        """The C statements of the body (call after `signature`)."""
        self._assumptions()
        self._block(self.proc.body, scoped=False)
        return "\n".join(self.lines)

    def _assumptions(self):
        """Each assertion of the procedure is a fact the C compiler may use:
        ``assert n % 4 == 0`` -> ``EXO_ASSUME(n % 4 == 0);``. An assertion
        that fixes a window's stride is already used in the indexing (the
        stride is a constant there), so it stays as a comment."""
        for pred in self.proc.preds:
            if any(isinstance(e, ir.StrideExpr) for e in walk_expr(pred)):
                self.emit(f"// assert {expr_to_str(pred)}")
                continue
            self.unit.needs_assume = True
            self.emit(f"EXO_ASSUME({self.exprs.ctrl(pred).text});")

    def emit(self, text: str):
        for line in text.split("\n"):
            self.lines.append(INDENT * self.depth + line if line else "")

    def _block(self, block, scoped=True):
        if scoped:
            self.names.push()
        pending: list = []  # (name, binding, shape texts, alloc stmt)
        frees = last_uses(block)
        unread = unread_locals(block)
        for k, s in enumerate(block):
            if isinstance(s, ir.Alloc):
                self._alloc(s, pending, split_shape(s, block[k + 1:]), s.name in unread)
                continue
            self._stmt(s, pending)
            if isinstance(s, ir.WindowStmt) and s.name in unread:
                self.emit(f"(void){self.env[s.name].cname};")
            done = frees.get(k)
            if done:
                # freed after their last use, latest allocation first
                for entry in [e for e in reversed(pending) if e[0] in done]:
                    self._free(entry[1], entry[2], entry[3])
                    pending.remove(entry)
        for name, b, shape, s in reversed(pending):
            self._free(b, shape, s)
        if scoped:
            self.names.pop()

    def _stmt(self, s, pending):
        if isinstance(s, (ir.Assign, ir.Reduce)):
            b = self.exprs.binding(s.name, s.srcinfo)
            rhs = self.exprs.data(s.rhs, b.type.basetype(), s.srcinfo)
            self.emit(self.exprs.store(s, rhs.text))
        elif isinstance(s, ir.WriteConfig):
            self._write_config(s)
        elif isinstance(s, ir.Pass):
            self.emit("; // pass")
        elif isinstance(s, ir.If):
            self.emit(f"if ({self.exprs.ctrl(s.cond).text}) {{")
            self._nested(s.body)
            if len(s.orelse):
                self.emit("} else {")
                self._nested(s.orelse)
            self.emit("}")
        elif isinstance(s, ir.For):
            self._for(s)
        elif isinstance(s, ir.Alloc):
            self._alloc(s, pending, None, False)
        elif isinstance(s, ir.Call):
            if s.f.instr is not None:
                self._instr_call(s)
            else:
                self._call(s)
        elif isinstance(s, ir.WindowStmt):
            self._window_stmt(s)
        else:
            raise CodegenError(f"unknown statement {type(s).__name__}",
                               getattr(s, "srcinfo", None))

    def _nested(self, block):
        self.depth += 1
        self._block(block)
        self.depth -= 1

    def _for(self, s: ir.For):
        lo, hi = self.exprs.ctrl(s.lo), self.exprs.ctrl(s.hi)
        self.names.push()
        cname = self.names.fresh(s.iter.name)
        self.env[s.iter] = Binding(cname, CTRL, SIZE, nonneg=self.exprs.nonneg(s.lo),
                                   root=cname)
        if s.loop_mode == "par":
            self.emit("#pragma omp parallel for")
        elif s.loop_mode != "seq":
            raise CodegenError(f"loop mode {s.loop_mode!r} is not supported yet", s.srcinfo)
        self.emit(f"for (int_fast32_t {cname} = {lo.text}; {cname} < {hi.text}; {cname}++) {{")
        self._nested(s.body)
        self.emit("}")
        self.names.pop()
        del self.env[s.iter]

    def _write_config(self, s: ir.WriteConfig):
        seen = s.rhs.type if isinstance(s.rhs.type, ScalarType) else None
        var = self.unit.config_var(s.config, s.field, seen)
        ftype = self.unit.configs[id(s.config)][1][s.field]
        if ftype is None:
            raise CodegenError(f"the type of configuration field {s.field} is unknown",
                               s.srcinfo)
        if is_control(ftype):
            rhs = self.exprs.ctrl(s.rhs)
        else:
            rhs = self.exprs.data(s.rhs, ftype, s.srcinfo)
        self.emit(f"{var} = {rhs.text};")

    # --- allocation -------------------------------------------------------
    def _declare(self, text: str, cname: str, unread: bool):
        """Emit an allocation's C text; mark a plain declaration (no
        initializer: nothing else reads it, not even a ``free``) of a local
        never read as used."""
        if text.strip():
            self.emit(text)
        decl = text.strip()
        if (unread and decl and not decl.startswith("#") and "\n" not in decl
                and "=" not in decl):
            self.emit(f"(void){cname};")

    def _alloc(self, s: ir.Alloc, pending, split: list[int] | None, unread: bool):
        t, mem = s.type, s.mem
        if split is not None:
            self._alloc_registers(s, pending, split, unread)
            return
        cname = self.names.fresh(s.name.name)
        if isinstance(t, TensorType):
            shape = [self.exprs.ctrl(e) for e in t.shape_exprs]
            strides, known = tensor_strides(shape)
            b = Binding(cname, TENSOR, t, mem, strides, known, root=cname)
            elem = t.elem
        else:
            shape = []
            b = Binding(cname, SCALAR_VAL, t, mem, root=cname)
            elem = t
        shape_texts = [x.text for x in shape]
        text = call_memory_hook(mem, "alloc", s.srcinfo, cname, scalar_ctype(elem),
                                shape_texts)
        if not isinstance(text, str):
            raise CodegenError(f"memory {mem_name(mem)}'s alloc() returned no C text",
                               s.srcinfo)
        self._declare(text, cname, unread)
        self.env[s.name] = b
        pending.append((s.name, b, shape_texts, s))

    def _alloc_registers(self, s: ir.Alloc, pending, lead_shape: list[int], unread: bool):
        """A register buffer as one C variable per register (see
        `exo_codegen.register_split`): ``c_reg_0_0``, ``c_reg_0_1``, ..."""
        t, mem = s.type, s.mem
        lanes = [self.exprs.ctrl(e) for e in t.shape_exprs[len(lead_shape):]]
        lane_texts = [x.text for x in lanes]
        strides, known = tensor_strides(lanes)
        parts = {}
        for idx in register_indices(lead_shape):
            cname = self.names.fresh("_".join([s.name.name] + [str(i) for i in idx]))
            text = call_memory_hook(mem, "alloc", s.srcinfo, cname, scalar_ctype(t.elem),
                                    lane_texts)
            if not isinstance(text, str):
                raise CodegenError(f"memory {mem_name(mem)}'s alloc() returned no C text",
                                   s.srcinfo)
            self._declare(text, cname, unread)
            parts[tuple(idx)] = cname
        first = parts[next(iter(parts))]
        b = Binding(first, TENSOR, t, mem, strides, known, root=first, parts=parts)
        self.env[s.name] = b
        pending.append((s.name, b, lane_texts, s))

    def _free(self, b: Binding, shape_texts, s):
        elem = b.type.basetype()
        for cname in (b.parts.values() if b.parts else [b.cname]):
            text = call_memory_hook(b.mem, "free", s.srcinfo, cname, scalar_ctype(elem),
                                    shape_texts)
            if isinstance(text, str) and text.strip():
                self.emit(text)

    # --- windows ----------------------------------------------------------
    def window_struct_literal(self, w: ir.WindowExpr, is_const: bool) -> str:
        """``(struct exo_win_1f32){ &x[2], { 1 } }`` for window expression ``w``."""
        b, lvalue, strides, _ = self.exprs.window_parts(w)
        struct = self.unit.window_struct(len(strides), b.type.basetype(), is_const)
        return f"({struct}){{ &{lvalue}, {{ {', '.join(s.text for s in strides)} }} }}"

    def whole_struct_literal(self, b: Binding, is_const: bool, srcinfo) -> str:
        """A window struct of the whole buffer ``b`` (tensor or window)."""
        ndim = len(b.strides)
        if b.kind == WINDOW and b.is_const == is_const:
            return b.cname
        struct = self.unit.window_struct(ndim, b.type.basetype(), is_const)
        if b.kind == WINDOW:
            data = f"{b.cname}.data"
        else:
            data = "&" + self.exprs.element_lvalue(b, [CExpr("0")] * ndim, srcinfo)
        return f"({struct}){{ {data}, {{ {', '.join(s.text for s in b.strides)} }} }}"

    def _window_stmt(self, s: ir.WindowStmt):
        base = self.exprs.binding(s.rhs.name, s.rhs.srcinfo)
        if base.mem is not None and not mem_can_read(base.mem, s.srcinfo):
            raise CodegenError(f"window statements over {mem_name(base.mem)} buffers "
                               f"({s.rhs.name}) are not supported yet; pass the window "
                               f"expression to the instruction directly", s.srcinfo)
        b, lvalue, strides, known = self.exprs.window_parts(s.rhs)
        is_const = b.is_const
        struct = self.unit.window_struct(len(strides), b.type.basetype(), is_const)
        cname = self.names.fresh(s.name.name)
        self.emit(f"{struct} {cname} = ({struct}){{ &{lvalue}, "
                  f"{{ {', '.join(x.text for x in strides)} }} }};")
        wtype = s.rhs.type if isinstance(s.rhs.type, TensorType) else \
            TensorType(b.type.basetype(), [ir.Const(0)] * len(strides), True)
        my_strides = [CExpr(str(k)) if k is not None else CExpr(f"{cname}.strides[{d}]")
                      for d, k in enumerate(known)]
        self.env[s.name] = Binding(cname, WINDOW, wtype, b.mem, my_strides, known,
                                   is_const=is_const, root=b.root)

    # --- calls ------------------------------------------------------------
    def _check_arity(self, s: ir.Call):
        if len(s.args) != len(s.f.args):
            raise CodegenError(f"{s.f.name} takes {len(s.f.args)} arguments but "
                               f"{len(s.args)} were given", s.srcinfo)

    def _call(self, s: ir.Call):
        self._check_arity(s)
        callee_written = written_params(s.f)
        args = ["ctxt"]
        for param, arg in zip(s.f.args, s.args):
            check_arg_memory(self.exprs, s.f, param, arg)
            if register_buffer_arg(self.exprs, arg):
                args.append(self._register_arg(s.f, param, arg))
                continue
            args.append(self._call_arg(param, arg, param.name not in callee_written,
                                       s.srcinfo))
        self.emit(f"{self.c_names[id(s.f)]}({', '.join(args)});")

    def _register_arg(self, f: ir.ProcIR, param: ir.FnArg, arg) -> str:
        """``&x`` or ``&x[i]``: a pointer to register storage (see
        `_bind_register_param`)."""
        b = self.exprs.binding(arg.name, arg.srcinfo)
        if isinstance(arg, ir.Read) and not arg.idx:
            return f"&{b.cname}"
        if isinstance(arg, ir.WindowExpr) and param.type.ndim() == 1:
            _, lvalue, _, _ = self.exprs.window_parts(arg)
            return f"&{lvalue}"
        raise CodegenError(
            f"passing a {len(param.type.shape())}-dimensional window of the "
            f"{mem_name(b.mem)} buffer {arg.name} to {f.name} is not supported yet; pass "
            f"the whole buffer or one vector at a time", arg.srcinfo)

    def _call_arg(self, param: ir.FnArg, arg, is_const: bool, srcinfo) -> str:
        pt = param.type
        if isinstance(pt, ScalarType) and is_control(pt):
            return self.exprs.ctrl(arg).text
        if isinstance(pt, ScalarType):
            return self._scalar_ref(param, arg, srcinfo)
        if isinstance(pt, TensorType) and not pt.is_window:
            if isinstance(arg, ir.Read) and not arg.idx:
                b = self.exprs.binding(arg.name, arg.srcinfo)
                if b.kind == TENSOR:
                    return b.cname
            raise CodegenError(
                f"the C code cannot pass a window to {param.name}, a tensor parameter "
                f"({pt}); declare the parameter as a window ([{pt.elem}][...]) or pass a "
                "whole buffer", getattr(arg, "srcinfo", srcinfo))
        if isinstance(arg, ir.WindowExpr):
            return self.window_struct_literal(arg, is_const)
        if isinstance(arg, ir.Read) and not arg.idx:
            b = self.exprs.binding(arg.name, arg.srcinfo)
            if b.kind in (TENSOR, WINDOW):
                return self.whole_struct_literal(b, is_const, arg.srcinfo)
        raise CodegenError(f"argument {param.name} must be a window or a buffer",
                           getattr(arg, "srcinfo", srcinfo))

    def _scalar_ref(self, param, arg, srcinfo) -> str:
        """A pointer to a numeric scalar argument."""
        if isinstance(arg, ir.Read):
            b = self.exprs.binding(arg.name, arg.srcinfo)
            if b.kind == SCALAR_PTR and not arg.idx:
                return b.cname
            if b.kind == SCALAR_VAL and not arg.idx:
                return f"&{b.cname}"
            if b.kind in (TENSOR, WINDOW) and len(arg.idx) == len(b.strides):
                idx = self.exprs.index_texts(arg.idx)
                return f"&{self.exprs.element_lvalue(b, idx, arg.srcinfo)}"
        raise CodegenError(f"argument {param.name} is a numeric scalar parameter: pass a "
                           f"scalar variable or a buffer element",
                           getattr(arg, "srcinfo", srcinfo))

    # --- instructions -----------------------------------------------------
    def _instr_call(self, s: ir.Call):
        self._check_arity(s)
        for param, arg in zip(s.f.args, s.args):
            check_arg_memory(self.exprs, s.f, param, arg)
        self.unit.add_instr(s.f)
        holes = InstrHoles(self, s)
        try:
            text = holes.format(s.f.instr.c_instr)
        except ExoError:
            raise
        except (KeyError, IndexError, ValueError, AttributeError, TypeError) as err:
            raise CodegenError(f"instruction {s.f.name}'s C text cannot be filled in "
                               f"({type(err).__name__}: {err}); holes are {{arg}}, "
                               f"{{arg_data}} and {{arg_int}} for its arguments",
                               s.srcinfo) from err
        self.emit(text)


class InstrHoles(string.Formatter):
    """Fills the holes of an instruction's C text at one call.

    For each instruction parameter ``x``:

    - ``{x}``: the argument as compiled for a procedure call: a control value,
      the value of a scalar, a tensor's pointer, or a window struct literal
      (``(struct exo_win_2i32c){ &y[0], { 4, 1 } }``), parenthesised when not
      atomic;
    - ``{x_data}``: the lvalue of the argument's first element as the memory's
      ``window`` hook gives it (``y[0]``, ``x.data[0]``, a vector register
      name...), or the scalar's lvalue;
    - ``{x_int}``: the C name of the buffer behind the argument (for
      StaticMemory-style memories that ``#define`` the buffer name to a
      register name); for a window statement, the buffer it windows.

    Holes are computed only when the text uses them, so an instruction on a
    memory whose ``window`` hook refuses a form never asks for that form.
    """

    def __init__(self, pc: ProcCompiler, call: ir.Call):
        super().__init__()
        self.pc = pc
        self.call = call
        self.params = {p.name.name: (p, a) for p, a in zip(call.f.args, call.args)}
        self.written = written_params(call.f)

    def get_value(self, key, args, kwargs):
        if not isinstance(key, str):
            raise CodegenError(f"instruction {self.call.f.name}'s C text has a positional "
                               f"hole {{{key}}}; name an argument instead",
                               self.call.srcinfo)
        if key in self.params:
            return self._value(*self.params[key])
        for suffix, fn in (("_data", self._data), ("_int", self._int)):
            if key.endswith(suffix) and key[: -len(suffix)] in self.params:
                return fn(*self.params[key[: -len(suffix)]])
        raise CodegenError(f"instruction {self.call.f.name}'s C text has a hole {{{key}}} "
                           f"that names none of its arguments ({', '.join(self.params)})",
                           self.call.srcinfo)

    def _value(self, param, arg) -> str:
        pc = self.pc
        pt = param.type
        if isinstance(pt, ScalarType) and is_control(pt):
            text = pc.exprs.ctrl(arg).text
        elif isinstance(pt, ScalarType):
            text = self._data(param, arg)
        else:
            text = pc._call_arg(param, arg, param.name not in self.written, self.call.srcinfo)
        return text if is_atomic_c(text) else f"({text})"

    def _data(self, param, arg) -> str:
        pc = self.pc
        if isinstance(arg, ir.WindowExpr):
            return pc.exprs.window_parts(arg)[1]
        if isinstance(arg, ir.Read):
            b = pc.exprs.binding(arg.name, arg.srcinfo)
            if b.kind == CTRL:
                return b.cname
            if b.kind in (TENSOR, WINDOW) and not arg.idx:
                zeros = [CExpr("0")] * len(b.strides)
                return pc.exprs.element_lvalue(b, zeros, arg.srcinfo)
            idx = pc.exprs.index_texts(arg.idx)
            return pc.exprs.element_lvalue(b, idx, arg.srcinfo)
        return pc.exprs.ctrl(arg).text if is_control(getattr(arg, "type", None)) else \
            pc.exprs.data(arg, param.type.basetype(), self.call.srcinfo).text

    def _int(self, param, arg) -> str:
        if isinstance(arg, (ir.Read, ir.WindowExpr)):
            return self.pc.exprs.binding(arg.name, arg.srcinfo).root
        raise CodegenError(f"{{{param.name}_int}} needs a buffer argument",
                           self.call.srcinfo)
