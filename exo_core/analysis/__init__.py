"""IR -> logic: the facts the definition checks and the scheduling
primitives reason about.

- `logic` / `logic_partial`: control expressions as `exo_verify` terms and
  formulas, the `Scope` at a point (raising, and partial), the one window
  model (`WindowView`).
- `effects`: the one effect model -- every read, write and reduction of a
  statement, block or callee as `Access` records; `collect_accesses` makes
  independent copies of a block for dependence questions.
- `scopes`: the `Scope` before or after a statement (definition checks).
- `dependence` / `fusion`: commuting blocks, loop interchange, fission,
  fusion, independent iterations, idempotence -- each as obligations
  (`exo_core.analysis.obligations`).
- `binding`: which names statements bind and use (code-motion scoping).
- `definition_checks`: what must hold for a procedure to be well defined.
"""

from exo_core.analysis.logic import WindowView, sym_var
from exo_core.analysis.logic_partial import context_at, cond_formula, ctrl_term
from exo_core.analysis.effects import (READ, REDUCE, WRITE, Access, ConfigField, Effects,
                                       Instance, block_effects, collect_accesses, proc_effects,
                                       stmt_effects, windows_in_scope)
from exo_core.analysis.dependence import (block_idempotent, block_untouched_by,
                                          blocks_commute, conflicting,
                                          iterations_independent, loop_fissionable,
                                          loops_reorderable, same_location)

__all__ = [
    "Access", "ConfigField", "Effects", "Instance", "READ", "REDUCE", "WRITE", "WindowView",
    "block_effects", "block_idempotent", "block_untouched_by", "blocks_commute", "collect_accesses", "cond_formula",
    "conflicting", "context_at", "ctrl_term", "iterations_independent",
    "loop_fissionable", "loops_reorderable", "proc_effects", "same_location", "stmt_effects",
    "sym_var", "windows_in_scope",
]
