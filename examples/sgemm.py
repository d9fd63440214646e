"""SGEMM (``C += A @ B``, row-major f32) scheduled for AVX2 + FMA and AVX-512F.

Both procedures come from the one naive ``sgemm`` below, by schedules written
with the public primitives only (docs/tutorial.md, Part 2, walks through it):

- ``sgemm_avx2``: a 6 x 16 register-blocked micro-kernel (12 ``__m256``
  accumulators), then 6 x 8 for the columns left by 16 and a scalar 6 x 1
  kernel (accumulators in C scalars) for each column left by 8; 3-row and
  then 1-row kernels for the rows left by 6;
- ``sgemm_avx512``: a 12 x 32 micro-kernel (24 ``__m512`` accumulators), then
  12 x 16, the AVX2 12 x 8 (so it needs AVX2 and FMA too) and the scalar
  12 x 1 for the columns left; 6-row and then 1-row kernels for the rows left.

For each 512-deep slice of ``K``, the slice of ``B`` is packed once, panel
by panel, into one contiguous buffer; then each block of 96 rows packs its
rows of ``A`` into a contiguous block and sweeps every panel with the
micro-kernel (all packing by ``stage_mem``). A micro-kernel's accumulators
start at zero and are added into ``C`` at its end, and it prefetches its
tile of ``C`` first. Any ``M``, ``N`` and ``K`` work, including 1 and primes:
what does not fill a whole block or tile (``K % 512``, the columns left by
each panel width, ``M % 96`` rows, ``M % 6`` rows) is cut off with
``divide_loop(tail="cut")`` and run by smaller kernels, down to one column.

    python examples/sgemm.py     # prints sgemm_avx2, checks both with the jit
"""

from __future__ import annotations

from attrs import frozen

from exo_core import Procedure, SchedulingError, instr, proc
from exo_core.cursors import IfCursor, InvalidCursor
from exo_codegen.memories import AVX2, AVX512, DRAM, DRAM_STACK
from exo_codegen.platforms.x86 import (
    avx2_fmadd_memu_ps, mm256_broadcast_ss, mm256_fmadd_ps, mm256_loadu_ps, mm256_setzero_ps,
    mm512_fmadd_ps, mm512_loadu_ps, mm512_set1_ps, mm512_setzero_ps, prefetch,
)
from exo_stdlib.scheduling import (
    call_eqv, delete_pass, divide_dim, divide_loop, eliminate_dead_code, expand_dim, fission,
    insert_noop_call, lift_alloc, rename, reorder_loops, replace, set_memory, set_window,
    simplify, specialize, stage_mem, unroll_loop,
)

__all__ = ["sgemm", "sgemm_avx2", "sgemm_avx512", "micro_kernel", "schedule_sgemm", "schedule",
           "VectorISA", "AVX2_ISA", "AVX512_ISA"]


@proc
def sgemm(M: size, N: size, K: size, A: f32[M, K], B: f32[K, N], C: f32[M, N]):
    for i in seq(0, M):
        for j in seq(0, N):
            for k in seq(0, K):
                C[i, j] += A[i, k] * B[k, j]


@instr("_mm512_storeu_ps(&{dst_data}, _mm512_add_ps(_mm512_loadu_ps(&{dst_data}), {val_data}));")
def mm512_add_memu_ps(dst: [f32][16] @ DRAM, val: [f32][16] @ AVX512):
    # Adds a register into memory: the AVX-512 form of the x86 library's
    # avx2_fmadd_memu_ps, defined here as any user defines an instruction.
    assert stride(dst, 0) == 1
    assert stride(val, 0) == 1

    for i in seq(0, 16):
        dst[i] += val[i]


@frozen
class VectorISA:
    """What a micro-kernel needs of a vector extension: the lane count, the
    register memory and the instructions to zero a register, load, add a
    register into memory, broadcast and fma."""

    lanes: int
    mem: type
    zero: object
    load: object
    add_store: object
    broadcast: object
    fmadd: object


AVX2_ISA = VectorISA(8, AVX2, mm256_setzero_ps, mm256_loadu_ps, avx2_fmadd_memu_ps,
                     mm256_broadcast_ss, mm256_fmadd_ps)
AVX512_ISA = VectorISA(16, AVX512, mm512_setzero_ps, mm512_loadu_ps, mm512_add_memu_ps,
                       mm512_set1_ps, mm512_fmadd_ps)

#: floats in a cache line (what one prefetch brings in)
LINE = 16


# --------------------------------------------------------------------------
# The micro-kernel: C[mr, nr] += A[mr, K] @ B[K, nr], in registers


