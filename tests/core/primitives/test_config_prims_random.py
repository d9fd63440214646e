"""Random procedures that write and read a configuration field (in loops
that may run zero times, in both branches of ifs, through a callee), and
every delete_config / write_config / bind_config the primitives accept on
them: the result leaves every buffer as the original does and, unless the
field is recorded as modified, the field's final value too (run by the
interpreter from random inputs and a random initial configuration)."""

from __future__ import annotations

import random

import numpy as np

from exo_core import SchedulingError, config, proc
from exo_core.api import proc_from_source
from exo_core.ir.interpret import interpret
from exo_core.ir.provenance import modified_configs
from exo_stdlib.inspection import nlr_stmts
from exo_stdlib.scheduling import bind_config, delete_config, write_config

PROCS = 40
SEED = 11


@config
class RC:
    f: f32


@proc
def reader(x: f32[8]):
    x[7] = RC.f


def _block(rng: random.Random, depth: int, loops: list, counter: list) -> list:
    lines = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["write", "write", "read", "read", "acc", "loop", "if", "call"]
                          if depth < 2 else ["write", "read", "acc", "call"])
        idx = rng.choice(loops + [str(rng.randint(0, 6))]) if loops else str(rng.randint(0, 6))
        if kind == "write":
            lines.append(f"RC.f = {rng.choice(['a', 'b', '2.0'])}")
        elif kind == "read":
            lines.append(f"x[{idx}] = RC.f")
        elif kind == "acc":
            lines.append(f"x[{idx}] += a")
        elif kind == "call":
            lines.append("reader(x)")
        elif kind == "loop":
            it = f"i{counter[0]}"
            counter[0] += 1
            bound = rng.choice(["n - 1", "n - 1", "2", "n"])
            lines.append(f"for {it} in seq(0, {bound}):")
            lines += ["    " + s for s in _block(rng, depth + 1, loops + [it], counter)]
        else:
            lines.append("if flag:")
            lines += ["    " + s for s in _block(rng, depth + 1, loops, counter)]
            if rng.random() < 0.5:
                lines.append("else:")
                lines += ["    " + s for s in _block(rng, depth + 1, loops, counter)]
    return lines


def random_proc(rng: random.Random):
    body = _block(rng, 0, [], [0])
    text = ("def rnd(n: size, flag: bool, a: f32, b: f32, x: f32[8]):\n    assert n <= 6\n"
            + "".join(f"    {s}\n" for s in body))
    return proc_from_source(text, {"RC": RC, "reader": reader})


def _run(p, n, flag, a, b, x, f0):
    x = x.copy()
    cfg = {(RC, "f"): f0}
    interpret(p, n, flag, np.array(a, dtype=np.float32), np.array(b, dtype=np.float32), x,
              configs=cfg)
    return x, cfg[(RC, "f")]


def _equivalent(p, q, rng: np.random.Generator) -> None:
    keep_final = (RC, "f") not in modified_configs(q.INTERNAL_proc())
    for n in (1, 2, 3):
        for flag in (False, True):
            a, b, f0 = (float(v) for v in rng.integers(-4, 5, size=3))
            x = rng.integers(-4, 5, size=8).astype(np.float32)
            xp, fp = _run(p, n, flag, a, b, x, f0)
            xq, fq = _run(q, n, flag, a, b, x, f0)
            np.testing.assert_array_equal(xp, xq, err_msg=f"x differs (n={n}, flag={flag}):\n"
                                                          f"{p}\n--- became ---\n{q}")
            if keep_final:
                assert fp == fq, f"the final RC.f differs:\n{p}\n--- became ---\n{q}"


def _attempts(p):
    for s in nlr_stmts(p):
        if type(s).__name__ == "AssignConfigCursor":
            yield "delete", lambda s=s: delete_config(p, s)
        yield "write", lambda s=s: write_config(p, s.before(), RC, "f", "a")
        if type(s).__name__ == "ReduceCursor":
            yield "bind", lambda s=s: bind_config(p, s.rhs(), RC, "f")
    last = p.body()[len(p.body()) - 1]
    yield "write", lambda: write_config(p, last.after(), RC, "f", "b")


def test_accepted_config_changes_keep_the_meaning():
    rng = random.Random(SEED)
    nrng = np.random.default_rng(SEED)
    accepted = {"delete": 0, "write": 0, "bind": 0}
    refused = 0
    for _ in range(PROCS):
        p = random_proc(rng)
        for kind, attempt in _attempts(p):
            try:
                q = attempt()
            except SchedulingError:
                refused += 1
                continue
            accepted[kind] += 1
            _equivalent(p, q, nrng)
    assert min(accepted.values()) >= 5 and refused >= 20, (accepted, refused)
