"""What the benchmarks' floors share: Adam as TensorFlow's one fused kernel per variable, and the timing of a
traced epoch function (no Keras, no metrics: the fewest raw ops a per-step trainer could run)."""

from __future__ import annotations

import time

from nnlab.backend import tf


def apply_adam(params: list, moments: list, iterations, grads: list, lr: float = 0.001) -> None:
    """One Adam step on every variable (Keras's defaults: β 0.9 / 0.999, ε 1e-7), counted in `iterations`."""
    iterations.assign_add(1.0)
    power1, power2 = tf.pow(0.9, iterations), tf.pow(0.999, iterations)
    for variable, m, v, grad in zip(params, *moments, grads):
        tf.raw_ops.ResourceApplyAdam(
            var=variable.handle,
            m=m.handle,
            v=v.handle,
            beta1_power=power1,
            beta2_power=power2,
            lr=lr,
            beta1=0.9,
            beta2=0.999,
            epsilon=1e-7,
            grad=grad,
        )


def seconds_per_epoch(epoch, order, epochs: int) -> float:
    """Seconds per call of a traced `epoch(order)`, after one call that traces it."""
    epoch(order)  # traces
    start = time.perf_counter()
    for _ in range(epochs):
        epoch(order)
    return (time.perf_counter() - start) / epochs
