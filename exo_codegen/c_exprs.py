"""Compiling object-code expressions to C text.

Control expressions (indices, bounds, sizes, conditions) compile to
``int_fast32_t``/``bool`` C expressions. ``/`` and ``%`` follow floor
semantics: C's truncating operators are used when the dividend is known to be
non-negative (sums and constant multiples of sizes, constants and loop
iterators starting at a non-negative bound), else the helpers
``exo_floor_div``/``exo_mod`` are emitted and called.

Data expressions compile in the precision of their destination: a literal of
the generic type ``R`` is written as a literal of that precision.

Element access goes through the buffer's `Memory`: ``can_read()`` must allow
it; the ``read``/``write``/``reduce`` hooks may supply the text; a memory that
overrides ``window`` is asked for the element lvalue; otherwise the element is
``base[i * stride_0 + j * stride_1 ...]`` with row-major strides for tensors and
``x.strides[d]`` for windows (or the stride an assertion fixes).
"""

from __future__ import annotations

from attrs import evolve, frozen

import exo_core.ir as ir
from exo_core.errors import ExoError, MemGenError
from exo_core.ir.memory import Memory
from exo_core.ir.types import R, BOOL, ScalarType, is_control

from exo_codegen.c_names import Binding, CTRL, SCALAR_PTR, SCALAR_VAL, TENSOR, WINDOW
from exo_codegen.c_types import C_INT_LIMIT, data_literal, scalar_ctype
from exo_codegen.c_unit import CUnit
from exo_codegen.errors import CodegenError

ATOM = 100
UNARY = 90
_PREC = {"or": 10, "and": 20, "==": 30, "!=": 30, "<": 40, ">": 40, "<=": 40, ">=": 40,
         "+": 50, "-": 50, "*": 60, "/": 60, "%": 60}
_C_OP = {"and": "&&", "or": "||"}
_PAREN_BELOW = {"==": _PREC["<"] + 1, "!=": _PREC["<"] + 1, "or": _PREC["and"] + 1}


@frozen
class CExpr:
    """C text with its precedence (``op`` is the top-level binary operator)."""

    text: str
    prec: int = ATOM
    op: str = ""

    def wrap(self, min_prec: int) -> str:
        return f"({self.text})" if self.prec < min_prec else self.text

    @property
    def int_value(self):
        """The integer this text spells, if it is a plain integer literal."""
        t = self.text
        if t.isdecimal() or (t.startswith("-") and t[1:].isdecimal()):
            return int(t)
        return None


def mul_text(a: CExpr, b: CExpr) -> CExpr:
    """``a * b`` for integer index arithmetic, folding 0/1 and constants."""
    ai, bi = a.int_value, b.int_value
    if ai is not None and bi is not None:
        return CExpr(str(ai * bi), ATOM if ai * bi >= 0 else UNARY)
    if ai == 1:
        return b
    if bi == 1:
        return a
    if ai == 0 or bi == 0:
        return CExpr("0")
    lhs = a.wrap(60)
    rhs = b.text if b.prec > 60 or (b.prec == 60 and b.op == "*") else f"({b.text})"
    return CExpr(f"{lhs} * {rhs}", 60, "*")


def sum_text(terms: list[CExpr]) -> CExpr:
    """``t0 + t1 + ...`` for integer index arithmetic, dropping zeros."""
    terms = [t for t in terms if t.int_value != 0]
    if not terms:
        return CExpr("0")
    if len(terms) == 1:
        return terms[0]
    const = sum(t.int_value for t in terms if t.int_value is not None)
    rest = [t for t in terms if t.int_value is None]
    if const:
        rest.append(CExpr(str(const), ATOM if const > 0 else UNARY))
    if len(rest) == 1:
        return rest[0]
    text = rest[0].wrap(50)
    for t in rest[1:]:  # integer arithmetic: a + (b - c) == a + b - c
        text += f" + {t.wrap(50)}"
    return CExpr(text, 50, "+")


def offset_text(indices: list[CExpr], strides: list[CExpr]) -> CExpr:
    """The flat offset ``i0 * s0 + i1 * s1 + ...``."""
    return sum_text([mul_text(i, s) for i, s in zip(indices, strides)])


def is_atomic_c(text: str) -> bool:
    """True when ``text`` needs no parentheses as an operand: an identifier, a
    number, or a call/parenthesised expression whose first ``(`` closes last."""
    text = text.strip()
    if text.replace("_", "a").replace(".", "a").isalnum():
        return True
    start = text.find("(")
    if start < 0 or not text.endswith(")"):
        return False
    head = text[:start]
    if head and not head.replace("_", "a").isalnum():
        return False
    depth = 0
    for k, ch in enumerate(text[start:], start):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and k != len(text) - 1:
            return False
    return depth == 0


