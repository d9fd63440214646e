"""How to build generated C for each target, on an x86-64 host without the
target's hardware (see docs/targets.md).

A `TargetProfile` names the compiler, the flags and (for a foreign
architecture) the emulator that runs the result:

=================  ======================================================
profile            what it does
=================  ======================================================
``avx2``           native x86-64 AVX2 + FMA (needs the CPU flags)
``avx512``         native AVX-512F (needs the CPU flag)
``avx512-simde``   AVX-512 intrinsics through SIMDe's portable headers
``avx2-simde``     AVX2 intrinsics through SIMDe
``neon-simde``     Arm Neon intrinsics through SIMDe, on x86-64
``neon-qemu``      cross-compiled with aarch64-linux-gnu-gcc (static),
                   run under qemu-aarch64
``rvm-emulate``    RVM inline assembly against exo_rvm_emulation.h
=================  ======================================================

The generated C selects SIMDe with ``-DEXO_USE_SIMDE`` and the RVM emulation
with ``-DEXO_RVM_EMULATE`` (see `exo_codegen.memories`); the profiles add
those flags.
"""

from __future__ import annotations

import os
import platform
import shutil

from attrs import frozen

RVM_EMULATION_HEADER = "exo_rvm_emulation.h"


def include_dir() -> str:
    """The directory holding the target support headers
    (``exo_rvm_emulation.h``); pass it to the C compiler with ``-I``."""
    return os.path.dirname(os.path.abspath(__file__))


@frozen
class TargetProfile:
    """How to compile and run C for one target on this host.

    ``compiler``: the C compiler command; ``cflags``: extra flags;
    ``runner``: the emulator command prefix for executables of a foreign
    architecture (empty to run natively); ``cpu_flags``: /proc/cpuinfo flags
    the host needs; ``headers``: system headers the profile needs
    (relative to the compiler's include path); ``shared_ok``: whether the
    result can be loaded into this Python process as a shared library.
    """

    name: str
    compiler: str
    cflags: tuple = ()
    runner: tuple = ()
    cpu_flags: tuple = ()
    headers: tuple = ()
    shared_ok: bool = True
    host_arch: str = "x86_64"

    def missing(self) -> str | None:
        """Why this profile cannot run on this host, or None if it can."""
        if platform.machine() != self.host_arch:
            return (f"target profile {self.name} needs an {self.host_arch} "
                    f"host, this one is {platform.machine()}")
        if shutil.which(self.compiler) is None:
            return f"target profile {self.name} needs the C compiler '{self.compiler}'"
        for tool in self.runner[:1]:
            if shutil.which(tool) is None:
                return f"target profile {self.name} needs the emulator '{tool}'"
        absent = [f for f in self.cpu_flags if f not in host_cpu_flags()]
        if absent:
            return (f"target profile {self.name} needs CPU support for "
                    f"{', '.join(absent)} (not in /proc/cpuinfo)")
        for h in self.headers:
            if not _header_exists(h):
                return (f"target profile {self.name} needs the header <{h}> "
                        f"(Debian package libsimde-dev for SIMDe)")
        return None


_SYSTEM_INCLUDE_DIRS = ("/usr/include", "/usr/local/include")


def _header_exists(h: str) -> bool:
    return any(os.path.exists(os.path.join(d, h)) for d in _SYSTEM_INCLUDE_DIRS)


_cpu_flags_cache: frozenset | None = None


def host_cpu_flags() -> frozenset:
    """The CPU feature flags of this host (from /proc/cpuinfo; empty when
    that file is absent)."""
    global _cpu_flags_cache
    if _cpu_flags_cache is None:
        flags: set = set()
        try:
            with open("/proc/cpuinfo") as f:
                for line in f:
                    if line.startswith("flags"):
                        flags.update(line.split(":", 1)[1].split())
                        break
        except OSError:
            pass
        _cpu_flags_cache = frozenset(flags)
    return _cpu_flags_cache


_SIMDE = ("-DEXO_USE_SIMDE",)

PROFILES: dict[str, TargetProfile] = {
    p.name: p
    for p in (
        TargetProfile("avx2", "gcc", ("-mavx2", "-mfma"),
                      cpu_flags=("avx2", "fma")),
        TargetProfile("avx512", "gcc", ("-mavx512f",), cpu_flags=("avx512f",)),
        TargetProfile("avx2-simde", "gcc", _SIMDE,
                      headers=("simde/x86/avx2.h",)),
        TargetProfile("avx512-simde", "gcc", _SIMDE,
                      headers=("simde/x86/avx512.h",)),
        TargetProfile("neon-simde", "gcc", _SIMDE,
                      headers=("simde/arm/neon.h",)),
        TargetProfile("neon-qemu", "aarch64-linux-gnu-gcc",
                      ("-static", "-march=armv8.2-a+fp16"),
                      runner=("qemu-aarch64",), shared_ok=False),
        TargetProfile("rvm-emulate", "gcc",
                      ("-DEXO_RVM_EMULATE", f"-I{include_dir()}")),
    )
}


def profile(name: str) -> TargetProfile:
    """The target profile called ``name`` (see `PROFILES`)."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown target profile '{name}' (known: {known})") from None
