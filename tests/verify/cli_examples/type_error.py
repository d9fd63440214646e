"""A file the front end rejects (exo-verify must report it and exit 2)."""

from __future__ import annotations

from exo_core import proc


@proc
def bad(x: f32[4]):
    x[0] = x
