"""List the helpers exo_stdlib exports and the tests that check each one.

    python3 tools/stdlib_audit.py            # the helpers missing a golden or an equivalence run
    python3 tools/stdlib_audit.py --all      # every helper, with its counts

A helper is a function defined in an ``exo_stdlib`` module and exported by
``exo_stdlib.scheduling`` or ``exo_stdlib.stdlib`` that rewrites a
procedure: its return annotation is ``Procedure`` (or a tuple starting with
one), or it has none and its first parameter is ``proc``/``p`` (the
inspection queries, cursor walks and staging rules are left out). A test function (any function of a file under
tests/) *goldens* a helper when it calls the helper and compares a printed
result (``_same``, ``check_golden``, or ``==`` with ``str(p)`` on one side,
lines of it included; ``"..." in str(p)`` does not count), and *runs it for equivalence* when it calls the helper and one of
the equivalence checks (``assert_equivalent``, ``assert_same_outputs``,
...). A call through an alias is not seen, so a missing entry is a prompt to
look, not a proof.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_CALLS = {"_same", "check_golden", "_golden", "golden", "assert_golden", "same_print"}
# modules of queries (cursors, facts) and the staging rules (``*_rule``): no rewrite
QUERY_MODULES = {"exo_stdlib.navigation", "exo_stdlib.inspection", "exo_stdlib.traversals",
                 "exo_stdlib.cursor_walk", "exo_stdlib.analysis", "exo_stdlib.range_analysis"}
EQUIV_CALLS = {"assert_equivalent", "assert_same_outputs", "assert_same_results",
               "rejected_or_equivalent", "check_against_numpy", "outputs_after",
               "assert_cases_match"}


def exported_helpers() -> dict:
    sys.path.insert(0, str(ROOT))
    import exo_stdlib.scheduling as sched
    import exo_stdlib.stdlib as std
    out = {}
    for mod in (sched, std):
        for name in getattr(mod, "__all__", dir(mod)):
            obj = getattr(mod, name, None)
            if not inspect.isfunction(obj) or not obj.__module__.startswith("exo_stdlib"):
                continue
            if _rewrites_a_procedure(obj):
                out[name] = obj.__module__
    return out


def _rewrites_a_procedure(f) -> bool:
    """Returns a procedure (annotated so, or unannotated with a first
    parameter ``proc``/``p``, or a tuple starting with one)."""
    sig = inspect.signature(f)
    ret = sig.return_annotation
    ret = ret if isinstance(ret, str) else getattr(ret, "__name__", str(ret))
    if ret == "Procedure" or ret.startswith("tuple[Procedure"):
        return True
    params = list(sig.parameters)
    return (ret == "_empty" and bool(params) and params[0] in ("proc", "p", "procedure")
            and f.__module__ not in QUERY_MODULES and not f.__name__.endswith("_rule"))


def _called_names(fn: ast.AST) -> set:
    names = set()
    for n in ast.walk(fn):
        if isinstance(n, ast.Call):
            f = n.func
            if isinstance(f, ast.Name):
                names.add(f.id)
            elif isinstance(f, ast.Attribute):
                names.add(f.attr)
    return names


def _prints(e: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "str"
               for n in ast.walk(e))


def _compares_print(fn: ast.AST) -> bool:
    """An ``==`` with a printed procedure (``str(p)``, ``str(p).strip()``, lines
    of it) on one side: a whole printed result, or lines of one, compared."""
    for n in ast.walk(fn):
        if isinstance(n, ast.Compare) and any(isinstance(op, ast.Eq) for op in n.ops):
            if any(_prints(p) for p in [n.left] + list(n.comparators)):
                return True
    return False


def scan_tests() -> list:
    units = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                called = _called_names(fn)
                golden = bool(called & GOLDEN_CALLS) or _compares_print(fn)
                equiv = bool(called & EQUIV_CALLS)
                units.append((path.relative_to(ROOT), fn.name, called, golden, equiv))
    return units


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--all", action="store_true")
    args = ap.parse_args(argv)
    helpers = exported_helpers()
    units = scan_tests()
    n_golden = n_equiv = 0
    rows = []
    for name in sorted(helpers):
        g = sum(1 for u in units if name in u[2] and u[3])
        e = sum(1 for u in units if name in u[2] and u[4])
        n_golden += g > 0
        n_equiv += e > 0
        if args.all or not (g and e):
            rows.append(f"{name:40} {helpers[name]:34} golden {g:3}  equivalence {e:3}")
    print("\n".join(rows))
    print(f"{len(helpers)} helpers: {n_golden} with a golden, {n_equiv} with an equivalence run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
