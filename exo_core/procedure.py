"""`Procedure`: the user-facing handle on one version of a procedure.

A Procedure wraps an immutable `ProcIR` root. Scheduling primitives return new
Procedures that remember their parent version and the elementary edits that made
them (the `ProcVersion` part), which is what cursor forwarding composes. Methods
here are thin: each delegates to the module that owns the concern (printer,
cursors, code generation, `exo_core.primitives.signature_rewrites`); the
public ones are `user_entry` points, so their errors end the traceback in the
user's frame.

Equivalence (`is_eq`, `unsafe_assert_eq`) is the provenance of
`exo_core.ir.provenance`: a version scheduled from another is equivalent to
it; `partial_eval`, `transpose` and `add_assertion` change the signature and
return a procedure of a class of its own, as in Exo.

Code generation (`exo_codegen`) sits above this package: `c_code_str` and
`compile_c` import it when called (the one documented upward reach, which also
keeps ``import exo_core`` light).
"""

from __future__ import annotations

from exo_core.cursors import stmt_cursors as cursors
from exo_core.errors import ArgumentTypeError, ArgumentValueError
from exo_core.ir.config import Config
from exo_core.ir.version import ProcVersion
from exo_core.ir.nodes import ProcIR
from exo_core.ir.printer import proc_to_str
from exo_core.ir.provenance import assert_equivalent, equivalent
from exo_core.ir.types import TensorType
from exo_core.ir.walk import walk_stmts
from exo_core.user_frame import caller_srcinfo, user_entry


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

    # --- equivalence (exo_core.ir.provenance) ------------------------------
    @user_entry
    def is_eq(self, proc: "Procedure") -> bool:
        """Whether ``proc`` is known to compute the same thing as this
        procedure: one was scheduled from the other (or both from a common
        procedure), or `unsafe_assert_eq` said so."""
        return equivalent(self._root, _procedure_arg("is_eq", proc)._root)

    @user_entry
    def unsafe_assert_eq(self, other_proc: "Procedure") -> "Procedure":
        """Declare, unchecked, that ``other_proc`` is equivalent to this
        procedure (so `call_eqv` may swap one for the other); returns self."""
        assert_equivalent(self._root, _procedure_arg("unsafe_assert_eq", other_proc)._root)
        return self

    @user_entry
    def has_dup(self) -> bool:
        """Whether one statement object occurs twice in the body. Nodes are
        immutable, so sharing is harmless here; this is an inspection of the
        tree's shape only."""
        seen = set()
        for s in walk_stmts(self._root.body):
            if id(s) in seen:
                return True
            seen.add(id(s))
        return False

    # --- signature changes (exo_core.primitives.signature_rewrites, imported
    # on first use: it loads the verifier and islpy, which `import exo_core`
    # does not need) --------------------------------------------------------
    @user_entry
    def partial_eval(self, *args, **kwargs) -> "Procedure":
        """Fix control arguments, given in order (``p.partial_eval(8, 4)``:
        the first two) or by name (``p.partial_eval(m=4)``), not both::

            def foo(n: size, x: f32[n]):    -->   def foo(x: f32[8]):
                for i in seq(0, n): ...               for i in seq(0, 8): ...

        Returns self when nothing is given."""
        if args and kwargs:
            raise ArgumentValueError("partial_eval: give the values either in order or by "
                                     "name, not both", caller_srcinfo())
        if not args and not kwargs:
            return self
        params = self._root.args
        if len(args) > len(params):
            raise ArgumentTypeError(f"partial_eval: {self.name()} has {len(params)} arguments, "
                                    f"but {len(args)} values were given", caller_srcinfo())
        values = {a.name.name: v for a, v in zip(params, args)} if args else dict(kwargs)
        from exo_core.primitives.signature_rewrites import partial_eval_root  # lazy (verifier)

        return Procedure(partial_eval_root(self._root, values))

    @user_entry
    def transpose(self, arg_cursor) -> "Procedure":
        """Swap the two dimensions of a 2-d buffer argument, in the signature
        and at every access::

            def foo(x: f32[n, m]):    -->   def foo(x: f32[m, n]):
                x[i, j] = 0.0                   x[j, i] = 0.0
        """
        if not isinstance(arg_cursor, cursors.ArgCursor):
            raise ArgumentTypeError("transpose: expected a 2D argument cursor, got "
                                    f"{type(arg_cursor).__name__}", caller_srcinfo())
        arg = self.forward(arg_cursor)
        k = arg._loc.steps[0][1]
        t = self._root.args[k].type
        if not (isinstance(t, TensorType) and len(t.shape_exprs) == 2):
            raise ArgumentTypeError(f"transpose: expected a 2D argument cursor, but "
                                    f"{self._root.args[k].name.name} has type {t}",
                                    caller_srcinfo())
        from exo_core.primitives.signature_rewrites import transpose_root  # lazy (verifier)

        return Procedure(transpose_root(self._root, k))

    @user_entry
    def add_assertion(self, assertion: str, configs=None) -> "Procedure":
        """A copy with one more precondition, a condition on the control
        arguments (``p.add_assertion("n % 4 == 0")``) and on the control
        fields of the configurations listed in ``configs``
        (``p.add_assertion("CFG.n > 2", configs=[CFG])``). Nothing is
        checked: the new procedure is not equivalent to this one."""
        if not isinstance(assertion, str):
            raise ArgumentTypeError("add_assertion: the assertion must be a string, got "
                                    f"{type(assertion).__name__}", caller_srcinfo())
        configs = configs or ()
        if not isinstance(configs, (list, tuple)) or not all(isinstance(c, Config)
                                                             for c in configs):
            raise ArgumentTypeError("add_assertion: configs must be a list of configurations "
                                    "(made with @config)", caller_srcinfo())
        from exo_core.primitives.signature_rewrites import add_assertion_root  # lazy (verifier)

        return Procedure(add_assertion_root(self._root, assertion, tuple(configs)))


def _procedure_arg(what: str, value) -> Procedure:
    if not isinstance(value, Procedure):
        raise ArgumentTypeError(f"{what}: expected a procedure, got {type(value).__name__}",
                                caller_srcinfo())
    return value
