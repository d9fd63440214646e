"""Target profiles and the RVM emulation header on hand-written C."""

from __future__ import annotations

import subprocess

import pytest

from exo_codegen.targets import PROFILES, TargetProfile, include_dir, profile
from target_tools import require


def test_unknown_profile_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown target profile 'sparc'.*avx2"):
        profile("sparc")


def test_missing_tools_are_named():
    p = TargetProfile("x", "no-such-cc-exo")
    assert "no-such-cc-exo" in p.missing()
    p = TargetProfile("y", "gcc", cpu_flags=("no_such_cpu_flag",))
    assert "no_such_cpu_flag" in p.missing()
    p = TargetProfile("z", "gcc", headers=("no/such/header.h",))
    assert "no/such/header.h" in p.missing()
    assert set(PROFILES) >= {"avx2", "avx512-simde", "neon-simde", "neon-qemu", "rvm-emulate"}


EMULATED = r'''
#include <stdio.h>
#include <stdint.h>
#include "exo_rvm_emulation.h"
int main(void) {
    volatile int32_t scale = 2;          /* ordinary volatile stays a qualifier */
    int32_t a[4][4], b[4][4], out[4][8];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) { a[i][j] = i + j * scale; b[i][j] = i == j; }
    #define ta "m1"
    #define tb "m2"
    #define tc "m5"
    asm volatile("mzero "tc);
    asm volatile("mld.w "ta", (%1), %0" :: "r"(4L * 4), "r"(&a[0][0]));
    asm volatile("mld.w "tb", (%1), %0" :: "r"(4L * 4), "r"(&b[0][0]));
    asm volatile("mmasa.w "tc", "tb", "ta);
    asm volatile("mst.w "tc", (%1), %0" :: "r"(4L * 8), "r"(&out[0][4]));
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            if (out[i][4 + j] != a[i][j]) { printf("bad %d %d\n", i, j); return 1; }
    printf("ok\n");
    BAD_INSTR
    return 0;
}
'''


def _run(tmp_path, bad_instr: str):
    src = tmp_path / "emu.c"
    src.write_text(EMULATED.replace("BAD_INSTR", bad_instr))
    exe = tmp_path / "emu"
    res = subprocess.run(["gcc", "-O2", "-Wall", "-Werror", "-DEXO_RVM_EMULATE",
                          f"-I{include_dir()}", str(src), "-o", str(exe)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return subprocess.run([str(exe)], capture_output=True, text=True)


def test_emulation_header_runs_hand_written_rvm_asm(tmp_path):
    require("rvm-emulate")
    run = _run(tmp_path, "")
    assert run.returncode == 0 and run.stdout == "ok\n", run.stdout + run.stderr


def test_emulation_rejects_unknown_tile_registers(tmp_path):
    require("rvm-emulate")
    run = _run(tmp_path, 'asm volatile("mzero m9");')
    assert run.returncode != 0
    assert "mzero names a register that is not one of m0..m7" in run.stderr
