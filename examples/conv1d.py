"""Quick start: a 1-D convolution in object code, compiled to C.

    exocc examples/conv1d.py -o out        # writes out/conv1d.c and out/conv1d.h

or run this file to compile it and check the result against numpy through the
jit (needs a C compiler and numpy)::

    python examples/conv1d.py
"""

from __future__ import annotations

from exo_core import proc, i32, size, DRAM

IC, N, OC, W = 4, 16, 16, 4  # input channels, length, output channels, width


@proc
def generic_conv1d(
    data: i32[IC, N] @ DRAM,
    kernels: i32[OC, IC, W] @ DRAM,
    out: i32[OC, N] @ DRAM,
):
    # Perform the convolution
    for i in seq(0, OC):
        for j in seq(0, N):
            # Zero out the output memory
            out[i, j] = 0.0
            for c in seq(0, IC):
                for r in seq(0, W):
                    y: i32
                    if j + r < N:
                        y = data[c, j + r]
                    else:
                        y = 0
                    out[i, j] += kernels[i, c, r] * y


@proc
def conv1d_sized(
    ic: size, n: size, oc: size, w: size,
    data: i32[ic, n] @ DRAM,
    kernels: i32[oc, ic, w] @ DRAM,
    out: i32[oc, n] @ DRAM,
):
    # The same computation with the sizes as arguments
    for i in seq(0, oc):
        for j in seq(0, n):
            out[i, j] = 0.0
            for c in seq(0, ic):
                for r in seq(0, w):
                    y: i32
                    if j + r < n:
                        y = data[c, j + r]
                    else:
                        y = 0
                    out[i, j] += kernels[i, c, r] * y


if __name__ == "__main__":
    import numpy as np

    from exo_codegen.jit import jit

    print(generic_conv1d.c_code_str())
    rng = np.random.default_rng(0)
    data = rng.integers(-9, 9, (IC, N), dtype=np.int32)
    kernels = rng.integers(-9, 9, (OC, IC, W), dtype=np.int32)
    out = np.zeros((OC, N), np.int32)
    jit(generic_conv1d)(data, kernels, out)
    padded = np.concatenate([data, np.zeros((IC, W), np.int32)], axis=1)
    expected = np.stack([np.einsum("ocr,cr->o", kernels, padded[:, j:j + W])
                         for j in range(N)], axis=1)
    assert (out == expected).all()
    print("generic_conv1d agrees with numpy")
