"""merge_writes, split_write, fold_into_reduce, lift_reduce_constant:
goldens (as Exo 1.0 prints them), each refusal, cursor forwarding, jit
equivalence."""

from __future__ import annotations

import pytest

from exo_core import proc, SchedulingError
from exo_core.cursors import InvalidCursor
from exo_stdlib.scheduling import fold_into_reduce, lift_reduce_constant, merge_writes, split_write

from tests.core.primitives.equivalence import assert_equivalent


@proc
def w(n: size, x: f32[n], y: f32[n], z: f32[n]):
    assert n >= 2
    for i in seq(0, n - 1):
        y[i] = x[i]
        y[i] = 2.0
        z[i] += x[i]
        z[i] = x[i] * 2.0
        y[i] = x[i]
        y[i] += 3.0
        z[i] += x[i]
        z[i] += y[i]
        y[i] = x[i] + 1.0
        y[i + 1 - 1] += x[i] + z[i]
        x[i] = x[i] + y[i] * 2.0


HEAD = ("def w(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM, z: f32[n] @ DRAM):\n"
        "    assert n >= 2\n"
        "    for i in seq(0, n - 1):\n")
BODY = [
    "        y[i] = x[i]",
    "        y[i] = 2.0",
    "        z[i] += x[i]",
    "        z[i] = x[i] * 2.0",
    "        y[i] = x[i]",
    "        y[i] += 3.0",
    "        z[i] += x[i]",
    "        z[i] += y[i]",
    "        y[i] = x[i] + 1.0",
    "        y[i + 1 - 1] += x[i] + z[i]",
    "        x[i] = x[i] + y[i] * 2.0",
]


def body():
    return w.find_loop("i").body()


def with_lines(k: int, drop: int, new: list) -> str:
    return HEAD + "\n".join(BODY[:k] + new + BODY[k + drop:])


@pytest.mark.parametrize("k, merged", [
    (0, "        y[i] = 2.0"),
    (2, "        z[i] = x[i] * 2.0"),
    (4, "        y[i] = x[i] + 3.0"),
    (6, "        z[i] += x[i] + y[i]"),
])
def test_merge_writes_four_cases_golden_and_equivalence(k, merged):
    b = body()
    p = merge_writes(w, b[k:k + 2])
    assert str(p) == with_lines(k, 2, [merged])
    assert_equivalent(w, p, n=5)


def test_merge_writes_forwarding():
    b = body()
    p = merge_writes(w, b[0:2])  # the first statement goes, the second stays
    assert isinstance(p.forward(b[0]), InvalidCursor)
    assert p.forward(b[1])._node() is b[1]._node()
    assert p.forward(b[2])._node() is b[2]._node()
    q = merge_writes(w, b[4:6])  # a new statement
    assert isinstance(q.forward(b[4]), InvalidCursor)
    assert isinstance(q.forward(b[5]), InvalidCursor)
    assert q.forward(b[6])._node() is b[6]._node()


def test_merge_writes_proves_the_indices_equal():
    @proc
    def g(n: size, y: f32[n], x: f32[n]):
        for i in seq(0, n):
            y[i] = x[i]
            y[i + 1 - 1] += 2.0
            y[i] = 1.0
            y[n - 1 - i] = 1.0
    b = g.find_loop("i").body()
    p = merge_writes(g, b[0:2])
    assert "        y[i + 1 - 1] = x[i] + 2.0\n" in str(p)
    with pytest.raises(SchedulingError, match=r"merge_writes: the indices \[n - 1 - i\] of the "
                                              r"second write must equal \[i\] of the first, but "
                                              "this fails when"):
        merge_writes(g, b[2:4])


def test_merge_writes_refusals():
    @proc
    def g(n: size, x: f32[n], y: f32[n]):
        for i in seq(0, n - 1):
            y[i] = x[i]
            y[i] += y[i + 1]
            y[i] = x[i]
            x[i] = 1.0
            for j in seq(0, 2):
                y[i] = 1.0
    b = g.find_loop("i").body()
    with pytest.raises(SchedulingError, match=r"the right hand side of the second statement "
                                              r"\(y\[i \+ 1\]\) reads y, which the first "
                                              "statement writes"):
        merge_writes(g, b[0:2])
    with pytest.raises(SchedulingError, match="have the same name & type, got y and x"):
        merge_writes(g, b[2:4])
    with pytest.raises(SchedulingError, match="expected assignments or reductions, got line"):
        merge_writes(g, b[3:5])
    with pytest.raises(ValueError, match="but got a block of size 3"):
        merge_writes(g, b[0:3])
    with pytest.raises(ValueError, match="but got a block of size 1"):
        merge_writes(g, b[0])


