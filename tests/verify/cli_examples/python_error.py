"""A file whose plain Python fails while loading."""

from __future__ import annotations

SIZES = {"n": 4}
WIDTH = SIZES["m"]
