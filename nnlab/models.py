"""Build the Keras model a spec describes, with every random initializer seeded."""

from __future__ import annotations

import numpy as np

from nnlab.backend import keras
from nnlab.cost import image_shape
from nnlab.spec import ModelSpec

OUTPUT_NAME = "output"


def build_model(
    spec: ModelSpec, n_inputs: int, n_classes: int, seed: int, scale: tuple[np.ndarray, np.ndarray] | None = None
) -> keras.Model:
    """A functional Keras model: [scale] → [convolution blocks] → hidden Dense (+BN, dropout) → sigmoid,
    softmax or (regression, `n_classes` 0) one linear output.

    `scale` is (mean, variance) of the training inputs, baked in as a fixed Normalization
    layer so the exported model takes raw features.
    """
    inputs = keras.Input(shape=(n_inputs,), name="inputs")
    x = inputs
    if scale is not None:
        mean, variance = scale
        x = keras.layers.Normalization(mean=mean, variance=variance, name="scale")(x)
    if spec.conv_blocks:
        x = _conv_blocks(spec, x, image_shape(n_inputs), seed)
    for index, layer in enumerate(spec.hidden_layers, start=1):
        x = keras.layers.Dense(
            layer.units,
            activation=layer.activation,
            use_bias=spec.use_bias and layer.use_bias,
            kernel_initializer=kernel_initializer(spec.init, seed + index),
            kernel_regularizer=_regularizer(spec),
            name=f"hidden_{index}",
        )(x)
        if spec.batch_norm or layer.batch_norm:
            x = keras.layers.BatchNormalization(name=f"batch_norm_{index}")(x)
        if spec.dropout > 0:
            x = keras.layers.Dropout(spec.dropout, seed=seed + 100 + index, name=f"dropout_{index}")(x)
    outputs = keras.layers.Dense(
        n_classes if n_classes > 2 else 1,
        activation=output_activation(n_classes),
        use_bias=spec.use_bias,
        kernel_initializer=kernel_initializer(spec.init, seed),
        kernel_regularizer=_regularizer(spec),
        name=OUTPUT_NAME,
    )(x)
    return keras.Model(inputs, outputs, name="nnlab")


def _conv_blocks(spec: ModelSpec, x, shape: tuple[int, int, int], seed: int):
    """The flat pixels as an image, each block's convolution (then max pooling), flattened for the Dense layers.

    The model still takes flat rows of pixels, as every lab's data does: the shared training graphs, the
    exported files and the input checks stay those of a Dense network.
    """
    x = keras.layers.Reshape(shape, name="image")(x)
    for index, block in enumerate(spec.conv_blocks, start=1):
        x = keras.layers.Conv2D(
            block.filters,
            block.kernel,
            padding=block.padding,
            activation=block.activation,
            use_bias=spec.use_bias,
            kernel_initializer=kernel_initializer(spec.init, seed + 200 + index),
            kernel_regularizer=_regularizer(spec),
            name=f"conv_{index}",
        )(x)
        if block.pool > 1:
            x = keras.layers.MaxPooling2D(block.pool, name=f"pool_{index}")(x)
    return keras.layers.Flatten(name="flatten")(x)


def conv_layers(model: keras.Model) -> list[keras.layers.Conv2D]:
    """The convolutions in order (none in a Dense network)."""
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]


def output_activation(n_classes: int) -> str:
    """Sigmoid for two classes, softmax for more, linear for a number (regression: no classes)."""
    return {0: "linear", 2: "sigmoid"}.get(n_classes, "softmax")


def kernel_initializer(name: str, seed: int) -> keras.initializers.Initializer:
    """The starting weights `spec.INITIALIZERS` names. Zeros is the symmetry lesson: every neuron of a
    layer gets the same gradient, so they stay copies of each other (and with tanh, stay at zero)."""
    if name == "he":
        return keras.initializers.HeNormal(seed=seed)
    if name == "normal":
        return keras.initializers.RandomNormal(stddev=0.1, seed=seed)
    if name == "zeros":
        return keras.initializers.Zeros()
    return keras.initializers.GlorotUniform(seed=seed)


def dense_layers(model: keras.Model) -> list[keras.layers.Dense]:
    """The Dense layers in order, hidden first, output last."""
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def loss_name(spec: ModelSpec, n_classes: int) -> str:
    """The Keras loss for the spec; labels are (n, 1) for 2 classes or a number, one-hot otherwise."""
    if spec.loss == "squared_error" or n_classes == 0:
        return "mean_squared_error"
    return "binary_crossentropy" if n_classes == 2 else "categorical_crossentropy"


def make_optimizer(name: str, learning_rate: float, momentum: float) -> keras.optimizers.Optimizer:
    """The Keras optimizer behind each of `spec.OPTIMIZERS`."""
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate)
    if name in ("momentum", "nesterov"):
        return keras.optimizers.SGD(learning_rate, momentum=momentum, nesterov=name == "nesterov")
    return {"adagrad": keras.optimizers.Adagrad, "rmsprop": keras.optimizers.RMSprop, "adam": keras.optimizers.Adam}[
        name
    ](learning_rate)


STEP_DECAY_PARTS = 4  # step decay halves the rate four times over the run
EXPONENTIAL_END = 0.1  # exponential decay ends the run at a tenth of the starting rate


def learning_rate_schedule(name: str, learning_rate: float, total_steps: int):
    """Keras's own schedule for `spec.LR_SCHEDULES` over a run of `total_steps` optimizer steps (None: constant).

    Every schedule here is the starting rate times a factor of the step, so a rate changed live keeps
    the schedule's shape.
    """
    total = max(1, int(total_steps))
    schedules = keras.optimizers.schedules
    if name == "step":
        return schedules.ExponentialDecay(learning_rate, max(1, total // STEP_DECAY_PARTS), 0.5, staircase=True)
    if name == "exponential":
        return schedules.ExponentialDecay(learning_rate, total, EXPONENTIAL_END)
    if name == "cosine":
        return schedules.CosineDecay(learning_rate, total)
    return None


def schedule_factors(name: str, total_steps: int, steps: np.ndarray) -> np.ndarray:
    """The schedule's factor (rate / starting rate) at each optimizer step in `steps` (0-based)."""
    schedule = learning_rate_schedule(name, 1.0, total_steps)
    if schedule is None:
        return np.ones(len(steps), np.float32)
    return np.asarray(schedule(np.asarray(steps, np.int64)), np.float32).reshape(-1)


def count_parameters(model: keras.Model) -> int:
    """Trainable parameters (weights and biases; not the fixed input scaling)."""
    return int(sum(np.prod(v.shape) for v in model.trainable_weights))


def _regularizer(spec: ModelSpec) -> keras.regularizers.Regularizer | None:
    if spec.regularization == "none" or spec.regularization_rate == 0:
        return None
    return {"l1": keras.regularizers.L1, "l2": keras.regularizers.L2}[spec.regularization](spec.regularization_rate)
