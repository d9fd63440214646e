"""Property test of the expression and write primitives: random procedures
(`random_procs`, each ending with `EXPR_NEST`: temporaries, a reduction
after a zero assignment, adjacent writes, additions on the right, reads
kept in bounds by an ``if``, a loop writing what a temporary read, an
output argument ``w`` read once) and random sequences of
`random_expr_steps.EXPR_OPS` (rewrite_expr with equal and unequal
candidates, bind_expr over random subsets of occurrences, ...), sometimes
mixed with the loop steps of `random_schedules.OPS`; the first step is the
example's focus, each primitive focused on in an even share of the
examples. Every accepted sequence must leave every output as the original
does (interpreter; a sample also through the jit). A refusal is a
SchedulingError; any other exception is a bug.
``EXO_EXPR_PROPERTY_EXAMPLES`` sets the number of examples (200 in CI).
"""

from __future__ import annotations

import os

from tests.core.primitives.property_harness import FocusedFamily
from tests.core.primitives.random_expr_steps import EXPR_OPS
from tests.core.primitives.random_schedules import OPS

EXPR_NEST = """\
    for e0 in seq(0, 4):
        et: f32
        et = x[e0, 0] * 2.0 + y[e0, 1]
        z[e0] = et * 3.0 + x[e0, 0] * 2.0
        z[e0] += et
        es: f32
        es = 0.0
        for e1 in seq(0, 4):
            es += 2.0 * x[e0, e1]
        y[e0, 2] = es + y[e0, 2]
        y[e0, 2] = y[e0, 2] + x[e0, 1] * 2.0
        ev: f32
        ev = (x[e0, 3] + y[e0, 3]) * 2.0
        y[e0, 4] = ev - x[e0, 3]
        y[e0, 4] += x[e0, 0] * 2.0
    for c0 in seq(0, 4):
        ec: f32
        ec = y[c0, 6] * 2.0
        y[c0, 6] = x[c0, 2]
        y[c0, 7] = ec + y[c0, 6] * 2.0
        ed: f32
        ed = x[c0, 4] * 3.0
        for c1 in seq(0, 4):
            y[c1, 5] += ed + x[c0, 4] * 3.0
            x[c1, 4] = y[c1, 1]
        if c0 > 0:
            z[c0] += x[c0 - 1, 0] * 2.0
        if c0 > 1:
            z[c0] += x[c0 - 1, 0] * 2.0
        z[c0 + 4] = x[c0, 1]
        z[c0] = x[c0, 2]
        z[c0] = z[c0] + x[c0, 3]
        eu: f32
        eu = x[c0, 6] + 1.0
        z[c0 + 4] += eu * eu
        y[c0, 8] = x[c0, 7] * 2.0
        y[c0, 9] = y[c0, 8] + 1.0
        y[c0, 1] = y[c0, 0] + x[c0, 5]
    for r0 in seq(0, 4):
        eb: f32
        ef: f32
        eh: f32
        ei: f32
        eb = 1.0
        for r1 in seq(0, 4):
            eb += 2.0 * x[r0, r1]
        ef = 0.0
        for r1 in seq(0, 4):
            ef += z[r0] * x[r0, r1]
            z[r0] = x[r1, r0]
        eh = 0.0
        for r1 in seq(0, 4):
            eh += 2.0 * (x[r0, r1] + eh)
        ei = 0.0
        for r1 in seq(0, 4):
            ei += 2.0 * x[r0, r1]
            ei += 3.0 * y[r0, r1]
        ej: f32
        ej = 0.0
        for r1 in seq(0, 4):
            ej += y[r0, 5] * x[r1, r0]
        y[r0, 3] = eb + ef + eh + ei + ej
    eo: f32
    eo = 0.0
    for o0 in seq(0, 4):
        z[o0] += eo
        eo = x[o0, 8]
        y[o0, 9] = eo * 2.0
    for w0 in seq(0, 4):
        w[w0] = x[w0, 5] * 2.0
        y[w0, 0] = w[w0] + 1.0
        y[w0, 0] += x[w0, 6]
"""

CI_EXAMPLES = 200
EXAMPLES = int(os.environ.get("EXO_EXPR_PROPERTY_EXAMPLES", str(CI_EXAMPLES)))
MIN_ACCEPTED = 5   # each primitive of the family, in CI mode
FAMILY = FocusedFamily(
    focus=EXPR_OPS, nest=EXPR_NEST, jit_every=25, extra_args=("w: f32[8]",),
    per_focus=True,
    steps={**EXPR_OPS, **{op: OPS[op] for op in ("fission", "divide_loop", "reorder_stmts")}})


def test_expression_schedules_preserve_outputs(request):
    ci_mode = EXAMPLES >= CI_EXAMPLES
    tally, text = FAMILY.run(request, "expression property counts", EXAMPLES, ci_mode,
                             MIN_ACCEPTED)
    unrefused = tally.fewer_than(("rewrite_expr (data)", "rewrite_expr (index)", "bind_expr"),
                                 MIN_ACCEPTED, "refused")
    assert not (ci_mode and unrefused), f"refused fewer than {MIN_ACCEPTED} times: {unrefused}\n{text}"
