"""``exocc``: compile the procedures of a Python file to C.

    exocc FILE.py [-o OUTDIR] [--stem NAME] [PROC ...]

Runs FILE.py, collects its top-level procedures (``@proc`` results; ``@instr``
procedures are pasted at their calls, never compiled alone), all of them or
those named, and writes OUTDIR/NAME.c and OUTDIR/NAME.h (NAME defaults to the
file's stem, OUTDIR to the current directory).

Exit status: 0 on success, 1 when the file or its procedures have errors
(reported as ``file:line:col: message``), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import os
import sys
import traceback

from exo_core.errors import ExoError
from exo_core.procedure import Procedure

from exo_codegen.compile import compile_procs


class _Usage(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="exocc",
        description="Compile the procedures defined in a Python file to a C file "
                    "and its header.")
    p.add_argument("source", metavar="FILE.py", help="Python file defining @proc procedures")
    p.add_argument("procs", metavar="PROC", nargs="*", default=[],
                   help="procedures to export (default: every top-level procedure)")
    p.add_argument("-o", "--outdir", default=".", metavar="OUTDIR",
                   help="directory for the .c and .h files (default: current directory)")
    p.add_argument("--stem", metavar="NAME",
                   help="base name of the output files (default: the source file's stem)")
    return p


def load_procedures(path: str) -> dict:
    """Run the Python file ``path``; return its top-level non-instruction
    procedures by variable name, in definition order."""
    name = "exocc_user_" + "".join(c if c.isalnum() else "_" for c in
                                   os.path.splitext(os.path.basename(path))[0])
    # (an explicit source loader: a file without the .py suffix loads as well)
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    if spec is None:
        raise _Usage(f"cannot load {path} as a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    procs: dict = {}
    for var, value in vars(module).items():
        if isinstance(value, Procedure) and not value.is_instr() and not var.startswith("_"):
            if not any(value is q for q in procs.values()):
                procs[var] = value
    return procs


def _user_traceback(err: BaseException, path: str) -> str:
    """The innermost frame of the user's file for a Python error in it."""
    if isinstance(err, SyntaxError):
        col = max((err.offset or 1) - 1, 0)
        return f"{err.filename or path}:{err.lineno or 1}:{col}: SyntaxError: {err.msg}"
    frames = [f for f in traceback.extract_tb(err.__traceback__)
              if os.path.abspath(f.filename) == os.path.abspath(path)]
    where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else f"{path}: "
    return f"{where}{type(err).__name__}: {err}"


def main(argv=None) -> int:
    """Console entry point; returns the exit status."""
    args = _parser().parse_intermixed_args(argv)
    path = args.source
    if not os.path.isfile(path):
        what = "a directory, not a Python file" if os.path.isdir(path) else "no such file"
        print(f"exocc: error: {what}: {path}", file=sys.stderr)
        return 2
    stem = args.stem or os.path.splitext(os.path.basename(path))[0]
    if not stem or os.sep in stem:
        print(f"exocc: error: --stem must be a plain file name, got {stem!r}", file=sys.stderr)
        return 2
    try:
        procs = load_procedures(path)
    except _Usage as err:
        print(f"exocc: error: {err}", file=sys.stderr)
        return 2
    except ExoError as err:
        print(f"exocc: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    except SystemExit as err:
        print(f"exocc: {path} called exit({err.code})", file=sys.stderr)
        return 1
    except Exception as err:
        print(f"exocc: error while running {path}:\n{_user_traceback(err, path)}",
              file=sys.stderr)
        return 1
    by_name = {p.name(): p for p in procs.values()}
    by_name.update(procs)
    if args.procs:
        missing = [n for n in args.procs if n not in by_name]
        if missing:
            print(f"exocc: error: {path} defines no procedure named {', '.join(missing)} "
                  f"(it defines: {', '.join(procs) or 'none'})", file=sys.stderr)
            return 2
        chosen = [by_name[n] for n in args.procs]
    else:
        chosen = list(procs.values())
    if not chosen:
        print(f"exocc: error: {path} defines no procedures", file=sys.stderr)
        return 1
    c_file, h_file = f"{stem}.c", f"{stem}.h"
    try:
        compile_procs(chosen, args.outdir, c_file, h_file)
    except ExoError as err:
        print(f"exocc: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"exocc: error: cannot write to {args.outdir}: {err}", file=sys.stderr)
        return 1
    names = ", ".join(p.name() for p in chosen)
    print(f"exocc: wrote {os.path.join(args.outdir, c_file)} and "
          f"{os.path.join(args.outdir, h_file)} ({names})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