def test_split_write_golden_forwarding_and_equivalence():
    b = body()
    p = split_write(w, b[8])
    assert str(p) == with_lines(8, 1, ["        y[i] = x[i]", "        y[i] += 1.0"])
    assert_equivalent(w, p, n=5)
    q = split_write(w, b[9])
    assert str(q) == with_lines(9, 1, ["        y[i + 1 - 1] += x[i]",
                                       "        y[i + 1 - 1] += z[i]"])
    assert_equivalent(w, q, n=5)
    assert isinstance(q.forward(b[9]), InvalidCursor)
    assert isinstance(q.forward(b[9].rhs()), InvalidCursor)
    blk = q.forward(b[8:10])  # a block around the statement grows with it
    assert len(blk) == 3 and blk[0]._node() is b[8]._node()
    assert q.forward(b[10])._node() is b[10]._node()


def test_split_write_refusals():
    @proc
    def g(n: size, x: f32[n], y: f32[n]):
        for i in seq(0, n):
            y[i] = x[i] + y[i]
            y[i] += x[i] * y[i]
    b = g.find_loop("i").body()
    with pytest.raises(SchedulingError, match=r"split_write: the right operand y\[i\] reads y, "
                                              "which the first half would already have written"):
        split_write(g, b[0])
    with pytest.raises(SchedulingError, match=r"Expected the rhs of the statement to be an "
                                              r"addition, got x\[i\] \* y\[i\]"):
        split_write(g, b[1])
    with pytest.raises(TypeError, match="expected an assignment or a reduction, got line"):
        split_write(g, g.find_loop("i"))


def test_fold_into_reduce_golden_forwarding_and_equivalence():
    b = body()
    p = fold_into_reduce(w, b[10])
    assert str(p) == with_lines(10, 1, ["        x[i] += y[i] * 2.0"])
    assert_equivalent(w, p, n=5)
    assert isinstance(p.forward(b[10]), InvalidCursor)
    assert p.forward(b[9])._node() is b[9]._node()


def test_fold_into_reduce_refusals():
    @proc
    def g(n: size, x: f32[n], y: f32[n]):
        for i in seq(0, n):
            x[i] = x[i] * 2.0 + y[i]
            x[i] = y[i] + x[i]
            x[i] = x[i] - y[i]
            x[i + 1 - 1] = x[i] + 2.0
            y[i] += x[i]
    b = g.find_loop("i").body()
    with pytest.raises(SchedulingError, match=r"The lhs of the addition is not a read to the lhs "
                                              r"of the assignment \(x\[i\] \* 2.0 is not x\[i\]\)"):
        fold_into_reduce(g, b[0])
    with pytest.raises(SchedulingError, match=r"\(y\[i\] is not x\[i\]\)"):
        fold_into_reduce(g, b[1])
    with pytest.raises(SchedulingError, match=r"The rhs of the assignment must be an add, got "
                                              r"x\[i\] - y\[i\]"):
        fold_into_reduce(g, b[2])
    with pytest.raises(SchedulingError, match=r"\(x\[i\] is not x\[i \+ 1 - 1\]\)"):
        fold_into_reduce(g, b[3])  # the indices must be the same expressions, as in Exo
    with pytest.raises(TypeError, match="expected a Assign cursor, got a Reduce cursor"):
        fold_into_reduce(g, b[4])


@proc
def red(n: size, x: f32[n], y: f32[n], z: f32[n]):
    a: f32
    a = 0.0
    for i in seq(0, n):
        a += 2.0 * x[i]
    z[0] = a
    d: f32
    d = 0.0
    for i in seq(0, n):
        if i > 1:
            d += y[0] * x[i]
        d += y[0] * (x[i] * 3.0)
    for i in seq(0, n):
        z[i] = 0.0
        for j in seq(0, n):
            z[i] += 3.0 * x[j]


