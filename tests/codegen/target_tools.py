"""Helpers for the target tests (tests/codegen/test_platform_*.py,
test_targets*.py): tool detection, reference procedures and C harnesses.

- `require(profile_name)` skips the calling test, with the reason, when this
  host lacks a tool the target profile needs (compiler, emulator, headers,
  CPU flags); it never lets a test pass without running.
- `reference_proc(p)` is ``p`` with every instruction call replaced by a call
  of the instruction's own object-code body (as an ordinary procedure) and
  every buffer moved to DRAM: the instruction's specification, compiled as
  plain C.
- `run_cases(procs, cases, profile, tmp_path)` compiles the procedures once,
  with a generated ``main()`` that runs each `Case` (driver and reference on
  copies of the same inputs) and prints every buffer in exact hex-float
  form, runs it natively or under the profile's emulator and returns the
  buffers as numpy arrays.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from attrs import define, field

from exo_core import compile_procs_to_strings, ir
from exo_core.ir.memory import DRAM
from exo_codegen.targets import TargetProfile, profile

# --------------------------------------------------------------------------
# Tool detection


def require(profile_name: str) -> TargetProfile:
    """The target profile, or skip the test saying which tool is missing."""
    p = profile(profile_name)
    why = p.missing()
    if why is not None:
        pytest.skip(why)
    return p


# --------------------------------------------------------------------------
# Reference procedures: instructions replaced by their semantics

_spec_cache: dict[int, ir.ProcIR] = {}


def _root(p) -> ir.ProcIR:
    return p if isinstance(p, ir.ProcIR) else p.INTERNAL_proc()


def spec_proc(instr) -> ir.ProcIR:
    """The instruction's body as an ordinary procedure on DRAM buffers."""
    root = _root(instr)
    assert root.instr is not None, f"{root.name} is not an instruction"
    if id(root) not in _spec_cache:
        args = [a.update(mem=DRAM) if a.mem is not None else a for a in root.args]
        _spec_cache[id(root)] = root.update(
            name=f"{root.name}_spec", args=args, instr=None,
            body=_to_reference_block(root.body))
    return _spec_cache[id(root)]


def _to_reference_block(block):
    return [_to_reference_stmt(s) for s in block]


def _to_reference_stmt(s):
    if isinstance(s, ir.For):
        return s.update(body=_to_reference_block(s.body))
    if isinstance(s, ir.If):
        return s.update(body=_to_reference_block(s.body),
                        orelse=_to_reference_block(s.orelse))
    if isinstance(s, ir.Alloc):
        return s.update(mem=DRAM)
    if isinstance(s, ir.Call):
        f = spec_proc(s.f) if s.f.instr is not None else reference_proc(s.f)
        return s.update(f=f)
    return s


def reference_proc(p, name: str | None = None) -> ir.ProcIR:
    """``p`` with instruction calls replaced by their specifications and
    every allocation in DRAM, renamed ``name`` (default ``<name>_ref``)."""
    root = _root(p)
    args = [a.update(mem=DRAM) if a.mem is not None else a for a in root.args]
    return root.update(name=name or f"{root.name}_ref", args=args,
                       body=_to_reference_block(root.body))


# --------------------------------------------------------------------------
# C harnesses

_C_ELEM = {np.dtype(np.float32): "float", np.dtype(np.float64): "double",
           np.dtype(np.float16): "_Float16", np.dtype(np.int32): "int32_t",
           np.dtype(np.uint16): "uint16_t"}


@define
class Case:
    """Run ``driver`` and ``reference`` (C function names) on copies of the
    same arguments. ``args`` are (name, value): numpy arrays for buffers,
    Python ints for size/index arguments."""

    driver: str
    reference: str
    args: list = field(factory=list)


def _c_literal(x, dtype) -> str:
    if dtype.kind == "f":
        return float(x).hex()
    return str(int(x))


