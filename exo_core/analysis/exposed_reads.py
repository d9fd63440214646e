"""For one buffer: the reads a block does not certainly define itself first,
and the locations the block certainly writes.

A read is *exposed* when the statements before it in the block (in program
order) do not certainly write every location it reads: only an exposed read
can see a value the buffer held before the block. `sink_alloc` asks this of
a loop body (an exposed read may see what an earlier iteration left; a
covered one cannot)::

    ex = block_exposure(stmts, buf, facts)
    ex.reads     # Accesses (READ or REDUCE) of buf that are exposed
    ex.writes    # Accesses (WRITE) of buf the block certainly makes

    for i in seq(0, 4):              exposed: none (t[i] is written first)
        t[i] = a[i]                  certainly written: t[0:4]
    for i in seq(0, 4):
        b[i] += t[i]

The two sides are approximated in opposite directions, so that a check
built on them is conservative:

- ``reads`` over-approximate, like the effect model (`exo_core.analysis.
  effects`): an index that cannot be stated is "any index" (None), a fact
  that cannot be stated is left out of ``domain``;
- ``writes`` under-approximate: such an `Access` means that for every value
  of its ``iters`` satisfying its ``domain`` the block writes the location
  ``index``. Only assignments count whose index, enclosing loop bounds and
  branch conditions translate exactly (no config field, no bool), and calls
  whose callee certainly writes the parameter, with arguments that translate
  exactly. A reduction is a read, not a write.

A read is covered by the certain writes of: the earlier statements of every
enclosing block, the earlier iterations of every enclosing loop inside the
block (``for j in seq(1, n): t[j] = t[j - 1]`` after ``t[0] = ...``), and,
inside a callee, the earlier statements of its body. A call's effect on a
buffer passed to it is its callee's exposure of that parameter
(`param_exposure`, cached), with the parameters replaced by the arguments
(`exo_core.analysis.effects.call_binding`) and the callee's loop variables
renamed apart: so a callee that writes the whole window before reading it
defines what it reads, and one that reads first exposes those reads to the
caller. A window statement of the buffer (``w = t[i, 0:8]``) makes every use
of its name a use of the buffer, through its `WindowView`.
"""

from __future__ import annotations

import weakref
from typing import Iterable

from attrs import frozen

from exo_verify import TRUE, Exists, Formula, Var, conj, disj
from exo_verify.formulas import Compare, Not

import exo_core.ir as ir
from exo_core.analysis.buffer_uses import holds
from exo_core.analysis.effects import READ, REDUCE, WRITE, Access, call_binding
from exo_core.analysis.logic import WindowView, sym_var, window_view
from exo_core.analysis.logic_partial import cond_formula, ctrl_term, loop_range, partial_proc_scope
from exo_core.ir.prelude import Sym
from exo_core.ir.types import TensorType


@frozen(eq=False)
class Exposure:
    """What a block does to one buffer: its exposed ``reads`` and its
    certain ``writes`` (tuples of `Access`, in the buffer's coordinates;
    see the module docstring for what each side means)."""

    reads: tuple
    writes: tuple


def _substituted(a: Access, mapping: dict, extra_iters: tuple, stmt, buf: Sym,
                 view: WindowView | None) -> Access:
    """A callee's access seen at a call: parameters replaced (``mapping``),
    its own variables renamed apart, mapped through the argument's view."""
    renamed = {v: Var.fresh(v.label) for v in a.iters}
    a = a.substituted({**mapping, **renamed}, iters=extra_iters + tuple(renamed.values()),
                      stmt=stmt)
    index = a.index if view is None else view.to_base(a.index)
    return Access(buf, a.kind, index, a.iters, a.domain, stmt)


def _exact(view: WindowView | None) -> bool:
    return view is None or view.dims is None or all(d[1] is not None for d in view.dims)


def _nested(a: Access, v: Var, lo, hi) -> Access:
    """The certain write ``a`` of one iteration ``v``, made for every
    ``lo <= v < hi`` (``v`` renamed apart)."""
    fresh = Var.fresh(v.label)
    a = a.substituted({v: fresh}, iters=a.iters)
    return Access(a.buffer, a.kind, a.index, (fresh,) + a.iters,
                  conj(lo <= fresh, fresh < hi, a.domain), a.stmt)


def _cover(a: Access, before: Iterable[Access]) -> Formula | None:
    """The formula "the location ``a`` reads is certainly written by
    ``before``" (None when nothing of ``before`` can cover it)."""
    if a.index is None or any(t is None for t in a.index):
        return None
    options = []
    for c in before:
        if c.index is None or len(c.index) != len(a.index):
            continue
        body = conj(c.domain, *(Compare("==", x, y) for x, y in zip(c.index, a.index)))
        for v in reversed(c.iters):
            body = Exists(v, None, None, body)
        options.append(body)
    return disj(*options) if options else None


