"""What a called procedure does to its arguments.

For each argument of a callee: the kinds of access (read, write, reduce)
its body performs on that buffer (through windows and nested calls); and the
configuration fields it reads or writes. A call site then assumes those
kinds of access over the whole region it passes (see `accesses`).
Summaries are cached by callee node (nodes are immutable).
"""

from __future__ import annotations

from attrs import frozen

import exo_core.ir as ir

_summaries: dict = {}


@frozen(eq=False)
class CalleeSummary:
    arg_kinds: tuple  # per argument: tuple of kinds ("read", "write", "reduce")
    configs: tuple  # (ConfigField, kind) pairs


def callee_summary(f: ir.ProcIR) -> CalleeSummary:
    """The summary of callee ``f`` (cached)."""
    found = _summaries.get(f)
    if found is None:
        from exo_core.analysis.accesses import ConfigField, collect_accesses

        inst = collect_accesses(f.body)
        per_arg = {a.name: set() for a in f.args}
        configs = set()
        for acc in inst.accesses:
            if isinstance(acc.buf, ConfigField):
                configs.add((acc.buf, acc.kind))
            elif acc.buf in per_arg:
                per_arg[acc.buf].add(acc.kind)
        order = ("read", "write", "reduce")
        found = CalleeSummary(
            tuple(tuple(k for k in order if k in per_arg[a.name]) for a in f.args),
            tuple(sorted(configs, key=lambda ck: (ck[0].name, ck[1]))),
        )
        _summaries[f] = found
    return found
