"""Exo's ``exo.stdlib.stdlib``: the schedule helpers built only from public
primitives and cursors, in one import::

    from exo_stdlib.stdlib import *
    p = hoist_stmt(p, p.find("a = 1.0"))

One import line per helper module; each module lists its names in ``__all__``.
"""

from exo_stdlib.sequencing import repeat  # noqa: F401
# errors Exo's exo.stdlib.stdlib also exports, for ``except`` clauses in ported scripts
from exo_core.errors import (CursorNavigationError, InvalidCursorError,  # noqa: F401
                             MemoryError, SchedulingError)
from exo_stdlib.staging import *  # noqa: F401,F403
from exo_stdlib.vectorizing import *  # noqa: F401,F403
from exo_stdlib.tiling import tile_loops, tile_loops_bottom_up  # noqa: F401
from exo_stdlib.auto_staging import auto_stage_mem, autolift_alloc  # noqa: F401
from exo_stdlib.analysis import check_call_mem_types, get_observed_stmts  # noqa: F401
from exo_stdlib.replacing import (call_site_mem_aware_replace, check_call_site,  # noqa: F401
                                  checked_replace, replace_all, replace_all_stmts, replace_once)
from exo_stdlib.loop_helpers import *  # noqa: F401,F403
from exo_stdlib.loop_bounds import *  # noqa: F401,F403
from exo_stdlib.interleaving import *  # noqa: F401,F403