def test_lift_reduce_constant_golden_forwarding_and_equivalence():
    blk = red.find("a = _").expand(0, 1)
    loop, reduce = red.find_loop("i"), red.find("a += _")
    p = lift_reduce_constant(red, blk)
    assert str(p).split("\n")[:7] == [
        "def red(n: size, x: f32[n] @ DRAM, y: f32[n] @ DRAM, z: f32[n] @ DRAM):",
        "    a: f32 @ DRAM",
        "    a = 0.0",
        "    for i in seq(0, n):",
        "        a += x[i]",
        "    a = 2.0 * a",
        "    z[0] = a"]
    assert p.forward(loop)._node() is p.find_loop("i")._node()
    assert p.forward(reduce)._node() is p.find("a += _")._node()
    assert isinstance(p.forward(reduce.rhs()), InvalidCursor)
    assert_equivalent(red, p, n=5)


def test_lift_reduce_constant_read_factor_nested_and_indexed():
    p = lift_reduce_constant(red, red.find("d = _").expand(0, 1))
    assert ("    for i in seq(0, n):\n"
            "        if i > 1:\n"
            "            d += x[i]\n"
            "        d += x[i] * 3.0\n"
            "    d = y[0] * d\n") in str(p)
    assert_equivalent(red, p, n=5)
    q = lift_reduce_constant(red, red.find("z[i] = 0.0").expand(0, 1))
    assert ("        for j in seq(0, n):\n"
            "            z[i] += x[j]\n"
            "        z[i] = 3.0 * z[i]") in str(q)
    assert_equivalent(red, q, n=5)


@proc
def nored(n: size, x: f32[n], y: f32[n], z: f32[n]):
    b: f32
    b = 1.0
    for i in seq(0, n):
        b += 2.0 * x[i]
    c: f32
    c = 0.0
    for i in seq(0, n):
        c += x[i] * 2.0
    f: f32
    f = 0.0
    for i in seq(0, n):
        f += 2.0 * x[i]
        f += 3.0 * y[i]
    h: f32
    h = 0.0
    for i in seq(0, n):
        y[0] = 1.0
        h += y[0] * x[i]
    t: f32
    t = 0.0
    for i in seq(0, n):
        t += 2.0 * x[i]
        y[i] = t
    k: f32
    k = 0.0
    for i in seq(0, n):
        z[0] += 2.0 * x[i]
    q: f32
    q = 0.0
    for i in seq(0, n):
        q += 2.0 * x[i]
        q = 1.0
    s: f32
    s = 0.0
    for i in seq(0, n):
        s += (2.0 + 1.0) * x[i]


def lrc(name):
    return lift_reduce_constant(nored, nored.find(f"{name} = _").expand(0, 1))


@pytest.mark.parametrize("name, message", [
    ("b", r"the assignment before the loop must set b to zero, got 1.0"),
    ("c", r"x\[i\] depends on the variable i which is defined within the loop"),
    ("f", r"the reduces to buffer f in the loop body have different constants \(2.0 and 3.0\)"),
    ("h", r"cannot lift constant y\[0\] because it is a buffer that is written in the loop body"),
    ("t", r"cannot lift constant because the buffer is read in the loop body, at line \d+ "
          r"\(y\[i\] = t\)"),
    ("k", r"did not find a reduce in the loop body of the form `k \+= c \* expr`"),
    ("q", r"there are other operations on the same buffer that may interfere, at line \d+ \(q = 1.0\)"),
    ("s", r"cannot lift constant 2.0 \+ 1.0: the factor must be a literal or a read"),
])
def test_lift_reduce_constant_refusals(name, message):
    with pytest.raises(SchedulingError, match="lift_reduce_constant: (cannot lift constant "
                                              "because )?" + message):
        lrc(name)


def test_lift_reduce_constant_block_shape():
    with pytest.raises(ValueError, match="but got a block of size 1"):
        lift_reduce_constant(red, red.find("a = _"))
    with pytest.raises(SchedulingError, match="expected the block to start with an assignment"):
        lift_reduce_constant(red, red.find("z[0] = a").expand(1, 0))
    with pytest.raises(SchedulingError, match="expected the second statement to be a loop"):
        lift_reduce_constant(w, body()[0:2])


def test_lift_reduce_constant_factor_read_after_the_loop_stays_in_bounds():
    @proc
    def g(n: size, x: f32[n], y: f32[n]):
        assert n >= 2
        a: f32
        a = 0.0
        for i in seq(0, n - 2):
            a += y[n - 3] * x[i]
        y[0] = a
    with pytest.raises(SchedulingError, match=r"reading the constant y\[n - 3\] after the loop "
                                              "would be out of bounds"):
        lift_reduce_constant(g, g.find("a = _").expand(0, 1))
