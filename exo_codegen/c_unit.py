"""State shared by all procedures compiled into one C file.

A `CUnit` collects what must appear once at the top of the C file or in the
header: window struct definitions, extern ``globl`` text per C type, the
instructions used (their ``c_global`` and a comment about them), the floor
division helpers, and configuration state.

Configurations are compiled to one global struct per configuration (not to a
field of ``ctxt``, which stays ``void *``, as in Exo's calling convention)::

    struct exo_config_ConfigLoad { float scale; int_fast32_t src_stride; };
    extern struct exo_config_ConfigLoad exo_cfg_ConfigLoad;   // header
    struct exo_config_ConfigLoad exo_cfg_ConfigLoad;          // C file

so ``ConfigLoad.scale`` reads ``exo_cfg_ConfigLoad.scale``; C harnesses may
set or read it directly.
"""

from __future__ import annotations

from exo_core.ir.types import ScalarType

from exo_core.errors import ExoError

from exo_codegen.c_types import scalar_ctype, window_struct_def, window_struct_name
from exo_codegen.errors import CodegenError

FLOOR_DIV_HELPER = """\
static inline int_fast32_t exo_floor_div(int_fast32_t num, int_fast32_t quot) {
    int_fast32_t q = num / quot;
    return (num % quot != 0 && ((num < 0) != (quot < 0))) ? q - 1 : q;
}"""

MOD_HELPER = """\
static inline int_fast32_t exo_mod(int_fast32_t num, int_fast32_t quot) {
    int_fast32_t r = num % quot;
    return (r != 0 && ((r < 0) != (quot < 0))) ? r + quot : r;
}"""


# A procedure's assertions become optimiser facts. The macro uses whichever
# builtin the C compiler has (clang: __builtin_assume; gcc: an unreachable
# branch); elsewhere it only evaluates the condition, which has no effect.
ASSUME_HELPER = """\
#ifndef EXO_ASSUME
#if defined(__has_builtin)
#if __has_builtin(__builtin_assume)
#define EXO_ASSUME(cond) __builtin_assume(cond)
#elif __has_builtin(__builtin_unreachable)
#define EXO_ASSUME(cond) ((void)((cond) ? 0 : (__builtin_unreachable(), 0)))
#endif
#endif
#ifndef EXO_ASSUME
#define EXO_ASSUME(cond) ((void)(cond))
#endif
#endif"""


def config_name(config) -> str:
    """The object-code name of a configuration object."""
    name = getattr(config, "name", None)
    if callable(name):
        name = name()
    if not isinstance(name, str):
        name = getattr(config, "__name__", None) or type(config).__name__
    return name


def config_field_type(config, field: str, fallback):
    """The declared type of ``config.field`` (falls back to the type seen in
    the code when the configuration object does not say)."""
    for attr in ("lookup_type", "field_type"):
        fn = getattr(config, attr, None)
        if callable(fn):
            try:
                t = fn(field)
            except (ExoError, LookupError, AttributeError):
                t = None
            if isinstance(t, ScalarType):
                return t
    fields = getattr(config, "fields", None)
    if callable(fields):
        fields = fields()
    if isinstance(fields, dict) and isinstance(fields.get(field), ScalarType):
        return fields[field]
    if isinstance(fields, (list, tuple)):
        for entry in fields:
            if isinstance(entry, tuple) and len(entry) >= 2 and entry[0] == field:
                if isinstance(entry[1], ScalarType):
                    return entry[1]
    return fallback


class CUnit:
    """Everything emitted once per C file."""

    def __init__(self):
        self.window_structs: dict[str, str] = {}
        self.extern_globals: list[str] = []
        self.instr_globals: list[str] = []
        self.instrs_used: list = []
        self.needs_floor_div = False
        self.needs_assume = False
        self.needs_mod = False
        self.configs: dict[int, tuple] = {}  # id -> (config, {field: type})

    # --- window structs ---------------------------------------------------
    def window_struct(self, ndim: int, elem: ScalarType, is_const: bool) -> str:
        """Register and name the window struct ``struct exo_win_<n><t>[c]``."""
        name = window_struct_name(ndim, elem, is_const)
        if name not in self.window_structs:
            self.window_structs[name] = window_struct_def(ndim, elem, is_const)
        return f"struct {name}"

    # --- externs and instructions -----------------------------------------
    def add_extern_global(self, text: str):
        if text and text.strip() and text not in self.extern_globals:
            self.extern_globals.append(text)

    def add_instr(self, instr_proc):
        if any(p is instr_proc for p in self.instrs_used):
            return
        self.instrs_used.append(instr_proc)
        glob = instr_proc.instr.c_global
        if glob and glob.strip() and glob not in self.instr_globals:
            self.instr_globals.append(glob)

    # --- configurations ---------------------------------------------------
    def config_var(self, config, field: str, seen_type) -> str:
        """The C lvalue of ``config.field``."""
        name = config_name(config)
        if not name.isidentifier():
            raise CodegenError(f"configuration name {name!r} is not a C identifier")
        entry = self.configs.setdefault(id(config), (config, {}))
        if field not in entry[1] or entry[1][field] is None:
            entry[1][field] = config_field_type(config, field, seen_type)
        return f"exo_cfg_{name}.{field}"

    def config_struct_defs(self) -> list[str]:
        """Header text declaring each configuration's state."""
        out = []
        for config, fields in self.configs.values():
            name = config_name(config)
            lines = [f"struct exo_config_{name} {{"]
            for field, t in fields.items():
                if t is None:
                    raise CodegenError(
                        f"the type of configuration field {name}.{field} is unknown")
                lines.append(f"    {scalar_ctype(t)} {field};")
            lines.append("};")
            guard = f"EXO_CONFIG_{name.upper()}"
            out.append(f"#ifndef {guard}\n#define {guard}\n" + "\n".join(lines) + "\n#endif\n"
                       f"extern struct exo_config_{name} exo_cfg_{name};")
        return out

    def config_definitions(self) -> list[str]:
        """C-file text defining each configuration's state (zero-initialised)."""
        return [f"struct exo_config_{config_name(c)} exo_cfg_{config_name(c)};"
                for c, _ in self.configs.values()]

    def helper_definitions(self) -> list[str]:
        out = [ASSUME_HELPER] if self.needs_assume else []
        if self.needs_floor_div:
            out.append(FLOOR_DIV_HELPER)
        if self.needs_mod:
            out.append(MOD_HELPER)
        return out
