"""The window example of the object-code documentation.

    exocc examples/foo_bar.py -o out       # writes out/foo_bar.c and out/foo_bar.h

``bar`` passes windows of ``y`` and of a row of ``z`` to ``foo``, which sees
them as ``struct exo_win_1f32`` values (a data pointer and strides).
"""

from __future__ import annotations

from exo_core import proc, f32


@proc
def foo(x: [f32][3]):
    for i in seq(0, 3):
        x[i] = 0.0


@proc
def bar(y: f32[10], z: f32[20, 20]):
    foo(y[2:5])
    foo(z[1, 10:13])
