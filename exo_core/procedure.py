"""`Procedure`: the user-facing handle on one version of a procedure.

A Procedure wraps an immutable `ProcIR` root. Scheduling primitives return new
Procedures that remember their parent version and the elementary edits that made
them (``_edits``), which is what cursor forwarding composes. Methods here are
thin: each delegates to the module that owns the concern (printer, cursors,
code generation, verification).
"""

from __future__ import annotations

from exo_core.ir.nodes import ProcIR


class Procedure:
    __slots__ = ("_root", "_parent", "_edits", "_cache", "__weakref__")

    def __init__(self, root: ProcIR, parent: "Procedure | None" = None, edits=()):
        self._root = root
        self._parent = parent
        self._edits = tuple(edits)
        self._cache = {}

    # --- inspection -------------------------------------------------------
    def name(self) -> str:
        return self._root.name

    def is_instr(self) -> bool:
        return self._root.instr is not None

    def get_instr(self) -> str | None:
        return self._root.instr.c_instr if self._root.instr is not None else None

    def INTERNAL_proc(self) -> ProcIR:
        """The underlying IR root (for library code, not user schedules)."""
        return self._root

    def __str__(self):
        from exo_core.ir.printer import proc_to_str

        return proc_to_str(self._root)

    def __repr__(self):
        return f"<Procedure {self.name()}>"

    def _repr_pretty_(self, p, cycle):  # IPython
        p.text(str(self))

    # --- compilation (exo_codegen, imported at call time) ------------------
    def c_code_str(self) -> str:
        from exo_codegen.compile import proc_c_code_str

        return proc_c_code_str(self)

    def compile_c(self, directory, filename):
        from exo_codegen.compile import compile_procs

        compile_procs([self], directory, f"{filename}.c", f"{filename}.h")

    # --- cursors (exo_core.cursors.stmt_cursors) ---------------------------------------
    def args(self):
        from exo_core import cursors

        return cursors.proc_args(self)

    def body(self):
        from exo_core import cursors

        return cursors.proc_body(self)

    def find(self, pattern, many=False):
        from exo_core import cursors

        return cursors.proc_find(self, pattern, many)

    def find_loop(self, pattern, many=False):
        from exo_core import cursors

        return cursors.proc_find_loop(self, pattern, many)

    def find_alloc_or_arg(self, pattern):
        from exo_core import cursors

        return cursors.proc_find_alloc_or_arg(self, pattern)

    def find_all(self, pattern):
        return self.find(pattern, many=True)

    def forward(self, cur):
        from exo_core import cursors

        return cursors.proc_forward(self, cur)
