"""Every scheduling primitive, in one import (Exo's ``exo.stdlib.scheduling``)::

    from exo_stdlib.scheduling import *

One import line per primitive module; each module lists its primitives in
``__all__``.
"""

from exo_core.primitives.loops import *  # noqa: F401,F403
from exo_core.primitives.loop_order import *  # noqa: F401,F403
from exo_core.primitives.simplify import *  # noqa: F401,F403
from exo_core.primitives.stmts import *  # noqa: F401,F403
from exo_core.primitives.scopes import *  # noqa: F401,F403
from exo_core.primitives.lift_scope import *  # noqa: F401,F403
from exo_core.primitives.buffers_staging import *  # noqa: F401,F403
from exo_core.primitives.buffers_alloc import *  # noqa: F401,F403
from exo_core.primitives.buffers_dims import *  # noqa: F401,F403
from exo_core.primitives.subprocs import *  # noqa: F401,F403
from exo_core.primitives.buffers_memory import *  # noqa: F401,F403
from exo_core.primitives.parallel import *  # noqa: F401,F403
from exo_core.primitives.inlining import *  # noqa: F401,F403
from exo_core.primitives.exprs import *  # noqa: F401,F403
from exo_core.primitives.expr_binding import *  # noqa: F401,F403
from exo_core.primitives.writes import *  # noqa: F401,F403
from exo_core.primitives.configs import *  # noqa: F401,F403
from exo_core.primitives.control_strings import FormattedExprStr  # noqa: F401
from exo_core.errors import ParseFragmentError  # noqa: F401
from exo_core.primitives.sched_op import (ArgOrAllocCursorA, BlockCursorA, BoolA,  # noqa: F401
                                          ProcA, is_atomic_scheduling_op, sched_op)
from exo_stdlib.staging import *  # noqa: F401,F403
from exo_stdlib.vectorizing import *  # noqa: F401,F403
from exo_stdlib.tiling import *  # noqa: F401,F403
from exo_stdlib.auto_staging import *  # noqa: F401,F403
from exo_stdlib.analysis import *  # noqa: F401,F403
from exo_stdlib.replacing import *  # noqa: F401,F403
from exo_stdlib.loop_nests import *  # noqa: F401,F403
from exo_stdlib.sequencing import *  # noqa: F401,F403
from exo_stdlib.loop_helpers import *  # noqa: F401,F403
from exo_stdlib.loop_bounds import *  # noqa: F401,F403
from exo_stdlib.interleaving import *  # noqa: F401,F403
from exo_stdlib.higher_order import *  # noqa: F401,F403
from exo_stdlib.rc_wrappers import *  # noqa: F401,F403
from exo_stdlib.halide_scheduling_ops import *  # noqa: F401,F403
# Names Exo's exo.stdlib.scheduling also exports, so that scripts written for it
# (``except SchedulingError``, ``isinstance(c, ForCursor)``) port unchanged
from exo_core.errors import InvalidCursorError, SchedulingError  # noqa: F401
from exo_core.procedure import Procedure  # noqa: F401
from exo_core.cursors import (ExprCursorPrototype, StmtCursorPrototype,  # noqa: F401
                              AllocCursor, ArgCursor, AssignConfigCursor, AssignCursor,  # noqa: F401
                              BinaryOpCursor, BlockCursor, CallCursor, Cursor, ExprCursor,
                              ExprListCursor, ExternFunctionCursor, ForCursor, GapCursor,
                              IfCursor, InvalidCursor, LiteralCursor, PassCursor,
                              ReadConfigCursor, ReadCursor, ReduceCursor, StmtCursor,
                              StrideExprCursor, UnaryMinusCursor, WindowExprCursor,
                              WindowStmtCursor)
