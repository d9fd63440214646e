"""The extern functions a proc body can call (Exo's ``exo.libs.externs``)::

    from exo_codegen.externs import relu, select, sigmoid

    @proc
    def act(n: size, x: f32[n], y: f32[n]):
        for i in seq(0, n):
            y[i] = select(x[i], 0.0, sigmoid(x[i]), relu(x[i]))

They are defined in `exo_core.ir.extern`; this module is where a script
ported from Exo by changing its imports finds them.
"""

from exo_core.ir.extern import Extern, expf, fmaxf, relu, select, sigmoid, sin, sqrt

__all__ = ["Extern", "expf", "fmaxf", "relu", "select", "sigmoid", "sin", "sqrt"]
