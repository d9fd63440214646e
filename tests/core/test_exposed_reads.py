"""exposed_reads: which reads of a buffer a block has not certainly written
first, and which locations it certainly writes (program order, into
callees, through window statements)."""

from __future__ import annotations

from exo_verify import Exists, conj, disj
from exo_verify.formulas import Compare

from exo_core import proc
from exo_core.analysis.buffer_uses import holds
from exo_core.analysis.effects import READ, REDUCE
from exo_core.analysis.exposed_reads import block_exposure, param_exposure
from exo_core.analysis.logic import sym_var


@proc
def fill_then_use(x: [f32][4], y: [f32][4]):
    for i in seq(0, 4):
        x[i] = y[i]
    for i in seq(0, 4):
        y[i] += x[i]


@proc
def use_then_fill(x: [f32][4], y: [f32][4]):
    for i in seq(0, 4):
        y[i] += x[i]
    for i in seq(0, 4):
        x[i] = y[i]


@proc
def fill_some(n: size, x: [f32][8]):
    assert n <= 8
    for i in seq(0, n):
        x[i] = 0.0
    if n > 2:
        x[7] = 1.0


def _param(p, name):
    root = p.INTERNAL_proc()
    return root, next(a.name for a in root.args if a.name.name == name)


def test_a_callee_that_writes_first_exposes_nothing():
    root, x = _param(fill_then_use, "x")
    ex = param_exposure(root, x)
    assert ex.reads == ()
    assert len(ex.writes) == 1
    _, y = _param(fill_then_use, "y")
    # y is read, then reduced: both read what the caller passed
    assert [a.kind for a in param_exposure(root, y).reads] == [READ, REDUCE]


def test_a_callee_that_reads_first_exposes_its_reads():
    root, x = _param(use_then_fill, "x")
    ex = param_exposure(root, x)
    assert [a.kind for a in ex.reads] == [READ]
    assert len(ex.writes) == 1


def _covers(ex, point, facts):
    """Is the location ``point`` certainly written by ``ex``?"""
    options = []
    for w in ex.writes:
        body = conj(w.domain, *(Compare("==", a, b) for a, b in zip(w.index, point)))
        for v in reversed(w.iters):
            body = Exists(v, None, None, body)
        options.append(body)
    return holds("test", "covered", disj(*options), facts)


def test_certain_writes_follow_bounds_and_conditions():
    root, x = _param(fill_some, "x")
    ex = param_exposure(root, x)
    n = sym_var(root.args[0].name)
    # x[0:n] always, x[7] only when n > 2
    assert _covers(ex, (n - 1,), conj(n >= 1))
    assert _covers(ex, (7 + 0 * n,), conj(n >= 3))
    assert not _covers(ex, (7 + 0 * n,), conj(n >= 1, n <= 8))


def test_a_window_statement_and_an_earlier_iteration_cover_reads():
    @proc
    def p(a: f32[4]):
        t: f32[6]
        w = t[2:6]
        w[0] = a[0]
        for i in seq(1, 4):
            t[i + 2] = w[i - 1] + a[i]
        for i in seq(0, 4):
            a[i] = t[i + 2]
        a[0] += t[1]

    root = p.INTERNAL_proc()
    t = root.body[0].name
    ex = block_exposure(root.body[1:], t)
    # only the last read (t[1], never written) is exposed
    assert [a.stmt.srcinfo.lineno - root.srcinfo.lineno for a in ex.reads] == [8]
