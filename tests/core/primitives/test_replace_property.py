"""Property: every replace that is accepted computes what the block did.

Blocks are random loop nests (one or two loops inside an outer loop over
``r``) updating ``x`` from ``y`` with affine indices. Candidate
subprocedures are random abstractions of a block: loop bounds kept or made
size parameters, buffers passed as 2-d or 1-d windows, index offsets,
statement kinds and operators kept or changed at random (a second read of
``x`` at an index of its own gets its own offsets) -- so most
candidates are refused, for various reasons, and some are accepted. Each
accepted replacement runs against the original on random inputs (the object
code interpreter for all, compiled C through the jit for a few), where the
call executes the subprocedure's body on the windows.

A block's statement may instead be a call (`test_accepted_call_replacements_are_equivalent`):
``upd(x[.., a:a + 2], y[..])`` passing windows or elements of ``x`` and ``y``
on to a small procedure; its candidates pass windows of their own parameters
on (points and intervals in random dimensions, offsets, now and then another
callee of the same body).

Indices may also have non-affine parts (`test_accepted_non_affine_replacements_are_equivalent`):
over a loop of the block (``i % 2``, ``j / 2``), which a candidate keeps over
its own loop, keeps with another divisor, or drops; and over variables the
block does not bind (the outer ``r / 2``, the block procedure's size
``M % 3``), which a candidate drops (a window offset takes them) or writes
over a size parameter of its own.
"""

from __future__ import annotations

import random

from exo_core import SchedulingError, proc
from exo_core.api import proc_from_source
from exo_core.errors import ExoError
from exo_stdlib.scheduling import replace

from tests.core.primitives.equivalence import assert_equivalent

ITERS = ("i", "j")
SUB_ITERS = ("k", "l")


def _index(rng: random.Random, it: str | None, use_r: bool) -> str:
    c = rng.randint(0, 2)
    parts = ([it] if it else []) + (["r"] if use_r else []) + ([str(c)] if c or not it else [])
    return " + ".join(parts) if parts else "0"


# Non-affine index parts: over a loop of the block (`i % 2`: a candidate must
# have the same part at the same place, or be refused) or over variables the
# block does not bind (the outer loop's `r / 2`, the size `M % 3`: a window
# offset takes them)
LOOP_TERMS = ("{} % 2", "{} % 3", "{} / 2")
FREE_TERMS = ("r % 2", "r / 2", "M % 3", "M / 4")


def _is_term(part: str) -> bool:
    return " % " in part or " / " in part


def random_block(rng: random.Random, calls: bool = False, nonaffine: bool = False) -> dict:
    depth = rng.choice((1, 2))
    bounds = [rng.randint(2, 4) for _ in range(depth)]
    iters = ITERS[:depth]

    def idx():
        # each dimension follows one iterator or is a constant
        out = []
        for d in range(2):
            it = iters[d] if d < depth and rng.random() < 0.8 else None
            e = _index(rng, it, rng.random() < 0.3)
            if nonaffine and rng.random() < 0.6:
                e = _with_term(rng, e, it or iters[0])
            out.append(e)
        return out

    # "y + x2" reads x at an index of its own: a second access to the buffer
    # that a candidate may get wrong while getting the first one right
    x = idx()
    b = {"depth": depth, "bounds": bounds, "x": x, "y": idx(), "x2": _shifted(rng, x),
         "op": rng.choice(("=", "+=")), "rhs": rng.choice(RHS), "call": None,
         "sizes": nonaffine}
    if calls:
        # the statement is a call passing windows (an interval of width 2 in
        # one dimension) or elements of x and y on
        b["call"] = rng.choice(("upd_w", "upd_w", "upd_e"))
        b["spans"] = ({buf: _span_dim(rng, b[buf]) for buf in ("x", "y")}
                      if b["call"] != "upd_e" else None)
    return b


def _with_term(rng: random.Random, e: str, it: str) -> str:
    """``e`` with a non-affine part in front (alone, at times)."""
    term = (rng.choice(LOOP_TERMS).format(it) if rng.random() < 0.5
            else rng.choice(FREE_TERMS))
    return term if e == "0" or rng.random() < 0.3 else f"{term} + {e}"


