"""``exo-verify PATH ... [--proc NAME ...]``: check the procedures of files.

Each PATH is a Python file or a directory (every ``*.py`` file below it, in
name order). Each file is loaded on its own with the definition-time checks
deferred (a procedure that fails its checks is still defined, so one bad
procedure does not hide the others), then for every procedure each proof
obligation is printed with the solver that settled it and how long it took,
and every failure with its counterexample in the user's names. ``--proc NAME``
(repeatable) checks only the procedures of that name. ``--json`` prints the
same as JSON (one file: ``{"file", "ok", "procedures"}``; several:
``{"ok", "files": [...]}`` of those).

Exit status: 0 when every obligation holds, 1 when one fails, 2 when a file
cannot be loaded (the other files are still checked), a named procedure is
defined by none of the files, or the command line is wrong.

It loads user programs, so it sits above the rest of `exo_core` (and above
`exo_verify`, the engine it reports on), not in `exo_verify`.
"""

from __future__ import annotations

import argparse
import json
import os
import runpy
import sys
import traceback
from typing import Sequence, TextIO

from exo_core.analysis.definition_checks import check_procedure, deferred_definition_checks
from exo_core.errors import ExoError
from exo_core.procedure import Procedure

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_STATUS_LABEL = {"proved": "ok", "failed": "FAILED", "unknown": "UNKNOWN",
                 "propagated": "passed on"}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="exo-verify",
        description="Check the procedures defined in an object-code Python file: bounds of "
                    "every access and window, loop bounds, callee preconditions, argument "
                    "shapes and aliasing. Prints each proof obligation, the solver that "
                    "settled it (isl, z3, or the normaliser for constant facts) and its time, "
                    "and every failure with a counterexample.",
        epilog="exit status: 0 all obligations hold, 1 some obligation fails, "
               "2 a file cannot be loaded or a named procedure does not exist.")
    p.add_argument("paths", metavar="PATH", nargs="+",
                   help="a Python file defining procedures, or a directory (every *.py "
                        "file below it)")
    p.add_argument("--proc", dest="procs", metavar="NAME", action="append", default=[],
                   help="only check the procedures of this name (repeatable); default: all")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="list only failing obligations and the summary")
    return p


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the CLI; returns the exit status."""
    out = out if out is not None else sys.stdout
    parser = _parser()
    args = parser.parse_args(argv)
    files = []
    for path in args.paths:
        found = _python_files(path)
        if not found:
            what = ("a directory without Python files" if os.path.isdir(path) else
                    "not a Python file" if os.path.isfile(path) else "no such file")
            print(f"exo-verify: {what}: {path}", file=out)
            return EXIT_USAGE
        files += [f for f in found if f not in files]
    results = []  # (file, reports) of the files that loaded
    load_failed = False
    for path in files:
        reports = _file_reports(path, out)
        if reports is None:
            load_failed = True
        else:
            results.append((path, reports))
    if args.procs:
        names = {r.name for _, reports in results for r in reports}
        unknown = [n for n in dict.fromkeys(args.procs) if n not in names]
        if unknown:
            where = files[0] if len(files) == 1 else "none of the files"
            defined = ", ".join(sorted(names)) or "none"
            print(f"exo-verify: {where} defines no procedure named "
                  f"{', '.join(unknown)} (defined: {defined})", file=out)
            return EXIT_USAGE
        results = [(path, [r for r in reports if r.name in set(args.procs)])
                   for path, reports in results]
    ok = all(r.ok for _, reports in results for r in reports)
    if args.json:
        data = [_as_json(path, reports) for path, reports in results]
        json.dump(data[0] if len(files) == 1 and data else
                  {"ok": ok and not load_failed, "files": data}, out, indent=2)
        out.write("\n")
    else:
        for path, reports in results:
            _print_text(path, reports, out, args.quiet)
        if len(files) > 1:
            n_procs = sum(len(reports) for _, reports in results)
            n_fail = sum(len(r.failures) for _, reports in results for r in reports)
            unloaded = len(files) - len(results)
            print(f"{len(files)} files ({unloaded} could not be loaded), {n_procs} procedures, "
                  f"{n_fail} failed obligations", file=out)
    if load_failed:
        return EXIT_USAGE
    return EXIT_OK if ok else EXIT_FAILED


def _python_files(path: str) -> list[str]:
    """``path`` itself (a ``.py`` file) or the ``*.py`` files below a directory,
    in name order (hidden and ``__pycache__`` directories skipped)."""
    if os.path.isfile(path):
        return [path] if path.endswith(".py") else []
    found = []
    for directory, subdirs, names in os.walk(path):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith(".") and d != "__pycache__")
        found += [os.path.join(directory, n) for n in sorted(names) if n.endswith(".py")]
    return found


def _file_reports(path: str, out: TextIO) -> list | None:
    """The reports of the procedures of one file, or None (after saying why)
    when it cannot be loaded."""
    loaded = _load(path, out)
    if isinstance(loaded, int):
        return None
    recorded, namespace = loaded
    # The file's own procedures, plus any failing one it imported from elsewhere.
    target = os.path.abspath(path)
    reports = [r for r in recorded if not r.ok or (
        r.srcinfo is not None and os.path.abspath(r.srcinfo.filename) == target)]
    seen = {id(r) for r in reports}
    for value in namespace.values():  # e.g. procedures made by scheduling, not by @proc
        if isinstance(value, Procedure):
            r = check_procedure(value.INTERNAL_proc())
            mine = r.srcinfo is not None and os.path.abspath(r.srcinfo.filename) == target
            if id(r) not in seen and (mine or not r.ok):
                seen.add(id(r))
                reports.append(r)
    return reports


def _load(path: str, out: TextIO):
    """Run the user's file with the checks deferred: ``(reports, namespace)``
    or an exit status."""
    if not os.path.isfile(path):
        what = "a directory, not a Python file" if os.path.isdir(path) else "no such file"
        print(f"exo-verify: {what}: {path}", file=out)
        return EXIT_USAGE
    directory = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, directory)
    try:
        with deferred_definition_checks() as recorded:
            namespace = runpy.run_path(path, run_name="__exo_verify__")
    except ExoError as err:
        print(f"{err}", file=out)
        print(f"exo-verify: {path} could not be loaded", file=out)
        return EXIT_USAGE
    except SyntaxError as err:
        print(f"{err.filename}:{err.lineno}:{(err.offset or 1) - 1}: {err.msg}", file=out)
        print(f"exo-verify: {path} could not be loaded", file=out)
        return EXIT_USAGE
    except SystemExit as err:  # the file called sys.exit(): nothing was checked
        print(f"exo-verify: {path} called exit({err.code}) while loading; its procedures "
              f"were not checked", file=out)
        return EXIT_USAGE
    except Exception as err:  # the user's Python failed: say where, in their file
        where = _user_frame(err, path)
        print(f"{where}{type(err).__name__}: {err}", file=out)
        print(f"exo-verify: {path} could not be loaded", file=out)
        return EXIT_USAGE
    finally:
        try:
            sys.path.remove(directory)
        except ValueError:
            pass
    return list(recorded), namespace


def _user_frame(err: BaseException, path: str) -> str:
    target = os.path.abspath(path)
    where = ""
    for frame in traceback.extract_tb(err.__traceback__):
        if os.path.abspath(frame.filename) == target:
            where = f"{frame.filename}:{frame.lineno}: "
    return where


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms"


def _print_text(path: str, reports: list, out: TextIO, quiet: bool) -> None:
    n_obl = sum(len(r.outcomes) for r in reports)
    n_fail = sum(len(r.failures) for r in reports)
    for r in reports:
        where = f"{r.srcinfo.filename}:{r.srcinfo.lineno}" if r.srcinfo is not None else "?"
        verdict = "all hold" if r.ok else f"{len(r.failures)} FAILED"
        print(f"{r.name}  ({where}): {len(r.outcomes)} obligations, {verdict}, "
              f"{_ms(r.seconds)}", file=out)
        for o in r.outcomes:
            if quiet and not o.failed:
                continue
            ob = o.obligation
            pos = str(ob.srcinfo) if ob.srcinfo is not None else "?"
            print(f"  {_STATUS_LABEL[o.status]:<9} {o.solver:<10} {_ms(o.seconds):>9}  "
                  f"{pos}  {ob.what}", file=out)
            if o.failed:
                print(f"      {o.error_line()}", file=out)
        for formula, origin in r.implied:
            print(f"  requires of its callers: {formula} (for {origin})", file=out)
    solvers: dict[str, int] = {}
    for r in reports:
        for o in r.outcomes:
            solvers[o.solver] = solvers.get(o.solver, 0) + 1
    by = ", ".join(f"{k} {v}" for k, v in sorted(solvers.items()))
    total = sum(r.seconds for r in reports)
    print(f"{path}: {len(reports)} procedures, {n_obl} obligations ({by}), "
          f"{n_fail} failed, {_ms(total)}", file=out)


def _as_json(path: str, reports: list) -> dict:
    procs = []
    for r in reports:
        procs.append({
            "name": r.name,
            "srcinfo": str(r.srcinfo) if r.srcinfo is not None else None,
            "ok": r.ok,
            "seconds": r.seconds,
            "obligations": [{
                "kind": o.obligation.kind,
                "what": o.obligation.what,
                "srcinfo": str(o.obligation.srcinfo) if o.obligation.srcinfo else None,
                "status": o.status,
                "solver": o.solver,
                "seconds": o.seconds,
                "message": o.message,
                "counterexample": o.counterexample,
            } for o in r.outcomes],
            "requirements": [{"formula": str(f), "origin": origin} for f, origin in r.implied],
        })
    return {"file": path, "ok": all(r.ok for r in reports), "procedures": procs}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
