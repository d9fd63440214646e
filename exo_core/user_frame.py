"""The user's source position for errors raised far from the user's code.

Pattern strings and cursor misuse are reported at the line of the schedule
that made the call: the first stack frame outside the compiler's packages.
Walking frames with ``sys._getframe`` is cheap (no source reading), unlike
``inspect.stack()``.
"""

from __future__ import annotations

import os
import sys

from exo_core.errors import SchedulingError
from exo_core.ir.prelude import SrcInfo

_PACKAGE_DIRS = tuple(
    os.path.dirname(os.path.abspath(__file__)).rsplit(os.sep, 1)[0] + os.sep + name + os.sep
    for name in ("exo_core", "exo_codegen", "exo_stdlib", "exo_verify")
)


def caller_srcinfo() -> SrcInfo | None:
    """SrcInfo of the innermost frame that is not compiler code."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith(_PACKAGE_DIRS):
            return SrcInfo(frame.f_code.co_filename, frame.f_lineno, 0,
                           function=frame.f_code.co_name)
        frame = frame.f_back
    return None


def scheduling_error(message: str) -> SchedulingError:
    """A `SchedulingError` at the user's calling line."""
    return SchedulingError(message, caller_srcinfo())
