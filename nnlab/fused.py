"""Keras optimizer updates as TensorFlow's fused kernels: the same formulas, fewer operations.

`optimizer.apply` builds about fifteen small graph operations per variable per step (casts,
powers, the moment updates, the assignment). On a network with a few thousand weights and
batches of 32, that bookkeeping costs four times the forward and backward pass together.
TensorFlow's `ResourceApply*` kernels compute the same update in one operation per variable,
reading and writing the Keras optimizer's own slot variables, so its state, learning rate and
step counter stay the optimizer's. Only updates whose kernel matches Keras's formula exactly
are fused (tests compare them step by step); anything else (Adagrad, whose Keras epsilon sits
inside the square root; options such as weight decay or clipping) keeps `optimizer.apply`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nnlab.backend import keras, tf

Apply = Callable[[Sequence, Sequence], None]


def fused_apply(optimizer: keras.optimizers.Optimizer) -> Apply:
    """A function applying gradients as `optimizer.apply(grads, variables)` does, fused when possible."""
    if not _plain(optimizer):
        return optimizer.apply
    if isinstance(optimizer, keras.optimizers.Adam) and not optimizer.amsgrad:
        return _adam(optimizer)
    if isinstance(optimizer, keras.optimizers.SGD):
        return _sgd(optimizer)
    if isinstance(optimizer, keras.optimizers.RMSprop) and optimizer.momentum == 0 and not optimizer.centered:
        return _rmsprop(optimizer)
    return optimizer.apply


def _plain(optimizer) -> bool:
    """No decay, clipping, averaging, accumulation or loss scaling: `apply` is just the update rule."""
    return (
        optimizer.weight_decay is None and optimizer.clipnorm is None and optimizer.global_clipnorm is None
        and optimizer.clipvalue is None and not optimizer.use_ema
        and not getattr(optimizer, "gradient_accumulation_steps", None)
        and not isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
    )


def _handle(variable):
    """The resource handle of a Keras variable (its TensorFlow variable underneath)."""
    return variable.value.handle


def _learning_rate(optimizer) -> tf.Tensor:
    return tf.cast(optimizer.learning_rate, tf.float32)


def _adam(optimizer) -> Apply:
    """Keras's Adam: alpha = lr·√(1−β₂ᵗ)/(1−β₁ᵗ); m += (g−m)(1−β₁); v += (g²−v)(1−β₂); w −= alpha·m/(√v+ε)."""
    beta_1, beta_2, epsilon = (tf.constant(x, tf.float32) for x in (optimizer.beta_1, optimizer.beta_2,
                                                                     optimizer.epsilon))

    def apply(grads, variables) -> None:
        step = tf.cast(optimizer.iterations + 1, tf.float32)
        beta_1_power, beta_2_power = tf.pow(beta_1, step), tf.pow(beta_2, step)
        lr = _learning_rate(optimizer)
        for index, (grad, variable) in enumerate(zip(grads, variables)):
            tf.raw_ops.ResourceApplyAdam(
                var=_handle(variable), m=_handle(optimizer._momentums[index]),
                v=_handle(optimizer._velocities[index]), beta1_power=beta_1_power, beta2_power=beta_2_power,
                lr=lr, beta1=beta_1, beta2=beta_2, epsilon=epsilon, grad=grad)
        optimizer.iterations.assign_add(1)

    return apply


def _sgd(optimizer) -> Apply:
    """Keras's SGD: w −= lr·g; with momentum m = m·μ − lr·g, then w += m (Nesterov: w += m·μ − lr·g)."""
    momentum = tf.constant(optimizer.momentum, tf.float32)

    def apply(grads, variables) -> None:
        lr = _learning_rate(optimizer)
        for index, (grad, variable) in enumerate(zip(grads, variables)):
            if optimizer.momentum == 0:
                tf.raw_ops.ResourceApplyGradientDescent(var=_handle(variable), alpha=lr, delta=grad)
            else:
                tf.raw_ops.ResourceApplyKerasMomentum(
                    var=_handle(variable), accum=_handle(optimizer.momentums[index]), lr=lr, grad=grad,
                    momentum=momentum, use_nesterov=optimizer.nesterov)
        optimizer.iterations.assign_add(1)

    return apply


def _rmsprop(optimizer) -> Apply:
    """Keras's RMSprop without momentum: v = ρv + (1−ρ)g²; w −= lr·g/√(v+ε).

    The kernel keeps a momentum slot; with momentum 0 it holds only the last increment.
    """
    rho, epsilon, zero = (tf.constant(x, tf.float32) for x in (optimizer.rho, optimizer.epsilon, 0.0))
    increments = [tf.Variable(tf.zeros_like(v.value), trainable=False) for v in optimizer._velocities]

    def apply(grads, variables) -> None:
        lr = _learning_rate(optimizer)
        for index, (grad, variable) in enumerate(zip(grads, variables)):
            tf.raw_ops.ResourceApplyRMSProp(
                var=_handle(variable), ms=_handle(optimizer._velocities[index]), mom=increments[index].handle,
                lr=lr, rho=rho, momentum=zero, epsilon=epsilon, grad=grad)
        optimizer.iterations.assign_add(1)

    return apply

