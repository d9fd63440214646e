"""Import time of the compiler: ``import exo_core, exo_stdlib.scheduling``.

    python benchmarks/bench_import.py [--runs 5] [--top 15]

Each figure is the best of ``--runs`` fresh interpreters, as wall time and
as the CPU time the interpreter used (user + system: on a loaded machine the
wall time mostly measures the other processes), next to ``python -c pass``
measured in the same runs. The budget is 0.2 s. Modules are imported from
bytecode compiled by a first run into a private cache directory, as an
installed package is (set ``PYTHONDONTWRITEBYTECODE=1`` and pass
``--from-source`` to time compiling every module as well). Then one
``python -X importtime`` run lists the modules with the largest own import
time, and the line says whether the heavy solver packages (islpy, z3,
sympy) were loaded: they should not be, until the first question is asked.
"""

from __future__ import annotations

import argparse
import atexit
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATEMENT = "import exo_core, exo_stdlib.scheduling"
HEAVY = ("islpy", "z3", "sympy")


_PYCACHE = tempfile.mkdtemp(prefix="bench-import-pycache-")
atexit.register(shutil.rmtree, _PYCACHE, True)
_FROM_SOURCE = False


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    if not _FROM_SOURCE:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = _PYCACHE
    return env


def run_once(code: str) -> tuple[float, float]:
    """(wall s, CPU s) of a fresh interpreter running ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=_env())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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
    ap.add_argument("--from-source", action="store_true",
                    help="keep PYTHONDONTWRITEBYTECODE as it is (no bytecode cache)")
    args = ap.parse_args()
    global _FROM_SOURCE
    _FROM_SOURCE = args.from_source
    run_once(STATEMENT)  # compiles the bytecode cache
    # alternate the two, so that both see the same load on the machine
    startup, total = [float("inf")] * 2, [float("inf")] * 2
    for _ in range(args.runs):
        startup = [min(a, b) for a, b in zip(startup, run_once("pass"))]
        total = [min(a, b) for a, b in zip(total, run_once(STATEMENT))]
    for k, what in enumerate(("wall", "CPU")):
        print(f"{what:4}: python -c pass {startup[k]:.3f} s   {STATEMENT} {total[k]:.3f} s   "
              f"(import alone {total[k] - startup[k]:.3f} s; budget 0.2 s; best of {args.runs})")
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
