#include "tmp.h"

#include <stdio.h>
#include <stdlib.h>

// foo(
//     x : [f32][3] @DRAM
// )
void foo(void *ctxt, struct exo_win_1f32 x) {
    for (int_fast32_t i = 0; i < 3; i++) {
        x.data[i * x.strides[0]] = 0.0f;
    }
}

// bar(
//     y : f32[10] @DRAM,
//     z : f32[20, 20] @DRAM
// )
void bar(void *ctxt, float* y, float* z) {
    foo(ctxt, (struct exo_win_1f32){ &y[2], { 1 } });
    foo(ctxt, (struct exo_win_1f32){ &z[30], { 1 } });
}
