"""SGEMM (``C += A @ B``, row-major f32) scheduled for AVX2 + FMA and AVX-512F.

Both procedures come from the one naive ``sgemm`` below, by schedules written
with the public primitives only (docs/tutorial.md, Part 2, walks through it):

- ``sgemm_avx2``: a 6 x 16 register-blocked micro-kernel (12 ``__m256``
  accumulators), then 6 x 8 for the columns left by 16 and a scalar 6 x 1
  kernel (accumulators in C scalars) for each column left by 8; 1 x 16,
  1 x 8 and 1 x 1 for the rows left by 6;
- ``sgemm_avx512``: a 12 x 32 micro-kernel (24 ``__m512`` accumulators), then
  12 x 16, the AVX2 12 x 8 (so it needs AVX2 and FMA too) and the scalar
  12 x 1 for the columns left; 1-row kernels for the rows left.

For each block of 192 rows and each 256-deep slice of ``K``, the rows of
``A`` are packed into a contiguous block; for each panel of columns, the
panel of ``B`` is packed into a contiguous buffer (both by ``stage_mem``) and
swept by the micro-kernel over the block's rows. Any ``M``, ``N`` and ``K``
work, including 1 and primes: what does not fill a whole block or tile
(``M % 192`` rows, ``M % 6`` rows, ``K % 256``, the columns left by each
panel width) is cut off with ``divide_loop(tail="cut")`` and run by smaller
kernels, down to one column.

    python examples/sgemm.py     # prints sgemm_avx2, checks both with the jit
"""

from __future__ import annotations

from attrs import frozen

from exo_core import Procedure, SchedulingError, proc
from exo_core.cursors import IfCursor, InvalidCursor
from exo_codegen.memories import AVX2, AVX512, DRAM_STACK
from exo_codegen.platforms.x86 import (
    mm256_broadcast_ss, mm256_fmadd_ps, mm256_loadu_ps, mm256_storeu_ps,
    mm512_fmadd_ps, mm512_loadu_ps, mm512_set1_ps, mm512_storeu_ps,
)
from exo_stdlib.scheduling import (
    call_eqv, delete_pass, divide_dim, divide_loop, eliminate_dead_code, expand_dim, fission,
    lift_alloc, rename, reorder_loops, replace, set_memory, set_window, simplify, specialize,
    stage_mem, unroll_loop,
)

__all__ = ["sgemm", "sgemm_avx2", "sgemm_avx512", "micro_kernel", "schedule_sgemm", "schedule",
           "VectorISA", "AVX2_ISA", "AVX512_ISA"]


@proc
def sgemm(M: size, N: size, K: size, A: f32[M, K], B: f32[K, N], C: f32[M, N]):
    for i in seq(0, M):
        for j in seq(0, N):
            for k in seq(0, K):
                C[i, j] += A[i, k] * B[k, j]


@frozen
class VectorISA:
    """What a micro-kernel needs of a vector extension: the lane count, the
    register memory and the instructions for load, store, broadcast, fma."""

    lanes: int
    mem: type
    load: object
    store: object
    broadcast: object
    fmadd: object


AVX2_ISA = VectorISA(8, AVX2, mm256_loadu_ps, mm256_storeu_ps, mm256_broadcast_ss, mm256_fmadd_ps)
AVX512_ISA = VectorISA(16, AVX512, mm512_loadu_ps, mm512_storeu_ps, mm512_set1_ps, mm512_fmadd_ps)


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
    loads a row of ``B`` per ``k`` and broadcasts each ``A[i, k]``. Without
    ``unroll`` the loops over registers stay (the register buffers are then
    C arrays, which the C compiler keeps in memory)."""
    w = isa.lanes
    assert nr % w == 0
    spec = kernel_spec(mr, nr)
    k = rename(spec, f"{spec.name()}_{isa.mem.name().lower()}")
    k = reorder_loops(k, "j k")
    k = reorder_loops(k, "i k")
    # accumulators: C staged into c_reg[mr, nr / w, w] @ registers
    k = simplify(stage_mem(k, k.find_loop("k"), f"C[0:{mr}, 0:{nr}]", "c_reg"))
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
    for pattern, instr in (("c_reg[_] = C[_]", isa.load), ("b_reg[_] = B[_]", isa.load),
                           ("a_reg[_] = A[_]", isa.broadcast), ("c_reg[_] += _", isa.fmadd),
                           ("C[_] = c_reg[_]", isa.store)):
        k = replace(k, k.find(pattern).parent(), instr)
    for name in ("i0", "jo", "i") if unroll else ():
        k = unroll_all(k, name)
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
    into ``mr``-row tiles, each a call of the ``mr`` x ``nr`` kernel, and the
    ``M % mr`` rows left, each a call of the 1 x ``nr`` kernel."""
    p = divide_loop(p, i_loop, mr, [f"it{tag}", f"ir{tag}"], tail="cut")
    p = call_kernel(p, p.find_loop(f"ir{tag}"), kernels, mr, nr)
    try:
        rest = p.find_loop(f"ir{tag}")
    except SchedulingError:  # mr divides the loop's (constant) length
        return p
    p = divide_loop(p, rest, 1, [f"ir{tag}", f"ri{tag}"], tail="cut")
    return call_kernel(p, p.find_loop(f"ri{tag}"), kernels, 1, nr)


