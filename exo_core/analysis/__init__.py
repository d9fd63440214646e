"""Soundness checks shared by the scheduling primitives.

- `accesses`: the reads/writes/reductions of a block as integer facts.
- `callee`: what a called procedure does to its arguments.
- `dependence`: commuting blocks, loop interchange, fission, independent
  iterations, idempotence -- each as obligations (`exo_core.analysis.obligations`).
"""

from exo_core.analysis.logic import sym_var
from exo_core.analysis.logic_partial import context_at, cond_formula, ctrl_term
from exo_core.analysis.accesses import Access, ConfigField, collect_accesses, windows_in_scope
from exo_core.analysis.dependence import (block_idempotent, blocks_commute, conflicting, iterations_independent,
                         loop_fissionable, loops_reorderable, same_location)

__all__ = [
    "Access", "ConfigField",
    "block_idempotent", "blocks_commute", "collect_accesses", "cond_formula", "conflicting",
    "context_at", "ctrl_term", "iterations_independent",
    "loop_fissionable", "loops_reorderable", "same_location", "sym_var",
    "windows_in_scope",
]
