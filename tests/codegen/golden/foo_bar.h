#pragma once
#ifndef TMP_H
#define TMP_H

#ifdef __cplusplus
extern "C" {
#endif

#include <stdint.h>
#include <stdbool.h>

#ifndef EXO_WIN_1F32
#define EXO_WIN_1F32
struct exo_win_1f32{
    float * const data;
    const int_fast32_t strides[1];
};
#endif

// foo(
//     x : [f32][3] @DRAM
// )
void foo(void *ctxt, struct exo_win_1f32 x);

// bar(
//     y : f32[10] @DRAM,
//     z : f32[20, 20] @DRAM
// )
void bar(void *ctxt, float* y, float* z);

#ifdef __cplusplus
}
#endif
#endif  // TMP_H
