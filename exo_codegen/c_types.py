"""C spellings of object-code types, literals and identifiers.

- numeric precisions map to C types (``f32 -> float``, ``i32 -> int32_t``,
  the generic ``R -> float``); control types (index, size, stride) to
  ``int_fast32_t`` and ``bool`` to ``bool``;
- windows of ``n`` dimensions over element type ``t`` are passed as
  ``struct exo_win_<n><t>`` (``struct exo_win_<n><t>c`` when read-only) holding
  a ``data`` pointer and ``int_fast32_t strides[n]`` counted in elements;
- data literals are written in the precision of their destination
  (``0.0f``, ``0.0``, ``((int32_t) 0)``).
"""

from __future__ import annotations

import math

from exo_core.ir.types import F16, F32, F64, I8, UI8, UI16, I32, R, BOOL, ScalarType

from exo_codegen.errors import CodegenError

#: object-code precision name used in window struct names, per scalar type
_TYPE_TAGS = {F16: "f16", F32: "f32", F64: "f64", I8: "i8", UI8: "ui8",
              UI16: "ui16", I32: "i32", R: "f32"}

#: words a C identifier of ours must not be (C11 keywords, names the
#: generated code or the standard headers it includes rely on)
RESERVED_C_NAMES = frozenset("""
auto break case char const continue default do double else enum extern float for
goto if inline int long register restrict return short signed sizeof static struct
switch typedef union unsigned void volatile while _Alignas _Alignof _Atomic _Bool
_Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local _Float16
bool true false NULL ctxt malloc free calloc realloc printf stdin stdout stderr errno
assert exit abort main int8_t uint8_t int16_t uint16_t int32_t uint32_t int64_t
uint64_t int_fast32_t exo_floor_div exo_mod
""".split())


def scalar_ctype(t: ScalarType) -> str:
    """The C type of a numeric or control scalar type."""
    if t.ctype is None:
        raise CodegenError(f"type {t} has no C representation")
    return t.ctype


def type_tag(t: ScalarType) -> str:
    """The short precision name used in window struct names (``f32``, ``i8``...)."""
    try:
        return _TYPE_TAGS[t]
    except KeyError:
        raise CodegenError(f"type {t} cannot be the element type of a window") from None


def window_struct_name(ndim: int, elem: ScalarType, is_const: bool) -> str:
    """``exo_win_2i32`` / ``exo_win_2i32c`` (without the ``struct`` keyword)."""
    return f"exo_win_{ndim}{type_tag(elem)}{'c' if is_const else ''}"


def window_struct_def(ndim: int, elem: ScalarType, is_const: bool) -> str:
    """The guarded definition of one window struct (for the header)."""
    name = window_struct_name(ndim, elem, is_const)
    guard = name.upper()
    qual = "const " if is_const else ""
    return (
        f"#ifndef {guard}\n"
        f"#define {guard}\n"
        f"struct {name}{{\n"
        f"    {qual}{scalar_ctype(elem)} * const data;\n"
        f"    const int_fast32_t strides[{ndim}];\n"
        f"}};\n"
        f"#endif"
    )


C_INT_LIMIT = 2 ** 63
"""Integer literals must lie in ``[-C_INT_LIMIT, C_INT_LIMIT)`` to be valid C."""


def data_literal(val, t: ScalarType, srcinfo=None) -> str:
    """A numeric literal written in precision ``t``.

    ``f32``/``R`` get a ``f`` suffix, ``f64`` is a plain double literal, every
    other precision an explicit cast: ``((int32_t) 0)``.
    """
    if isinstance(val, bool):
        val = int(val)
    if isinstance(val, float) and not math.isfinite(val):
        raise CodegenError(f"the literal {val} has no C spelling", srcinfo)
    if t in (F32, R):
        return f"{float(val)!r}f"
    if t is F64:
        return f"{float(val)!r}"
    if t is BOOL:
        return "true" if val else "false"
    if t in (I8, UI8, UI16, I32):
        num = int(val) if float(val).is_integer() else float(val)
        if isinstance(num, int) and not -C_INT_LIMIT <= num < C_INT_LIMIT:
            raise CodegenError(f"the integer {num} does not fit in C's 64-bit integers",
                               srcinfo)
        return f"(({scalar_ctype(t)}) {num!r})"
    return f"(({scalar_ctype(t)}) {float(val)!r})"


def c_ident_ok(name: str) -> bool:
    """True when ``name`` may be used as a C identifier of ours."""
    return name.isidentifier() and name.isascii() and name not in RESERVED_C_NAMES