def column_panels(p: Procedure, j_loop, col0: str, nr: int, kc: int, mr: int,
                  kernels: KernelSet, region: str, a_rows: str,
                  widest: bool) -> tuple:
    """Cut ``j_loop`` (``for i: for j: for k:``) into ``nr``-wide panels and
    the columns left; for each ``kc``-deep slice of ``k`` and each panel, pack
    the panel of ``B`` and sweep it over all rows with the micro-kernels; the
    last ``K % kc`` of ``k`` reads ``B`` where it is. Returns the proc and
    the loop over the columns left (``N % nr`` of them)."""
    t = f"{nr}{region}"
    p = divide_loop(p, j_loop, nr, [f"j{t}", f"jr{t}"], tail="cut")
    if nr > 1:
        p = fission(p, p.find_loop(f"j{t}").after(), 1)
    panels = p.find_loop(f"j{t}").parent()
    rest = panels.next() if nr > 1 else None  # (no column is left of 1-wide panels)
    k_loop = p.forward(panels).body()[0].body()[0].body()[0]
    p = divide_loop(p, k_loop, kc, [f"ko{t}", f"kr{t}"], tail="cut")
    p = fission(p, p.find_loop(f"ko{t}").after(), 3)
    # for ko: for j: [pack B] for i: for jr: for kr
    for pair in (f"jr{t} ko{t}", f"j{t} ko{t}", f"i ko{t}", f"i j{t}"):
        p = reorder_loops(p, pair)
    rows = p.find_loop(f"j{t}").body()[0]
    p = stage_mem(p, rows, f"B[{kc} * ko{t}:{kc} * ko{t} + {kc}, "
                  f"{col0} + {nr} * j{t}:{col0} + {nr} * j{t} + {nr}]",
                  f"B{t}")
    p = lift_alloc(simplify(p), f"B{t}", 2)
    # the rows of A for this slice of k, packed once for all the panels
    # (the panels of a narrower width are at most one: A is packed in it)
    a_block = p.find_loop(f"j{t}") if widest else p.find_loop(f"j{t}").body()[-1]
    if nr > 1:  # (a scalar kernel reads one element of A per row and k: not packed)
        p = pack(p, a_block, f"A[{a_rows}, {kc} * ko{t}:{kc} * ko{t} + {kc}]", f"A{t}")
    p = row_tiles(p, p.find_loop(f"j{t}").body()[-1], mr, nr, kernels, f"{t}_")
    # the last K % kc, when there are any (a kernel's K must be positive)
    deep_rest = p.find_loop(f"ko{t}").next()
    p = reorder_loops(p, deep_rest)
    p = specialize(p, p.find_loop(f"ko{t}").next(), [f"K % {kc} > 0"])
    guard = p.find_loop(f"ko{t}").next()
    p = eliminate_dead_code(p, guard.orelse()[0].body()[0].body()[0].body()[0])
    p = delete_pass(p)
    # ... packed as well, into buffers of K % kc rows
    k0 = f"{kc} * (K / {kc})"
    panel = p.forward(guard).body()[0]
    p = pack(p, panel.body()[0], f"B[{k0}:K, {col0} + {nr} * j{t}:{col0} + {nr} * j{t} + {nr}]",
             f"B{t}k")
    a_block = p.forward(guard).body()[-1]
    a_block = a_block if widest else a_block.body()[-1]
    if nr > 1:
        p = pack(p, a_block, f"A[{a_rows}, {k0}:K]", f"A{t}k")
    panel = p.forward(guard).body()[-1]
    p = row_tiles(p, panel.body()[-1], mr, nr, kernels, f"{t}_k")
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
    column, a scalar kernel), ``kc``-deep slices of ``K``, blocks of ``mc``
    rows (a multiple of ``mr``) and then the ``M % mc`` rows left."""
    assert mc % mr == 0 and widths[-1] == 1
    kernels = KernelSet(isas)
    p = rename(sgemm, name)
    p = divide_loop(p, "i", mc, ["ib", "i"], tail="cut")
    # the last M % mc rows, when there are any (their packed A has M % mc rows)
    p = specialize(p, p.find_loop("ib").next(), [f"M % {mc} > 0"])
    p = delete_pass(eliminate_dead_code(p, p.find_loop("ib").next().orelse()[0]))
    for region, i_loop, a_rows in (("", p.find_loop("ib").body()[0], f"{mc} * ib:{mc} * ib + {mc}"),
                                 ("m", p.find_loop("ib").next().body()[0], f"{mc} * (M / {mc}):M")):
        j_loop, col0, cols = p.forward(i_loop).body()[0], "0", "N"
        for nr in widths:
            p, rest = column_panels(p, j_loop, col0, nr, kc, mr, kernels, region,
                                    a_rows, nr == widths[0])
            j_loop = rest.body()[0] if rest is not None else None
            col0, cols = f"{col0} + {nr} * (({cols}) / {nr})", f"({cols}) % {nr}"
    return simplify(p)


def schedule() -> list[Procedure]:
    """The two procedures (benchmarks/bench_schedules.py times this)."""
    return [schedule_sgemm("sgemm_avx2", (AVX2_ISA,), 6, (16, 8, 1), 256, 192),
            schedule_sgemm("sgemm_avx512", (AVX512_ISA, AVX2_ISA), 12, (32, 16, 8, 1), 256, 192)]


sgemm_avx2, sgemm_avx512 = schedule()


if __name__ == "__main__":
    import numpy as np

    from exo_codegen.jit import jit
    from exo_codegen.targets import host_cpu_flags

    print(sgemm_avx2)
    rng = np.random.default_rng(0)
    for p, flags, needs in ((sgemm_avx2, ("-mavx2", "-mfma"), {"avx2", "fma"}),
                            (sgemm_avx512, ("-mavx512f",), {"avx512f"})):
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
