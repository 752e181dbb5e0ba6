"""Seed 001's loss functions and seed 002's hand-worked backprop, each computed twice: numpy by hand, and Keras.

The two must agree: that is the lesson's check. Where the seed's own arithmetic slipped (its
categorical cross-entropy averages over the four classes instead of the two examples), the
worked example records the seed's printed figure and says why it differs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from nnlab.catalogue import CATALOGUE, text

EPSILON = 1e-7  # Keras clips probabilities to [ε, 1 − ε] before taking logs


def mae(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean absolute error: the average |y − ŷ|."""
    return float(np.mean(np.abs(y_true - y_pred)))


def mse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean squared error: the average (y − ŷ)²."""
    return float(np.mean((y_true - y_pred) ** 2))


def binary_crossentropy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """−mean(y·log ŷ + (1 − y)·log(1 − ŷ)), the seed's formula without clipping."""
    return float(-np.mean(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred)))


def categorical_crossentropy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """−Σ y·log ŷ over the classes, averaged over the examples (rows)."""
    return float(np.mean(-np.sum(y_true * np.log(y_pred), axis=-1)))


NUMPY_LOSSES: Mapping[str, Callable[[np.ndarray, np.ndarray], float]] = MappingProxyType(
    {
        "mae": mae,
        "mse": mse,
        "binary_crossentropy": binary_crossentropy,
        "categorical_crossentropy": categorical_crossentropy,
    }
)


