"""The package layering, computed from the source with ``ast``.

- The module-level import graph of exo_verify, exo_core, exo_codegen and
  exo_stdlib has no cycle.
- Imports between packages only go downward (exo_verify <- exo_core <-
  exo_codegen <- exo_stdlib), at module level and inside functions, except the
  documented lazy ones (`LAZY_IMPORTS`).
- exo_verify imports nothing from the other packages, anywhere.
- No function-local import of a project module, except the documented lazy
  ones (`LAZY_IMPORTS`): a cycle is cut by moving code, not by hiding an import.

Module-level imports are the statements of a module body, including those in
a top-level ``if`` or ``try``. A package's ``__init__`` is a module of its own:
``from exo_core import cursors`` depends on ``exo_core`` and on
``exo_core.cursors``, while ``import exo_core.cursors as cursors`` depends on
``exo_core.cursors`` only (the parent package's body is not what it uses).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("exo_verify", "exo_core", "exo_codegen", "exo_stdlib")  # bottom to top

# Function-local imports of project modules that the design allows: code
# generation sits above exo_core and is imported when a user compiles; the
# definition checks and the signature rewrites (partial_eval, transpose,
# add_assertion) load the verifier (and islpy), which `import exo_core` does
# not need.
LAZY_IMPORTS = {
    ("exo_core", "exo_codegen.compile"),
    ("exo_core.procedure", "exo_codegen.compile"),
    ("exo_core.api", "exo_core.analysis.definition_checks"),
    ("exo_core.procedure", "exo_core.primitives.signature_rewrites"),
}


def _modules() -> dict[str, Path]:
    mods = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            mods[".".join(parts)] = path
    return mods


MODULES = _modules()
TREES = {m: ast.parse(p.read_text(), filename=str(p)) for m, p in MODULES.items()}


def _names(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Dotted names an import statement may load (the module and, for ``from``
    imports, each imported name as a possible submodule)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level:
        base = module.split(".")
        if MODULES[module].name != "__init__.py":
            base = base[:-1]
        base = base[: len(base) - node.level + 1]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    return [prefix] + [f"{prefix}.{a.name}" for a in node.names]


def _project_module(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _targets(module: str, node) -> set[str]:
    return {t for t in map(_project_module, _names(module, node)) if t and t != module}


def _top_level_imports(tree: ast.Module):
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            yield stmt
        elif isinstance(stmt, (ast.If, ast.Try)):
            yield from (n for n in ast.walk(stmt) if isinstance(n, (ast.Import, ast.ImportFrom)))


def _local_imports(tree: ast.Module):
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from (n for n in ast.walk(fn) if isinstance(n, (ast.Import, ast.ImportFrom)))


def _graph() -> dict[str, set[str]]:
    return {m: set().union(*(_targets(m, n) for n in _top_level_imports(t)))
            for m, t in TREES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan),
    plus modules importing themselves."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _level(module: str) -> int:
    return PACKAGES.index(module.split(".")[0])


def test_the_scan_sees_the_packages():
    assert {"exo_verify.formulas", "exo_core.ir.nodes", "exo_core.api",
            "exo_codegen.compile", "exo_stdlib.scheduling"} <= set(MODULES)
    graph = _graph()
    assert "exo_core.ir.nodes" in graph["exo_core.procedure"]
    assert "exo_verify.terms" in graph["exo_verify.formulas"]


def test_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_level_import_cycle():
    assert _cycles(_graph()) == []


def test_imports_between_packages_go_downward():
    upward = []
    for m, tree in TREES.items():
        top = set(_top_level_imports(tree))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for t in _targets(m, node):
                lazy = node not in top and (m, t) in LAZY_IMPORTS
                if _level(t) > _level(m) and not lazy:
                    upward.append(f"{m}:{node.lineno} imports {t}")
    assert upward == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("exo_verify")))
def test_exo_verify_imports_nothing_from_the_project(module):
    tree = TREES[module]
    found = sorted({t for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                    for t in _targets(module, n) if not t.startswith("exo_verify")})
    assert found == []


def test_function_local_imports_are_only_the_documented_lazy_ones():
    found = sorted(f"{m}:{n.lineno} imports {t}" for m, tree in TREES.items()
                   for n in _local_imports(tree) for t in _targets(m, n)
                   if (m, t) not in LAZY_IMPORTS)
    assert found == []


def test_lazy_imports_are_still_function_local():
    # each documented lazy import exists, and only inside a function
    local = {(m, t) for m, tree in TREES.items() for n in _local_imports(tree)
             for t in _targets(m, n)}
    top = {(m, t) for m, g in _graph().items() for t in g}
    for pair in LAZY_IMPORTS:
        assert pair in local and pair not in top, pair
