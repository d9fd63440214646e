"""exo_verify stands alone: no imports from the packages above it, and the
heavy solvers (z3, sympy) load only when a question needs them."""

import ast
import pathlib
import subprocess
import sys

import exo_verify

PACKAGE_DIR = pathlib.Path(exo_verify.__file__).parent
UPPER_PACKAGES = ("exo_core", "exo_codegen", "exo_stdlib")


def _imported_modules(node):
    for sub in ast.walk(node):
        if isinstance(sub, ast.Import):
            yield from (alias.name for alias in sub.names)
        elif isinstance(sub, ast.ImportFrom) and sub.module:
            yield sub.module


def _is_upper(module):
    return module.split(".")[0] in UPPER_PACKAGES


def test_engine_modules_do_not_import_upper_packages():
    for path in PACKAGE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        upper = [m for m in _imported_modules(tree) if _is_upper(m)]
        assert not upper, f"{path.name} imports {upper}"


def _run(code):
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE_DIR.parent,
    )
    return out.stdout.strip()


def test_z3_and_sympy_are_imported_lazily():
    code = (
        "import sys\n"
        "from exo_verify import Var, prove, simplify_term, in_range\n"
        "i, n = Var('i'), Var('n')\n"
        "assert prove(i < n, in_range(i, 0, n)).solver == 'isl'\n"
        "simplify_term((4 * n + i) // 4, in_range(i, 0, 4))\n"
        "print('z3' in sys.modules, 'sympy' in sys.modules)\n"
        "assert prove(i * n >= 0, [i >= 0, n >= 0]).solver == 'z3'\n"
        "print('z3' in sys.modules)\n"
    )
    assert _run(code).split() == ["False", "False", "True"]


def test_importing_the_compiler_loads_no_solver():
    # islpy, z3 and sympy load with the first question that needs them, so
    # that importing the compiler stays cheap (the import-time budget)
    code = (
        "import sys\n"
        "import exo_core, exo_stdlib.scheduling\n"
        "print(*(m in sys.modules for m in ('islpy', 'z3', 'sympy')))\n"
        "from exo_verify import Var, prove, in_range\n"
        "i, n = Var('i'), Var('n')\n"
        "assert prove(i < n, in_range(i, 0, n)).solver == 'isl'\n"
        "print('islpy' in sys.modules)\n"
    )
    assert _run(code).split() == ["False", "False", "False", "True"]
