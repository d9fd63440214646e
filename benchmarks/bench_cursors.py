"""Cursor benchmark: find, forward and navigation on procedures of 10, 100
and 1000 statements.

Run: ``python benchmarks/bench_cursors.py``. Prints, per procedure size:

- ``find first``: ``p.find("x = 7.0 #0")`` where the match is the last
  statement (a full scan), and ``find all``: every loop;
- ``forward``: forwarding one cursor through 10 primitives of 5 edits each;
- ``edit``: one insertion through a ProcEditor (new root + forwarding record);
- ``nav``: ``parent()`` / ``next()`` / ``body()[0]`` at depth 2 and depth 4,
  which must not grow with the procedure size (navigation is O(depth)).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exo_core.ir.nodes import Assign, Const, For, FnArg, ProcIR, Pass  # noqa: E402
from exo_core.ir.memory import DRAM  # noqa: E402
from exo_core.ir.prelude import Sym  # noqa: E402
from exo_core.cursors.proc_editor import ProcEditor  # noqa: E402
from exo_core.procedure import Procedure  # noqa: E402
from exo_core.ir.types import F32, INT, R, TensorType  # noqa: E402

X = Sym("x")


def _assign(v: float):
    return Assign(X, R, (Const(0, INT),), Const(v, R))


def make_proc(n_stmts: int, depth: int = 4) -> Procedure:
    """A procedure with ``n_stmts`` statements: a nest of ``depth`` loops
    holding a few assignments, then flat loops of 4 assignments."""
    nest = [_assign(1.0)]
    for d in range(depth):
        nest = [For(Sym(f"n{d}"), Const(0, INT), Const(2, INT), nest + [_assign(2.0)], "seq")]
    body, count = list(nest), 2 * depth + 1
    k = 0
    while count + 5 <= n_stmts:
        body.append(For(Sym(f"i{k}"), Const(0, INT), Const(4, INT),
                        [_assign(3.0) for _ in range(4)], "seq"))
        count += 5
        k += 1
    while count < n_stmts - 1:
        body.append(_assign(4.0))
        count += 1
    body.append(_assign(7.0))
    args = (FnArg(X, TensorType(F32, (Const(8, INT),)), DRAM),)
    return Procedure(ProcIR("bench", args, (), body))


def _count(block) -> int:
    return sum(1 + _count(getattr(s, "body", ())) for s in block)


def timeit(fn, repeat: int) -> float:
    """Best per-call time in microseconds over 3 rounds of ``repeat`` calls."""
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - t0) / repeat)
    return best * 1e6


def chain(p: Procedure, n_prims: int = 10, n_edits: int = 5) -> Procedure:
    for _ in range(n_prims):
        ed = ProcEditor(p)
        for _ in range(n_edits):
            ed.insert(ed.current().body()[-1].before(), [Pass()])
        p = ed.finish()
    return p


def main() -> None:
    print(f"{'stmts':>6} {'find first':>11} {'find all':>10} {'forward 50':>11} "
          f"{'edit':>8} {'nav d=2':>8} {'nav d=4':>8}   (microseconds)")
    for n in (10, 100, 1000):
        p = make_proc(n)
        assert _count(p.INTERNAL_proc().body) == n
        find_first = timeit(lambda: p.find("x = 7.0"), 20)
        find_all = timeit(lambda: p.find_all("for _ in _: _"), 20)
        c = p.body()[-1]
        p2 = chain(p)
        assert p2.forward(c).rhs().value() == 7.0
        fwd = timeit(lambda: p2.forward(c), 50)

        def one_edit():
            ed = ProcEditor(p)
            ed.insert(c.before(), [Pass()])
            ed.finish()

        edit = timeit(one_edit, 50)
        shallow = p.body()[0].body()[0]
        deep = p.body()[0]
        for _ in range(3):
            deep = deep.body()[0]

        def nav(cur):
            return lambda: (cur.parent(), cur.next(), cur.body()[0])

        nav2 = timeit(nav(shallow), 500)
        nav8 = timeit(nav(deep), 500)
        print(f"{n:>6} {find_first:>11.1f} {find_all:>10.1f} {fwd:>11.1f} "
              f"{edit:>8.1f} {nav2:>8.1f} {nav8:>8.1f}")


if __name__ == "__main__":
    main()
