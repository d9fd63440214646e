"""Allocations are freed right after the last statement of their block that
uses them (as Exo 1.0 places ``free``), through window statements too; an
unused allocation is freed when its block ends."""

from __future__ import annotations

from exo_core import proc


def _body(p) -> list:
    c = p.c_code_str()
    body = c[c.index(f"void {p.name()}(void"):]
    body = body[body.index(") {") :]
    return [line.strip() for line in body.splitlines()[1:] if line.strip()]


@proc
def two_temps(n: size, x: f32[n], y: f32[n]):
    a: f32[n]
    b: f32[n]
    for i in seq(0, n):
        a[i] = x[i]
    for i in seq(0, n):
        b[i] = a[i]
    for i in seq(0, n):
        y[i] = b[i]
    for i in seq(0, n):
        y[i] += 1.0


def test_free_after_last_use_as_exo():
    lines = _body(two_temps)
    # Exo 1.0 frees a after the second loop and b after the third
    assert lines.index("free(a);") == lines.index("b[i] = a[i];") + 2
    assert lines.index("free(b);") == lines.index("y[i] = b[i];") + 2
    assert lines.index("free(b);") < lines.index("y[i] += 1.0f;")


@proc
def through_window(n: size, x: f32[n], y: f32[n]):
    a: f32[n]
    w = a[0:n]
    for i in seq(0, n):
        a[i] = x[i]
    for i in seq(0, n):
        y[i] = w[i]
    for i in seq(0, n):
        y[i] += 1.0


@proc
def unused(n: size, x: f32[n]):
    t: f32[n]
    for i in seq(0, n):
        x[i] = 1.0


def test_window_keeps_its_buffer_and_unused_is_freed_at_the_end():
    lines = _body(through_window)
    assert lines.index("free(a);") > lines.index("y[i] = w.data[i];")
    assert lines.index("free(a);") < lines.index("y[i] += 1.0f;")
    lines = _body(unused)
    assert lines[-2:] == ["free(t);", "}"]
