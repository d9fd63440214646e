"""`Procedure`: the user-facing handle on one version of a procedure.

A Procedure wraps an immutable `ProcIR` root. Scheduling primitives return new
Procedures that remember their parent version and the elementary edits that made
them (the `ProcVersion` part), which is what cursor forwarding composes. Methods
here are thin: each delegates to the module that owns the concern (printer,
cursors, code generation); the public ones are `user_entry` points, so their
errors end the traceback in the user's frame.

Code generation (`exo_codegen`) sits above this package: `c_code_str` and
`compile_c` import it when called (the one documented upward reach, which also
keeps ``import exo_core`` light).
"""

from __future__ import annotations

from exo_core.cursors import stmt_cursors as cursors
from exo_core.ir.version import ProcVersion
from exo_core.ir.nodes import ProcIR
from exo_core.ir.printer import proc_to_str
from exo_core.user_frame import user_entry


class Procedure(ProcVersion):
    __slots__ = ()

    # --- inspection -------------------------------------------------------
    def is_instr(self) -> bool:
        return self._root.instr is not None

    def get_instr(self) -> str | None:
        return self._root.instr.c_instr if self._root.instr is not None else None

    def INTERNAL_proc(self) -> ProcIR:
        """The underlying IR root (for library code, not user schedules)."""
        return self._root

    def __str__(self):
        return proc_to_str(self._root)

    def __repr__(self):
        return f"<Procedure {self.name()}>"

    def _repr_pretty_(self, p, cycle):  # IPython
        p.text(str(self))

    # --- compilation (exo_codegen, imported at call time) ------------------
    @user_entry
    def c_code_str(self) -> str:
        from exo_codegen.compile import proc_c_code_str

        return proc_c_code_str(self)

    @user_entry
    def compile_c(self, directory, filename):
        from exo_codegen.compile import compile_procs

        compile_procs([self], directory, f"{filename}.c", f"{filename}.h")

    # --- cursors (exo_core.cursors.stmt_cursors) ---------------------------------------
    @user_entry
    def args(self):
        return cursors.proc_args(self)

    @user_entry
    def body(self):
        return cursors.proc_body(self)

    @user_entry
    def find(self, pattern, many=False):
        return cursors.proc_find(self, pattern, many)

    @user_entry
    def find_loop(self, pattern, many=False):
        return cursors.proc_find_loop(self, pattern, many)

    @user_entry
    def find_alloc_or_arg(self, pattern):
        return cursors.proc_find_alloc_or_arg(self, pattern)

    @user_entry
    def find_all(self, pattern):
        return self.find(pattern, many=True)

    @user_entry
    def forward(self, cur):
        return cursors.proc_forward(self, cur)
