"""Keras optimizer updates as TensorFlow's fused kernels: the same formulas, fewer operations.

`optimizer.apply` builds about fifteen small graph operations per variable per step (casts,
powers, the moment updates, the assignment). On a network with a few thousand weights and
batches of 32, that bookkeeping costs four times the forward and backward pass together.
TensorFlow's `ResourceApply*` kernels compute the same update in one operation per variable.
Only updates whose kernel matches Keras's formula exactly are fused (tests compare them step by
step). Adagrad, whose Keras epsilon sits inside the square root where TensorFlow's kernel has it
outside, is Keras's formula written in three plain operations. Options such as weight decay or
clipping (which the app never sets) keep Keras's own update.

An update is written against variables passed in, not the optimizer's own: one traced training
graph then serves every model of a shape (nnlab.compiled). The slots are the optimizer's
variables in `optimizer.variables` order (step counter, learning rate, moments), then any extra
slots the kernel needs that Keras does not keep.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nnlab.backend import keras, tf

Apply = Callable[[Sequence, Sequence], None]


@dataclass(frozen=True)
class FusedUpdate:
    """`apply(grads, variables, slots, lr=None)` updates tf.Variables in place, as the optimizer's rule would.

    `lr`: this step's learning rate (a scheduled one); None reads the optimizer's own rate slot.
    """

    apply: Callable[..., None]
    extra_slots: tuple[tuple[int, ...], ...] = ()  # shapes of zero-initialised slots beyond Keras's


def fusable(optimizer: keras.optimizers.Optimizer) -> bool:
    """Whether a TensorFlow kernel computes exactly this optimizer's Keras formula."""
    if not _plain(optimizer):
        return False
    if isinstance(optimizer, keras.optimizers.Adam):
        return not optimizer.amsgrad
    if isinstance(optimizer, keras.optimizers.RMSprop):
        return optimizer.momentum == 0 and not optimizer.centered
    return isinstance(optimizer, (keras.optimizers.SGD, keras.optimizers.Adagrad))


def fused_update(optimizer: keras.optimizers.Optimizer) -> FusedUpdate | None:
    """The fused form of a built optimizer's rule, or None where no kernel is exactly Keras's formula."""
    if not fusable(optimizer):
        return None
    if isinstance(optimizer, keras.optimizers.Adam):
        return _adam(optimizer)
    if isinstance(optimizer, keras.optimizers.RMSprop):
        return _rmsprop(optimizer)
    if isinstance(optimizer, keras.optimizers.Adagrad):
        return _adagrad(optimizer)
    return _sgd(optimizer)


def fused_apply(optimizer: keras.optimizers.Optimizer) -> Apply:
    """A function applying gradients as `optimizer.apply(grads, variables)` does, fused when possible.

    The optimizer may still be unbuilt: its slots are looked up on the first call.
    """
    if not fusable(optimizer):
        return optimizer.apply
    bound: list = []

    def apply(grads, variables) -> None:
        if not bound:
            update = fused_update(optimizer)
            extra = [tf.Variable(tf.zeros(s), trainable=False) for s in update.extra_slots]
            bound.append((update, [v.value for v in optimizer.variables] + extra))
        update, slots = bound[0]
        update.apply(grads, [v.value for v in variables], slots)

    return apply


def _plain(optimizer) -> bool:
    """No decay, clipping, averaging, accumulation or loss scaling: `apply` is just the update rule."""
    return (
        optimizer.weight_decay is None
        and optimizer.clipnorm is None
        and optimizer.global_clipnorm is None
        and optimizer.clipvalue is None
        and not optimizer.use_ema
        and not getattr(optimizer, "gradient_accumulation_steps", None)
        and not isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
    )


def _positions(optimizer, variables) -> list[int]:
    """Where each of `variables` (the optimizer's own) sits in `optimizer.variables`."""
    index = {id(v): i for i, v in enumerate(optimizer.variables)}
    return [index[id(v)] for v in variables]


def _counter_and_rate(optimizer) -> tuple[int, int]:
    return tuple(_positions(optimizer, [optimizer.iterations, optimizer._learning_rate]))


