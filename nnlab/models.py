"""Build the Keras model a spec describes, with every random initializer seeded."""

from __future__ import annotations

import numpy as np

from nnlab.backend import keras
from nnlab.spec import ModelSpec

OUTPUT_NAME = "output"


def build_model(
    spec: ModelSpec, n_inputs: int, n_classes: int, seed: int, scale: tuple[np.ndarray, np.ndarray] | None = None
) -> keras.Model:
    """A functional Keras model: [scale] → hidden Dense (+BN, dropout) → sigmoid or softmax.

    `scale` is (mean, variance) of the training inputs, baked in as a fixed Normalization
    layer so the exported model takes raw features.
    """
    inputs = keras.Input(shape=(n_inputs,), name="inputs")
    x = inputs
    if scale is not None:
        mean, variance = scale
        x = keras.layers.Normalization(mean=mean, variance=variance, name="scale")(x)
    for index, layer in enumerate(spec.hidden_layers, start=1):
        x = keras.layers.Dense(
            layer.units,
            activation=layer.activation,
            use_bias=spec.use_bias and layer.use_bias,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + index),
            kernel_regularizer=_regularizer(spec),
            name=f"hidden_{index}",
        )(x)
        if spec.batch_norm or layer.batch_norm:
            x = keras.layers.BatchNormalization(name=f"batch_norm_{index}")(x)
        if spec.dropout > 0:
            x = keras.layers.Dropout(spec.dropout, seed=seed + 100 + index, name=f"dropout_{index}")(x)
    outputs = keras.layers.Dense(
        1 if n_classes == 2 else n_classes,
        activation="sigmoid" if n_classes == 2 else "softmax",
        use_bias=spec.use_bias,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        kernel_regularizer=_regularizer(spec),
        name=OUTPUT_NAME,
    )(x)
    return keras.Model(inputs, outputs, name="nnlab")


def dense_layers(model: keras.Model) -> list[keras.layers.Dense]:
    """The Dense layers in order, hidden first, output last."""
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def loss_name(spec: ModelSpec, n_classes: int) -> str:
    """The Keras loss for the spec; labels are (n, 1) for 2 classes and one-hot otherwise."""
    if spec.loss == "squared_error":
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


def count_parameters(model: keras.Model) -> int:
    """Trainable parameters (weights and biases; not the fixed input scaling)."""
    return int(sum(np.prod(v.shape) for v in model.trainable_weights))


def _regularizer(spec: ModelSpec) -> keras.regularizers.Regularizer | None:
    if spec.regularization == "none" or spec.regularization_rate == 0:
        return None
    return {"l1": keras.regularizers.L1, "l2": keras.regularizers.L2}[spec.regularization](spec.regularization_rate)
