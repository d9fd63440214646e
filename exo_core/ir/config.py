"""Configuration objects: ``@config`` classes of typed global fields.

A config models hardware state (say, the stride a DMA unit is programmed with)::

    @config
    class ConfigLoad:
        src_stride: stride
        scale: f32

    @proc
    def set_stride(s: stride):
        ConfigLoad.src_stride = s       # WriteConfig

Inside object code ``ConfigLoad.src_stride`` reads a field (`ReadConfig`) and
``ConfigLoad.src_stride = e`` writes it (`WriteConfig`). The decorator returns
a `Config` object (not a class).
"""

from __future__ import annotations

from exo_core.errors import ExoTypeError, ParseError
from exo_core.ir.prelude import SrcInfo
from exo_core.ir.types import BOOL, CONTROL_TYPES, NUMERIC_ALIASES, ScalarType

_FIELD_TYPES = {**NUMERIC_ALIASES, **CONTROL_TYPES}


class Config:
    """A configuration: a name and ordered, typed fields."""

    def __init__(self, name: str, fields, disable_rw: bool = False, srcinfo=None):
        self._name = name
        self._fields = tuple(fields)  # ((name, ScalarType), ...)
        self._types = dict(self._fields)
        self._disable_rw = disable_rw
        self.srcinfo = srcinfo

    def name(self) -> str:
        """The config's name as written in object code and in C."""
        return self._name

    def fields(self) -> tuple:
        """``((field_name, type), ...)`` in declaration order."""
        return self._fields

    def has_field(self, field: str) -> bool:
        return field in self._types

    def lookup_type(self, field: str) -> ScalarType:
        """The type of ``field`` (KeyError-free: raises ExoTypeError if absent)."""
        if field not in self._types:
            raise ExoTypeError(f"config {self._name} has no field {field}", self.srcinfo)
        return self._types[field]

    def is_allow_rw(self) -> bool:
        """False when declared ``@config(disable_rw=True)``: object code may not
        read or write its fields (it only exists for code generation)."""
        return not self._disable_rw

    def __repr__(self):
        return f"<config {self._name}>"


def _field_type(cls_name: str, field: str, annot, srcinfo) -> ScalarType:
    if isinstance(annot, ScalarType):
        return annot
    if annot is bool:
        return BOOL
    if isinstance(annot, str) and annot.strip() in _FIELD_TYPES:
        return _FIELD_TYPES[annot.strip()]
    raise ParseError(
        f"field {field} of config {cls_name} has type {annot!r}; config fields must be "
        f"one of {', '.join(sorted(_FIELD_TYPES))}", srcinfo)


def make_config(cls, disable_rw: bool = False) -> Config:
    """Build a `Config` from a class whose body declares annotated fields."""
    name = getattr(cls, "__name__", None)
    if not isinstance(cls, type):
        raise ParseError(f"@config decorates a class, not {type(cls).__name__}")
    srcinfo = _class_srcinfo(cls)
    annots = cls.__dict__.get("__annotations__", {})
    if not annots:
        raise ParseError(f"config {name} declares no fields (write `field: type` lines)",
                         srcinfo)
    fields = [(f, _field_type(name, f, a, srcinfo)) for f, a in annots.items()]
    return Config(name, fields, disable_rw, srcinfo)


def _class_srcinfo(cls):
    import inspect

    try:
        lines, start = inspect.getsourcelines(cls)
        return SrcInfo(inspect.getsourcefile(cls) or "<unknown>", start, 0)
    except (OSError, TypeError):
        return None
