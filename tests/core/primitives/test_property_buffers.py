"""Property test of the buffer primitives: random procedures (with
temporaries, tensor temporaries and window statements, `random_procs`; one
nest a ``staged`` or ``staged_calls`` temporary, the latter used across a
loop's iterations through calls that write, read, read then write or write
then read a window of it, window statements and element accesses) and
random sequences drawing from both families (`random_buffer_steps.BUFFER_OPS`
and the loop/statement steps of `random_schedules.OPS`), the first step a
buffer primitive. Every accepted sequence must leave every output as the
original does (interpreter; a sample also through the jit). Every procedure also
ends with `BUFFER_NEST`. A refusal is a SchedulingError; any other exception is a bug. ``EXO_BUFFER_PROPERTY_EXAMPLES``
sets the number of examples (300 in CI).
"""

from __future__ import annotations

import os

from tests.core.primitives.property_harness import FocusedFamily
from tests.core.primitives.random_buffer_steps import BUFFER_OPS
from tests.core.primitives.random_schedules import OPS

# A nest appended to every random procedure, with what the buffer primitives
# work on: temporaries inside a loop (one with a constant dimension), a
# window statement, an unused scalar, two temporaries one after the other, and
# a scalar that carries a value from one iteration of the loop after it to the
# next (sinking it into that loop must be refused).
BUFFER_NEST = """\
    for b0 in seq(0, 4):
        bt: f32[2, 4]
        bd: f32
        bw = x[b0, 0:4]
        for b1 in seq(0, 4):
            bt[0, b1] = bw[b1] * 2.0
            bt[1, b1] = y[b0, b1] + 1.0
            z[b1] = bt[0, b1] + bt[1, b1]
        bu: f32[2, 4]
        for b1 in seq(0, 4):
            bu[0, b1] = z[b1]
            y[b0, b1] = bu[0, b1]
        bc: f32
        for b1 in seq(0, 4):
            if b1 == 0:
                bc = y[b0, 0]
            z[b1] += bc
"""

CI_EXAMPLES = 300
EXAMPLES = int(os.environ.get("EXO_BUFFER_PROPERTY_EXAMPLES", str(CI_EXAMPLES)))
# buffer primitives each accepted at least this often in CI mode
MIN_ACCEPTED = 3
FAMILY = FocusedFamily(focus=BUFFER_OPS, steps={**OPS, **BUFFER_OPS}, nest=BUFFER_NEST,
                       shapes=("staged", "staged_calls", "staged_calls", "staged_calls"),
                       jit_every=40)


def test_buffer_schedules_preserve_outputs(request):
    FAMILY.run(request, "buffer property counts", EXAMPLES, EXAMPLES >= CI_EXAMPLES,
               MIN_ACCEPTED)
