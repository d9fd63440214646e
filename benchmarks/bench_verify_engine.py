"""Timings of typical verifier-engine queries.

Run from the repository root:  python benchmarks/bench_verify_engine.py

Each case builds its query (terms and formulas) and returns a function asking
it.  "cold" clears every memo and builds the query afresh, as a caller
translating new IR would; "warm" builds it afresh but finds the answer memoised;
"hit" asks the very same objects again.  Figures are medians in microseconds.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exo_verify import (  # noqa: E402
    Exists,
    Forall,
    IntMap,
    Var,
    clear_caches,
    in_range,
    prove,
    simplify_term,
)


def median_us(fn: Callable[[], object], runs: int, setup: Callable[[], None] | None = None) -> float:
    """Median wall time of ``fn`` in microseconds (``setup`` is not timed)."""
    fn()
    samples = []
    for _ in range(runs):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e6


io, ii, j, n, m, i = (Var(x) for x in ("io", "ii", "j", "n", "m", "i"))


def bounds_check():
    """0 <= 16*io + 4*j + ii < 16*n under the loop bounds of a 3-deep tiled nest."""
    goal = in_range(16 * io + 4 * j + ii, 0, 16 * n)
    assumptions = [in_range(io, 0, n), in_range(j, 0, 4), in_range(ii, 0, 4)]
    return lambda: prove(goal, assumptions)


def bounds_refuted():
    goal = 4 * io + ii < 4 * n
    assumptions = [in_range(io, 0, n), in_range(ii, 0, 5)]
    return lambda: prove(goal, assumptions)


def div_mod_identity():
    goal = ((4 * io + ii) // 4).eq(io) & ((4 * io + ii) % 4).eq(ii)
    assumptions = in_range(ii, 0, 4)
    return lambda: prove(goal, assumptions)


def forall_query():
    goal = Forall(ii, 0, 4, 4 * io + ii < 4 * n)
    assumptions = in_range(io, 0, n)
    return lambda: prove(goal, assumptions)


def exists_query():
    covered = Exists(io, 0, n, Exists(ii, 0, 4, (4 * io + ii).eq(i)))
    assumptions = in_range(i, 0, 4 * n)
    return lambda: prove(covered, assumptions)


def dependence_check():
    """Loop-carried dependence of  for i in seq(0, n): x[i + 1] = x[i]."""
    loop = in_range(i, 0, n)

    def ask():
        writes = IntMap.from_terms([i], [i + 1], loop)
        reads = IntMap.from_terms([i], [i], loop)
        return IntMap.dependences(writes, reads).restrict_lex_lt().is_empty()

    return ask


def simplify_tile():
    term = (16 * io + 4 * j + ii) // 4
    assumptions = [in_range(j, 0, 4), in_range(ii, 0, 4)]
    return lambda: simplify_term(term, assumptions)


def z3_product():
    goal, assumptions = n * m >= 0, [n >= 0, m >= 0]
    return lambda: prove(goal, assumptions)


def import_time_ms() -> float:
    code = "import time; t = time.perf_counter(); import exo_verify; print(time.perf_counter() - t)"
    root = Path(__file__).resolve().parent.parent
    times = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=root, check=True)
        times.append(float(out.stdout))
    return statistics.median(times) * 1e3


def main() -> None:
    cases = [
        ("bounds check, proved (4 vars, 8 constraints)", bounds_check, 2000),
        ("bounds check, refuted + counterexample", bounds_refuted, 2000),
        ("quasi-affine div/mod identity", div_mod_identity, 2000),
        ("bounded forall", forall_query, 2000),
        ("nested bounded exists", exists_query, 1000),
        ("dependence check with IntMaps (not memoised)", dependence_check, 1000),
        ("simplify_term with bounds (not memoised)", simplify_tile, 1000),
        ("z3 fallback: n*m >= 0", z3_product, 50),
    ]
    print("median microseconds per query")
    print("  cold: every memo cleared, terms built afresh")
    print("  warm: terms built afresh, the answer memoised")
    print("  hit:  the very same query objects asked again")
    print(f"{'query':50} {'cold':>9} {'warm':>9} {'hit':>9}")
    for label, make, runs in cases:
        cold = median_us(lambda: make()(), runs, setup=clear_caches)
        warm = median_us(lambda: make()(), runs)
        hit = median_us(make(), runs)
        print(f"{label:50} {cold:9.1f} {warm:9.1f} {hit:9.1f}")
    first = z3_product()()
    print(f"\nsolver for the product question: {first.solver}")
    print(f"import exo_verify: {import_time_ms():.0f} ms (z3 and sympy not imported)")


if __name__ == "__main__":
    main()