def kernel_spec(mr: int, nr: int) -> Procedure:
    """``sgemm`` with ``M = mr`` and ``N = nr`` on windows with unit stride in
    the last dimension: the block the micro-kernel replaces."""
    k = rename(sgemm, f"sgemm_kernel_{mr}x{nr}")
    k = k.partial_eval(M=mr, N=nr)
    for buf in ("A", "B", "C"):
        k = set_window(k, buf, True)
        k = k.add_assertion(f"stride({buf}, 1) == 1")
    return k


def unroll_all(p: Procedure, name: str) -> Procedure:
    """Unroll every loop named ``name``."""
    while True:
        try:
            loop = p.find_loop(name)
        except SchedulingError:
            return p
        p = unroll_loop(p, loop)


def micro_kernel(mr: int, nr: int, isa: VectorISA,
                 unroll: bool = True) -> tuple[Procedure, Procedure]:
    """(spec, kernel): the naive ``mr`` x ``nr`` kernel and its scheduled form,
    which keeps the ``mr * nr / lanes`` accumulators in vector registers,
    loads a row of ``B`` per ``k`` and broadcasts each ``A[i, k]``. The
    accumulators start at zero and are added into ``C`` at the end, and
    ``C`` is prefetched first: the loads of ``C`` (from memory, for a large
    ``C``) then wait on nothing. Without
    ``unroll`` the loops over registers stay (the register buffers are then
    C arrays, which the C compiler keeps in memory)."""
    w = isa.lanes
    assert nr % w == 0
    spec = kernel_spec(mr, nr)
    k = rename(spec, f"{spec.name()}_{isa.mem.name().lower()}")
    k = reorder_loops(k, "j k")
    k = reorder_loops(k, "i k")
    # accumulators: C staged into c_reg[mr, nr / w, w] @ registers, from zero
    k = simplify(stage_mem(k, k.find_loop("k"), f"C[0:{mr}, 0:{nr}]", "c_reg", accum=True))
    k = divide_dim(k, "c_reg", 1, w)
    k = set_memory(k, "c_reg", isa.mem)
    for loop in ("i1", "j", "i1"):
        k = divide_loop(k, loop, w, ["jo", "ji"], perfect=True)
    # one row of B per k
    k = simplify(stage_mem(k, k.find_loop("i"), f"B[k, 0:{nr}]", "b_reg"))
    k = divide_dim(k, "b_reg", 0, w)
    k = set_memory(k, "b_reg", isa.mem)
    k = simplify(divide_loop(k, k.find("b_reg[_] = _").parent(), w, ["jo", "ji"],
                             perfect=True))
    # A[i, k] broadcast to a register
    fma = k.find("c_reg[_] += _")
    k = reorder_loops(k, fma.parent().parent())
    fma = k.forward(fma)
    k = stage_mem(k, fma.parent(), "A[i, k]", "a_reg")
    k = expand_dim(k, "a_reg", w, "ji")
    k = lift_alloc(k, "a_reg", 1)
    k = fission(k, k.find("a_reg[_] = _").after(), 1)
    k = reorder_loops(k, k.forward(fma).parent().parent())
    k = simplify(set_memory(k, "a_reg", isa.mem))
    # instructions, then unroll so that every register is a named variable
    for pattern, ins in (("c_reg[_] = _", isa.zero), ("b_reg[_] = B[_]", isa.load),
                         ("a_reg[_] = A[_]", isa.broadcast), ("c_reg[_] += _", isa.fmadd),
                         ("C[_] += c_reg[_]", isa.add_store)):
        k = replace(k, k.find(pattern).parent(), ins)
    for name in ("i0", "jo", "i") if unroll else ():
        k = unroll_all(k, name)
    # each cache line of C, prefetched (hint 3: _MM_HINT_T0) before the k loop
    for i in reversed(range(mr)):
        for j in reversed(range(0, nr, LINE)):
            k = insert_noop_call(k, k.find("c_reg : _").after(), prefetch, [f"C[{i}, {j}:{j + 1}]", "3"])
    return spec, simplify(k)


# --------------------------------------------------------------------------
# The whole product


def scalar_kernel(mr: int) -> tuple[Procedure, Procedure]:
    """(spec, kernel): the naive ``mr`` x 1 kernel and its scheduled form,
    which keeps the ``mr`` accumulators of one column in C scalars (a stack
    array indexed by constants only, which the C compiler keeps in
    registers): the columns left of the narrowest vector panel."""
    spec = kernel_spec(mr, 1)
    k = rename(spec, f"{spec.name()}_scalar")
    k = reorder_loops(k, "j k")
    k = reorder_loops(k, "i k")
    k = simplify(stage_mem(k, k.find_loop("k"), f"C[0:{mr}, 0]", "c_reg"))
    k = set_memory(k, "c_reg", DRAM_STACK)
    for name in ("i0", "i", "j"):
        k = unroll_all(k, name)
    return spec, simplify(k)


