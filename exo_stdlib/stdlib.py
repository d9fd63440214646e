"""Exo's ``exo.stdlib.stdlib``: one import that gives a schedule script
everything it uses, as Exo's does: the schedule helpers built only from
public primitives and cursors, every scheduling primitive, the inspection
queries, the cursor classes, the memories, the x86 and Neon instruction
libraries and the API (`proc`, `instr`, `config`, `Procedure`,
`compile_procs`, the type names, ...)::

    from exo_stdlib.stdlib import *
    p = hoist_stmt(p, p.find("a = 1.0"))

(``exo_stdlib.scheduling`` has the primitives and helpers alone and loads
no instruction library.) One import line per module; each module lists its
names in ``__all__``.
"""

from exo_stdlib.scheduling import *  # noqa: F401,F403 (primitives and helpers)
from exo_stdlib.inspection import *  # noqa: F401,F403
from exo_stdlib.rc_wrappers import replace_cursors  # noqa: F401
from exo_core import *  # noqa: F401,F403 (proc, instr, config, types, errors, ...)
from exo_core.api import Config, par  # noqa: F401
from exo_core.ir.extern import relu, select  # noqa: F401
from exo_core.cursors import *  # noqa: F401,F403
from exo_core.errors import CursorNavigationError, MemoryError  # noqa: F401
from exo_codegen.memories import *  # noqa: F401,F403
from exo_codegen.platforms.x86 import *  # noqa: F401,F403
from exo_codegen.platforms.neon import *  # noqa: F401,F403
