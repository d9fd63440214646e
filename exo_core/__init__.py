"""exo_core: the object language, its IR, cursors and scheduling.

The public surface matches Exo's ``exo`` module (see docs/porting.md)::

    from exo_core import proc, instr, config, DRAM, Memory, SchedulingError
"""

from exo_core.errors import (
    ExoError,
    ParseError,
    ExoTypeError,
    SchedulingError,
    InvalidCursorError,
    MemGenError,
    VerificationError,
    ParseFragmentError,
)
from exo_core.ir.memory import Memory, DRAM
from exo_core.procedure import Procedure
from exo_core.ir.extern import Extern
from exo_core.cursors.base import ExoType
from exo_core.api import proc, instr, config
from exo_core.ir.types import F16 as f16, F32 as f32, F64 as f64, I8 as i8, UI8 as ui8
from exo_core.ir.types import UI16 as ui16, I32 as i32, R, INDEX as index, SIZE as size
from exo_core.ir.types import STRIDE as stride
from exo_core.user_frame import user_entry


@user_entry
def compile_procs(proc_list, basedir, c_file, h_file):
    """Compile procedures to ``basedir/c_file`` and ``basedir/h_file``."""
    from exo_codegen.compile import compile_procs as _compile_procs

    return _compile_procs(proc_list, basedir, c_file, h_file)


@user_entry
def compile_procs_to_strings(proc_list, h_file_name):
    """Compile procedures to a pair ``(c_text, h_text)``."""
    from exo_codegen.compile import compile_procs_to_strings as _to_strings

    return _to_strings(proc_list, h_file_name)


__all__ = [
    "proc", "instr", "config", "Procedure", "Memory", "DRAM", "Extern", "ExoType",
    "ExoError", "ParseError", "ExoTypeError", "SchedulingError",
    "InvalidCursorError", "MemGenError", "VerificationError", "ParseFragmentError",
    "compile_procs", "compile_procs_to_strings",
    "f16", "f32", "f64", "i8", "ui8", "ui16", "i32", "R", "index", "size", "stride",
]
