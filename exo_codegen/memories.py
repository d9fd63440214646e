"""The memory library: where buffers live on real targets.

Each class here is a `Memory` (see `exo_core.ir.memory`): its classmethods return
the C text that allocates, frees and addresses a buffer of that memory, and
raise `MemGenError` (with the user's source position) for a buffer the memory
cannot hold. Use them as annotations (``x : f32[16] @ AVX512``) or with
``set_memory``.

========================  ================================================
memory                    a buffer is
========================  ================================================
``DRAM``                  heap memory (``malloc``/``free``); from exo_core
``DRAM_STATIC``           a ``static`` C array of constant size
``DRAM_STACK``            a C array on the stack
``MDRAM``                 heap memory from a custom allocator
                          (``malloc_dram``/``free_dram`` of
                          ``custom_malloc.h``)
``GEMM_SCRATCH``          Gemmini's scratchpad (rows of 16 elements,
                          ``gemm_malloc``); no element access
``GEMM_ACCUM``            Gemmini's accumulator (rows of 16 elements,
                          ``gemm_acc_malloc``); no element access
``AMX_TILE``              one of the 8 AMX tile registers (at most 16 rows
                          of at most 64 bytes); no element access
``StaticMemory``          base of register files with a fixed number of
                          slots, with a free-list allocator
``AVX2``                  ``__m256`` (8 x f32) or ``__m256d`` (4 x f64)
``AVX512``                ``__m512`` (16 x f32)
``Neon``                  ``float32x4_t`` (4 x f32)
``Neon8f``                ``float16x8_t`` (8 x f16)
``RVM_TILE``              one of the 8 RVM tile registers (4 x 4 i32)
========================  ================================================

Vector memories cannot be read element-wise (``can_read()`` is False): their
buffers are only passed to instructions (`exo_codegen.platforms`). Their
``global_`` text includes the real intrinsics header, or SIMDe's portable
implementation of it when the C is compiled with ``-DEXO_USE_SIMDE`` (see
docs/targets.md). ``RVM_TILE``'s ``global_`` includes the tile-register
emulation header when compiled with ``-DEXO_RVM_EMULATE``.

A memory with allocation state (a `StaticMemory`) is reset by the code
generator at the start of every compilation (`StaticMemory.reset_allocations`),
so compiling the same procedures twice assigns the same registers.
"""

from __future__ import annotations

from exo_core.errors import MemGenError
from exo_core.ir.memory import DRAM, Memory, generate_offset

__all__ = [
    "Memory", "DRAM", "MemGenError", "generate_offset",
    "DRAM_STATIC", "DRAM_STACK", "MDRAM", "StaticMemory", "GEMM_SCRATCH", "GEMM_ACCUM",
    "AMX_TILE",
    "VectorRegisterMemory", "AVX2", "AVX512", "Neon", "Neon8f", "RVM_TILE",
    "simde_switch",
]


def _is_const_size(sz, c: int) -> bool:
    """True when the C size string ``sz`` is the literal ``c``."""
    sz = str(sz)
    return sz.isdecimal() and int(sz) == c


def _is_some_const_size(sz) -> bool:
    sz = str(sz)
    return sz.isdecimal() and int(sz) > 0


def _flat_size(shape) -> str:
    """``["4", "n"]`` -> ``"4 * n"`` (non-literal factors parenthesised)."""
    return " * ".join(str(s) if str(s).isdecimal() else f"({s})" for s in shape)


# --------------------------------------------------------------------------
# Plain C arrays


class DRAM_STATIC(DRAM):
    """A ``static`` C array of constant size (``static int32_t y[4 * 4];``).

    As in the reference, a kind of DRAM: a parameter declared ``@ DRAM``
    accepts it (`replace` checks memories with ``issubclass``).

    Static storage keeps the buffer out of the stack and the heap; the price
    is that the function is not reentrant.
    """

    @classmethod
    def global_(cls) -> str:
        return ""

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo) -> str:
        if not shape:
            return f"static {prim_type} {new_name};"
        for s in shape:
            if not _is_some_const_size(s):
                raise MemGenError(
                    f"DRAM_STATIC buffers must have constant sizes, but "
                    f"'{new_name}' has a dimension of size '{s}'", srcinfo)
        return f"static {prim_type} {new_name}[{_flat_size(shape)}];"

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo) -> str:
        return ""