def harness_main(h_name: str, cases: list[Case]) -> str:
    """A C ``main`` that runs every case and prints its buffers."""
    lines = ['#include <stdio.h>', '#include <stdint.h>', f'#include "{h_name}"', "",
             "int main(void) {"]
    for k, case in enumerate(cases):
        for side, fn in (("a", case.driver), ("b", case.reference)):
            call = ["NULL"]
            for name, val in case.args:
                if isinstance(val, np.ndarray):
                    ctype = _C_ELEM[val.dtype]
                    var = f"c{k}{side}_{name}"
                    init = ", ".join(_c_literal(x, val.dtype) for x in val.ravel())
                    lines.append(f"    static {ctype} {var}[{val.size}] = {{ {init} }};")
                    call.append(var)
                else:
                    call.append(str(int(val)))
            lines.append(f"    {fn}({', '.join(call)});")
        for name, val in case.args:
            if not isinstance(val, np.ndarray):
                continue
            fmt = '"%a\\n", (double)' if val.dtype.kind == "f" else '"%d\\n", (int)'
            for side in "ab":
                lines.append(f'    printf("== {k} {side} {name}\\n");')
                lines.append(f"    for (int i = 0; i < {val.size}; i++) "
                             f"printf({fmt}c{k}{side}_{name}[i]);")
    lines += ["    return 0;", "}"]
    return "\n".join(lines) + "\n"


def build_and_run(c_text: str, h_text: str, h_name: str, main_text: str,
                  prof: TargetProfile, tmp_path: Path, extra_cflags=()) -> str:
    """Compile the unit and the harness with the profile's compiler and flags
    (warnings are errors), run the program and return its output."""
    (tmp_path / h_name).write_text(h_text)
    c_path = tmp_path / "unit.c"
    c_path.write_text(c_text)
    m_path = tmp_path / "main.c"
    m_path.write_text(main_text)
    exe = tmp_path / "prog"
    cmd = [prof.compiler, "-O2", "-std=gnu11", "-Wall", "-Werror", "-Wno-psabi",
           *prof.cflags, *extra_cflags, str(c_path), str(m_path), "-o", str(exe)]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, (f"C compile failed for profile {prof.name}:\n"
                                 f"{' '.join(cmd)}\n{res.stderr}\n--- unit.c ---\n{c_text}")
    run = subprocess.run([*prof.runner, str(exe)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, (f"program failed under profile {prof.name} "
                                 f"(exit {run.returncode}):\n{run.stderr}")
    return run.stdout


def parse_output(stdout: str, cases: list[Case]) -> dict:
    """``{(case index, arg name): (driver result, reference result)}``."""
    blocks: dict = {}
    cur = None
    for line in stdout.splitlines():
        if line.startswith("== "):
            _, k, side, name = line.split()
            cur = blocks.setdefault((int(k), side, name), [])
        else:
            cur.append(line)
    out = {}
    for k, case in enumerate(cases):
        for name, val in case.args:
            if not isinstance(val, np.ndarray):
                continue
            conv = float.fromhex if val.dtype.kind == "f" else int
            got, want = (np.array([conv(x) for x in blocks[(k, s, name)]],
                                  dtype=val.dtype).reshape(val.shape) for s in "ab")
            out[(k, name)] = (got, want)
    return out


def run_cases(procs, cases: list[Case], profile_name: str, tmp_path: Path,
              extra_cflags=()) -> dict:
    """Compile ``procs`` for the profile (skipping when its tools are
    missing), run every case and return `parse_output`'s dictionary."""
    prof = require(profile_name)
    c_text, h_text = compile_procs_to_strings(list(procs), "unit.h")
    out = build_and_run(c_text, h_text, "unit.h", harness_main("unit.h", cases),
                        prof, tmp_path, extra_cflags)
    return parse_output(out, cases)


def assert_cases_match(results: dict, cases: list[Case]) -> None:
    """Every driver buffer equals its reference buffer exactly."""
    bad = []
    for (k, name), (got, want) in results.items():
        if not np.array_equal(got, want):
            bad.append(f"{cases[k].driver}: argument {name}\n  got  {got.ravel()}\n"
                       f"  want {want.ravel()}")
    assert not bad, "instruction results differ from their specifications:\n" + \
        "\n".join(bad)
