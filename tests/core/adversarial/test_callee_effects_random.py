"""Random calls against the precise callee effects.

Random callees (element copies, reductions, constant writes, a small loop)
are called through random windows next to random statements; reorder_stmts
and fission are asked to move the statements past the call. Every accepted
rewrite must compute what the original computes (interpreter, random data),
and the sample must contain both accepted and refused rewrites, so that the
test says something about each side.
"""

from __future__ import annotations

import os
import random

from exo_core import SchedulingError
from exo_core.api import proc_from_source
from exo_stdlib.scheduling import fission, reorder_stmts

from tests.core.adversarial.harness import assert_same_results

CASES = int(os.environ.get("EXO_CALLEE_CASES", "120"))


def _callee_body(rng: random.Random) -> list[str]:
    lines = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["copy", "add", "const", "loop"])
        c, d = rng.randrange(4), rng.randrange(4)
        if kind == "copy":
            lines.append(f"b[{c}] = a[{d}]")
        elif kind == "add":
            lines.append(f"b[{c}] += a[{d}]")
        elif kind == "const":
            lines.append(f"a[{c}] = 2.0")
        else:
            c, d = rng.randrange(3), rng.randrange(3)
            lines.append("for k in seq(0, 2):")
            lines.append(f"    b[k + {c}] = a[k + {d}] + b[k + {c}]")
    return lines


def _callee(rng: random.Random):
    body = "\n".join("    " + line for line in _callee_body(rng))
    return proc_from_source(f"def f(a: [f32][4], b: [f32][4]):\n{body}\n", {},
                            filename="callee.py")


def _statement(rng: random.Random, i: str) -> str:
    c, d = rng.randrange(8), rng.randrange(8)
    return rng.choice([
        f"y[{i}{c}] = x[{i}{d}]",
        f"x[{i}{c}] = y[{i}{d}] + 1.0",
        f"y[{i}{c}] += x[{i}{d}]",
        f"x[{i}{c}] = 3.0",
    ])


def _block_case(rng: random.Random, f):
    o1, o2 = rng.randrange(5), rng.randrange(5)
    call = f"f(x[{o1}:{o1 + 4}], y[{o2}:{o2 + 4}])"
    other = _statement(rng, "")
    first, second = (call, other) if rng.random() < 0.5 else (other, call)
    p = proc_from_source(f"def p(x: f32[8], y: f32[8]):\n    {first}\n    {second}\n",
                         {"f": f}, filename="caller.py")
    return p, lambda: reorder_stmts(p, p.body()[0].expand(0, 1))


def _loop_case(rng: random.Random, f):
    o1, o2 = rng.randrange(5), rng.randrange(5)
    call = f"f(x[i + {o1}:i + {o1 + 4}], y[i + {o2}:i + {o2 + 4}])"
    other = _statement(rng, "i + ")
    first, second = (call, other) if rng.random() < 0.5 else (other, call)
    p = proc_from_source(
        f"def q(x: f32[12], y: f32[12]):\n    for i in seq(0, 4):\n"
        f"        {first}\n        {second}\n", {"f": f}, filename="caller.py")
    return p, lambda: fission(p, p.body()[0].body()[0].after())


def test_moves_past_random_calls_are_sound():
    rng = random.Random(9)
    accepted = refused = 0
    for k in range(CASES):
        f = _callee(rng)
        p, rewrite = (_block_case if k % 2 == 0 else _loop_case)(rng, f)
        try:
            q = rewrite()
        except SchedulingError:
            refused += 1
            continue
        accepted += 1
        assert_same_results(p, q, trials=2, seed=k)
    assert accepted >= CASES // 5 and refused >= CASES // 5, (accepted, refused)
