"""Import time of the compiler: ``import exo_core, exo_stdlib.scheduling``.

    python benchmarks/bench_import.py [--runs 5] [--top 15]

Each figure is the best wall time of ``--runs`` fresh interpreters; the
budget (0.2 s) applies to the import itself, the interpreter's start-up
(``python -c pass``, measured in the same run) subtracted. Then one
``python -X importtime`` run lists the modules with the largest own import
time, and says whether the heavy solver packages (islpy, z3, sympy) were
loaded: they should not be, until the first question is asked.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATEMENT = "import exo_core, exo_stdlib.scheduling"
HEAVY = ("islpy", "z3", "sympy")


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return env


def best_wall_time(code: str, runs: int) -> float:
    """The best wall time, in seconds, of a fresh interpreter running ``code``."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=_env())
        best = min(best, time.perf_counter() - start)
    return best


def importtime_rows() -> list[tuple[int, int, str]]:
    """(own us, cumulative us, module) of every module ``STATEMENT`` imports."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", STATEMENT], check=True,
                         env=_env(), capture_output=True, text=True).stderr
    rows = []
    for line in out.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        rows.append((int(own), int(cumulative), name.strip()))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    # alternate the two, so that both see the same load on the machine
    startup = total = float("inf")
    for _ in range(args.runs):
        startup = min(startup, best_wall_time("pass", 1))
        total = min(total, best_wall_time(STATEMENT, 1))
    print(f"python -c pass: {startup:.3f} s   {STATEMENT}: {total:.3f} s   "
          f"import alone: {total - startup:.3f} s (budget 0.2 s; best of {args.runs})")
    code = STATEMENT + "; import sys; print(' '.join(m for m in %r if m in sys.modules))" % (HEAVY,)
    loaded = subprocess.run([sys.executable, "-c", code], check=True, env=_env(),
                            capture_output=True, text=True).stdout.split()
    print(f"heavy packages loaded by the import: {', '.join(loaded) or 'none'}")
    rows = importtime_rows()
    print(f"\ntop {args.top} modules by own import time (-X importtime, one run):")
    print(f"{'own ms':>8} {'cumul. ms':>10}  module")
    for own, cumulative, name in sorted(rows, reverse=True)[:args.top]:
        print(f"{own / 1e3:8.1f} {cumulative / 1e3:10.1f}  {name}")


if __name__ == "__main__":
    main()
