"""Property test of the buffer primitives: random procedures (with
temporaries, tensor temporaries and window statements, `random_procs`) and
random sequences drawing from both families (`random_buffer_steps.BUFFER_OPS`
and the loop/statement steps of `random_schedules.OPS`), the first step a
buffer primitive. Every accepted sequence must leave every output as the
original does (interpreter; a sample also through the jit). Every procedure also
ends with `BUFFER_NEST`. A refusal is a SchedulingError; any other exception is a bug. ``EXO_BUFFER_PROPERTY_EXAMPLES``
sets the number of examples (300 in CI).
"""

from __future__ import annotations

import collections
import dataclasses
import os

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from exo_core import SchedulingError
from exo_core.api import proc_from_source

from tests.core.primitives.random_buffer_steps import BUFFER_OPS
from tests.core.primitives.random_procs import SCOPE, random_procs
from tests.core.primitives.random_schedules import OPS
from tests.core.primitives.test_property_schedules import _check_same_outputs

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
SEED = int(os.environ.get("EXO_PROPERTY_SEED", "0"))
ALL_OPS = {**OPS, **BUFFER_OPS}
# buffer primitives each accepted at least this often in CI mode
MIN_ACCEPTED = 3


def test_buffer_schedules_preserve_outputs(request):
    accepted, refused, compared = collections.Counter(), collections.Counter(), [0]

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def run(data):
        focus = sorted(BUFFER_OPS)[data.draw(st.integers(0, 2 ** 20)) % len(BUFFER_OPS)]
        rp = data.draw(random_procs(("staged",)))
        rp = dataclasses.replace(rp, source=rp.source.rstrip("\n") + "\n" + BUFFER_NEST)
        original = proc_from_source(rp.source, SCOPE)
        p, applied = original, []
        for k in range(data.draw(st.integers(1, 4))):
            op = focus if k == 0 else data.draw(st.sampled_from(sorted(ALL_OPS)))
            try:
                new = ALL_OPS[op](data.draw, p)
            except SchedulingError:
                refused[op] += 1
                applied.append(f"({op} refused)")
                continue
            if new is None:
                continue
            accepted[op] += 1
            applied.append(op)
            p = new
        if p is not original:
            compared[0] += 1
            # (the unused scalar bd does not compile with -Werror: interpreter only)
            jit = compared[0] % 40 == 1 and "bd:" not in str(p)
            _check_same_outputs(original, p, rp, applied, jit=jit)

    run()
    rows = [f"{op:24}{accepted[op]:9}{refused[op]:9}" for op in sorted(BUFFER_OPS)]
    report = "\n".join([f"{'primitive':24}{'accepted':>9}{'refused':>9}"] + rows +
                       [f"compared {compared[0]} of {EXAMPLES}"])
    print("\n" + report)
    request.node.add_report_section("call", "buffer property counts", report)
    if EXAMPLES >= CI_EXAMPLES:
        never = [op for op in BUFFER_OPS if accepted[op] < MIN_ACCEPTED]
        assert not never, f"accepted fewer than {MIN_ACCEPTED} times: {never}\n{report}"
