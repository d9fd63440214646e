"""Whole schedule scripts, timed in-process: schedule + C generation.

Each script in ``benchmarks/schedule_scripts/`` is written with Exo's imports
and defines ``schedule()`` returning the scheduled procedures. The script is
run here with the imports rewritten to ours (``exo`` -> ``exo_core`` ...), and,
when an Exo 1.0 interpreter is given (``--exo-python PATH`` or the
``EXO_PYTHON`` environment variable: a Python with ``exo-lang==1.0.0``
installed in a separate environment), unchanged under Exo. Both sides time
the same thing in their own process, after the imports and the ``@proc``
definitions: ``schedule()`` and ``c_code_str()`` of each result, best of
``--repeat`` runs. The ratio Exo / ours is printed per script.

    python benchmarks/bench_schedules.py [--exo-python PATH] [--repeat 5] [--profile]

The example schedules in ``EXAMPLES`` (``examples/sgemm.py``) are written with
our imports, also define ``schedule()``, and are rewritten the other way for
Exo.

``--profile`` prints the top entries (cumulative time) of a cProfile run of
our side of each script.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE / "schedule_scripts"
ROOT = HERE.parent
EXAMPLES = [ROOT / "examples" / "sgemm.py"]

# Exo module -> ours (docs/porting.md)
IMPORTS = [
    (r"\bexo\.stdlib\.scheduling\b", "exo_stdlib.scheduling"),
    (r"\bexo\.stdlib\.stdlib\b", "exo_stdlib.stdlib"),
    (r"\bexo\.stdlib\.inspection\b", "exo_stdlib.inspection"),
    (r"\bexo\.libs\.memories\b", "exo_codegen.memories"),
    (r"\bexo\.platforms\.(\w+)\b", r"exo_codegen.platforms.\1"),
    (r"\bexo\.API_cursors\b", "exo_core.cursors"),
    (r"\bfrom exo import\b", "from exo_core import"),
]

# ours -> Exo's, for the example scripts
EXO_IMPORTS = [
    (r"\bexo_stdlib\.(scheduling|stdlib|inspection)\b", r"exo.stdlib.\1"),
    (r"\bexo_codegen\.memories\b", "exo.libs.memories"),
    (r"\bexo_codegen\.platforms\.(\w+)\b", r"exo.platforms.\1"),
    (r"\bexo_core\.cursors\b", "exo.API_cursors"),
    (r"\bfrom exo_core import\b", "from exo import"),
]

GENERATED = re.compile(r"# BEGIN GENERATED\n.*?# END GENERATED\n", re.S)


def nests_source(count: int = 64) -> str:
    """The procedure of ``nests64.py``: ``count`` independent loop nests."""
    lines = ["@proc", "def nests(n: size, x: f32[%d, 4 * n, 8], y: f32[%d, 8]):" % (count, count)]
    for k in range(count):
        lines += [f"    for i{k} in seq(0, 4 * n):",
                  f"        for j{k} in seq(0, 8):",
                  f"            x[{k}, i{k}, j{k}] = y[{k}, j{k}] * 2.0"]
    return "\n".join(lines) + "\n"


def script_text(path: Path, ours: bool) -> str:
    text = path.read_text()
    text = GENERATED.sub(lambda m: nests_source(), text)
    if path in EXAMPLES:
        table = [] if ours else EXO_IMPORTS
    else:
        table = IMPORTS if ours else []
    for pat, rep in table:
        text = re.sub(pat, rep, text)
    return text


RUNNER = r'''
import importlib.util, json, sys, time
spec = importlib.util.spec_from_file_location("script", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
best_s = best_c = float("inf")
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    procs = mod.schedule()
    t1 = time.perf_counter()
    for p in procs:
        p.c_code_str()
    t2 = time.perf_counter()
    best_s, best_c = min(best_s, t1 - t0), min(best_c, t2 - t1)
if len(sys.argv) > 3:
    import cProfile, pstats
    pr = cProfile.Profile()
    pr.enable()
    for p in mod.schedule():
        p.c_code_str()
    pr.disable()
    pstats.Stats(pr, stream=sys.stderr).sort_stats("cumulative").print_stats(int(sys.argv[3]))
print(json.dumps({"schedule": best_s, "codegen": best_c}))
'''


def run(python: str, path: Path, repeat: int, profile: int = 0, env=None) -> dict:
    args = [python, "-c", RUNNER, str(path), str(repeat)] + ([str(profile)] if profile else [])
    r = subprocess.run(args, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        return {"error": (r.stderr.strip().splitlines() or ["failed"])[-1]}
    if profile:
        print(r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--exo-python", default=os.environ.get("EXO_PYTHON"),
                    help="a Python interpreter with exo-lang 1.0.0 installed")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", type=int, nargs="?", const=15, default=0,
                    help="print the top N cumulative entries of our side")
    opts = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    print(f"{'script':<16}{'ours sched':>12}{'ours C':>10}{'exo sched':>12}{'exo C':>10}"
          f"{'ratio':>8}   (ms, best of {opts.repeat}; ratio = Exo total / ours)")
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(SCRIPTS.glob("*.py")) + EXAMPLES:
            ours_path = Path(tmp) / f"ours_{path.name}"
            ours_path.write_text(script_text(path, ours=True))
            ours = run(sys.executable, ours_path, opts.repeat, opts.profile, env)
            exo = {}
            if opts.exo_python:
                exo_path = Path(tmp) / f"exo_{path.name}"
                exo_path.write_text(script_text(path, ours=False))
                exo = run(opts.exo_python, exo_path, opts.repeat)
            row = f"{path.stem:<16}"
            for side in (ours, exo):
                if "error" in side:
                    row += f"{'error':>22}"
                elif side:
                    row += f"{side['schedule'] * 1e3:>12.1f}{side['codegen'] * 1e3:>10.1f}"
                else:
                    row += f"{'-':>12}{'-':>10}"
            if "schedule" in ours and "schedule" in exo:
                ratio = (exo["schedule"] + exo["codegen"]) / (ours["schedule"] + ours["codegen"])
                row += f"{ratio:>8.1f}"
            print(row)
            for side, res in (("ours", ours), ("exo", exo)):
                if "error" in res:
                    print(f"    {side}: {res['error']}")


if __name__ == "__main__":
    main()