class DRAM_STACK(DRAM):
    """A C array on the stack (``float x[16];``); sizes may be variables
    (a C99 variable-length array). A kind of DRAM, like `DRAM_STATIC`."""

    @classmethod
    def global_(cls) -> str:
        return ""

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo) -> str:
        if not shape:
            return f"{prim_type} {new_name};"
        return f"{prim_type} {new_name}[{_flat_size(shape)}];"

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo) -> str:
        return ""


class MDRAM(Memory):
    """Heap memory from a custom allocator: ``malloc_dram``/``free_dram``,
    declared in ``custom_malloc.h`` (which the user provides)."""

    @classmethod
    def global_(cls) -> str:
        return '#include "custom_malloc.h"'

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo) -> str:
        if not shape:
            return f"{prim_type} {new_name};"
        return (f"{prim_type} *{new_name} = ({prim_type}*) malloc_dram "
                f"({_flat_size(shape)} * sizeof({prim_type}));")

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo) -> str:
        return "" if not shape else f"free_dram({new_name});"


def _c_type_name(basetyp) -> str:
    """The C element type of a buffer type (or of a C type string)."""
    if hasattr(basetyp, "basetype"):
        basetyp = basetyp.basetype()
    ctype = getattr(basetyp, "ctype", basetyp)
    return ctype() if callable(ctype) else str(ctype)


class _GemminiMemory(Memory):
    """Gemmini's scratchpad or accumulator: buffers are rows of 16 elements
    addressed by row number; only instructions access them."""

    what = ""
    header = ""
    malloc, mfree, addr = "", "", ""

    @classmethod
    def global_(cls) -> str:
        return f'#include <include/gemmini.h>\n#include "{cls.header}"'

    @classmethod
    def can_read(cls) -> bool:
        return False

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo) -> str:
        if not shape:
            return f"{prim_type} {new_name};"
        if not _is_const_size(shape[-1], 16):
            raise MemGenError(f"cannot allocate {cls.what} unless the innermost dimension is "
                              f"exactly 16; got {shape[-1]}", srcinfo)
        return (f"{prim_type} *{new_name} = ({prim_type}*) (({cls.addr}){cls.malloc} "
                f"({_flat_size(reversed(shape))} * sizeof({prim_type})));")

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo) -> str:
        return "" if not shape else f"{cls.mfree}(({cls.addr})({new_name}));"

    @classmethod
    def window(cls, basetyp, baseptr, indices, strides, srcinfo) -> str:
        # the scratchpad is addressed by rows of 16 elements
        offset = generate_offset(indices, strides)
        ctype = _c_type_name(basetyp)
        return (f"*({ctype}*)((uint64_t)( ((uint32_t)((uint64_t){baseptr})) + "
                f"({offset})/16))")


class GEMM_SCRATCH(_GemminiMemory):
    """Gemmini's scratchpad memory (``gemm_malloc``/``gemm_free``)."""

    what = "GEMMINI Scratchpad Memory"
    header = "gemm_malloc.h"
    malloc, mfree, addr = "gemm_malloc", "gemm_free", "uint64_t"


class GEMM_ACCUM(_GemminiMemory):
    """Gemmini's accumulator memory (``gemm_acc_malloc``/``gemm_acc_free``)."""

    what = "GEMMINI Accumulator Memory"
    header = "gemm_acc_malloc.h"
    malloc, mfree, addr = "gemm_acc_malloc", "gemm_acc_free", "uint32_t"


# --------------------------------------------------------------------------
# Register files with a fixed number of slots


