"""Scheduled SGEMM (examples/sgemm.py) against OpenBLAS, one thread, in one run.

    python benchmarks/bench_sgemm.py [--sizes 256,512,1024,2048,...] [--rounds 5]

For each ISA the host supports (AVX2 + FMA, AVX-512F) the scheduled procedure
is compiled with ``gcc -O3 -march=native`` and timed against numpy's float32
matmul (OpenBLAS) on the same square matrices, in a worker process of its own
whose environment sets ``OPENBLAS_NUM_THREADS=1``:

- ``sgemm_avx2`` against OpenBLAS as the environment sets it (this machine
  may set ``OPENBLAS_CORETYPE=Haswell``, OpenBLAS's AVX2 kernels); when the
  environment sets no core type the worker sets ``Haswell``, so that AVX2 is
  compared with AVX2;
- ``sgemm_avx512`` against OpenBLAS with ``OPENBLAS_CORETYPE`` and
  ``OPENBLAS_L2_SIZE`` removed from the worker's environment (OpenBLAS picks
  its AVX-512 kernels on such a host).

Each worker prints the OpenBLAS core type threadpoolctl reports. Timings
alternate ours / OpenBLAS, ``--rounds`` rounds of a best-of-several, and the
median of the rounds is printed (GFLOP/s = 2 n^3 / time) with the ratio
ours / OpenBLAS. Needs numpy, a C compiler, and threadpoolctl for the report
of the kernel (``pip install threadpoolctl``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = "256,512,1024,2048,257,509,1001"


def worker_env(isa: str) -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "examples"),
                                         env.get("PYTHONPATH", "")])
    if isa == "avx2":
        env.setdefault("OPENBLAS_CORETYPE", "Haswell")
    else:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    return env


def best_of(fn, seconds: float) -> float:
    """The shortest of repeated runs of ``fn`` over about ``seconds``."""
    best, spent, runs = float("inf"), 0.0, 0
    while runs < 2 or (spent < seconds and runs < 200):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        best, spent, runs = min(best, dt), spent + dt, runs + 1
    return best


def work(isa: str, sizes: list, rounds: int) -> None:
    """The worker: time one ISA's procedure and OpenBLAS; print JSON lines."""
    import numpy as np

    import sgemm as examples_sgemm
    from exo_codegen.jit import jit

    try:
        from threadpoolctl import threadpool_info
        info = [d for d in threadpool_info() if d.get("internal_api") == "openblas"]
        kernel = info[0].get("architecture") if info else "not OpenBLAS"
        threads = info[0].get("num_threads") if info else None
    except ImportError:
        kernel, threads = "unknown (threadpoolctl missing)", None
    print(json.dumps({"isa": isa, "openblas": kernel, "threads": threads}), flush=True)
    proc = getattr(examples_sgemm, f"sgemm_{isa}")
    f = jit(proc, cflags=("-O3", "-march=native", "-Wno-psabi"))
    rng = np.random.default_rng(0)
    for n in sizes:
        A = rng.standard_normal((n, n), dtype=np.float32)
        B = rng.standard_normal((n, n), dtype=np.float32)
        C = np.zeros((n, n), np.float32)
        f(n, n, n, A, B, C)
        err = float(np.max(np.abs(C - A @ B)))
        budget = 0.3 if n <= 1024 else 1.0
        ours, blas = [], []
        for _ in range(rounds):
            ours.append(best_of(lambda: f(n, n, n, A, B, C), budget))
            blas.append(best_of(lambda: np.matmul(A, B, out=C), budget))
        print(json.dumps({"n": n, "ours": statistics.median(ours),
                          "blas": statistics.median(blas), "err": err}), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=DEFAULT_SIZES)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--isa", choices=("avx2", "avx512"), action="append",
                    help="only this ISA (default: every one the host supports)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    opts = ap.parse_args()
    sizes = [int(s) for s in opts.sizes.split(",")]
    if opts.worker:
        work(opts.worker, sizes, opts.rounds)
        return
    from exo_codegen.targets import host_cpu_flags

    flags = host_cpu_flags()
    supported = [isa for isa, need in (("avx2", {"avx2", "fma"}), ("avx512", {"avx512f"}))
                 if need <= flags]
    for isa in opts.isa or supported:
        if isa not in supported:
            print(f"{isa}: this CPU lacks it, skipped")
            continue
        cmd = [sys.executable, __file__, "--worker", isa, "--sizes", opts.sizes,
               "--rounds", str(opts.rounds)]
        run = subprocess.Popen(cmd, env=worker_env(isa), stdout=subprocess.PIPE, text=True)
        for line in run.stdout:
            r = json.loads(line)
            if "isa" in r:
                print(f"\nsgemm_{isa}: OpenBLAS kernel {r['openblas']}, threads {r['threads']}")
                print(f"{'n':>6}{'ours GFLOP/s':>14}{'OpenBLAS':>10}{'ratio':>8}{'max err':>10}")
                continue
            g = 2 * r["n"] ** 3 / 1e9
            print(f"{r['n']:>6}{g / r['ours']:>14.1f}{g / r['blas']:>10.1f}"
                  f"{r['blas'] / r['ours']:>8.2f}{r['err']:>10.1e}", flush=True)
        if run.wait() != 0:
            raise SystemExit(f"the {isa} worker failed")


if __name__ == "__main__":
    main()