def keras_loss(name: str, y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """The same loss as Keras computes it (float64, mean over examples)."""
    from nnlab.backend import keras  # deferred: keeps TensorFlow off the Losses page's first paint

    function = {
        "mae": keras.losses.MeanAbsoluteError,
        "mse": keras.losses.MeanSquaredError,
        "binary_crossentropy": keras.losses.BinaryCrossentropy,
        "categorical_crossentropy": keras.losses.CategoricalCrossentropy,
    }[name](dtype="float64")
    y_true, y_pred = np.asarray(y_true, np.float64), np.asarray(y_pred, np.float64)
    if name in ("mae", "mse", "binary_crossentropy") and y_true.ndim == 1:
        y_true, y_pred = y_true[None, :], y_pred[None, :]  # one example with n outputs, as the seed passes it
    return float(function(y_true, y_pred))


@dataclass(frozen=True)
class WorkedExample:
    """One of seed 001's examples: the data, the loss, and the figure the seed printed. Its name and note are the
    catalogue's example_<key> and example_note_<key> (nnlab/locales/*/names.toml): English here, a page's own
    language there."""

    key: str
    loss: str
    y_true: tuple
    y_pred: tuple
    seed_value: float | None  # None: the seed printed no number for this one

    @property
    def name(self) -> str:
        return text(f"example_{self.key}")

    @property
    def note(self) -> str:
        return text(f"example_note_{self.key}") if f"example_note_{self.key}" in CATALOGUE["en"] else ""

    def numpy_value(self) -> float:
        return NUMPY_LOSSES[self.loss](np.asarray(self.y_true, float), np.asarray(self.y_pred, float))

    def keras_value(self) -> float:
        return keras_loss(self.loss, np.asarray(self.y_true, float), np.asarray(self.y_pred, float))


TRUE_11 = (15, 19, 11, -22, 23, -8, 18, 8, 9, -7, 17)
ROUGH_11 = (12, 11, 7, -11, 12, -17, 10, 7, 1, -2, 11)
CLOSE_11 = (14, 20, 11, -20, 21, -7, 17, 8, 7, -6, 15)
SEED_EXAMPLES = (
    WorkedExample("mae_rough", "mae", TRUE_11, ROUGH_11, None),
    WorkedExample("mae_close", "mae", TRUE_11, CLOSE_11, None),
    WorkedExample("mse_rough", "mse", TRUE_11, ROUGH_11, None),
    WorkedExample("mse_close", "mse", TRUE_11, CLOSE_11, None),
    WorkedExample(
        "cce",
        "categorical_crossentropy",
        ((0, 0, 1, 0), (1, 0, 0, 0)),
        ((0.02, 0.07, 0.9, 0.01), (0.91, 0.03, 0.04, 0.02)),
        0.04991779878226689,
    ),
    WorkedExample("bce", "binary_crossentropy", (0, 0, 1, 0), (0.02, 0.07, 0.9, 0.01), 0.05204606291592068),
)


SEED_CCE_PER_EXAMPLE = (0.10536052, 0.09431068)  # what the seed's Keras printed for the two examples


def keras_per_example(y_true: tuple, y_pred: tuple) -> list[float]:
    """Keras's categorical cross-entropy of each example (the vector the seed printed)."""
    from nnlab.backend import keras  # deferred: keeps TensorFlow off the Losses page's first paint

    values = keras.losses.categorical_crossentropy(np.asarray(y_true, np.float64), np.asarray(y_pred, np.float64))
    return [float(v) for v in np.asarray(values)]


def loss_curve(loss: str, true_label: int, points: int = 199) -> pd.DataFrame:
    """Loss of one prediction ŷ in (0, 1) against a true label 0 or 1: (predicted, loss)."""
    predicted = np.linspace(0.005, 0.995, points)
    y = np.full_like(predicted, float(true_label))
    values = {
        "mae": np.abs(y - predicted),
        "mse": (y - predicted) ** 2,
        "binary_crossentropy": -(y * np.log(predicted) + (1 - y) * np.log(1 - predicted)),
    }[loss]
    return pd.DataFrame({"predicted": predicted, "loss": values})


ACTIVATION_NAMES = ("relu", "tanh", "sigmoid", "softplus", "elu", "linear")


def activation_curves(names: tuple[str, ...] = ACTIVATION_NAMES, low: float = -5, high: float = 5) -> pd.DataFrame:
    """Long table (z, activation, function, value): each Keras activation and its derivative by autodiff."""
    from nnlab.backend import keras, tf  # deferred: keeps TensorFlow off the Losses page's first paint

    z = tf.constant(np.linspace(low, high, 201), tf.float64)
    rows = []
    for name in names:
        with tf.GradientTape() as tape:
            tape.watch(z)
            a = keras.activations.get(name)(z)
        derivative = tape.gradient(a, z)
        for kind, values in (("φ(z)", a), ("φ′(z)", derivative)):
            rows.append(pd.DataFrame({"z": z.numpy(), "activation": name, "function": kind, "value": values.numpy()}))
    return pd.concat(rows, ignore_index=True)


def saturation(name: str, threshold: float = 0.01, low: float = -5, high: float = 5) -> str:
    """Where the derivative is below `threshold` (learning stalls there), as readable intervals."""
    curves = activation_curves((name,), low, high)
    derivative = curves[curves["function"] == "φ′(z)"]
    flat = derivative["value"].abs().to_numpy() < threshold
    z = derivative["z"].to_numpy()
    if not flat.any():
        return "nowhere"
    parts, start = [], None
    for index, is_flat in enumerate([*flat, False]):
        if is_flat and start is None:
            start = index
        elif not is_flat and start is not None:
            parts.append(f"z ∈ [{z[start]:.1f}, {z[index - 1]:.1f}]")
            start = None
    return ", ".join(parts)


@dataclass(frozen=True)
class GraphNode:
    name: str
    formula: str
    value: float  # forward
    gradient: float  # ∂f/∂node, backward


def backprop_graph(x: float = 1.0, w1: float = 2.0, w0: float = 1.0) -> list[GraphNode]:
    """Seed 002's f(x, w) = 1 + e^(w1·x + w0) node by node: a = w1·x, b = a + w0, c = e^b, f = 1 + c."""
    a = w1 * x
    b = a + w0
    c = math.exp(b)
    f = 1 + c
    df, dc = 1.0, 1.0  # f = 1 + c
    db = c * dc  # (e^b)' = e^b
    da = dw0 = db  # b = a + w0
    dw1, dx = x * da, w1 * da  # a = w1·x
    return [
        GraphNode("x", "input", x, dx),
        GraphNode("w1", "weight", w1, dw1),
        GraphNode("w0", "weight", w0, dw0),
        GraphNode("a", "w1·x", a, da),
        GraphNode("b", "a + w0", b, db),
        GraphNode("c", "e^b", c, dc),
        GraphNode("f", "1 + c", f, df),
    ]


def tape_gradients(x: float = 1.0, w1: float = 2.0, w0: float = 1.0) -> dict[str, float]:
    """∂f/∂x, ∂f/∂w1, ∂f/∂w0 from TensorFlow's GradientTape: the check on the hand-worked graph."""
    from nnlab.backend import tf  # deferred: keeps TensorFlow off the Losses page's first paint

    variables = {name: tf.Variable(value, dtype=tf.float64) for name, value in (("x", x), ("w1", w1), ("w0", w0))}
    with tf.GradientTape() as tape:
        f = 1 + tf.exp(variables["w1"] * variables["x"] + variables["w0"])
    gradients = tape.gradient(f, list(variables.values()))
    return {name: float(g) for name, g in zip(variables, gradients)}
