"""islpy, imported the first time the engine uses it.

Importing islpy loads its extension module and the package metadata, a large
part of the time ``import exo_core`` would otherwise take, and a program that
only builds and prints procedures never asks isl anything. The modules that
work with isl sets and maps write ``from exo_verify.isl_loader import isl``
and use ``isl.Set``, ``isl.dim_type.set``, ... as they would the module; the
first attribute read imports islpy (the documented lazy import of a heavy
module) and copies its names onto the stand-in, so later reads are plain
attribute lookups.
"""

from __future__ import annotations

import importlib
import sys


class _LazyIsl:
    """Stands for the islpy module until it is needed."""

    def __getattr__(self, name: str):
        # only called for a name not yet copied: the first use
        module = importlib.import_module("islpy")
        self.__dict__.update(vars(module))
        return getattr(module, name)

    def __repr__(self) -> str:
        return "<islpy, " + ("loaded>" if "islpy" in sys.modules else "not loaded yet>")


isl = _LazyIsl()
"""The islpy module, imported on first attribute access."""

__all__ = ["isl"]
