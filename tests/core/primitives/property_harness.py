"""The run-and-compare harness the property tests of the primitives share
(`test_property_schedules`, `test_property_buffers`, `test_property_exprs`).

An example draws a random procedure (`random_procs`), applies a sequence of
steps (functions ``step(draw, p)`` returning the new procedure, ``None`` when
there is no place to apply, or raising SchedulingError for a refusal), and
compares the outputs of the final procedure with the original's on random
inputs (interpreter; a sample also through the jit). A `Tally` counts what
each step did; the tests print it and fail when a primitive was not reached
often enough in CI mode.

Settings every property test reads: ``EXO_PROPERTY_SEED`` (the seed of the
examples, 0), ``EXO_PROPERTY_SHRINK=0`` (report the first failing example as
drawn, for tools/plant_bugs.py).
"""

from __future__ import annotations

import collections
import dataclasses
import os
from typing import Callable

import numpy as np
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from exo_core import SchedulingError
from exo_core.api import proc_from_source
from exo_core.ir.printer import proc_to_str
from exo_core.ir.types import TensorType

from tests.core.primitives.equivalence import outputs_after, random_inputs
from tests.core.primitives.random_procs import SCOPE, RandomProc, random_procs

# The examples are drawn from a fixed seed, so the counts (and what the tests
# catch) do not vary from run to run; EXO_PROPERTY_SEED explores others.
SEED = int(os.environ.get("EXO_PROPERTY_SEED", "0"))
PHASES = tuple(Phase) if os.environ.get("EXO_PROPERTY_SHRINK", "1") != "0" else \
    (Phase.explicit, Phase.generate)

Step = Callable  # step(draw, p) -> Procedure | None, raising SchedulingError to refuse


class Tally:
    """What the steps did over all examples of one test."""

    def __init__(self):
        self.accepted = collections.Counter()
        self.refused = collections.Counter()
        self.no_place = collections.Counter()
        self.examples = 0
        self.compared = 0
        self.discarded = 0

    def table(self, ops, no_place: bool = True) -> str:
        """One row a primitive of ``ops``: accepted, refused (and no place)."""
        head = f"{'primitive':24}{'accepted':>9}{'refused':>9}"
        rows = [head + (f"{'no place':>9}" if no_place else "")]
        for op in sorted(ops):
            row = f"{op:24}{self.accepted[op]:9}{self.refused[op]:9}"
            rows.append(row + (f"{self.no_place[op]:9}" if no_place else ""))
        return "\n".join(rows)

    def fewer_than(self, ops, minimum: int, counter: str = "accepted") -> list[str]:
        """The primitives of ``ops`` whose ``counter`` is below ``minimum``."""
        counts = getattr(self, counter)
        return [op for op in sorted(ops) if counts[op] < minimum]


def apply_step(tally: Tally, op: str, step: Step, draw, p, applied: list):
    """Apply ``step`` to ``p``; the new procedure, or ``None`` when the step
    refused or found no place (counted in ``tally``, refusals noted in
    ``applied``)."""
    try:
        new = step(draw, p)
    except SchedulingError:
        tally.refused[op] += 1
        applied.append(f"({op} refused)")
        return None
    if new is None:
        tally.no_place[op] += 1
        return None
    tally.accepted[op] += 1
    applied.append(op)
    return new


