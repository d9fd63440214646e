"""A file with one correct and one out-of-bounds procedure (exo-verify tests)."""

from __future__ import annotations

from exo_core import proc


@proc
def scale(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i] = 2.0 * x[i]


@proc
def shift(n: size, x: f32[n]):
    for i in seq(0, n):
        x[i] = x[i + 1]
