"""The IR invariants the test suite checks after every primitive application
and on every procedure the front end builds (installed by tests/conftest.py).

- `check_primitive_result(name, before, after)`: the result is well-formed
  (`exo_core.ir.wellformed`) and its printed text parses back, through the
  definition checks, to an alpha-equal procedure that prints the same;
- `check_front_end_proc(proc_ir)`: a newly defined procedure is well-formed.

Memory legality (no element access of a buffer in a memory that cannot be
accessed element-wise) is required of a result only when the input had it
and the rewrite put no buffer into such a memory: ``set_memory`` to a vector
memory legitimately leaves element accesses that ``replace`` later turns into
instructions, and a test may define a procedure that code generation must refuse.
"""

from __future__ import annotations

from exo_core import api
from exo_core.api import proc_from_source
from exo_core.ir import nodes as ir
from exo_core.ir.equal import proc_equal
from exo_core.ir.provenance import equivalent
from exo_core.ir.printer import proc_to_str, source_scope
from exo_core.ir.wellformed import (MalformedIRError, check_wellformed,
                                    memory_allows_element_access)
from exo_core.procedure import Procedure


def _unreadable_buffers(root: ir.ProcIR) -> set:
    """Symbols of the arguments and allocations held in memories that cannot be
    accessed element-wise."""
    out = {a.name for a in root.args if a.mem is not None
           and not memory_allows_element_access(a.mem)}

    def walk(block):
        for s in block:
            if isinstance(s, ir.Alloc) and not memory_allows_element_access(s.mem):
                out.add(s.name)
            for field in ("body", "orelse"):
                walk(getattr(s, field, ()))

    walk(root.body)
    return out


def _memory_legal(root: ir.ProcIR) -> bool:
    try:
        check_wellformed(root)
    except MalformedIRError:
        return False
    return True


def round_trip(p: Procedure, definition_checks: bool = True) -> Procedure:
    """Print ``p``, parse the text back (with the definition checks, unless
    ``definition_checks=False``: then parsed and typechecked only); the result
    must print the same and be alpha-equal to ``p``. Returns the parsed
    procedure."""
    root = p.INTERNAL_proc()
    text = proc_to_str(root)
    saved = list(api.DEFINITION_CHECKS)
    if not definition_checks:
        api.DEFINITION_CHECKS.clear()
    try:
        q = proc_from_source(text, source_scope(root), filename="<printed>")
    finally:
        api.DEFINITION_CHECKS[:] = saved
    again = proc_to_str(q.INTERNAL_proc())
    if again != text:
        raise AssertionError(f"the printed procedure prints differently after parsing "
                             f"back:\n{text}\n---\n{again}")
    if not proc_equal(root, q.INTERNAL_proc()):
        raise AssertionError(f"the printed procedure parses back to a procedure that is "
                             f"not alpha-equal to it:\n{text}")
    return q


def check_primitive_result(primitive: str, before: Procedure, after: Procedure) -> None:
    """Well-formedness and the print/parse round trip of the result of one
    application of ``primitive``."""
    if after is before:
        return
    root = after.INTERNAL_proc()
    memories = (_memory_legal(before.INTERNAL_proc())
                and _unreadable_buffers(root) <= _unreadable_buffers(before.INTERNAL_proc()))
    check_wellformed(root, memories=memories)
    # A procedure scheduled from the input is checked as a user definition
    # would be (bounds, preconditions, ...); a new procedure a primitive makes
    # (extract_subproc's, whose assertions include_asserts=False leaves out)
    # only has to parse and typecheck.
    round_trip(after, definition_checks=equivalent(before.INTERNAL_proc(), root))


def check_front_end_proc(root: ir.ProcIR) -> None:
    """Every procedure the front end builds is well-formed (memory legality
    aside: code generation reports those accesses to the user)."""
    check_wellformed(root, memories=False)