def _span_dim(rng: random.Random, idx: list) -> int:
    """The dimension a window argument spans: mostly one that moves with a
    loop of the block."""
    moving = [d for d in range(2) if any(it in idx[d] for it in ITERS)]
    return rng.choice(moving) if moving and rng.random() < 0.85 else rng.choice((0, 1))


def _const(e: str) -> int:
    return sum(int(p) for p in e.split(" + ") if p.lstrip("-").isdigit())


def _plus(e: str, delta: int) -> str:
    """``e`` (iterators + a constant) with ``delta`` added to its constant."""
    names = [p for p in e.split(" + ") if not p.lstrip("-").isdigit()]
    c = _const(e) + delta
    if not names:
        return str(c)
    return " + ".join(names) + (f" + {c}" if c > 0 else f" - {-c}" if c < 0 else "")


def _shifted(rng: random.Random, idx: list) -> list:
    """``idx`` with new constant offsets in the dimensions that follow a loop
    of the block (a stencil read)."""
    out = []
    for e in idx:
        names = [p for p in e.split(" + ") if not p.isdigit()]
        if not set(names) & set(ITERS):
            out.append(e)
            continue
        c = rng.randint(0, 2)
        out.append(" + ".join(names + ([str(c)] if c else [])))
    return out


RHS = ("y", "y * 2.0", "y + x", "y + x2", "y + x2")


def _body(b: dict, iters, bound_text, xi, yi, op, rhs, x2i, call=None) -> list:
    lines = []
    for d in range(b["depth"]):
        lines.append("    " * d + f"for {iters[d]} in seq(0, {bound_text[d]}):")
    pad = "    " * b["depth"]
    y = f"y[{', '.join(yi)}]"
    x = f"x[{', '.join(xi)}]"
    x2 = f"x[{', '.join(x2i)}]"
    rhs_text = {"y": y, "y * 2.0": f"{y} * 2.0", "y + x": f"{y} + {x}",
                "y + x2": f"{y} + {x2}"}[rhs]
    if call is not None:
        lines.append(pad + _call_text(call[0], xi, yi, call[1]))
        return lines
    lines.append(f"{pad}{x} {op} {rhs_text}")
    return lines


@proc
def upd_w(d: [f32][2], s: [f32][2]):
    for t in seq(0, 2):
        d[t] += 2.0 * s[t]


@proc
def upd_w2(d: [f32][2], s: [f32][2]):
    for t in seq(0, 2):
        d[t] += s[t]


@proc
def upd_e(d: f32, s: f32):
    d = d - s


CALLEES = {"upd_w": upd_w, "upd_w2": upd_w2, "upd_e": upd_e}


def _call_text(callee: str, xi, yi, spans) -> str:
    """``callee(x[..], y[..])``; ``spans`` gives, per buffer, the position in
    its index list that is an interval of width 2 (None: all points)."""
    def arg(buf, idx):
        span = spans[buf] if spans else None
        parts = [f"{e}:{_plus(e, 2)}" if k == span else e for k, e in enumerate(idx)]
        return f"{buf}[{', '.join(parts)}]"

    return f"{callee}({arg('x', xi)}, {arg('y', yi)})"


def block_proc(b: dict):
    call = (b["call"], b["spans"]) if b.get("call") else None
    body = _body(b, ITERS, [str(n) for n in b["bounds"]], b["x"], b["y"], b["op"], b["rhs"],
                 b["x2"], call)
    # (with non-affine parts, the buffers are larger than any window a
    # candidate declares: a window offset the parts add stays in bounds)
    head = ("def blk(M: size, x: f32[16, 16], y: f32[16, 16]):\n    assert M <= 5\n"
            if b.get("sizes") else "def blk(x: f32[8, 8], y: f32[8, 8]):\n")
    text = head + "    for r in seq(0, 2):\n" + \
        "\n".join("        " + line for line in body) + "\n"
    return proc_from_source(text, CALLEES)


