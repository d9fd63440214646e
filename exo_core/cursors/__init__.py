"""Cursors (Exo's ``exo.API_cursors``): zipper paths over the persistent IR,
pattern find, navigation, elementary edits and forwarding.

- `paths`: locations as paths from the root; `base`, `stmt_cursors`,
  `expr_cursors`: the cursor classes; `patterns`, `pattern_parse`: pattern
  strings; `location`: one resolver from user arguments to locations;
  `edits`, `forwarding`, `proc_editor`: rewrites and their forwarding rules.
"""

from exo_core.cursors.stmt_cursors import *  # noqa: F401,F403
from exo_core.cursors.stmt_cursors import __all__ as _cursor_names
from exo_core.cursors.prototypes import ExprCursorPrototype, StmtCursorPrototype  # noqa: F401

__all__ = [*_cursor_names, "StmtCursorPrototype", "ExprCursorPrototype"]
