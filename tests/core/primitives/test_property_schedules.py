"""Property test: every schedule the checks accept computes the same outputs.

Hypothesis draws a procedure shaped like user code (`random_procs`: size
arguments with assertions, triangular and quasi-affine bounds and indices,
ifs, temporaries, windows, calls, several nests, adjacent loops with equal
bounds, loops whose body ignores the iterator, ...) and a sequence of
primitive applications (`random_schedules.OPS`, each steered to a place where
it can apply). Each example focuses on one primitive: its procedure holds a
nest shaped for it and the first step applies it; up to four more steps
follow. A primitive may refuse (SchedulingError); any other
exception is a bug. The final procedure must leave every buffer exactly as
the original does on random inputs, for the smallest size the assertions
allow (where loops like ``seq(0, n - 2)`` run zero times) and for another
size (interpreter; a sample is re-run through the jit).

Nothing is skipped silently: an example where no primitive was accepted is
counted as discarded, and the test fails when more than a few percent are.
With the default number of examples ("CI mode") every primitive must also be
accepted a minimum number of times, so a primitive the generator cannot reach
fails the test rather than going untested. The counts are printed (``-s``)
and attached to the test report. ``EXO_PROPERTY_EXAMPLES`` sets the number of
examples (300); see docs/testing.md for the other settings.
"""

from __future__ import annotations

import os

from hypothesis import strategies as st

from exo_core.api import proc_from_source

from tests.core.primitives.property_harness import (Tally, apply_step, check_same_outputs,
                                                    report, run_examples)
from tests.core.primitives.random_procs import SCOPE, random_procs
from tests.core.primitives.random_schedules import OPS, TARGETS, focus_shapes

CI_EXAMPLES = 300
EXAMPLES = int(os.environ.get("EXO_PROPERTY_EXAMPLES", str(CI_EXAMPLES)))
# Accepted applications each primitive must reach in CI mode (measured
# counts are several times these; see the printed table).
MIN_ACCEPTED = 3
MAX_DISCARDED = 0.08   # examples where no primitive was accepted
JIT_EVERY = 30         # every n-th compared example also runs through the jit


def _example(data, tally: Tally) -> None:
    # Each example focuses on one primitive: the procedure holds a nest shaped
    # for it, and it is the first step. (A wide integer, reduced: hypothesis
    # favours the first elements of a short list.)
    focus = sorted(OPS)[data.draw(st.integers(0, 2 ** 20)) % len(OPS)]
    tally.examples += 1
    rp = data.draw(random_procs(focus_shapes(focus)))
    original = proc_from_source(rp.source, SCOPE)
    p, applied = original, []
    want, accepted = data.draw(st.integers(1, 5)), 0
    for attempt in range(3 * want + 9):
        if accepted == want or (attempt >= 3 * want + 3 and accepted):
            break
        targeted = sorted(op for shape in rp.shapes for op in TARGETS[shape])
        if attempt < 3 and not accepted:  # the focus, at up to three places
            op = focus
        elif accepted < 2 and data.draw(st.integers(0, 3)):
            op = data.draw(st.sampled_from(targeted))
        else:
            op = data.draw(st.sampled_from(sorted(OPS)))
        new = apply_step(tally, op, OPS[op], data.draw, p, applied)
        if new is not None:
            accepted += 1
            p = new
    if p is original:
        tally.discarded += 1
        return
    tally.compared += 1
    check_same_outputs(original, p, rp, applied, jit=tally.compared % JIT_EVERY == 1)


def test_accepted_schedules_preserve_outputs(request):
    tally = Tally()
    run_examples(_example, tally, EXAMPLES)
    text = (tally.table(OPS) + f"\nexamples {tally.examples}, compared {tally.compared}, "
            f"discarded (no primitive accepted) {tally.discarded}")
    report(request, "schedule property counts", text)
    assert tally.discarded <= MAX_DISCARDED * tally.examples, \
        f"too many examples compared nothing:\n{text}"
    if EXAMPLES >= CI_EXAMPLES:
        never = tally.fewer_than(OPS, MIN_ACCEPTED)
        assert not never, (f"accepted fewer than {MIN_ACCEPTED} times: {', '.join(never)}; "
                           f"the generator no longer reaches them:\n{text}")