def candidate(rng: random.Random, b: dict, n: int, mutate: float = 1.0):
    """A random abstraction (and perhaps mutation) of the block's body;
    ``mutate`` scales the odds of the mutations (a loop bound, the
    statement's operator or right-hand side, the second read's offset) and
    of a window that fixes a dimension of a buffer."""
    params, bound_text, asserts = [], [], []
    for d, hi in enumerate(b["bounds"]):
        if rng.random() < 0.5:
            params.append(f"n{d}: size")
            bound_text.append(f"n{d}")
            asserts.append(f"    assert n{d} <= {rng.choice((hi, 4))}")
        else:
            bound_text.append(str(hi if rng.random() < 1 - 0.2 * mutate else hi + 1))
    sub_iters = SUB_ITERS[:b["depth"]]
    rename = dict(zip(ITERS, sub_iters))
    sizes = [p.split(":")[0] for p in params]

    def sub_idx(idx, keep_dims):
        out = []
        for d in keep_dims:
            parts = [p.strip() for p in idx[d].split("+")]
            it = next((rename[p] for p in parts if p in rename), None)
            terms = [t for t in (_sub_term(rng, p, rename, sizes) for p in parts if _is_term(p))
                     if t]
            c = rng.randint(0, 2) if rng.random() < 0.3 else 0
            out.append(" + ".join(terms + ([it] if it else [])
                                  + ([str(c)] if c or not (it or terms) else [])))
        return out

    shapes = {}
    keep = {}
    for buf in ("x", "y"):
        idx = b[buf]
        moving = tuple(d for d in range(2) if any(it in idx[d] for it in ITERS))
        if rng.random() < 1 - 0.5 * mutate:
            keep[buf] = (0, 1)
        elif len(moving) == 1 and rng.random() < 0.8:
            keep[buf] = moving  # a 1-d window along the dimension that moves
        else:
            keep[buf] = (rng.choice((0, 1)),)
        if b["call"] and b["spans"] and b["spans"][buf] not in keep[buf] and \
                rng.random() < 0.85:
            keep[buf] = (b["spans"][buf],)  # the window keeps the block's interval
        over_loops = [d for d in range(2) if any(_is_term(p) and p.split()[0] in ITERS
                                                 for p in idx[d].split(" + "))]
        if not set(over_loops) <= set(keep[buf]) and rng.random() < 0.85:
            keep[buf] = (0, 1)  # a part over the block's loop is no window offset
        shapes[buf] = [rng.choice(("6", "8")) for _ in keep[buf]]
    xi = sub_idx(b["x"], keep["x"])
    yi = sub_idx(b["y"], keep["y"])
    # the second read of x keeps its distance from the write (or, at times,
    # is one off: a candidate only the second access refutes)
    # (the window starts at the lower of the two)
    deltas = [_const(b["x2"][d]) - _const(b["x"][d]) if not b["call"] else 0
              for d in keep["x"]]
    xi = [_plus(e, max(0, -dl)) for e, dl in zip(xi, deltas)]
    x2i = [_plus(e, dl + (1 if rng.random() < 0.3 * mutate else 0))
           for e, dl in zip(xi, deltas)]
    op = b["op"] if rng.random() < 1 - 0.15 * mutate else ("+=" if b["op"] == "=" else "=")
    rhs = b["rhs"] if rng.random() < 1 - 0.15 * mutate else rng.choice(RHS)
    call = None
    if b["call"]:
        spans = None
        if b["spans"]:
            # the interval stays where the block has it, unless that
            # dimension is not the window's (then a point: refused) or, at
            # times, it moves to another dimension
            spans = {buf: (keep[buf].index(b["spans"][buf]) if b["spans"][buf] in keep[buf]
                           else None) for buf in ("x", "y")}
            if rng.random() < 0.1:
                buf = rng.choice(("x", "y"))
                spans[buf] = rng.choice([k for k in range(len(keep[buf])) if k != spans[buf]]
                                        or [None])
        callee = b["call"]
        if callee == "upd_w" and rng.random() < 0.3:
            callee = "upd_w2"  # another procedure of the same signature: refused
        call = (callee, spans)
    body = _body(b, sub_iters, bound_text, xi, yi, op, rhs, x2i, call)
    args = params + [f"x: [f32][{', '.join(shapes['x'])}]", f"y: [f32][{', '.join(shapes['y'])}]"]
    text = f"def cand{n}({', '.join(args)}):\n" + "".join(a + "\n" for a in asserts) + \
        "\n".join("    " + line for line in body) + "\n"
    return proc_from_source(text, CALLEES)


