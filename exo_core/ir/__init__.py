"""The IR layer: nodes (`nodes`), types, printer, structural equality, the
interpreter, memories, configurations and externs.

``import exo_core.ir as ir`` gives the node classes (``ir.For``, ``ir.Read``,
...) and the schema walker (``ir.children``, ``ir.expr_children``,
``ir.map_exprs``, ...): this package re-exports `exo_core.ir.nodes` and
`exo_core.ir.walk`.
"""

from exo_core.ir.nodes import *  # noqa: F401,F403
from exo_core.ir.walk import *  # noqa: F401,F403
