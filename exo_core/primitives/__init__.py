"""Scheduling primitives, one family per module (loops, loop order, scopes,
statements, simplification, ...). Users import them all from
`exo_stdlib.scheduling`.

Loop families: `loops` (divide_loop, divide_with_recompute, mult_loops,
join_loops, cut_loop, shift_loop, unroll_loop) and `loop_order`
(reorder_loops, fission, autofission, remove_loop, add_loop); their helpers
are `loop_common` (integer/bool arguments, facts at a cursor, bounds the
body may change), `ir_build` (folded control arithmetic, symbol scans) and
`control_strings` (expressions given as strings, read by the front end).

Buffer families: `buffers_staging` (stage_mem), `buffers_alloc` (lift_alloc,
sink_alloc, delete_buffer, reuse_buffer), `buffers_dims` (expand_dim,
resize_dim, rearrange_dim, divide_dim, mult_dim, unroll_buffer) and
`buffers_memory` (set_memory, set_precision, set_window, inline_window);
their helper is `buffer_common` (a buffer's declaration, redirecting its
uses with editor edits); the uses themselves, with the facts where each
happens, are `exo_core.analysis.buffer_uses`. Soundness checks live in
`exo_core.analysis`, obligations in `exo_core.analysis.obligations`, the IR -> logic
translation in `exo_core.analysis.logic`. Every primitive checks its procedure
argument and any new name with `arguments`.
"""
