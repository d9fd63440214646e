"""Cost of the definition-time checks on the foundation's test procedures.

Collects every procedure defined by ``tests/seed_examples.py`` and by the
front-end tests (module level and inside their test functions), then checks
them all from cold caches (no memoised verifier answers, no cached reports)
and reports the total time, the obligations and which solver settled them::

    python benchmarks/bench_definition_checks.py

The goal is well under a second in total.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

MODULES = ["tests.seed_examples", "tests.core.test_frontend", "tests.core.test_bad_inputs",
           "tests.core.test_printer"]


def collect() -> list:
    """The typed roots of every procedure the modules define."""
    from exo_core.api import DEFINITION_CHECKS
    from exo_core.analysis.definition_checks import deferred_definition_checks

    roots: list = []
    DEFINITION_CHECKS.append(roots.append)  # runs after the (deferred) checks
    try:
        with deferred_definition_checks():
            for name in MODULES:
                try:
                    module = importlib.import_module(name)
                except ImportError as err:  # a module under construction elsewhere
                    print(f"skipping {name}: {err}")
                    continue
                for fn_name, fn in list(vars(module).items()):
                    if fn_name.startswith("test_") and inspect.isfunction(fn) \
                            and not inspect.signature(fn).parameters:
                        try:
                            fn()
                        except Exception:  # the test's own assertion: procs are recorded
                            pass
    finally:
        DEFINITION_CHECKS.remove(roots.append)
    return roots


def main() -> None:
    import exo_verify
    from exo_core.analysis import definition_checks

    procs = collect()
    definition_checks._reports.clear()
    exo_verify.clear_caches()
    start = time.perf_counter()
    reports = [definition_checks.check_procedure(p) for p in procs]
    cold = time.perf_counter() - start
    definition_checks._reports.clear()
    start = time.perf_counter()
    for p in procs:
        definition_checks.check_procedure(p)
    warm = time.perf_counter() - start
    solvers: dict[str, int] = {}
    for r in reports:
        for o in r.outcomes:
            solvers[o.solver] = solvers.get(o.solver, 0) + 1
    n_obl = sum(solvers.values())
    failed = sum(len(r.failures) for r in reports)
    print(f"procedures: {len(procs)}  obligations: {n_obl} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(solvers.items()))})  "
          f"failing (deliberately bad test procedures): {failed}")
    print(f"cold caches: {cold * 1e3:.1f} ms total, {cold / max(len(procs), 1) * 1e3:.2f} ms "
          f"per procedure")
    print(f"warm verifier caches: {warm * 1e3:.1f} ms total")


if __name__ == "__main__":
    main()
