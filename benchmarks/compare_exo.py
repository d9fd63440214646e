"""Run schedule scripts under Exo 1.0 and under this project; show differences.

    python3 benchmarks/compare_exo.py --exo-python PATH/TO/exo-venv/bin/python
    EXO_PYTHON=PATH/TO/exo-venv/bin/python python3 benchmarks/compare_exo.py [DIR]

Each script in DIR (default: benchmarks/exo_scripts) is written with Exo's
imports (``from exo import proc``, ``from exo.stdlib.scheduling import *``,
...). It runs once as is, with the given Python of an environment where
exo-lang 1.0.0 is installed, and once with its imports rewritten to ours
(``exo`` -> ``exo_core``, ...), with the Python running this script and this
checkout first on the path. A script prints the procedures it builds; an
uncaught error is a rejection, recorded by its class name.

The outcome of a script is its printed text followed by ``REJECTED <Class>``
when it failed. Two outcomes agree when the printed texts are equal and both
accepted, or both rejected (the classes may differ: they are shown). Exo 1.0
breaks a printed line longer than 80 columns inside its brackets; where the
two texts are equal once such continued lines are joined, the script is
counted as printed differently "in line breaks only". The last line is a
summary: ``N scripts: A same, B printed differently (L in line breaks only),
C decided differently``. Not part of the test suite (it needs Exo).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# longest module names first, so `exo.stdlib.scheduling` wins over `exo`
IMPORT_MAP = [
    ("exo.stdlib.scheduling", "exo_stdlib.scheduling"),
    ("exo.stdlib.stdlib", "exo_stdlib.stdlib"),
    ("exo.stdlib.inspection", "exo_stdlib.inspection"),
    ("exo.stdlib.halide_scheduling_ops", "exo_stdlib.halide_scheduling_ops"),
    ("exo.API_cursors", "exo_core.cursors"),
    ("exo.core.extern", "exo_core.ir.extern"),
    ("exo.libs.memories", "exo_codegen.memories"),
    ("exo.platforms", "exo_codegen.platforms"),
    ("exo", "exo_core"),
]


def port_source(text: str) -> str:
    """The script with its Exo imports rewritten to this project's."""
    def fix(m: re.Match) -> str:
        kw, mod = m.group(1), m.group(2)
        for old, new in IMPORT_MAP:
            if mod == old or mod.startswith(old + "."):
                return f"{kw} {new}{mod[len(old):]}"
        return m.group(0)
    return re.sub(r"^(from|import)\s+(exo(?:\.[\w.]+)?)\b", fix, text, flags=re.M)


@dataclass
class Outcome:
    printed: str
    rejected: str | None  # the error's class name

    def show(self) -> str:
        return self.printed + (f"\nREJECTED {self.rejected}" if self.rejected else "")


_ERROR_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit)\w*)(?::|$)")


def join_continued_lines(text: str) -> str:
    """``text`` with every line that continues an open bracket of the line
    before joined to it (one space after a comma, none after the bracket)."""
    out: list[str] = []
    depth = 0
    for line in text.splitlines():
        if depth > 0 and out:
            piece = line.strip()
            out[-1] += piece if out[-1].endswith(("(", "[")) else " " + piece
        else:
            out.append(line)
        depth = max(0, depth + sum(line.count(c) for c in "([") - sum(line.count(c) for c in ")]"))
    return "\n".join(out)


def run_script(python: str, path: Path, env: dict, timeout: float) -> Outcome:
    try:
        res = subprocess.run([python, str(path)], capture_output=True, text=True,
                             env=env, timeout=timeout, cwd=path.parent)
    except subprocess.TimeoutExpired:
        return Outcome("", "Timeout")
    printed = res.stdout.rstrip()
    if res.returncode == 0:
        return Outcome(printed, None)
    cls = "Crash"
    for line in reversed(res.stderr.strip().splitlines()):
        m = _ERROR_LINE.match(line.strip())
        if m:
            cls = m.group(1).rsplit(".", 1)[-1]
            break
    return Outcome(printed, cls)


def compare(exo_python: str, ours_python: str, scripts: list[Path], timeout: float,
            verbose: bool) -> tuple[int, int, int, int]:
    same = printed = decided = layout = 0
    exo_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    ours_env = dict(os.environ)
    ours_env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else []))
    with tempfile.TemporaryDirectory() as tmp:
        for path in scripts:
            exo = run_script(exo_python, path, exo_env, timeout)
            ported = Path(tmp) / path.name
            ported.write_text(port_source(path.read_text()))
            ours = run_script(ours_python, ported, ours_env, timeout)
            if (exo.rejected is None) != (ours.rejected is None):
                decided += 1
                verdict = (f"DECIDED DIFFERENTLY (Exo: {exo.rejected or 'accepted'}, "
                           f"ours: {ours.rejected or 'accepted'})")
            elif exo.rejected is None and exo.printed != ours.printed:
                printed += 1
                verdict = "PRINTED DIFFERENTLY"
                if join_continued_lines(exo.printed) == join_continued_lines(ours.printed):
                    layout += 1
                    verdict += " in line breaks only"
            elif exo.rejected is not None and exo.printed != ours.printed:
                printed += 1
                verdict = f"PRINTED DIFFERENTLY before the rejection ({exo.rejected} / {ours.rejected})"
                if join_continued_lines(exo.printed) == join_continued_lines(ours.printed):
                    layout += 1
                    verdict += ", in line breaks only"
            else:
                same += 1
                verdict = "same" + (f" (both rejected: {exo.rejected} / {ours.rejected})"
                                    if exo.rejected else "")
            print(f"{path.name}: {verdict}")
            if verdict.startswith(("DECIDED", "PRINTED")) or verbose:
                diff = difflib.unified_diff(exo.show().splitlines(), ours.show().splitlines(),
                                            "exo", "ours", lineterm="")
                for line in diff:
                    print("    " + line)
    return same, printed, layout, decided


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("directory", nargs="?", default=str(ROOT / "benchmarks" / "exo_scripts"),
                    help="directory of schedule scripts written with Exo's imports")
    ap.add_argument("--exo-python", default=os.environ.get("EXO_PYTHON"),
                    help="Python of the environment with exo-lang 1.0.0 (or $EXO_PYTHON)")
    ap.add_argument("--ours-python", default=sys.executable,
                    help="Python for this project (default: the one running this script)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per script run")
    ap.add_argument("-v", "--verbose", action="store_true", help="show every diff")
    args = ap.parse_args(argv)
    if not args.exo_python:
        ap.error("give the Python of the Exo environment with --exo-python or EXO_PYTHON")
    scripts = sorted(Path(args.directory).glob("*.py"))
    if not scripts:
        ap.error(f"no scripts in {args.directory}")
    same, printed, layout, decided = compare(args.exo_python, args.ours_python, scripts,
                                             args.timeout, args.verbose)
    print(f"{len(scripts)} scripts: {same} same, {printed} printed differently "
          f"({layout} in line breaks only), {decided} decided differently")
    return 0 if same == len(scripts) else 1


if __name__ == "__main__":
    sys.exit(main())