class KernelSet:
    """The scheduled micro-kernels of some ISAs (widest first), made on first
    use: an ``nr``-wide kernel uses the first ISA whose lanes divide ``nr``,
    a 1-wide kernel is scalar."""

    def __init__(self, isas: tuple):
        self.isas = isas
        self._made: dict = {}

    def get(self, mr: int, nr: int) -> tuple[Procedure, Procedure]:
        if (mr, nr) not in self._made:
            if nr == 1:
                self._made[(mr, nr)] = scalar_kernel(mr)
            else:
                isa = next(isa for isa in self.isas if nr % isa.lanes == 0)
                self._made[(mr, nr)] = micro_kernel(mr, nr, isa)
        return self._made[(mr, nr)]


def call_kernel(p: Procedure, block, kernels: KernelSet, mr: int, nr: int) -> Procedure:
    """Replace ``block`` (an ``mr`` x ``nr`` tile of the product) by a call of
    the scheduled micro-kernel."""
    spec, kernel = kernels.get(mr, nr)
    p = replace(p, block, spec)
    return call_eqv(p, p.find(f"{spec.name()}(_)"), kernel)


def row_tiles(p: Procedure, i_loop, mr: int, nr: int, kernels: KernelSet,
              tag: str) -> Procedure:
    """Cut the row loop ``i_loop`` (around one panel's ``for jr: for kr:``)
    into ``mr``-row tiles, each a call of the ``mr`` x ``nr`` kernel, then the
    rows left into tiles of ``mr // 2`` rows (at most one), then single rows:
    a kernel of few rows has few accumulators, and waits on its FMAs."""
    rest = i_loop
    for n, h in enumerate(dict.fromkeys(h for h in (mr, mr // 2, 1) if h > 0)):
        p = divide_loop(p, rest, h, [f"it{tag}{n}", f"ir{tag}{n}"], tail="cut")
        p = call_kernel(p, p.find_loop(f"ir{tag}{n}"), kernels, h, nr)
        if h == 1:
            return p
        try:
            rest = p.find_loop(f"ir{tag}{n}")
        except SchedulingError:  # h divides the loop's (constant) length
            return p
    return p


def column_panels(p: Procedure, i_loop, col0: str, cols: str, nr: int, mr: int, mc: int,
                  k0: str, kd: str, kernels: KernelSet, tag: str) -> tuple:
    """Cut the columns ``col0 .. col0 + cols`` of ``i_loop`` (``for i: for j:
    for k:``, one ``kd``-deep slice of ``K`` from ``k0``) into ``nr``-wide
    panels and the columns left. Each panel of ``B`` is packed into a
    contiguous ``kd x nr`` piece of one buffer, all panels first; then each
    block of ``mc`` rows (and the ``M % mc`` rows left) packs its rows of
    ``A`` and sweeps every panel with the micro-kernels. Returns the proc and
    the nest over the columns left (``cols % nr`` of them), or None."""
    t = f"{nr}{tag}"
    p = divide_loop(p, p.forward(i_loop).body()[0], nr, [f"j{t}", f"jr{t}"], tail="cut")
    if nr > 1:
        p = fission(p, p.find_loop(f"j{t}").after(), 1)
    nest = p.find_loop(f"j{t}").parent()
    rest = nest.next() if nr > 1 else None
    # for j: for i: for jr: for k, when there is a panel at all
    p = reorder_loops(p, nest)
    panels = p.find_loop(f"j{t}")
    p = specialize(p, panels, [f"({cols}) / {nr} > 0"])
    guard = p.forward(panels).parent()
    p = delete_pass(eliminate_dead_code(p, guard.orelse()[0]))
    # the panels of B, packed one after the other: B{t}[j, 0:kd, 0:nr]
    panels = p.forward(guard).body()[0]
    p = simplify(stage_mem(p, panels.body()[0],
                           f"B[{k0}:{k0} + {kd}, {col0} + {nr} * j{t}:{col0} + {nr} * j{t} + {nr}]",
                           f"B{t}"))
    p = expand_dim(p, f"B{t}", f"({cols}) / {nr}", f"j{t}")
    p = lift_alloc(p, f"B{t}")
    p = fission(p, p.forward(panels).body()[0].after(), 1)
    # rows: for i: for j: ..., in blocks of mc rows and the M % mc left
    sweep = p.forward(guard).body()[-1]
    p = reorder_loops(p, sweep)
    rows = p.forward(guard).body()[-1]
    p = divide_loop(p, rows, mc, [f"ib{t}", f"i{t}"], tail="cut")
    p = specialize(p, p.find_loop(f"ib{t}").next(), [f"M % {mc} > 0"])
    left = p.find_loop(f"ib{t}").next()
    p = delete_pass(eliminate_dead_code(p, left.orelse()[0]))
    for block, a_rows, rtag in ((p.find_loop(f"ib{t}").body()[0], f"{mc} * ib{t}:{mc} * ib{t} + {mc}", "_"),
                                (p.forward(left).body()[0], f"{mc} * (M / {mc}):M", "_m")):
        p = reorder_loops(p, block)   # for j: for i: for jr: for k
        rows = p.forward(block)       # (the loop over rows, now inside the panels)
        if nr > 1:  # (a scalar kernel reads one element of A per row and k: not packed)
            p = pack(p, rows.parent(), f"A[{a_rows}, {k0}:{k0} + {kd}]", f"A{t}{rtag}")
        p = row_tiles(p, p.forward(rows), mr, nr, kernels, f"{t}{rtag}")
    return p, p.forward(rest) if rest is not None else None


def pack(p: Procedure, block, window: str, name: str) -> Procedure:
    """Stage ``window`` into a new contiguous buffer ``name`` around ``block``
    (``stage_mem``), allocated at the top of the procedure."""
    p = simplify(stage_mem(p, block, window, name))
    # up to the top, or to the guard that keeps its size positive
    while not isinstance(p.find(f"{name} : _").parent(), (IfCursor, InvalidCursor)):
        p = lift_alloc(p, name)
    return p


def schedule_sgemm(name: str, isas: tuple, mr: int, widths: tuple, kc: int,
                   mc: int) -> Procedure:
    """``sgemm`` scheduled with ``mr``-row micro-kernels (of the vector ISAs
    ``isas``, widest first) over column panels of each width in ``widths``
    (widest first, each over the columns the previous left, the last 1: one
    column, a scalar kernel), ``kc``-deep slices of ``K`` (and the ``K %
    kc`` left), blocks of ``mc`` rows (a multiple of ``mr``) and then the
    ``M % mc`` rows left."""
    assert mc % mr == 0 and widths[-1] == 1
    kernels = KernelSet(isas)
    p = rename(sgemm, name)
    # for ko: for i: for j: for k (kc of them), then the last K % kc of k
    p = reorder_loops(reorder_loops(p, "j k"), "i k")
    p = divide_loop(p, "k", kc, ["ko", "k"], tail="cut")
    p = reorder_loops(reorder_loops(p, "k i"), "k j")
    p = reorder_loops(p, p.find_loop("ko").next())
    p = reorder_loops(p, p.find_loop("ko").next().body()[0])
    p = specialize(p, p.find_loop("ko").next(), [f"K % {kc} > 0"])
    guard = p.find_loop("ko").next()
    p = delete_pass(eliminate_dead_code(p, guard.orelse()[0].body()[0].body()[0]))
    for region, k0, kd in (("", f"{kc} * ko", f"{kc}"), ("k", f"{kc} * (K / {kc})", f"K % {kc}")):
        i_loop = p.find_loop("ko").body()[0] if region == "" else p.forward(guard).body()[0]
        col0, cols = "0", "N"
        for nr in widths:
            p, i_loop = column_panels(p, i_loop, col0, cols, nr, mr, mc, k0, kd, kernels, region)
            col0, cols = f"{col0} + {nr} * (({cols}) / {nr})", f"({cols}) % {nr}"
    return simplify(p)


def schedule() -> list[Procedure]:
    """The two procedures (benchmarks/bench_schedules.py times this)."""
    return [schedule_sgemm("sgemm_avx2", (AVX2_ISA,), 6, (16, 8, 1), 512, 96),
            schedule_sgemm("sgemm_avx512", (AVX512_ISA, AVX2_ISA), 12, (32, 16, 8, 1), 512, 96)]


sgemm_avx2, sgemm_avx512 = schedule()


if __name__ == "__main__":
    import numpy as np

    from exo_codegen.jit import jit
    from exo_codegen.targets import host_cpu_flags

    print(sgemm_avx2)
    rng = np.random.default_rng(0)
    for p, flags, needs in ((sgemm_avx2, ("-mavx2", "-mfma"), {"avx2", "fma"}),
                            (sgemm_avx512, ("-mavx512f", "-mavx2", "-mfma"),
                             {"avx512f", "avx2", "fma"})):
        if not needs <= host_cpu_flags():
            print(f"{p.name()}: this CPU lacks {', '.join(sorted(needs))}, not run")
            continue
        f = jit(p, cflags=("-O3", "-Wno-psabi") + flags)
        for M, N, K in ((1, 1, 1), (37, 53, 301), (100, 67, 259)):
            A = rng.standard_normal((M, K), dtype=np.float32)
            B = rng.standard_normal((K, N), dtype=np.float32)
            C = rng.standard_normal((M, N), dtype=np.float32)
            want = C + A @ B
            f(M, N, K, A, B, C)
            np.testing.assert_allclose(C, want, rtol=1e-4, atol=1e-4)
        print(f"{p.name()} matches numpy")
