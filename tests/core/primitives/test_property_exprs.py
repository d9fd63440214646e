"""Property test of the expression and write primitives: random procedures
(`random_procs`, each ending with `EXPR_NEST`: temporaries, a reduction
after a zero assignment, adjacent writes, additions on the right) and random
sequences of `random_expr_steps.EXPR_OPS` (rewrite_expr with equal and
unequal candidates, bind_expr over random subsets of occurrences, ...),
sometimes mixed with the loop steps of `random_schedules.OPS`; the first
step is the example's focus. Every accepted sequence must leave every output
as the original does (interpreter; a sample also through the jit). A
refusal is a SchedulingError; any other exception is a bug.
``EXO_EXPR_PROPERTY_EXAMPLES`` sets the number of examples (200 in CI).
"""

from __future__ import annotations

import collections
import dataclasses
import os

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from exo_core import SchedulingError, ir
from exo_core.api import proc_from_source
from exo_core.primitives.ir_build import stmt_syms

from tests.core.primitives.random_expr_steps import EXPR_OPS
from tests.core.primitives.random_procs import SCOPE, random_procs
from tests.core.primitives.random_schedules import OPS, stmt_locs
from tests.core.primitives.test_property_schedules import PHASES, _check_same_outputs

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
        y[r0, 3] = eb + ef + eh + ei
    eo: f32
    eo = 0.0
    for o0 in seq(0, 4):
        z[o0] += eo
        eo = x[o0, 8]
        y[o0, 9] = eo * 2.0
"""

CI_EXAMPLES = 200
EXAMPLES = int(os.environ.get("EXO_EXPR_PROPERTY_EXAMPLES", str(CI_EXAMPLES)))
SEED = int(os.environ.get("EXO_PROPERTY_SEED", "0"))
MIN_ACCEPTED = 3   # each primitive of the family, in CI mode
JIT_EVERY = 25


def _compiles_cleanly(p) -> bool:
    """No allocation left unused (an unused local is a C warning, and the
    jit builds with -Werror)."""
    allocs = [s.name for _, s in stmt_locs(p._root) if isinstance(s, ir.Alloc)]
    used = stmt_syms(p._root.body, binders=False)
    return all(a in used for a in allocs)


def test_expression_schedules_preserve_outputs(request):
    accepted, refused, compared = collections.Counter(), collections.Counter(), [0]
    steps = {**EXPR_OPS, **{op: OPS[op] for op in ("fission", "divide_loop", "reorder_stmts")}}

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=PHASES,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def run(data):
        focus = sorted(EXPR_OPS)[data.draw(st.integers(0, 2 ** 20)) % len(EXPR_OPS)]
        rp = data.draw(random_procs())
        rp = dataclasses.replace(rp, source=rp.source.rstrip("\n") + "\n" + EXPR_NEST)
        original = proc_from_source(rp.source, SCOPE)
        p, applied = original, []
        for k in range(data.draw(st.integers(1, 4))):
            op = focus if k == 0 else data.draw(st.sampled_from(sorted(steps)))
            try:
                new = steps[op](data.draw, p)
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
            jit = compared[0] % JIT_EVERY == 1 and _compiles_cleanly(p)
            _check_same_outputs(original, p, rp, applied, jit=jit)

    run()
    rows = [f"{op:24}{accepted[op]:9}{refused[op]:9}" for op in sorted(EXPR_OPS)]
    report = "\n".join([f"{'primitive':24}{'accepted':>9}{'refused':>9}"] + rows +
                       [f"compared {compared[0]} of {EXAMPLES}"])
    print("\n" + report)
    request.node.add_report_section("call", "expression property counts", report)
    if EXAMPLES >= CI_EXAMPLES:
        never = [op for op in EXPR_OPS if accepted[op] < MIN_ACCEPTED]
        assert not never, f"accepted fewer than {MIN_ACCEPTED} times: {never}\n{report}"
        unrefused = [op for op in ("rewrite_expr (data)", "rewrite_expr (index)", "bind_expr")
                     if refused[op] < MIN_ACCEPTED]
        assert not unrefused, f"refused fewer than {MIN_ACCEPTED} times: {unrefused}\n{report}"