class StaticMemory(Memory):
    """A memory of a fixed number of equal slots (e.g. accelerator registers).

    Subclasses call ``init_state(n)`` once (usually in the class body) and use
    ``find_free_chunk()``, ``mark(i)`` and ``unmark(i)`` from their ``alloc``
    and ``free`` to keep a free list::

        class RVM_TILE(StaticMemory):
            NUM_RVM_TILES = 8
            StaticMemory.init_state(NUM_RVM_TILES)

            @classmethod
            def alloc(cls, new_name, prim_type, shape, srcinfo):
                tile_num = cls.find_free_chunk()
                cls.mark(tile_num)
                ...

    The state lives on the class that called ``init_state`` and is shared with
    subclasses that did not call it themselves. The code generator calls
    ``reset_allocations()`` on every StaticMemory it meets at the start of a
    compilation, which frees every slot (subclasses that keep more state, such
    as a name -> slot table, override it and call ``super()``).
    """

    _chunk_taken: list = []

    @classmethod
    def init_state(cls, size: int) -> None:
        """Give the memory ``size`` slots, all free."""
        if not isinstance(size, int) or size < 0:
            raise MemGenError(f"{cls.name()}: the number of slots must be a "
                              f"non-negative integer, not {size!r}")
        cls._chunk_taken = [False] * size

    @classmethod
    def find_free_chunk(cls) -> int:
        """The lowest free slot; MemGenError when every slot is taken."""
        for i, taken in enumerate(cls._chunk_taken):
            if not taken:
                return i
        raise MemGenError(
            f"{cls.name()} is full: cannot allocate more than "
            f"{len(cls._chunk_taken)} buffers at a time")

    @classmethod
    def mark(cls, idx: int) -> None:
        """Mark slot ``idx`` taken."""
        cls._check_slot(idx)
        cls._chunk_taken[idx] = True

    @classmethod
    def unmark(cls, idx: int) -> None:
        """Mark slot ``idx`` free."""
        cls._check_slot(idx)
        cls._chunk_taken[idx] = False

    @classmethod
    def _check_slot(cls, idx) -> None:
        if not isinstance(idx, int) or not 0 <= idx < len(cls._chunk_taken):
            raise MemGenError(f"{cls.name()} has no slot {idx!r} (it has "
                              f"{len(cls._chunk_taken)})")

    @classmethod
    def reset_allocations(cls) -> None:
        """Free every slot (called at the start of each compilation).

        The free list is reset in place, so a list shared through
        ``StaticMemory.init_state`` stays shared.
        """
        cls._chunk_taken[:] = [False] * len(cls._chunk_taken)

    @classmethod
    def allocated_slots(cls) -> list[int]:
        """The slots currently taken (for tests and diagnostics)."""
        return [i for i, t in enumerate(cls._chunk_taken) if t]


# --------------------------------------------------------------------------
# SIMD registers


def simde_switch(native_header: str, simde_headers) -> str:
    """C text including ``native_header``, or SIMDe's ``simde_headers`` (one
    name or a tuple; with native aliases, so intrinsics keep their real
    names) when the file is compiled with ``-DEXO_USE_SIMDE``."""
    if isinstance(simde_headers, str):
        simde_headers = (simde_headers,)
    includes = "".join(f"#include <{h}>\n" for h in simde_headers)
    return (
        "#ifdef EXO_USE_SIMDE\n"
        "#ifndef SIMDE_ENABLE_NATIVE_ALIASES\n"
        "#define SIMDE_ENABLE_NATIVE_ALIASES\n"
        "#endif\n"
        f"{includes}"
        "#else\n"
        f"#include <{native_header}>\n"
        "#endif"
    )


# SIMDe releases before 0.8 lack the masked AVX-512 loads and stores; with
# SIMDe's native aliases (macros) their absence is detectable, and these
# lane-by-lane versions stand in (touching only the lanes the mask selects).
_SIMDE_AVX512_MASKED_FALLBACK = """\
#if defined(EXO_USE_SIMDE) && !defined(__AVX512F__)
#ifndef _mm512_maskz_loadu_ps
static inline simde__m512 exo_mm512_maskz_loadu_ps_(simde__mmask16 k, const float *p) {
    float t[16];
    for (int i = 0; i < 16; i++) t[i] = ((k >> i) & 1) ? p[i] : 0.0f;
    return _mm512_loadu_ps(t);
}
#define _mm512_maskz_loadu_ps(k, p) exo_mm512_maskz_loadu_ps_((k), (p))
#endif
#ifndef _mm512_mask_storeu_ps
static inline void exo_mm512_mask_storeu_ps_(float *p, simde__mmask16 k, simde__m512 a) {
    float t[16];
    _mm512_storeu_ps(t, a);
    for (int i = 0; i < 16; i++) if ((k >> i) & 1) p[i] = t[i];
}
#define _mm512_mask_storeu_ps(p, k, a) exo_mm512_mask_storeu_ps_((p), (k), (a))
#endif
#endif"""


