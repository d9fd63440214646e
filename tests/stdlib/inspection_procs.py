"""Small procedures the inspection tests navigate (results compared with
Exo 1.0's exo.stdlib.inspection on the same procedures)."""

from __future__ import annotations

from exo_core import config, proc
from exo_core.ir.extern import relu, select


@config
class CFG:
    n: size


@proc
def foo(n: size, m: size, x: f32[n, m], y: f32[n], a: f32):
    assert n > 4
    t: f32
    for i in seq(0, n):
        for j in seq(0, m):
            t = x[i, j] * a
            x[i, j] = t + 1.0
            y[i] += -x[i, j]
        if i < m:
            y[i] = select(a, 0.0, y[i], a)
        else:
            y[i] = y[i] / 2.0 - a
            pass
    for k in seq(0, 4):
        y[k] = relu(y[k])
    for q in seq(0, n):
        for r in seq(0, 3):
            y[q] = a


@proc
def sub(n: size, x: [f32][n]):
    x[0] = 1.0


@proc
def bar(n: size, x: f32[n, 8], s: stride):
    assert n > 4
    buf: f32[4, n]
    for i in seq(0, n):
        for j in seq(0, 4):
            for k in seq(0, 2):
                buf[j, i] = x[i, j + k]
            for k2 in seq(0, 2):
                pass
        w = x[i, 0:4]
        sub(4, w)
        sub(4, x[i, 4:8])
        CFG.n = 4
        for jj in seq(0, 4):
            x[i, jj] = buf[jj, i]
        if CFG.n == 4:
            x[i, 0] = 1.0


class Cursors:
    """Named cursors into `foo`."""

    def __init__(self, p=foo):
        self.p = p
        self.t = p.find("t = _")
        self.xa = p.find("x[_] = _")
        self.red = p.find("y[_] += _")
        self.li, self.lj, self.lk = p.find_loop("i"), p.find_loop("j"), p.find_loop("k")
        self.lq, self.lr = p.find_loop("q"), p.find_loop("r")
        self.ifc = p.find("if _:_")
        self.sel = p.find("y[_] = select(_)")
        self.rel = p.find("y[_] = relu(_)")
        self.alloc = p.find("t : _")
        self.mul = self.t.rhs()
        self.add = self.xa.rhs()
        self.neg = self.red.rhs()
        self.read_x = self.mul.lhs()
        self.read_a = self.mul.rhs()
        self.one = self.add.rhs()
        self.els = self.ifc.orelse()[0]
        self.sub = self.els.rhs()
        self.div = self.sub.lhs()
        self.pass_ = self.ifc.orelse()[1]
        self.cond = self.ifc.cond()
        self.copy = p.find("y[_] = a")
