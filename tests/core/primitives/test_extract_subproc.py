"""extract_subproc on the shapes where the new procedure's parameters and
assertions have an order to get right: sizes in loop bounds and shapes,
nested loops, windows, calls, assertions of the caller, if conditions
(body and else branch, compound, elif). Each golden was compared with what Exo 1.0
prints for the same schedule (benchmarks/exo_scripts/extract_subproc_*.py);
the one kept difference, `(i < m) == True` where Exo 1.0 prints
`i < m == True`, is in docs/porting.md. Each result computes what the
original does, and inlining the new call gives the original back."""

from __future__ import annotations

import pytest

from exo_core import proc
from exo_core.ir.equal import proc_equal
from exo_stdlib.scheduling import extract_subproc, inline

from tests.core.primitives.equivalence import assert_equivalent
from tests.core.primitives.scope_golden import check_golden


@proc
def sizes(n: size, m: size, x: f32[n, m], y: f32[m]):
    assert n >= 2
    assert m % 4 == 0
    for i in seq(0, n):
        for j in seq(0, m):
            y[j] += x[i, j]


@proc
def lower_bound(n: size, m: size, x: f32[n + m]):
    assert n >= m
    assert m > 2
    assert n < 100
    for i in seq(m, n):
        x[i] = 1.0


@proc
def matmul(n: size, m: size, k: size, A: f32[n, k], B: f32[k, m], C: f32[n, m]):
    assert n > 0
    assert k >= 4
    for i in seq(0, n):
        for j in seq(0, m):
            for kk in seq(0, k):
                C[i, j] += A[i, kk] * B[kk, j]


@proc
def split_rows(n: size, x: f32[n, 8]):
    assert n % 4 == 0
    for io in seq(0, n / 4):
        for ii in seq(0, 4):
            for j in seq(0, 8):
                x[4 * io + ii, j] = 0.0


@proc
def window_arg(n: size, x: f32[n, 16], y: [f32][n, 8]):
    assert n >= 4
    for i in seq(0, n):
        for j in seq(0, 8):
            y[i, j] = x[i, j + 8]


@proc
def window_stmt(n: size, x: f32[n, 8], y: f32[8]):
    acc: f32[8]
    for j in seq(0, 8):
        acc[j] = 0.0
    for i in seq(0, n):
        row = x[i, 0:8]
        for j in seq(0, 8):
            acc[j] += row[j]
    for j in seq(0, 8):
        y[j] = acc[j]


@proc
def guarded(n: size, x: f32[n], y: f32[n]):
    for i in seq(0, n):
        if i < n - 1:
            x[i] = y[i + 1]
        else:
            x[i] = 0.0


@proc
def nested_ifs(n: size, m: size, x: f32[n, m]):
    assert n >= 1
    for i in seq(0, n):
        if i > 0:
            for j in seq(1, m):
                if j < i:
                    x[i, j] = x[i - 1, j - 1]


@proc
def else_branch(n: size, m: size, y: f32[4], z: f32[m]):
    assert n > 3
    for i in seq(0, n):
        if i < m:
            z[i] = 2.0
        else:
            y[i % 4] = 1.0


@proc
def compound(n: size, x: f32[n]):
    for i in seq(0, n):
        if i > 2 and i < n - 1:
            x[i] = 1.0
        elif i == 0 or i == 1:
            x[i] = 2.0


@proc
def scalars(a: f32, n: size, m: size, y: f32[m], x: f32[n]):
    assert m >= 1
    assert n >= 1
    for i in seq(0, n):
        t: f32
        t = x[i] * a
        for j in seq(0, m):
            y[j] += t


@proc
def shape_only(n: size, m: size, k: size, x: f32[n, m], y: f32[k]):
    assert k >= 1
    assert n >= 1
    assert m == 2 * n
    for i in seq(0, n):
        x[i, 0] = y[0]


@proc
def scale(n: size, x: [f32][n]):
    for i in seq(0, n):
        x[i] = x[i] * 2.0


@proc
def calls(n: size, m: size, x: f32[n, m]):
    assert m >= 4
    for i in seq(0, n):
        row = x[i, 0:m]
        scale(m, row)
        scale(m - 2, x[i, 2:m])


def _block(p, where):
    """``loop i``, a pattern, or a pattern and ``+k`` statements after it."""
    if where.startswith("loop "):
        return p.find_loop(where[5:])
    pattern, plus, more = where.rpartition(" +")
    if plus and more.isdigit():
        return p.find(pattern).expand(0, int(more))
    return p.find(where)


CASES = [
    # (golden name, proc, block, controls for the equivalence run)
    ("sizes_inner", sizes, "loop j", dict(n=3, m=8)),
    ("sizes_outer", sizes, "loop i", dict(n=3, m=8)),
    ("lower_bound_stmt", lower_bound, "x[_] = _", dict(n=7, m=3)),
    ("lower_bound_loop", lower_bound, "loop i", dict(n=7, m=3)),
    ("matmul_dot", matmul, "loop kk", dict(n=2, m=3, k=5)),
    ("matmul_row", matmul, "loop j", dict(n=2, m=3, k=5)),
    ("split_rows", split_rows, "loop j", dict(n=8)),
    ("window_arg", window_arg, "loop j", dict(n=5)),
    ("window_stmt", window_stmt, "row = _ +1", dict(n=3)),
    ("if_body", guarded, "x[_] = y[_]", dict(n=5)),
    ("if_whole", guarded, "if _:_", dict(n=5)),
    ("nested_ifs_stmt", nested_ifs, "x[_] = _", dict(n=4, m=5)),
    ("nested_ifs_if", nested_ifs, "if j < i: _", dict(n=4, m=5)),
    ("else_branch", else_branch, "y[_] = _", dict(n=6, m=2)),
    ("then_branch", else_branch, "z[_] = _", dict(n=6, m=2)),
    ("compound_then", compound, "x[_] = 1.0", dict(n=6)),
    ("compound_elif", compound, "x[_] = 2.0", dict(n=6)),
    ("scalars_loop", scalars, "loop j", dict(n=3, m=2)),
    ("scalars_block", scalars, "t = _ +1", dict(n=3, m=2)),
    ("shape_only", shape_only, "x[_] = _", dict(n=2, m=4, k=3)),
    ("calls_window_stmt", calls, "row = _ +2", dict(n=2, m=5)),
    ("calls_window_arg", calls, "scale(_) #1", dict(n=2, m=5)),
]


@pytest.mark.parametrize("name,p,where,controls", CASES, ids=[c[0] for c in CASES])
def test_extract_subproc_shapes(name, p, where, controls):
    new, sub = extract_subproc(p, _block(p, where), "sub_" + name)
    check_golden(f"extract_subproc_{name}", new)
    check_golden(f"extract_subproc_{name}_sub", sub)
    assert_equivalent(p, new, backend="interp", **controls)
    back = inline(new, new.find(f"sub_{name}(_)"))
    assert proc_equal(back._root, p._root)


def test_extract_subproc_without_asserts_keeps_the_caller():
    new, sub = extract_subproc(lower_bound, lower_bound.find("x[_] = _"), "one",
                               include_asserts=False)
    assert not sub._root.preds
    assert str(new) == str(extract_subproc(lower_bound, lower_bound.find("x[_] = _"),
                                           "one")[0])