class VectorRegisterMemory(Memory):
    """Base of SIMD register memories: the last dimension of a buffer is one
    vector register; the other dimensions make a C array of registers.

    Subclasses set ``register_types`` (C element type -> (lanes, C vector
    type)), ``native_header`` and ``simde_header`` (a name or a tuple).
    """

    register_types: dict = {}
    # One register holds the last dimension; a buffer whose leading dimensions
    # are only indexed by constants is emitted as named registers
    # (`exo_codegen.register_split`).
    lane_dims = 1
    native_header = ""
    simde_header = ""

    @classmethod
    def global_(cls) -> str:
        return simde_switch(cls.native_header, cls.simde_header)

    @classmethod
    def can_read(cls) -> bool:
        return False

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo) -> str:
        n = cls.name()
        if not shape:
            raise MemGenError(f"{n} vectors are not scalar values", srcinfo)
        if prim_type not in cls.register_types:
            raise MemGenError(f"{n} vectors must be {cls._precisions()}", srcinfo)
        lanes, vtype = cls.register_types[prim_type]
        if not _is_const_size(shape[-1], lanes):
            raise MemGenError(
                f"{n} vectors of {prim_type} must be {lanes}-wide", srcinfo)
        outer = shape[:-1]
        if outer:
            return f'{vtype} {new_name}[{"][".join(map(str, outer))}];'
        return f"{vtype} {new_name};"

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo) -> str:
        return ""

    @classmethod
    def window(cls, basetyp, baseptr, indices, strides, srcinfo) -> str:
        n = cls.name()
        last = str(strides[-1]) if strides else ""
        # The last dimension is the vector itself, so its stride is 1; a
        # stride the code generator only knows symbolically (a window
        # parameter's ``x.strides[0]``) is accepted, a literal other than 1 not.
        if not indices or (last.isdecimal() and last != "1"):
            raise MemGenError(
                f"{n} windows must cover whole vectors (unit stride in the "
                f"last dimension)", srcinfo)
        if str(indices[-1]) != "0":
            raise MemGenError(
                f"{n} windows must start at the first lane of a vector, not "
                f"at lane {indices[-1]}", srcinfo)
        idxs = "".join(f"[{i}]" for i in indices[:-1])
        return f"{baseptr}{idxs}"

    @classmethod
    def _precisions(cls) -> str:
        names = {"float": "f32", "double": "f64", "_Float16": "f16",
                 "int32_t": "i32", "int8_t": "i8"}
        return " or ".join(names.get(t, t) for t in cls.register_types)


class AVX2(VectorRegisterMemory):
    """AVX2 registers: ``__m256`` (8 x f32), ``__m256d`` (4 x f64) and
    ``__m256i`` (16 x ui16)."""

    register_types = {"float": (8, "__m256"), "double": (4, "__m256d"),
                      "uint16_t": (16, "__m256i")}
    native_header = "immintrin.h"
    simde_header = ("simde/x86/avx2.h", "simde/x86/fma.h")


class AVX512(VectorRegisterMemory):
    """AVX-512 registers: ``__m512`` (16 x f32), as in the memories seed."""

    register_types = {"float": (16, "__m512")}
    native_header = "immintrin.h"
    simde_header = ("simde/x86/avx512.h", "simde/x86/fma.h")

    @classmethod
    def global_(cls) -> str:
        return super().global_() + "\n" + _SIMDE_AVX512_MASKED_FALLBACK

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo) -> str:
        # The seed's wording, kept for ported tests that match on it.
        if not shape:
            raise MemGenError("AVX512 vectors are not scalar values", srcinfo)
        if prim_type != "float":
            raise MemGenError("AVX512 vectors must be f32 (for now)", srcinfo)
        if not _is_const_size(shape[-1], 16):
            raise MemGenError("AVX512 vectors must be 16-wide", srcinfo)
        return super().alloc(new_name, prim_type, shape, srcinfo)


class Neon(VectorRegisterMemory):
    """Arm Neon 128-bit registers, as Exo 1.0's ``Neon``: 4 x f32
    (``float32x4_t``), 2 x f64 (``float64x2_t``, AArch64 only) or 8 x f16
    (``float16x8_t``; needs the Armv8.2-A half-precision extension, e.g.
    ``-march=armv8.2-a+fp16``)."""

    register_types = {"float": (4, "float32x4_t"), "double": (2, "float64x2_t"),
                      "_Float16": (8, "float16x8_t")}
    native_header = "arm_neon.h"
    simde_header = "simde/arm/neon.h"


class Neon8f(Neon):
    """Arm Neon registers holding only 8 x f16 (``float16x8_t``). A `Neon`
    memory (so the f16 instructions, declared on `Neon` as in Exo 1.0, accept
    its buffers); kept for programs that name it."""

    register_types = {"_Float16": (8, "float16x8_t")}
    native_header = "arm_neon.h"
    simde_header = "simde/arm/neon.h"


# --------------------------------------------------------------------------
# RVM (RISC-V matrix extension) tile registers