def _adam(optimizer) -> FusedUpdate:
    """Keras's Adam: alpha = lr·√(1−β₂ᵗ)/(1−β₁ᵗ); m += (g−m)(1−β₁); v += (g²−v)(1−β₂); w −= alpha·m/(√v+ε)."""
    beta_1, beta_2, epsilon = optimizer.beta_1, optimizer.beta_2, optimizer.epsilon
    counter, rate = _counter_and_rate(optimizer)
    moments, velocities = _positions(optimizer, optimizer._momentums), _positions(optimizer, optimizer._velocities)

    def apply(grads, variables, slots, lr=None) -> None:
        step = tf.cast(slots[counter] + 1, tf.float32)
        beta_1_power, beta_2_power = tf.pow(beta_1, step), tf.pow(beta_2, step)
        lr = tf.cast(slots[rate] if lr is None else lr, tf.float32)
        for index, (grad, variable) in enumerate(zip(grads, variables)):
            tf.raw_ops.ResourceApplyAdam(
                var=variable.handle,
                m=slots[moments[index]].handle,
                v=slots[velocities[index]].handle,
                beta1_power=beta_1_power,
                beta2_power=beta_2_power,
                lr=lr,
                beta1=tf.constant(beta_1, tf.float32),
                beta2=tf.constant(beta_2, tf.float32),
                epsilon=tf.constant(epsilon, tf.float32),
                grad=grad,
            )
        slots[counter].assign_add(1)

    return FusedUpdate(apply)


def _sgd(optimizer) -> FusedUpdate:
    """Keras's SGD: w −= lr·g; with momentum m = m·μ − lr·g, then w += m (Nesterov: w += m·μ − lr·g)."""
    momentum, nesterov = optimizer.momentum, optimizer.nesterov
    counter, rate = _counter_and_rate(optimizer)
    moments = _positions(optimizer, optimizer.momentums) if momentum else []

    def apply(grads, variables, slots, lr=None) -> None:
        lr = tf.cast(slots[rate] if lr is None else lr, tf.float32)
        for index, (grad, variable) in enumerate(zip(grads, variables)):
            if momentum == 0:
                tf.raw_ops.ResourceApplyGradientDescent(var=variable.handle, alpha=lr, delta=grad)
            else:
                tf.raw_ops.ResourceApplyKerasMomentum(
                    var=variable.handle,
                    accum=slots[moments[index]].handle,
                    lr=lr,
                    grad=grad,
                    momentum=tf.constant(momentum, tf.float32),
                    use_nesterov=nesterov,
                )
        slots[counter].assign_add(1)

    return FusedUpdate(apply)


def _rmsprop(optimizer) -> FusedUpdate:
    """Keras's RMSprop without momentum: v = ρv + (1−ρ)g²; w −= lr·g/√(v+ε).

    The kernel keeps a momentum slot Keras lacks; with momentum 0 it holds only the last increment.
    """
    rho, epsilon = optimizer.rho, optimizer.epsilon
    counter, rate = _counter_and_rate(optimizer)
    velocities = _positions(optimizer, optimizer._velocities)
    first_extra = len(optimizer.variables)

    def apply(grads, variables, slots, lr=None) -> None:
        lr = tf.cast(slots[rate] if lr is None else lr, tf.float32)
        for index, (grad, variable) in enumerate(zip(grads, variables)):
            tf.raw_ops.ResourceApplyRMSProp(
                var=variable.handle,
                ms=slots[velocities[index]].handle,
                mom=slots[first_extra + index].handle,
                lr=lr,
                rho=tf.constant(rho, tf.float32),
                momentum=tf.constant(0.0, tf.float32),
                epsilon=tf.constant(epsilon, tf.float32),
                grad=grad,
            )
        slots[counter].assign_add(1)

    return FusedUpdate(apply, tuple(tuple(v.shape) for v in optimizer._velocities))


def _adagrad(optimizer) -> FusedUpdate:
    """Keras's Adagrad, op for op: a += g²; w −= lr·g/√(a+ε) (no kernel has ε inside the root)."""
    epsilon = optimizer.epsilon
    counter, rate = _counter_and_rate(optimizer)
    accumulators = _positions(optimizer, optimizer._accumulators)

    def apply(grads, variables, slots, lr=None) -> None:
        lr = tf.cast(slots[rate] if lr is None else lr, tf.float32)
        for index, (grad, variable) in enumerate(zip(grads, variables)):
            accumulator = slots[accumulators[index]]
            accumulator.assign_add(tf.square(grad))
            variable.assign_sub(tf.divide(lr * grad, tf.sqrt(accumulator.read_value() + epsilon)))
        slots[counter].assign_add(1)

    return FusedUpdate(apply)
