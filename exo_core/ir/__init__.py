"""The IR layer: nodes (`nodes`), types, printer, structural equality, the
interpreter, memories, configurations and externs.

``import exo_core.ir as ir`` gives the node classes (``ir.For``, ``ir.Read``,
...): this package re-exports `exo_core.ir.nodes`.
"""

from exo_core.ir.nodes import *  # noqa: F401,F403