class RVM_TILE(StaticMemory):
    """The 8 tile registers of the RVM accelerator, each a 4 x 4 i32 matrix.

    A buffer is "allocated" by ``#define``-ing its name to a register name
    (``#define data_tile "m0"``), which instruction strings paste into inline
    assembly; ``free`` ``#undef``-s it. Registers are handed out from ``m7``
    down. The buffers cannot be read element-wise.
    """

    NUM_RVM_TILES = 8
    tile_dict: dict = {}

    @classmethod
    def global_(cls) -> str:
        return ('#ifdef EXO_RVM_EMULATE\n'
                '#include "exo_rvm_emulation.h"\n'
                '#endif')

    @classmethod
    def can_read(cls) -> bool:
        return False

    @classmethod
    def reset_allocations(cls) -> None:
        cls.init_state(cls.NUM_RVM_TILES)
        cls.tile_dict = {}

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo) -> str:
        if len(shape) != 2:
            raise MemGenError(
                f"RVM tiles must be 2D (4 x 4), but '{new_name}' has "
                f"{len(shape)} dimension(s)", srcinfo)
        if not _is_const_size(shape[0], 4):
            raise MemGenError("Number of tile rows must be 4.", srcinfo)
        if not _is_const_size(shape[1], 4):
            raise MemGenError("Number of tile columns must be 4.", srcinfo)
        if prim_type != "int32_t":
            raise MemGenError(
                f"RVM tiles hold i32 values, not {prim_type}", srcinfo)
        try:
            tile_num = cls.find_free_chunk()
        except MemGenError as err:
            raise MemGenError(
                f"cannot allocate RVM tile '{new_name}': all "
                f"{cls.NUM_RVM_TILES} tile registers are in use "
                f"(spilling is not supported)", srcinfo) from err
        cls.mark(tile_num)
        cls.tile_dict[new_name] = tile_num
        return f'#define {new_name} "m{cls.NUM_RVM_TILES - 1 - tile_num}"'

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo) -> str:
        if new_name not in cls.tile_dict:
            raise MemGenError(
                f"RVM tile '{new_name}' is freed but was never allocated", srcinfo)
        tile_num = cls.tile_dict.pop(new_name)
        cls.unmark(tile_num)
        return f"#undef {new_name}"

    @classmethod
    def window(cls, basetyp, baseptr, indices, strides, srcinfo) -> str:
        if any(str(i) != "0" for i in indices):
            raise MemGenError(
                "RVM tiles can only be passed whole (tile[0:4, 0:4])", srcinfo)
        return str(baseptr)


RVM_TILE.init_state(RVM_TILE.NUM_RVM_TILES)


# --------------------------------------------------------------------------
# Intel AMX tiles


_C_SIZES = {"int8_t": 1, "uint8_t": 1, "int16_t": 2, "uint16_t": 2, "_Float16": 2,
            "int32_t": 4, "float": 4, "double": 8}


class AMX_TILE(StaticMemory):
    """One of the 8 AMX tile registers: a 2-d buffer of at most 16 rows of at
    most 64 bytes, named by its register number (``#define t 0``); only the
    AMX instructions of `exo_codegen.platforms.x86` access it."""

    NUM_AMX_TILES = 8
    tile_of: dict = {}

    @classmethod
    def global_(cls) -> str:
        return "#include <immintrin.h>"

    @classmethod
    def can_read(cls) -> bool:
        return False

    @classmethod
    def alloc(cls, new_name, prim_type, shape, srcinfo) -> str:
        if len(shape) != 2:
            raise MemGenError(f"AMX tiles must be 2-d, but '{new_name}' has {len(shape)} "
                              "dimension(s)", srcinfo)
        rows, cols = str(shape[0]), str(shape[1])
        if not (rows.isdecimal() and 0 < int(rows) <= 16):
            raise MemGenError("Number of tile rows must be a constant and <= 16.", srcinfo)
        width = _C_SIZES.get(prim_type, 4)
        if not (cols.isdecimal() and 0 < int(cols) * width <= 64):
            raise MemGenError(f"Number of bytes per row must be a constant and <= 64, currently "
                              f"trying to allocate {cols} x {width} bytes per row.", srcinfo)
        tile = cls.find_free_chunk()
        cls.mark(tile)
        cls.tile_of[new_name] = tile
        return f"#define {new_name} {tile}"

    @classmethod
    def free(cls, new_name, prim_type, shape, srcinfo) -> str:
        tile = cls.tile_of.pop(new_name, None)
        if tile is not None:
            cls.unmark(tile)
        return f"#undef {new_name}"

    @classmethod
    def reset_allocations(cls) -> None:
        cls.init_state(cls.NUM_AMX_TILES)
        cls.tile_of = {}


AMX_TILE.reset_allocations()
