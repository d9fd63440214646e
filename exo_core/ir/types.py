"""The type language of object code.

Data (numeric) types: the precisions f16 f32 f64 i8 i32 ui8 ui16 and the generic
numeric type R (which the compiler lowers to f32). Control types: bool, index,
size, stride, and int (the type of integer literals in control expressions).
Buffers: `TensorType` (a dense tensor, or a window when ``is_window``).

Types are immutable values; numeric and control types are singletons compared
by identity, tensor types structurally (their shapes are IR expressions, compared
with `exo_core.ir.equal.expr_equal`).
"""

from __future__ import annotations

from attrs import frozen, field


@frozen(slots=True, eq=False)
class ScalarType:
    """A numeric (data) or control type. Singletons: compare with ``is``."""

    name: str  # as printed in object code: f32, i8, R, index, size, ...
    kind: str  # "num" or "ctrl"
    ctype: str | None = None  # C spelling for numeric types

    def __str__(self):
        return self.name

    __repr__ = __str__

    # --- predicates (names follow the reference's ExoType helpers) ---
    def is_numeric(self) -> bool:
        return self.kind == "num"

    def is_real_scalar(self) -> bool:
        return self.kind == "num"

    def is_indexable(self) -> bool:
        return self in (INT, INDEX, SIZE, STRIDE)

    def is_bool(self) -> bool:
        return self is BOOL

    def is_tensor_or_window(self) -> bool:
        return False

    def is_win(self) -> bool:
        return False

    def basetype(self) -> "ScalarType":
        return self

    def shape(self):
        return ()

    # Without `from __future__ import annotations`, Python evaluates argument
    # annotations such as `f32[16] @ DRAM` before @proc reads the source text.
    # These two hooks let that evaluation succeed; the front end ignores the
    # value and parses the annotation from the source.
    def __getitem__(self, dims):
        return EvaluatedAnnotation(self)

    def __matmul__(self, mem):
        return EvaluatedAnnotation(self)


class EvaluatedAnnotation:
    """The throwaway value of an evaluated annotation like ``f32[16] @ DRAM``."""

    __slots__ = ("elem",)

    def __init__(self, elem):
        self.elem = elem

    def __matmul__(self, mem):
        return self


F16 = ScalarType("f16", "num", "_Float16")
F32 = ScalarType("f32", "num", "float")
F64 = ScalarType("f64", "num", "double")
I8 = ScalarType("i8", "num", "int8_t")
UI8 = ScalarType("ui8", "num", "uint8_t")
UI16 = ScalarType("ui16", "num", "uint16_t")
I32 = ScalarType("i32", "num", "int32_t")
R = ScalarType("R", "num", "float")

BOOL = ScalarType("bool", "ctrl", "bool")
INT = ScalarType("int", "ctrl", "int_fast32_t")
INDEX = ScalarType("index", "ctrl", "int_fast32_t")
SIZE = ScalarType("size", "ctrl", "int_fast32_t")
STRIDE = ScalarType("stride", "ctrl", "int_fast32_t")

NUMERIC_TYPES = {t.name: t for t in (F16, F32, F64, I8, UI8, UI16, I32, R)}
CONTROL_TYPES = {t.name: t for t in (BOOL, INDEX, SIZE, STRIDE)}

# A few aliases the reference accepts in annotations.
NUMERIC_ALIASES = {"f16": F16, "f32": F32, "f64": F64, "i8": I8, "ui8": UI8,
                   "ui16": UI16, "i32": I32, "R": R}


@frozen(slots=True, eq=False)
class TensorType:
    """A buffer type: ``f32[N, 4]`` (tensor) or ``[f32][N, 4]`` (window).

    ``shape`` is a tuple of IR expressions of control type (constants, size
    arguments, affine combinations of them). Its text form is
    `exo_core.ir.printer.type_to_str`, also its ``str()``.
    """

    elem: ScalarType
    shape_exprs: tuple = field(converter=tuple)
    is_window: bool = False

    def shape(self):
        return self.shape_exprs

    def basetype(self) -> ScalarType:
        return self.elem

    def is_numeric(self) -> bool:
        return True

    def is_real_scalar(self) -> bool:
        return False

    def is_indexable(self) -> bool:
        return False

    def is_bool(self) -> bool:
        return False

    def is_tensor_or_window(self) -> bool:
        return True

    def is_win(self) -> bool:
        return self.is_window

    def ndim(self) -> int:
        return len(self.shape_exprs)

    def with_window(self, is_window: bool) -> "TensorType":
        return TensorType(self.elem, self.shape_exprs, is_window)

    # ``str()`` / ``repr()`` (``f32[N, 4]``) print the shape expressions, which
    # needs the expression printer; that sits above this module, so
    # `exo_core.ir.printer` defines them (as `type_to_str`) on this class.


def control_result_type(op: str, lt: ScalarType, rt: ScalarType) -> ScalarType:
    """The type of the control expression ``lhs op rhs`` (op one of + - * / %)
    whose operands have types ``lt`` and ``rt``: int when both are literals,
    stride when either is a stride, size for sums and products of sizes and
    literals, index otherwise. The typechecker and every rewrite use this one
    rule, so rewritten code carries the types its printed text parses back to."""
    if lt is INT and rt is INT:
        return INT
    if STRIDE in (lt, rt):
        return STRIDE
    if op in ("+", "*") and lt in (SIZE, INT) and rt in (SIZE, INT):
        return SIZE
    return INDEX


def control_negation_type(t: ScalarType) -> ScalarType:
    """The type of ``-e`` for a control expression ``e`` of type ``t`` (a
    negated size is an index)."""
    return INDEX if t is SIZE else t


def data_result_type(lt: ScalarType, rt: ScalarType) -> ScalarType:
    """The type of the data expression ``lhs op rhs`` whose operands have
    precisions ``lt`` and ``rt``: the common precision, the generic R giving
    way to the other side (a literal takes the precision of what it meets)."""
    if lt is rt:
        return lt
    if lt is R:
        return rt
    if rt is R:
        return lt
    return R


def is_numeric(t) -> bool:
    return t is not None and t.is_numeric()


def is_control(t) -> bool:
    return isinstance(t, ScalarType) and t.kind == "ctrl"
