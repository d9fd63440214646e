"""Fuzz: mutated scheduling calls raise only the project's errors.

Every public primitive of ``exo_stdlib.scheduling`` (found by inspection, so
new primitives are fuzzed as soon as they are exported) is called on a random
procedure of `random_procs` with arguments drawn from its parameter names: a
plausible value most of the time (a cursor to a loop, statement, block, gap,
allocation or window statement of the procedure, a fresh name, a small
integer, a control expression), otherwise an odd one (a cursor of another
procedure, an expression cursor, a pattern that matches nothing or does not
parse, a huge or negative number, a float, None, a list of the wrong length,
text with syntax errors...); sometimes an argument is missing or an unknown
keyword is added. A primitive may refuse in any way that is an `ExoError`;
any other exception (KeyError, AttributeError, IndexError, ...) escaping is a
bug in the library.
"""

from __future__ import annotations

import inspect
import itertools
import random

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

import exo_stdlib.scheduling as S
from exo_core import DRAM, ExoError, ir, proc
from exo_core.api import proc_from_source
from exo_core.cursors.base import lift
from exo_core.cursors.paths import BlockLoc, GapLoc, NodeLoc

from tests.core.primitives.random_procs import SCOPE, random_procs
from tests.core.primitives.random_schedules import has_next, stmt_locs


def _primitives() -> dict:
    out = {}
    for name in sorted(vars(S)):
        f = getattr(S, name)
        if callable(f) and not name.startswith("_") and \
                getattr(f, "__module__", "").startswith("exo_core.primitives") and \
                f.__module__ != "exo_core.primitives.sched_op":  # declares primitives
            out[name] = f
    return out


PRIMITIVES = _primitives()
_EXAMPLE = itertools.count()


@proc
def _foreign(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i] = 1.0


ODD = [None, 0, -1, 1, 3, 2 ** 70, -2 ** 70, 1.5, float("nan"), True, "", " ", "_", "i", "n",
       "for", "x[", "i j", "for _ in _: _", "zz", "zz #3", "1 +", "n / 0", "n % 0", "x[0]",
       "x[0:", "n < ", "True", "n + 1", "-1", "lambda: 0", "λ", [], ["a"], ["a", "b", "c"],
       ["for", "if"], [1, 2], ("a", "b"), {}, b"i", object(), DRAM, "DRAM", "f64", "i8",
       _foreign, "guard", "cut"]


def _cursors(p) -> dict:
    """Plausible cursors of ``p`` by kind."""
    out = {"loop": [], "stmt": [], "block": [], "gap": [], "alloc": [], "window": []}
    for steps, s in stmt_locs(p._root):
        node = lift(p, NodeLoc(steps))
        out["stmt"].append(node)
        out["block"].append(node)
        if isinstance(s, ir.For):
            out["loop"].append(node)
        if isinstance(s, ir.Alloc):
            out["alloc"].append(node)
        if isinstance(s, ir.WindowStmt):
            out["window"].append(node)
        k = steps[-1][1]
        out["gap"].append(lift(p, GapLoc(steps[:-1], steps[-1][0], k, "before")))
        out["gap"].append(lift(p, GapLoc(steps[:-1], steps[-1][0], k + 1, "after")))
        if has_next(p, steps):
            out["block"].append(lift(p, BlockLoc(steps[:-1], steps[-1][0], k, k + 2)))
    return out


def _cursor_kind(name: str) -> str | None:
    for words, kind in ((("loop", "nested"), "loop"), (("gap",), "gap"), (("block",), "block"),
                        (("alloc", "buf"), "alloc"), (("winstmt",), "window"),
                        (("stmt", "scope", "cursor"), "stmt")):
        if any(w in name for w in words):
            return kind
    return None


def _plausible(rnd, p, pname: str):
    name = pname.lower()
    kind = _cursor_kind(name)
    if kind is not None:
        return rnd.choice(_cursors(p)[kind] or ODD)
    if "iters" in name:
        return [f"q{rnd.randint(0, 3)}", f"r{rnd.randint(0, 3)}"]
    if "name" in name:
        return rnd.choice(["q0", "tmp", "r1", "x", "i"])
    if name.startswith(("unsafe", "perfect", "guard", "accum", "fold", "quiet", "is_window")):
        return rnd.random() < 0.5
    if "tail" in name:
        return rnd.choice(["guard", "cut", "cut_and_guard"])
    if "cond" in name:
        return rnd.choice(["n < 4", ["n > 2", "n < 5"], "n == 3"])
    if any(w in name for w in ("expr", "hi", "lo", "point", "size", "offset")):
        return rnd.choice(["n", "2", "n / 2", "n - 1", 1, 2])
    if any(w in name for w in ("const", "stride", "lifts", "dim", "quotient", "idx")):
        return rnd.randint(0, 4)
    if "memory" in name:
        return DRAM
    if "typ" in name:
        return rnd.choice(["f64", "i32"])
    if "vector" in name:
        return rnd.choice([[1, 0], [0, 1]])
    return rnd.choice(ODD)


def _argument(rnd, p, pname: str):
    if rnd.randint(0, 5) == 0:
        exprs = [c for c in _cursors(p)["stmt"] if isinstance(c._node(), ir.Assign)][:1]
        return rnd.choice(ODD + [_foreign.find_loop("i")] + [c.rhs() for c in exprs])
    return _plausible(rnd, p, pname)


def _call(rnd, p):
    name = rnd.choice(sorted(PRIMITIVES))
    f = PRIMITIVES[name]
    params = list(inspect.signature(f).parameters.values())[1:]
    args = [_argument(rnd, p, q.name) for q in params
            if q.default is inspect.Parameter.empty or rnd.random() < 0.5]
    if args and rnd.randint(0, 9) == 0:
        args.pop()  # a missing argument
    kwargs = {"bogus": 1} if rnd.randint(0, 19) == 0 else {}
    return name, f, args, kwargs


@seed(0)
@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.filter_too_much])
@given(rp=random_procs(), data=st.data())
def test_mutated_schedule_calls_raise_only_exo_errors(rp, data):
    p = proc_from_source(rp.source, SCOPE)
    # hypothesis favours small integers; the example number spreads the seeds
    rnd = random.Random(f"{next(_EXAMPLE)}:{data.draw(st.integers(0, 2 ** 32))}")
    for _ in range(rnd.randint(1, 3)):
        name, f, args, kwargs = _call(rnd, p)
        try:
            result = f(p, *args, **kwargs)
        except ExoError as err:
            assert isinstance(err.message, str) and err.message
        except Exception as err:  # a raw exception escaping the library
            raise AssertionError(f"{name}({args}, {kwargs}) raised {type(err).__name__}: {err}\n"
                                 f"on\n{rp.source}") from err
        else:
            # extract_subproc returns (procedure, new subprocedure)
            results = result if isinstance(result, tuple) else (result,)
            assert all(isinstance(r, type(_foreign)) for r in results), \
                f"{name} returned {type(result).__name__}"
            p = results[0]