def _sub_term(rng: random.Random, part: str, rename: dict, sizes: list) -> str | None:
    """The candidate's version of the block's non-affine index part: over a
    loop of the block, mostly the same part over the candidate's loop (at
    times with another divisor); dropped otherwise (over the block's loop:
    refused; over a variable the block does not bind: a window offset), or
    now and then the same part over a size parameter of the candidate (not
    one value the equations can solve for: refused)."""
    var, op, k = part.split()
    if var not in rename:
        return f"{rng.choice(sizes)} {op} {k}" if sizes and rng.random() < 0.2 else None
    if rng.random() < 0.3:
        return None
    if rng.random() < 0.15:
        k = {"2": "3", "3": "2"}[k]
    return f"{rename[var]} {op} {k}"


def _run(rng: random.Random, examples: int, calls: bool, nonaffine: bool = False,
         kinds: dict | None = None) -> tuple:
    """Draw ``examples`` blocks and candidates; every accepted replace must
    be equivalent. ``kinds`` (when given) counts the outcomes per kind of
    non-affine index part the block has."""
    accepted = refused = 0
    jit_runs = 0
    for n in range(examples):
        b = random_block(rng, calls, nonaffine)
        controls = {"M": rng.randint(1, 5)} if b["sizes"] else {}
        try:
            blk = block_proc(b)
        except ExoError:  # an out-of-bounds block: not a valid test case
            continue
        try:
            cand = candidate(rng, b, n, mutate=0.3 if nonaffine else 1.0)
        except ExoError:  # a candidate whose own body is out of bounds
            continue
        try:
            new = replace(blk, "for i in _:_", cand, quiet=True)
        except SchedulingError:
            refused += 1
            _count(kinds, b, "refused")
            continue
        accepted += 1
        _count(kinds, b, "accepted")
        assert f"cand{n}(" in str(new)
        assert_equivalent(blk, new, backend="interp", trials=2, seed=n, **controls)
        if jit_runs < 2:
            assert_equivalent(blk, new, backend="jit", trials=1, seed=n, **controls)
            jit_runs += 1
    return accepted, refused


def _count(kinds: dict | None, b: dict, outcome: str) -> None:
    if kinds is None:
        return
    parts = [p.strip() for buf in ("x", "y", "x2") for e in b[buf] for p in e.split("+")]
    terms = [p for p in parts if _is_term(p)]
    kind = ("over the block's loops" if any(p.split()[0] in ITERS for p in terms)
            else "over other variables" if terms else "affine")
    kinds.setdefault(kind, {"accepted": 0, "refused": 0})[outcome] += 1


def test_accepted_replacements_are_equivalent():
    accepted, refused = _run(random.Random(1234), 250, calls=False)
    # the generator must exercise both outcomes
    print(f"replace: {accepted} accepted, {refused} refused")
    assert accepted >= 10, (accepted, refused)
    assert refused >= 20, (accepted, refused)


def test_accepted_call_replacements_are_equivalent():
    accepted, refused = _run(random.Random(4321), 200, calls=True)
    print(f"replace (blocks with calls): {accepted} accepted, {refused} refused")
    assert accepted >= 10, (accepted, refused)
    assert refused >= 20, (accepted, refused)


def test_accepted_non_affine_replacements_are_equivalent():
    """Blocks whose indices have non-affine parts: over the block's loops
    (accepted only where the candidate has the same part), over variables
    the block does not bind (taken by a window offset)."""
    kinds: dict = {}
    accepted, refused = _run(random.Random(2468), 250, calls=False, nonaffine=True,
                             kinds=kinds)
    print(f"replace (non-affine indices): {accepted} accepted, {refused} refused; {kinds}")
    for kind in ("over the block's loops", "over other variables"):
        assert kinds[kind]["accepted"] >= 5, kinds
        assert kinds[kind]["refused"] >= 10, kinds