def default_window_hook(mem) -> bool:
    """True when ``mem`` keeps the base `Memory.window` (plain C indexing)."""
    hook = getattr(mem, "window", None)
    return getattr(hook, "__func__", None) is Memory.window.__func__


def call_memory_hook(mem, hook: str, srcinfo, *args):
    """Call ``mem.<hook>(*args, srcinfo)``; report failures at ``srcinfo``."""
    try:
        return getattr(mem, hook)(*args, srcinfo)
    except MemGenError as err:
        if err.srcinfo is None and not str(err.message).startswith(str(srcinfo)):
            raise MemGenError(err.message, srcinfo) from None
        raise
    except ExoError:
        raise
    except Exception as err:  # a user's memory class failed: report it as theirs
        name = mem.name() if hasattr(mem, "name") else getattr(mem, "__name__", str(mem))
        detail = f": {err}" if str(err) else ""
        raise MemGenError(
            f"memory {name} failed in its {hook}() hook ({type(err).__name__}{detail})",
            srcinfo) from err


def mem_can_read(mem, srcinfo) -> bool:
    """``mem.can_read()``, with a failure of a user's memory class reported at
    ``srcinfo`` (the buffer's declaration or use)."""
    try:
        return bool(mem.can_read())
    except ExoError:
        raise
    except Exception as err:
        detail = f": {err}" if str(err) else ""
        raise MemGenError(f"memory {mem_name(mem)} failed in its can_read() hook "
                          f"({type(err).__name__}{detail})", srcinfo) from err


def mem_name(mem) -> str:
    try:
        return mem.name()
    except Exception:  # a memory class without the usual classmethods
        return getattr(mem, "__name__", str(mem))


