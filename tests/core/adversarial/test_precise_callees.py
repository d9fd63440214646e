"""Calls analysed with their callee's precise effects.

A call touches exactly what its callee's body touches, mapped through the
argument windows (not the whole region of every argument). These rewrites
were refused while calls were summarised by whole regions; each accepted one
must compute what the original computes, and the same code with a real
overlap must still be refused.
"""

from __future__ import annotations

from exo_core import config, proc
from exo_stdlib.scheduling import add_loop, divide_with_recompute, fission, remove_loop, \
    reorder_stmts

from tests.core.adversarial.harness import assert_same_results, assert_scheduling_error


@config
class Pos:
    k: index


@proc
def copy_pair(a: [f32][2], b: [f32][2]):
    b[0] = a[1]


@proc
def set_at(k: index, x: [f32][8]):
    assert k >= 0
    assert k < 8
    x[k] = 1.0


# -- fission: the later iterations before the cut write only y[2 * i'] ----------

@proc
def fission_odd_reads(x: f32[8], y: f32[12], z: f32[4]):
    for i in seq(0, 4):
        copy_pair(x[2 * i:2 * i + 2], y[2 * i:2 * i + 2])
        z[i] = y[2 * i + 3]


@proc
def fission_even_reads(x: f32[8], y: f32[12], z: f32[4]):
    for i in seq(0, 4):
        copy_pair(x[2 * i:2 * i + 2], y[2 * i:2 * i + 2])
        z[i] = y[2 * i + 2]


def test_fission_past_a_call_writing_part_of_its_window():
    p = fission_odd_reads
    assert_same_results(p, fission(p, p.find("copy_pair(_)").after()))
    p = fission_even_reads
    assert_scheduling_error(lambda: fission(p, p.find("copy_pair(_)").after()),
                            "writes y[2]", "fission would reorder them")


# -- add_loop / remove_loop: idempotent when the call writes y[0] only ----------

@proc
def call_then_read_other(x: f32[8], y: f32[8], z: f32[1]):
    copy_pair(x[0:2], y[0:2])
    z[0] = y[1]


@proc
def call_then_read_same(x: f32[8], y: f32[8], z: f32[1]):
    copy_pair(x[0:2], y[0:2])
    z[0] = y[0] + 1.0
    y[0] = z[0]


def test_add_loop_around_a_call_writing_part_of_its_window():
    p = call_then_read_other
    assert_same_results(p, add_loop(p, p.find("copy_pair(_)").expand(0, 1), "r", 3))
    p = call_then_read_same
    assert_scheduling_error(lambda: add_loop(p, p.find("copy_pair(_)").expand(0, 2), "r", 3),
                            "not idempotent")


@proc
def loop_over_call(x: f32[8], y: f32[8], z: f32[1]):
    for r in seq(0, 3):
        copy_pair(x[0:2], y[0:2])
        z[0] = y[1]


def test_remove_loop_around_a_call_writing_part_of_its_window():
    p = loop_over_call
    assert_same_results(p, remove_loop(p, p.find_loop("r")))


# -- divide_with_recompute: independent and idempotent iterations ---------------

@proc
def recompute_calls(x: f32[16], y: f32[16], z: f32[8]):
    for i in seq(0, 8):
        copy_pair(x[2 * i:2 * i + 2], y[2 * i:2 * i + 2])
        z[i] = y[2 * i + 1]


@proc
def recompute_calls_dependent(x: f32[16], y: f32[16], z: f32[8]):
    for i in seq(0, 8):
        copy_pair(x[2 * i:2 * i + 2], y[2 * i:2 * i + 2])
        z[i] = y[2 * i]


def test_divide_with_recompute_over_calls():
    p = recompute_calls
    assert_same_results(p, divide_with_recompute(p, p.find_loop("i"), 2, 3, ["io", "ii"]))
    p = recompute_calls_dependent
    assert_scheduling_error(
        lambda: divide_with_recompute(p, p.find_loop("i"), 2, 3, ["io", "ii"]),
        "not idempotent")


# -- a control argument the analysis cannot state: any location -----------------

@proc
def call_at_config_position(y: f32[8], z: f32[8]):
    Pos.k = 5
    set_at(Pos.k, y[0:8])
    z[0] = y[3]


def test_unknown_control_argument_means_any_location():
    p = call_at_config_position
    assert_scheduling_error(lambda: reorder_stmts(p, p.find("set_at(_)").expand(0, 1)),
                            "writes y[3]", "do not commute")