def check_same_outputs(original, p, rp: RandomProc, applied: list, jit: bool) -> None:
    """``p`` leaves every output as ``original`` does, for each control
    setting of ``rp`` (interpreter; with ``jit``, the compiled ``p`` agrees
    with the interpreter on the first)."""
    for k, controls in enumerate(rp.controls):
        args = random_inputs(original, controls, np.random.default_rng(k))
        want = outputs_after(original, args, "interp")
        where = (f"\n{rp.source}\nwith {controls}, after {' -> '.join(applied)}:\n"
                 f"{proc_to_str(p._root)}")
        try:
            got = outputs_after(p, args, "interp")
        except Exception as e:  # an out-of-bounds access the rewrite introduced
            raise AssertionError(f"the scheduled procedure fails to run: {e}{where}") from e
        index = [i for i, a in enumerate(original.INTERNAL_proc().args)
                 if isinstance(a.type, TensorType)]  # x, y, z and any extra argument
        outputs = [original.INTERNAL_proc().args[i] for i in index]
        for a, i in zip(outputs, index):
            np.testing.assert_array_equal(got[i], want[i],
                                          err_msg=f"{a.name.name} differs:{where}")
        if jit and k == 0:  # the interpreter agrees with the compiled code
            for i in index:
                np.testing.assert_array_equal(outputs_after(p, args, "jit")[i], got[i])


@dataclasses.dataclass(frozen=True)
class FocusedFamily:
    """A family of steps tested on random procedures that end with ``nest``
    (code shaped for the family): each example's first step is one of
    ``focus`` (chosen by the example), up to three more are drawn from
    ``steps``; every ``jit_every``-th compared example also runs through
    the jit. ``extra_args`` are parameters the nest uses besides x, y and z
    (compared as outputs too). With ``per_focus``, each primitive of the
    focus gets its share of the examples (a run of its own, from its own
    seed) instead of the examples drawing the focus, which hypothesis
    draws unevenly."""
    focus: dict
    steps: dict
    nest: str
    shapes: tuple = ()
    jit_every: int = 30
    extra_args: tuple = ()
    per_focus: bool = False

    def example(self, data, tally: Tally, focus: str | None = None) -> None:
        if focus is None:
            focus = sorted(self.focus)[data.draw(st.integers(0, 2 ** 20)) % len(self.focus)]
        tally.examples += 1
        rp = data.draw(random_procs(self.shapes, self.extra_args))
        rp = dataclasses.replace(rp, source=rp.source.rstrip("\n") + "\n" + self.nest)
        original = proc_from_source(rp.source, SCOPE)
        p, applied = original, []
        for k in range(data.draw(st.integers(1, 4))):
            op = focus if k == 0 else data.draw(st.sampled_from(sorted(self.steps)))
            new = apply_step(tally, op, self.steps[op], data.draw, p, applied)
            if new is not None:
                p = new
        if p is original:
            tally.discarded += 1
            return
        tally.compared += 1
        check_same_outputs(original, p, rp, applied, jit=tally.compared % self.jit_every == 1)

    def run(self, request, title: str, examples: int, ci_mode: bool,
            min_accepted: int) -> tuple[Tally, str]:
        """Run ``examples`` examples and report the counts under ``title``;
        in CI mode, fail when a primitive of the focus was accepted fewer
        than ``min_accepted`` times. Returns the tally and the report."""
        tally = Tally()
        if self.per_focus:
            for k, op in enumerate(sorted(self.focus)):
                run_examples(lambda data, t, op=op: self.example(data, t, op), tally,
                             max(1, examples // len(self.focus)), seed_offset=k)
        else:
            run_examples(self.example, tally, examples)
        text = tally.table(self.focus, no_place=False) + f"\ncompared {tally.compared} of {examples}"
        report(request, title, text)
        never = tally.fewer_than(self.focus, min_accepted)
        assert not (ci_mode and never), f"accepted fewer than {min_accepted} times: {never}\n{text}"
        return tally, text


def run_examples(example: Callable, tally: Tally, examples: int, seed_offset: int = 0) -> None:
    """Run ``example(data, tally)`` on ``examples`` hypothesis examples drawn
    from the fixed seed (plus ``seed_offset``)."""

    @seed(SEED + seed_offset)
    @settings(max_examples=examples, deadline=None, database=None, phases=PHASES,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def run(data):
        example(data, tally)

    run()


def report(request, title: str, text: str) -> None:
    """Print ``text`` (seen with ``-s``) and attach it to the test's report."""
    print("\n" + text)
    request.node.add_report_section("call", title, text)