class ExprCompiler:
    """Compiles expressions of one procedure given its name bindings."""

    def __init__(self, unit: CUnit, env: dict):
        self.unit = unit
        self.env = env  # Sym -> Binding

    def binding(self, name, srcinfo) -> Binding:
        try:
            return self.env[name]
        except KeyError:
            raise CodegenError(f"'{name}' is used outside the scope that defines it",
                               srcinfo) from None

    # --- control expressions ----------------------------------------------
    def ctrl(self, e) -> CExpr:
        """An index/size/bool expression."""
        if isinstance(e, ir.Const):
            if isinstance(e.val, bool) or e.type is BOOL:
                return CExpr("true" if e.val else "false")
            if isinstance(e.val, float):
                if not e.val.is_integer():
                    raise CodegenError(f"the control value {e.val} is not an integer",
                                       e.srcinfo)
                v = int(e.val)
            else:
                v = int(e.val)
            if not -C_INT_LIMIT <= v < C_INT_LIMIT:
                raise CodegenError(f"the integer {v} does not fit in C's 64-bit integers",
                                   e.srcinfo)
            return CExpr(str(v), ATOM if v >= 0 else UNARY)
        if isinstance(e, ir.Read):
            b = self.binding(e.name, e.srcinfo)
            if b.kind != CTRL or e.idx:
                raise CodegenError(f"'{e.name}' is not a control value", e.srcinfo)
            return CExpr(b.cname)
        if isinstance(e, ir.StrideExpr):
            b = self.binding(e.name, e.srcinfo)
            if not (0 <= e.dim < len(b.strides)):
                raise CodegenError(f"stride({e.name}, {e.dim}): '{e.name}' has no "
                                   f"dimension {e.dim}", e.srcinfo)
            return b.strides[e.dim]
        if isinstance(e, ir.USub):
            a = self.ctrl(e.arg)
            if a.int_value is not None:
                return CExpr(str(-a.int_value), ATOM if -a.int_value >= 0 else UNARY)
            return CExpr(f"-{a.wrap(UNARY + 1)}", UNARY)
        if isinstance(e, ir.BinOp):
            return self._ctrl_binop(e)
        if isinstance(e, ir.ReadConfig):
            return CExpr(self.unit.config_var(e.config, e.field, e.type))
        raise CodegenError(f"this expression cannot be used as a control value",
                           getattr(e, "srcinfo", None))

    def _ctrl_binop(self, e) -> CExpr:
        op = e.op
        if op in ("/", "%"):
            lhs, rhs = self.ctrl(e.lhs), self.ctrl(e.rhs)
            divisor = rhs.int_value
            if divisor is not None and divisor > 0 and self.nonneg(e.lhs):
                return CExpr(f"{lhs.wrap(60)} {op} {rhs.wrap(61)}", 60, op)
            if op == "/":
                self.unit.needs_floor_div = True
                return CExpr(f"exo_floor_div({lhs.text}, {rhs.text})")
            self.unit.needs_mod = True
            return CExpr(f"exo_mod({lhs.text}, {rhs.text})")
        if op not in _PREC:
            raise CodegenError(f"unknown operator {op!r}", e.srcinfo)
        prec = _PREC[op]
        lhs, rhs = self.ctrl(e.lhs), self.ctrl(e.rhs)
        cop = _C_OP.get(op, op)
        # gcc's -Wparentheses wants a comparison operand of == / != and an
        # && operand of || in parentheses, though C's precedence needs none
        low = _PAREN_BELOW.get(op, prec)
        return CExpr(f"{lhs.wrap(low)} {cop} {rhs.wrap(max(low, prec + 1))}", prec, op)

    def nonneg(self, e) -> bool:
        """True when the control expression ``e`` is never negative."""
        if isinstance(e, ir.Const):
            return not isinstance(e.val, bool) and e.val >= 0
        if isinstance(e, ir.Read):
            b = self.env.get(e.name)
            return b is not None and b.kind == CTRL and b.nonneg
        if isinstance(e, ir.BinOp):
            if e.op in ("+", "*"):
                return self.nonneg(e.lhs) and self.nonneg(e.rhs)
            if e.op in ("/", "%"):
                return (self.nonneg(e.lhs) and isinstance(e.rhs, ir.Const)
                        and not isinstance(e.rhs.val, bool) and e.rhs.val > 0)
        return False

    # --- data expressions -------------------------------------------------
    def data(self, e, ctx: ScalarType, srcinfo) -> CExpr:
        """A numeric expression whose value goes into precision ``ctx``."""
        t = e.type if isinstance(e.type, ScalarType) and e.type.is_numeric() and e.type is not R else ctx
        if isinstance(e, ir.Const):
            lit = data_literal(e.val, t, e.srcinfo)
            return CExpr(lit, ATOM if not lit.startswith("-") else UNARY)
        if isinstance(e, ir.Read):
            if is_control(e.type):
                c = self.ctrl(e)
                return CExpr(f"(({scalar_ctype(t)}) {c.text})")
            return CExpr(self.read_element(e, srcinfo))
        if isinstance(e, ir.USub):
            a = self.data(e.arg, t, srcinfo)
            return CExpr(f"-{a.wrap(UNARY + 1)}", UNARY)
        if isinstance(e, ir.BinOp):
            if e.op not in ("+", "-", "*", "/"):
                raise CodegenError(f"the operator {e.op!r} is not defined on data values",
                                   e.srcinfo)
            prec = _PREC[e.op]
            lhs, rhs = self.data(e.lhs, t, srcinfo), self.data(e.rhs, t, srcinfo)
            return CExpr(f"{lhs.wrap(prec)} {e.op} {rhs.wrap(prec + 1)}", prec, e.op)
        if isinstance(e, ir.Extern):
            return self._extern(e, t, srcinfo)
        if isinstance(e, ir.ReadConfig):
            return CExpr(self.unit.config_var(e.config, e.field, e.type))
        if isinstance(e, ir.StrideExpr) or is_control(e.type):
            c = self.ctrl(e)
            return CExpr(f"(({scalar_ctype(t)}) {c.text})")
        raise CodegenError("a window cannot be used as a data value",
                           getattr(e, "srcinfo", srcinfo))

    def _extern(self, e, t: ScalarType, srcinfo) -> CExpr:
        ctype = scalar_ctype(t)
        args = [self.data(a, t, srcinfo).text for a in e.args]
        f = e.f
        fname = f.name() if callable(getattr(f, "name", None)) else str(f)
        try:
            text = f.compile(args, ctype)
            glob = f.globl(ctype)
        except ExoError:
            raise
        except Exception as err:
            raise CodegenError(f"extern {fname} failed to compile "
                               f"({type(err).__name__}: {err})", e.srcinfo) from err
        if not isinstance(text, str):
            raise CodegenError(f"extern {fname}'s compile() returned no C text", e.srcinfo)
        if isinstance(glob, str):
            self.unit.add_extern_global(glob)
        return CExpr(text if is_atomic_c(text) else f"({text})")

    # --- buffers ----------------------------------------------------------
    def check_can_access(self, b: Binding, name, srcinfo):
        mem = b.mem
        if mem is not None and not mem_can_read(mem, srcinfo):
            raise MemGenError(
                f"cannot read or write {mem_name(mem)} buffer {name} element-wise; "
                f"use an instruction", srcinfo)

    def index_texts(self, idx) -> list[CExpr]:
        return [self.ctrl(i) for i in idx]

    def element_lvalue(self, b: Binding, indices: list[CExpr], srcinfo) -> str:
        """The C lvalue of one element of buffer ``b`` (no access checks)."""
        if b.kind == SCALAR_PTR:
            return f"*{b.cname}"
        if b.kind == SCALAR_VAL:
            return b.cname
        if b.parts:
            b, indices = self._register_part(b, indices, srcinfo)
        if len(indices) != len(b.strides):
            raise CodegenError(f"{len(indices)} indices given for a buffer of "
                               f"{len(b.strides)} dimensions", srcinfo)
        if default_window_hook(b.mem):
            return f"{b.base_ptr}[{offset_text(indices, b.strides).text}]"
        text = call_memory_hook(b.mem, "window", srcinfo, b.type, b.base_ptr,
                                [i.text for i in indices], [s.text for s in b.strides])
        if not isinstance(text, str):
            raise MemGenError(f"memory {mem_name(b.mem)}'s window() returned no C text",
                              srcinfo)
        return text

    def _register_part(self, b: Binding, indices: list[CExpr], srcinfo):
        """The named register (and the lane indices) that the leading constant
        indices of a split register buffer select."""
        lead = len(next(iter(b.parts)))
        try:
            key = tuple(int(i.text) for i in indices[:lead])
        except ValueError:
            key = None
        cname = b.parts.get(key)
        if cname is None:
            raise CodegenError(f"register {', '.join(i.text for i in indices[:lead])} of a "
                               f"buffer split into named registers does not exist", srcinfo)
        return evolve(b, cname=cname, root=cname, parts={}), indices[lead:]

    def _access(self, name, idx, srcinfo):
        b = self.binding(name, srcinfo)
        if b.kind not in (SCALAR_PTR, SCALAR_VAL, TENSOR, WINDOW):
            raise CodegenError(f"'{name}' is not a data buffer", srcinfo)
        self.check_can_access(b, name, srcinfo)
        return b, self.index_texts(idx)

    def read_element(self, e: ir.Read, srcinfo) -> str:
        """``x``, ``*x``, ``x[i * 4 + j]``, ``x.data[i * x.strides[0]]``..."""
        b, indices = self._access(e.name, e.idx, e.srcinfo or srcinfo)
        if b.kind in (TENSOR, WINDOW) and not e.idx:
            raise CodegenError(f"the buffer '{e.name}' cannot be used as a data value",
                               e.srcinfo)
        hooked = call_memory_hook(b.mem, "read", e.srcinfo, b.type, b.base_ptr,
                                  [i.text for i in indices],
                                  [s.text for s in b.strides]) if b.mem is not None else None
        if hooked is not None:
            return hooked
        return self.element_lvalue(b, indices, e.srcinfo)

    def store(self, s, rhs_text: str) -> str:
        """The C statement of an Assign (``=``) or Reduce (``+=``)."""
        b, indices = self._access(s.name, s.idx, s.srcinfo)
        hook = "write" if isinstance(s, ir.Assign) else "reduce"
        if b.mem is not None:
            hooked = call_memory_hook(b.mem, hook, s.srcinfo, b.type, b.base_ptr,
                                      [i.text for i in indices],
                                      [x.text for x in b.strides], rhs_text)
            if hooked is not None:
                hooked = hooked.rstrip()
                return hooked if hooked.endswith(("; ", ";", "}")) else hooked + ";"
        lhs = self.element_lvalue(b, indices, s.srcinfo)
        op = "=" if isinstance(s, ir.Assign) else "+="
        return f"{lhs} {op} {rhs_text};"

    # --- windows ----------------------------------------------------------
    def window_parts(self, w: ir.WindowExpr):
        """``(binding, data lvalue, strides, known strides, point-free dims)``
        of the window expression ``w``: the lvalue of its first element and
        the strides of its interval dimensions."""
        b = self.binding(w.name, w.srcinfo)
        if b.kind not in (TENSOR, WINDOW):
            raise CodegenError(f"'{w.name}' is not a buffer that can be windowed", w.srcinfo)
        starts = [self.ctrl(a.lo if isinstance(a, ir.Interval) else a.pt) for a in w.idx]
        lvalue = self.element_lvalue(b, starts, w.srcinfo)
        strides, known = [], []
        lead = len(next(iter(b.parts))) if b.parts else 0  # split registers: lane dims only
        for d, a in enumerate(w.idx):
            if isinstance(a, ir.Interval):
                strides.append(b.strides[d - lead])
                known.append(b.known_strides[d - lead] if d - lead < len(b.known_strides)
                             else None)
        return b, lvalue, strides, known
