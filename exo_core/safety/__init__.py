"""Soundness checks shared by the scheduling primitives.

- `obligations`: the `Obligation` record (what must hold, as data) and
  `discharge` (ask exo_verify; raise SchedulingError with a counterexample).
- `ir_logic`: IR control expressions -> verifier terms; facts at a statement.
- `accesses`: the reads/writes/reductions of a block as integer facts.
- `callee`: what a called procedure does to its arguments.
- `dependence`: commuting blocks, loop interchange, fission, independent
  iterations, idempotence -- each as an Obligation.
"""

from .obligations import (MustHold, MustNotHappen, Obligation, Situation, discharge,
                          discharge_all)
from .ir_logic import context_at, cond_formula, ctrl_term, proc_facts, sym_var
from .accesses import Access, ConfigField, collect_accesses, windows_in_scope
from .dependence import (block_idempotent, blocks_commute, conflicting, iterations_independent,
                         loop_fissionable, loops_reorderable, same_location)

__all__ = [
    "Access", "ConfigField", "MustHold", "MustNotHappen", "Obligation", "Situation",
    "block_idempotent", "blocks_commute", "collect_accesses", "cond_formula", "conflicting",
    "context_at", "ctrl_term", "discharge", "discharge_all", "iterations_independent",
    "loop_fissionable", "loops_reorderable", "proc_facts", "same_location", "sym_var",
    "windows_in_scope",
]
