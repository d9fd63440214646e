"""Suite-wide IR invariants, installed once for the whole run.

From the start of collection (so procedures defined at module level are
covered too) to the end of the session:

- after every primitive application (every call through the primitives'
  single entry point, `exo_core.primitives.signature.POST_APPLICATION_CHECKS`)
  the result must be well-formed and print/parse back to an alpha-equal
  procedure;
- every procedure the front end builds must be well-formed (a definition
  check, `exo_core.api.register_definition_check`).

The checks themselves are tests/ir_invariants.py.
"""

from __future__ import annotations

from exo_core import api
from exo_core.primitives import signature

from tests.ir_invariants import check_front_end_proc, check_primitive_result


def pytest_configure(config):
    if check_primitive_result not in signature.POST_APPLICATION_CHECKS:
        signature.POST_APPLICATION_CHECKS.append(check_primitive_result)
    api.register_definition_check(check_front_end_proc)


def pytest_unconfigure(config):
    if check_primitive_result in signature.POST_APPLICATION_CHECKS:
        signature.POST_APPLICATION_CHECKS.remove(check_primitive_result)
    if check_front_end_proc in api.DEFINITION_CHECKS:
        api.DEFINITION_CHECKS.remove(check_front_end_proc)
