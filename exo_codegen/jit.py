"""Compile procedures with the system C compiler and call them on numpy arrays.

    from exo_codegen.jit import jit
    f = jit(generic_conv1d)          # one procedure -> a callable
    f(data, kernels, out)            # numpy arrays; sizes as Python ints

    lib = jit([foo, bar])            # several -> a library: lib.foo(...), lib["bar"]

The C text (from `compile_procs_to_strings`) is compiled with
``cc -O2 -std=c11 -Wall -Werror -fPIC -shared`` (plus ``cflags`` and
``include_dirs``; ``-fopenmp`` when a loop is parallel) into a shared library
cached under ``$EXO_JIT_CACHE`` or the system temp directory, keyed by a hash
of the C text, the compiler and the flags; it is loaded with ctypes. Argument
conventions and checks are those of `exo_codegen.jit_args`; bad arguments
raise `JitArgumentError` (a ``TypeError``), compiler failures
`CCompilerError`. The compiler is ``cc`` argument, else ``$CC``, else ``cc``.

Configuration state is reachable with ``lib.get_config(Cfg, "field")`` and
``lib.set_config(Cfg, "field", value)``.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile

import exo_core.ir as ir
from exo_core.user_frame import caller_srcinfo, user_entry

from exo_codegen.c_types import scalar_ctype
from exo_codegen.c_unit import config_name
from exo_codegen.compile import as_proc_ir, compile_unit
from exo_codegen.errors import CCompilerError, JitArgumentError
from exo_codegen.jit_args import ArgMarshaller, IntFastTypes
from exo_codegen.proc_facts import written_params

BASE_CFLAGS = ("-O2", "-std=c11", "-Wall", "-Werror", "-fPIC", "-shared")
_H_NAME = "exo_jit_unit.h"
_ABI_PROBE = """
int exo_jit_sizeof_int_fast32(void);
int exo_jit_sizeof_int_fast32(void) { return (int) sizeof(int_fast32_t); }
"""

_loaded: dict[str, ctypes.CDLL] = {}

_CTYPES_OF = {"float": ctypes.c_float, "double": ctypes.c_double, "int8_t": ctypes.c_int8,
              "uint8_t": ctypes.c_uint8, "uint16_t": ctypes.c_uint16,
              "int32_t": ctypes.c_int32, "bool": ctypes.c_bool}


def find_c_compiler(cc: str | None = None) -> str | None:
    """The C compiler to use (``cc``, ``$CC`` or ``cc``) if it is installed."""
    name = cc or os.environ.get("CC") or "cc"
    return shutil.which(name)


def cache_dir() -> str:
    """Where compiled libraries are kept."""
    base = os.environ.get("EXO_JIT_CACHE")
    if not base:
        base = os.path.join(tempfile.gettempdir(), f"exo-jit-{os.getuid()}")
    try:
        os.makedirs(base, exist_ok=True)
    except OSError as err:
        raise CCompilerError(f"cannot use {base} as the jit cache directory (set "
                             f"$EXO_JIT_CACHE to a writable directory): {err.strerror or err}",
                             caller_srcinfo()) from err
    return base


def _string_list(what: str, value) -> list[str]:
    """``value`` as a list of strings (one string is one item)."""
    if isinstance(value, (str, os.PathLike)):
        return [os.fspath(value)]
    try:
        items = list(value)
    except TypeError:
        items = None
    if items is None or not all(isinstance(v, (str, os.PathLike)) for v in items):
        raise CCompilerError(f"{what} must be a list of strings, got {value!r}",
                             caller_srcinfo())
    return [os.fspath(v) for v in items]


def build_shared_library(c_text: str, h_text: str, *, cc: str | None = None,
                         cflags=(), include_dirs=()) -> str:
    """Compile C text (with its header) to a shared library; return its path.

    Reuses a cached library built from the same text, compiler and flags."""
    if cc is not None and not isinstance(cc, str):
        raise CCompilerError(f"cc must be the compiler's name or path, got {type(cc).__name__}",
                             caller_srcinfo())
    cflags = _string_list("cflags", cflags)
    include_dirs = _string_list("include_dirs", include_dirs)
    compiler = find_c_compiler(cc)
    if compiler is None:
        raise CCompilerError(f"no C compiler found (looked for "
                             f"{cc or os.environ.get('CC') or 'cc'})", caller_srcinfo())
    flags = list(BASE_CFLAGS) + [f"-I{d}" for d in include_dirs] + list(cflags)
    if "#pragma omp" in c_text and "-fopenmp" not in flags:
        flags.append("-fopenmp")
    key = hashlib.sha256("\0".join([c_text, h_text, compiler, *flags]).encode()).hexdigest()[:24]
    d = os.path.join(cache_dir(), key)
    so_path = os.path.join(d, "unit.so")
    if os.path.exists(so_path):
        return so_path
    c_path = os.path.join(d, "unit.c")
    try:
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, _H_NAME), "w") as f:
            f.write(h_text)
        with open(c_path, "w") as f:
            f.write(c_text)
    except OSError as err:
        raise CCompilerError(f"cannot write the jit's C files to {d} (set $EXO_JIT_CACHE to "
                             f"a writable directory): {err.strerror or err}",
                             caller_srcinfo()) from err
    tmp_so = os.path.join(d, f"unit.{os.getpid()}.tmp.so")
    cmd = [compiler, *flags, "-o", tmp_so, c_path, "-lm"]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise CCompilerError(f"could not run the C compiler: {err}", caller_srcinfo()) from err
    if res.returncode != 0:
        raise CCompilerError(f"the C compiler failed on {c_path}:\n{res.stderr.strip()[:4000]}",
                             caller_srcinfo())
    os.replace(tmp_so, so_path)
    return so_path


class JitProc:
    """A compiled procedure callable on numpy arrays and Python ints."""

    def __init__(self, proc: ir.ProcIR, lib: ctypes.CDLL, types: IntFastTypes):
        self.proc = proc
        self.name = proc.name
        self._fn = getattr(lib, proc.name)
        self._args = ArgMarshaller(proc, types, written_params(proc))
        self._fn.argtypes = self._args.argtypes
        self._fn.restype = None

    @user_entry
    def __call__(self, *args, **kwargs) -> None:
        values, keep_alive = self._args.convert(args, kwargs)
        self._fn(*values)
        del keep_alive

    def __repr__(self):
        return f"<jitted procedure {self.name}>"


class JitLibrary:
    """Several compiled procedures: ``lib.name(...)`` or ``lib["name"](...)``."""

    def __init__(self, procs: dict, lib: ctypes.CDLL, types: IntFastTypes, unit,
                 c_text: str, so_path: str):
        self._procs = procs
        self._types = types
        self._lib = lib
        self._unit = unit
        self.c_text = c_text
        self.so_path = so_path

    def __getattr__(self, name):
        procs = self.__dict__.get("_procs", {})
        if name in procs:
            return procs[name]
        raise AttributeError(f"no jitted procedure named {name}")

    def __getitem__(self, name) -> JitProc:
        try:
            return self._procs[name]
        except KeyError:
            raise KeyError(f"no jitted procedure named {name}") from None

    def __iter__(self):
        return iter(self._procs.values())

    # --- configuration state ----------------------------------------------
    def _config_field(self, config, field):
        entry = self._unit.configs.get(id(config))
        if entry is None or field not in entry[1]:
            raise JitArgumentError(f"the jitted code does not use {config_name(config)}.{field}",
                                   caller_srcinfo())
        fields = [(f, _CTYPES_OF.get(scalar_ctype(t)) or self._types.int_fast32)
                  for f, t in entry[1].items()]
        struct = type("cfg", (ctypes.Structure,), {"_fields_": fields})
        return struct.in_dll(self._lib, f"exo_cfg_{config_name(config)}")

    @user_entry
    def get_config(self, config, field):
        """The current value of ``config.field`` in the library."""
        return getattr(self._config_field(config, field), field)

    @user_entry
    def set_config(self, config, field, value) -> None:
        """Set ``config.field`` in the library."""
        target = self._config_field(config, field)
        try:
            setattr(target, field, value)
        except (TypeError, ValueError, OverflowError) as err:
            raise JitArgumentError(f"cannot set {config_name(config)}.{field} to {value!r}: "
                                   f"{err}", caller_srcinfo()) from None


@user_entry
def jit(procs, *, cc: str | None = None, cflags=(), include_dirs=()):
    """Compile ``procs`` (a procedure or a list) and load them.

    Returns a `JitProc` for a single procedure, else a `JitLibrary`."""
    single = not isinstance(procs, (list, tuple))
    roots = [as_proc_ir(p) for p in ([procs] if single else procs)]
    c_text, h_text, unit = compile_unit(roots, _H_NAME)
    c_text += _ABI_PROBE
    so_path = build_shared_library(c_text, h_text, cc=cc, cflags=cflags,
                                   include_dirs=include_dirs)
    lib = _loaded.get(so_path)
    if lib is None:
        lib = ctypes.CDLL(so_path)
        _loaded[so_path] = lib
    probe = lib.exo_jit_sizeof_int_fast32
    probe.restype = ctypes.c_int
    types = IntFastTypes(probe())
    jprocs = {r.name: JitProc(r, lib, types) for r in roots}
    if single:
        return jprocs[roots[0].name]
    return JitLibrary(jprocs, lib, types, unit, c_text, so_path)