class _Walker:
    """One walk of a block in program order. With ``record`` False only the
    certain writes are computed (the reads are not checked)."""

    def __init__(self, buf: Sym, views: dict, record: bool = True):
        self.buf = buf
        self.views = views  # window statement names viewing buf -> WindowView
        self.record = record
        self.reads: list = []

    def ours(self, name: Sym) -> bool:
        return name is self.buf or name in self.views

    def to_buf(self, name: Sym, idx: tuple | None) -> tuple | None:
        view = self.views.get(name)
        return idx if view is None else view.to_base(idx)

    def read(self, a: Access, before: list, facts: Formula, loops: tuple) -> None:
        """Record ``a`` unless ``before`` certainly covers it; when it may
        cover a part, what is recorded is the rest."""
        if not self.record:
            return
        domain = conj(facts, a.domain)
        cover = _cover(a, before)
        if cover is not None:
            if holds("exposed reads", "the read is covered", cover, domain):
                return
            domain = conj(domain, Not(cover))
        self.reads.append(Access(self.buf, a.kind, a.index, loops + a.iters, domain, a.stmt))

    def block(self, stmts, before: list, facts: Formula, loops: tuple) -> list:
        """Walk ``stmts``; their certain writes."""
        written: list = []
        for s in stmts:
            written += self.stmt(s, before + written, facts, loops)
        return written

    def stmt(self, s, before, facts, loops) -> list:
        if isinstance(s, (ir.Assign, ir.Reduce)):
            for e in s.idx:
                self.expr(e, s, before, facts, loops)
            self.expr(s.rhs, s, before, facts, loops)
            if not self.ours(s.name):
                return []
            index = self.to_buf(s.name, tuple(ctrl_term(e) for e in s.idx))
            if isinstance(s, ir.Reduce):
                self.read(Access(self.buf, REDUCE, index, stmt=s), before, facts, loops)
                return []
            if index is None or any(t is None for t in index):
                return []
            return [Access(self.buf, WRITE, index, stmt=s)]
        if isinstance(s, ir.WriteConfig):
            self.expr(s.rhs, s, before, facts, loops)
            return []
        if isinstance(s, ir.If):
            return self.branches(s, before, facts, loops)
        if isinstance(s, ir.For):
            return self.loop(s, before, facts, loops)
        if isinstance(s, ir.Call):
            return self.call(s, before, facts, loops)
        if isinstance(s, ir.WindowStmt):
            if self.ours(s.rhs.name):
                self.views[s.name] = window_view(s.rhs, ctrl_term, self.views)
            return []
        return []  # Pass, Alloc: no data

    def branches(self, s: ir.If, before, facts, loops) -> list:
        f = cond_formula(s.cond)
        yes = self.block(s.body, before, facts if f is None else conj(facts, f), loops)
        no = self.block(s.orelse, before, facts if f is None else conj(facts, Not(f)), loops)
        if f is None:
            return []
        return ([Access(a.buffer, a.kind, a.index, a.iters, conj(f, a.domain), a.stmt)
                 for a in yes]
                + [Access(a.buffer, a.kind, a.index, a.iters, conj(Not(f), a.domain), a.stmt)
                   for a in no])

    def loop(self, s: ir.For, before, facts, loops) -> list:
        j = sym_var(s.iter)
        lo, hi = ctrl_term(s.lo), ctrl_term(s.hi)
        earlier: list = []
        if self.record and lo is not None:
            # what the earlier iterations certainly wrote
            once = _Walker(self.buf, self.views, record=False).block(s.body, [], TRUE, ())
            earlier = [_nested(a, j, lo, j) for a in once]
        body = self.block(s.body, before + earlier, conj(facts, loop_range(s, j)), loops + (j,))
        if lo is None or hi is None:
            return []
        return [_nested(a, j, lo, hi) for a in body]

    def call(self, s: ir.Call, before, facts, loops) -> list:
        binding = call_binding(s)
        written: list = []
        for fa, arg in zip(s.f.args, s.args):
            if (not isinstance(arg, (ir.Read, ir.WindowExpr)) or not self.ours(arg.name)
                    or fa.name not in binding.targets):
                self.expr(arg, s, before, facts, loops)
                continue
            view = binding.targets[fa.name][1]
            outer = self.views.get(arg.name)
            if outer is not None:
                view = outer if view is None else outer.compose(view.dims)
            ex = param_exposure(s.f, fa.name)
            for a in ex.reads:
                a = _substituted(a, binding.mapping, binding.unknown, s, self.buf, view)
                self.read(a, before, facts, loops)
            if binding.unknown or not _exact(view):
                continue
            written += [_substituted(a, binding.mapping, (), s, self.buf, view)
                        for a in ex.writes]
        return written

    def expr(self, e, s, before, facts, loops) -> None:
        if isinstance(e, ir.Read):
            for i in e.idx:
                self.expr(i, s, before, facts, loops)
            if self.ours(e.name):
                if not e.idx and isinstance(e.type, TensorType):
                    index = None  # the whole buffer as a value
                else:
                    index = self.to_buf(e.name, tuple(ctrl_term(i) for i in e.idx))
                self.read(Access(self.buf, READ, index, stmt=s), before, facts, loops)
            return
        for c in ir.expr_children(e):
            self.expr(c, s, before, facts, loops)


def block_exposure(stmts: Iterable[ir.Stmt], buf: Sym, facts: Formula = TRUE) -> Exposure:
    """The exposure of ``buf`` in ``stmts`` (``facts``: what holds before
    them; the variables of the loops around them are free)."""
    w = _Walker(buf, {})
    writes = w.block(list(stmts), [], facts, ())
    return Exposure(tuple(w.reads), tuple(writes))


_param_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def param_exposure(p: ir.ProcIR, param: Sym) -> Exposure:
    """The exposure of parameter ``param`` in ``p``'s body, under ``p``'s
    assertions (a call satisfies them); cached."""
    per_proc = _param_cache.setdefault(p, {})
    found = per_proc.get(param)
    if found is None:
        found = per_proc[param] = block_exposure(p.body, param,
                                                 partial_proc_scope(p).assumptions())
    return found


__all__ = ["Exposure", "block_exposure", "param_exposure"]
