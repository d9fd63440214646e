"""Callees and configuration shared by the adversarial tests.

``set_one(x[i])`` and ``add_one(x[i])`` write (reduce into) a buffer element
passed to a scalar parameter -- a write the caller's statement makes without
any assignment in its own text.
"""

from __future__ import annotations

from exo_core import config, proc


@config
class Knobs:
    k: size
    a: f32


@proc
def set_one(a: f32):
    a = 1.0


@proc
def add_one(a: f32):
    a += 1.0


@proc
def set_pair(a: [f32][2]):
    a[0] = 1.0
    a[1] = a[0] + 1.0


@proc
def copy_pair(a: [f32][2], b: [f32][2]):
    b[0] = a[1]


@proc
def set_knob_k():
    Knobs.k = 2
