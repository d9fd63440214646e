"""Random procedures for the schedule property test, shaped like user code.

`random_procs()` is a hypothesis strategy drawing a `RandomProc`: the
source text of one procedure and the control values to run it with. The
procedure takes a size ``n`` (sometimes also ``m`` with ``assert m <= n``),
asserts a lower bound on ``n`` (sometimes ``n % 2 == 0`` or ``n % 4 == 0``)
and holds one to three loop nests drawn from shapes that scheduling
primitives look for:

- ``generic``: loops with constant, size, triangular (``seq(0, i)``,
  ``seq(i, n)``) and quasi-affine (``seq(0, n / 2)``) bounds; bodies of
  assignments and reductions with dependent reads (``x[i + 1, j]``,
  ``x[i / 2, ...]``, ``x[n - 1 - i, ...]``), sliding ranges
  (``seq(i, i + 2)``), calls writing an element or a
  window, ifs (with else), scalar temporaries and window statements;
- ``pair``: two adjacent loops with equal bounds (fuse);
- ``join``: ``for i in seq(lo, mid): S`` then ``for i in seq(mid', hi): S``
  with the same body, ``mid'`` usually ``mid`` (join_loops);
- ``idle``: a loop whose body does not use its iterator, idempotent or not,
  whose trip count may be zero at the smallest ``n`` (remove_loop);
- ``nest``: two perfectly nested loops, the inner one triangular or with a
  literal bound (reorder_loops, mult_loops, lift_scope);
- ``guarded``: a loop around an if, or an if around a loop (lift_scope,
  eliminate_dead_code);
- ``staged``: a tensor temporary filled by one loop and read by the next;
- ``staged_calls``: a tensor temporary used across the iterations of a loop
  through calls (callees that write, read, read then write, write then read
  a window of it), window statements and element accesses (drawn only when
  asked for, by the buffer property test);
- ``map``: an elementwise loop, sometimes reading its own output at an
  offset (divide_with_recompute).

Every index stays in bounds by construction: an iterator carries an upper
bound ``a * n + b`` and only indices below ``2 * n + 8`` (the size of every
buffer dimension) are drawn, so the front end's bounds checks accept the
procedure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from exo_core.api import proc_from_source

DIM = "2 * n + 8"
BUFS2 = ("x", "y")  # 2-d buffers [DIM, DIM]
BUF1 = "z"          # 1-d buffer [DIM]
OUTPUTS = ("x", "y", "z")


CALLEES = tuple(proc_from_source(src, {}) for src in ('''
def set_to(a: f32, b: f32):
    a = b
''', '''
def add_to(a: f32, b: f32):
    a += b * 2.0
''', '''
def vadd(k: size, a: [f32][k], b: [f32][k]):
    for q in seq(0, k):
        a[q] += b[q]
''', '''
def fill4(a: [f32][4], b: [f32][4]):
    for q in seq(0, 4):
        a[q] = b[q]
''', '''
def bump4(a: [f32][4], b: [f32][4]):
    for q in seq(0, 4):
        b[q] += a[q]
    for q in seq(0, 4):
        a[q] = b[q]
''', '''
def refill4(a: [f32][4], b: [f32][4]):
    for q in seq(0, 4):
        a[q] = b[q]
    for q in seq(0, 4):
        b[q] += a[q]
''', '''
def part4(a: [f32][4], b: [f32][4]):
    for q in seq(0, 2):
        a[q] = b[q]
    for q in seq(0, 4):
        b[q] += a[q]
    for q in seq(2, 4):
        a[q] = b[q]
'''))
# what the callees do to their first argument `a`, a window of 4 (the
# `staged_calls` shape passes a temporary's window): fill4 writes it, bump4
# reads it then writes it, refill4 writes it then reads it, part4 writes half,
# reads all, then writes the other half; vadd reads its second argument
SCOPE = {c.name(): c for c in CALLEES}


@dataclass(frozen=True)
class Iter:
    name: str
    amax: int  # the iterator is at most amax * n + bmax
    bmax: int


@dataclass
class RandomProc:
    source: str
    controls: list  # dicts of control values, the smallest allowed first
    shapes: list = field(default_factory=list)  # the nest shapes drawn


class _Gen:
    """One procedure being drawn (names, iterators in scope, output lines)."""

    def __init__(self, draw):
        self.draw = draw
        self.lines: list[str] = []
        self.counter = 0
        self.lo_n = draw(st.sampled_from([1, 2, 3, 4, 4]))
        self.mod = draw(st.sampled_from([1, 1, 1, 2, 4]))
        self.has_m = draw(st.integers(0, 3)) == 0

    # -- small pieces ------------------------------------------------------
    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}{self.counter}"

    def pick(self, xs):
        return self.draw(st.sampled_from(list(xs)))

    def chance(self, k: int) -> bool:
        """True with probability 1/k."""
        return self.draw(st.integers(0, k - 1)) == 0

    def fits(self, a: int, b: int) -> bool:
        # a * n + b < 2 * n + 8 for every n >= 1
        return a <= 2 and a * 1 + b < 2 + 8 and b <= 7

    def index(self, iters: list[Iter]) -> str:
        """An index below 2 * n + 8 and >= 0."""
        for _ in range(4):
            kind = self.draw(st.integers(0, 9))
            if kind == 0 or not iters:
                return str(self.draw(st.integers(0, 3)))
            v = self.pick(iters)
            if kind <= 3:
                return v.name
            if kind <= 5:
                c = self.draw(st.integers(1, 2))
                if self.fits(v.amax, v.bmax + c):
                    return f"{v.name} + {c}"
            elif kind == 6:
                w = self.pick(iters)
                if self.fits(v.amax + w.amax, v.bmax + w.bmax):
                    return f"{v.name} + {w.name}"
            elif kind == 7:
                return self.pick([f"{v.name} / 2", f"{v.name} % 4", f"({v.name} + 1) / 2"])
            elif kind == 8:
                # reversal n - 1 - v needs v <= n - 1
                if (v.amax, v.bmax) == (1, -1) or (v.amax == 0 and v.bmax <= self.lo_n - 1):
                    return f"n - 1 - {v.name}"
            else:
                if self.fits(2 * v.amax, 2 * v.bmax):
                    return f"2 * {v.name}"
        return str(self.draw(st.integers(0, 3)))

    def access(self, iters, buf=None) -> str:
        buf = buf or self.pick(BUFS2 + (BUF1,))
        if buf == BUF1:
            return f"{buf}[{self.index(iters)}]"
        return f"{buf}[{self.index(iters)}, {self.index(iters)}]"

    def rhs(self, iters, temps=()) -> str:
        kind = self.draw(st.integers(0, 4))
        if kind == 0:
            return f"{self.draw(st.integers(-2, 3))}.0"
        if kind == 1 and temps:
            return f"{self.pick(temps)} * 2.0 + {self.access(iters)}"
        if kind <= 2:
            return f"{self.access(iters)} * 2.0 + 1.0"
        return f"{self.access(iters)} + {self.access(iters)}"

    def cond(self, iters) -> str:
        opts = [f"n > {self.lo_n}", f"n < {self.lo_n + 2}", f"n >= {self.lo_n}"]
        if self.has_m:
            opts.append("m < n")
        for v in iters:
            opts += [f"{v.name} == 0", f"{v.name} < n - 1", f"{v.name} % 2 == 0",
                     f"{v.name} < 2", f"{v.name} < n", f"{v.name} >= n"]
        if len(iters) >= 2:
            a, b = iters[-2].name, iters[-1].name
            opts += [f"{b} < {a}", f"{a} + {b} < n", f"{a} == {b}"]
        return self.pick(opts)

    def bounds(self, iters, allow_tri=True) -> tuple[str, str, Iter]:
        """(lo, hi, iterator-bound) of a new loop."""
        opts = ["const", "n", "n", "n-1", "n/2", "1..n", "n-lo"]
        if self.has_m:
            opts.append("m")
        if iters and allow_tri:
            opts += ["tri", "tri+1", "tri-from", "sliding"]
        kind = self.pick(opts)
        if kind == "const":
            c = self.draw(st.integers(1, 4))
            return "0", str(c), (0, c - 1)
        if kind == "n":
            return "0", "n", (1, -1)
        if kind == "n-1":
            return "0", "n - 1", (1, -2)
        if kind == "n/2":
            return "0", self.pick(["n / 2", "(n + 1) / 2", "n / 4"]), (1, -1)
        if kind == "1..n":
            return str(self.draw(st.integers(1, min(2, self.lo_n)))), "n", (1, -1)
        if kind == "n-lo":
            # zero iterations at the smallest n
            return "0", f"n - {self.lo_n}", (1, -1 - self.lo_n)
        if kind == "m":
            return "0", "m", (1, -1)
        v = self.pick(iters)
        if kind == "tri":
            return "0", v.name, (v.amax, v.bmax - 1)
        if kind == "sliding":
            # seq(v, v + c): always ordered, whatever v is
            c = self.draw(st.integers(1, 3))
            if self.fits(v.amax, v.bmax + c):
                return v.name, f"{v.name} + {c}", (v.amax, v.bmax + c - 1)
            return "0", v.name, (v.amax, v.bmax - 1)
        if kind == "tri+1":
            return "0", f"{v.name} + 1", (v.amax, v.bmax)
        # seq(v, n) needs v <= n to be well formed; every iterator is below n + 3
        if (v.amax, v.bmax) in ((1, -1), (1, -2)) or (v.amax == 0 and v.bmax < self.lo_n):
            return v.name, "n", (1, -1)
        return "0", v.name, (v.amax, v.bmax - 1)

    def it(self, name, b) -> Iter:
        return Iter(name, b[0], b[1])

    def emit(self, pad, text):
        self.lines.append(pad + text)

    # -- statements ----------------------------------------------------------
    def simple(self, pad, iters, temps=(), ops=("=", "=", "+=")):
        kind = self.draw(st.integers(0, 9))
        if kind == 0:
            f = self.pick(["set_to", "add_to"])
            dst, src = self.draw(st.permutations(BUFS2))
            self.emit(pad, f"{f}({self.access(iters, dst)}, {self.access(iters, src)})")
        elif kind == 1:
            dst, src = self.draw(st.permutations(BUFS2))
            c1, c2 = self.draw(st.integers(0, 4)), self.draw(st.integers(0, 4))
            self.emit(pad, f"vadd(4, {dst}[{self.index(iters)}, {c1}:{c1 + 4}], "
                           f"{src}[{self.index(iters)}, {c2}:{c2 + 4}])")
        else:
            op = self.pick(ops)
            self.emit(pad, f"{self.access(iters)} {op} {self.rhs(iters, temps)}")

    def stmt(self, pad, iters, depth, temps=()):
        """One statement (or a small block) at ``pad``."""
        kind = self.draw(st.integers(0, 12))
        if kind == 0 and depth > 0:
            self.emit(pad, f"if {self.cond(iters)}:")
            self.block(pad + "    ", iters, depth - 1, temps, self.draw(st.integers(1, 2)))
            if self.chance(2):
                self.emit(pad, "else:")
                self.block(pad + "    ", iters, depth - 1, temps, 1)
        elif kind == 1 and depth > 0:
            self.loop(pad, iters, depth - 1, temps)
        elif kind == 2:
            t = self.fresh("t")
            self.emit(pad, f"{t}: f32")
            self.emit(pad, f"{t} = {self.rhs(iters, temps)}")
            self.emit(pad, f"{self.access(iters)} {self.pick(['=', '+='])} {t} * 2.0")
        elif kind == 3 and depth > 0:
            self.idle(pad, iters)
        elif kind == 4:
            w = self.fresh("w")
            row = self.index(iters)
            c = self.draw(st.integers(0, 4))
            self.emit(pad, f"{w} = {self.pick(BUFS2)}[{row}, {c}:{c + 4}]")
            wi = self.pick([str(self.draw(st.integers(0, 3)))] +
                           [f"{v.name} % 4" for v in iters])
            self.emit(pad, f"{w}[{wi}] {self.pick(['=', '+='])} {self.rhs(iters, temps)}")
        else:
            self.simple(pad, iters, temps)

    def block(self, pad, iters, depth, temps, count):
        for _ in range(count):
            self.stmt(pad, iters, depth, temps)

    def loop(self, pad, iters, depth, temps=(), name=None, bounds=None, body=None):
        name = name or self.fresh("i")
        lo, hi, b = bounds or self.bounds(iters)
        self.emit(pad, f"for {name} in seq({lo}, {hi}):")
        inner = iters + [self.it(name, b)]
        if body is not None:
            body(pad + "    ", inner)
        else:
            self.block(pad + "    ", inner, depth, temps, self.draw(st.integers(1, 3)))
        return inner

    # -- nest shapes ---------------------------------------------------------
    def generic(self, pad, iters):
        self.loop(pad, iters, self.draw(st.integers(0, 2)))

    def pair(self, pad, iters):
        bounds = self.bounds(iters)
        for _ in range(2):
            self.loop(pad, iters, self.draw(st.integers(0, 1)), bounds=bounds)

    def join(self, pad, iters):
        mids = [str(c) for c in range(1, self.lo_n + 1)] + ["n / 2", "n - 1"]
        mids += ["m"] if self.has_m else []
        mid = self.pick(mids)
        # usually the second loop starts where the first ends; sometimes not
        mid2 = mid if self.draw(st.integers(0, 3)) else self.pick(mids + ["0"])
        hi = "n"
        name = self.fresh("i")
        body_start = len(self.lines)
        self.emit(pad, f"for {name} in seq(0, {mid}):")
        # plain statements: a temporary would be a different name in each copy
        for _ in range(self.draw(st.integers(1, 2))):
            self.simple(pad + "    ", iters + [Iter(name, 1, -1)])
        body = self.lines[body_start + 1:]
        self.emit(pad, f"for {name} in seq({mid2}, {hi}):")
        self.lines.extend(body)

    def idle(self, pad, iters):
        lo, hi, b = self.pick([("0", f"n - {self.lo_n}", None), ("0", "2", None),
                               ("0", "n", None), ("1", "n", None), ("0", "n / 4", None)]
                              + ([("0", "m - 1", None)] if self.has_m else []))
        self.emit(pad, f"for {self.fresh('k')} in seq({lo}, {hi}):")
        for _ in range(self.draw(st.integers(1, 2))):
            self.simple(pad + "    ", iters, ops=("=", "=", "=", "+="))

    def nest(self, pad, iters):
        def inner_body(p, inner):
            kind = self.draw(st.integers(0, 3)) % 3
            if kind == 0:
                lo, hi = "0", str(self.draw(st.integers(1, 4)))
                b = (0, int(hi) - 1)
            elif kind == 1:  # triangular or sliding: bounds that use the outer iterator
                v = inner[-1]
                lo, hi, b = self.pick([("0", v.name, (v.amax, v.bmax - 1)),
                                       ("0", f"{v.name} + 1", (v.amax, v.bmax)),
                                       (v.name, f"{v.name} + 2", (v.amax, v.bmax + 1))])
            else:
                lo, hi, b = self.bounds(inner)
            self.loop(p, inner, 0, bounds=(lo, hi, b))
        self.loop(pad, iters, 0, body=inner_body)

    def guarded(self, pad, iters):
        if self.chance(2):
            lo, hi, b = self.bounds(iters)

            def body(p, inner):
                v = inner[-1].name
                decided = [f"{v} < {hi}", f"{v} >= {hi}", f"{v} + 1 > {lo}", f"n >= {self.lo_n}"]
                cond = self.pick(decided) if self.chance(2) else self.cond(inner)
                self.emit(p, f"if {cond}:")
                self.block(p + "    ", inner, 0, (), self.draw(st.integers(1, 2)))
                if self.chance(2):
                    self.emit(p, "else:")
                    self.block(p + "    ", inner, 0, (), 1)
            self.loop(pad, iters, 0, bounds=(lo, hi, b), body=body)
        else:
            self.emit(pad, f"if {self.cond(iters)}:")
            self.loop(pad + "    ", iters, self.draw(st.integers(0, 1)))

    def pair_flow(self, pad, iters):
        """A producer loop and a consumer loop over the same range: the
        consumer reads at ``j + b`` what the producer wrote at ``i + a``
        (fusable exactly when ``b <= a``)."""
        lo, hi, bnd = self.bounds(iters, allow_tri=False)
        buf, c = self.pick(BUFS2), self.draw(st.integers(0, 2))
        a, b = self.draw(st.integers(0, 2)), self.draw(st.integers(0, 2))
        i, j = self.fresh("i"), self.fresh("j")
        it_i, it_j = iters + [self.it(i, bnd)], iters + [self.it(j, bnd)]
        plus = lambda v, k: v if k == 0 else f"{v} + {k}"
        self.emit(pad, f"for {i} in seq({lo}, {hi}):")
        self.emit(pad + "    ", f"{buf}[{plus(i, a)}, {c}] {self.pick(['=', '+='])} "
                               f"{self.rhs(it_i)}")
        self.emit(pad, f"for {j} in seq({lo}, {hi}):")
        self.emit(pad + "    ", f"{self.access(it_j, BUF1)} {self.pick(['=', '+='])} "
                               f"{buf}[{plus(j, b)}, {c}] * 2.0")

    def map(self, pad, iters):
        """An elementwise loop, sometimes reading its own output at an offset
        (then its iterations are not independent)."""
        lo, hi, bnd = self.pick([("0", "n", (1, -1)), ("0", "n", (1, -1)), ("1", "n", (1, -1)),
                                 ("0", "n - 1", (1, -2))])
        i = self.fresh("i")
        inner = iters + [self.it(i, bnd)]
        self.emit(pad, f"for {i} in seq({lo}, {hi}):")
        for _ in range(self.draw(st.integers(1, 2))):
            dst, c = self.pick(BUFS2), self.draw(st.integers(0, 2))
            src = dst if self.chance(2) else self.pick(BUFS2)
            d = self.draw(st.integers(0, 2))
            op = self.pick(["=", "=", "+="])  # an accumulation is not idempotent
            self.emit(pad + "    ", f"{dst}[{i}, {c}] {op} {src}[{i} + {d}, {c}] * 2.0 + 1.0"
                      if d else f"{dst}[{i}, {c}] {op} {src}[{i}, {self.index(inner)}] + 1.0")

    def staged(self, pad, iters):
        t = self.fresh("s")
        self.emit(pad, f"{t}: f32[4]")
        self.emit(pad, "for q in seq(0, 4):")
        self.emit(pad + "    ", f"{t}[q] = {self.rhs(iters + [Iter('q', 0, 3)])}")
        self.emit(pad, "for q in seq(0, 4):")
        self.emit(pad + "    ", f"{self.access(iters + [Iter('q', 0, 3)])} += "
                               f"{t}[{self.pick(['q', '3 - q', 'q / 2'])}]")

    def staged_calls(self, pad, iters):
        """A temporary ``s: f32[8]`` (or ``f32[2, 8]``) used in a loop: set in
        full in every iteration or only in the first (then its values are
        carried from one iteration to the next), sometimes refreshed in part,
        then one to three steps through calls, window statements and element
        accesses, and a final call reading it into an output. Every read sees
        a value set in this or an earlier iteration (none reads the fresh
        buffer's contents); sinking it into the loop is safe exactly when no
        iteration reads what an earlier one left."""
        t = self.fresh("s")
        rows = 2 if self.chance(3) else 1
        lo, hi, b = self.bounds(iters, allow_tri=False)
        o = self.fresh("o")
        inner = iters + [self.it(o, b)]
        inside = self.chance(4)  # allocated in the loop: set in full in every iteration
        shape = f"{rows}, 8" if rows == 2 else "8"
        if not inside:
            self.emit(pad, f"{t}: f32[{shape}]")
        self.emit(pad, f"for {o} in seq({lo}, {hi}):")
        body = pad + "    "
        if inside:
            self.emit(body, f"{t}: f32[{shape}]")

        def at(r):
            return f"{r}, " if rows == 2 else ""

        def row():
            return at(self.draw(st.integers(0, rows - 1)))

        def src():
            c = self.draw(st.integers(0, 4))
            return f"{self.pick(BUFS2)}[{self.index(inner)}, {c}:{c + 4}]"

        def fill(p, r):
            how = self.draw(st.integers(0, 2))
            if how == 0:
                self.emit(p, "for q in seq(0, 8):")
                self.emit(p + "    ", f"{t}[{at(r)}q] = {self.rhs(inner + [Iter('q', 0, 7)])}")
            elif how == 1:
                self.emit(p, f"fill4({t}[{at(r)}0:4], {src()})")
                self.emit(p, f"fill4({t}[{at(r)}4:8], {src()})")
            else:
                w = self.fresh("w")
                self.emit(p, f"{w} = {t}[{at(r)}0:8]")
                self.emit(p, "for q in seq(0, 8):")
                self.emit(p + "    ", f"{w}[q] = {self.rhs(inner + [Iter('q', 0, 7)])}")

        when = "every" if inside else self.pick(["every", "every", "first"])
        if when == "first":
            self.emit(body, f"if {o} == {lo}:")
        for r in range(rows):
            fill(body + "    " if when == "first" else body, r)
        if when == "first" and self.chance(2):  # a part refreshed in every iteration
            self.emit(body, f"fill4({t}[{row()}{self.pick(['0:4', '4:8', '2:6'])}], {src()})")
        wins = []  # the windows the steps use
        for _ in range(self.draw(st.integers(1, 3))):
            kind = self.draw(st.integers(0, 6))
            c = self.draw(st.integers(0, 4))
            win = f"{t}[{row()}{c}:{c + 4}]"
            wins.append(win)
            if kind <= 3:
                f = ("fill4", "bump4", "refill4", "part4")[kind]
                self.emit(body, f"{f}({win}, {src()})")
            elif kind == 4:
                self.emit(body, f"vadd(4, {src()}, {win})")
            elif kind == 5:
                w = self.fresh("w")
                self.emit(body, f"{w} = {win}")
                wi = self.pick([str(self.draw(st.integers(0, 3))), f"{o} % 4"])
                if self.chance(2):
                    self.emit(body, f"{w}[{wi}] {self.pick(['=', '+='])} {self.rhs(inner)}")
                else:
                    self.emit(body, f"{self.access(inner)} += {w}[{wi}]")
            else:
                e = f"{t}[{row()}{self.draw(st.integers(0, 7))}]"
                if self.chance(2):
                    self.emit(body, f"{e} {self.pick(['=', '+='])} {self.rhs(inner)}")
                else:
                    self.emit(body, f"{self.access(inner)} += {e}")
        # the final read: often a window a step used (a call that reads it
        # first then decides whether a value is carried)
        c = self.draw(st.integers(0, 4))
        last = self.pick(wins) if self.chance(2) else f"{t}[{row()}{c}:{c + 4}]"
        self.emit(body, f"vadd(4, {src()}, {last})")

    SHAPES = ("generic", "generic", "pair", "pair_flow", "join", "join", "idle", "idle", "idle",
              "nest", "nest", "nest", "guarded", "guarded", "staged", "map", "map", "map")

    def proc(self, focus=(), extra_args=()) -> RandomProc:
        """The procedure; ``focus`` names shapes of which one must appear;
        ``extra_args`` are more parameters (``"w: f32[8]"``), after the others."""
        args = ["n: size"] + (["m: size"] if self.has_m else [])
        args += [f"{b}: f32[{DIM}, {DIM}]" for b in BUFS2] + [f"{BUF1}: f32[{DIM}]"]
        args += list(extra_args)
        self.lines = [f"def rnd({', '.join(args)}):", f"    assert n >= {self.lo_n}"]
        if self.mod > 1:
            self.lines.append(f"    assert n % {self.mod} == 0")
        if self.has_m:
            self.lines.append("    assert m <= n")
        shapes = []
        count = self.draw(st.integers(1, 3))
        forced = self.draw(st.integers(0, count - 1)) if focus else -1
        for k in range(count):
            shape = self.pick(focus) if k == forced else self.pick(self.SHAPES)
            shapes.append(shape)
            outer = []
            if shape != "generic" and self.chance(3):
                # sometimes inside an outer loop, so the nest sees an iterator
                name = self.fresh("o")
                lo, hi, b = self.bounds([], allow_tri=False)
                self.emit("    ", f"for {name} in seq({lo}, {hi}):")
                outer = [self.it(name, b)]
                getattr(self, shape)("        ", outer)
            else:
                getattr(self, shape)("    ", outer)
        return RandomProc("\n".join(self.lines) + "\n", self.controls(), shapes)

    def controls(self) -> list:
        allowed = [v for v in range(self.lo_n, 9) if v % self.mod == 0]
        small = allowed[0]
        # a larger size too: overlapping chunks, several iterations of each loop
        other = self.draw(st.sampled_from(allowed[1:4] or allowed))
        out = []
        for n in (small, other):
            c = {"n": n}
            if self.has_m:
                c["m"] = 1 if n == small else self.draw(st.integers(1, n))
            out.append(c)
        return out


@st.composite
def random_procs(draw, focus=(), extra_args=()) -> RandomProc:
    """A random procedure; with ``focus`` (shape names), one nest has one of
    those shapes; ``extra_args`` are parameters added after x, y and z (for
    code appended to the procedure; the random code does not use them)."""
    return _Gen(draw).proc(tuple(focus), tuple(extra_args))
