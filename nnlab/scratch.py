"""Seed 003's two-layer numpy network with hand-written backprop, and seed 004's gradient check.

This module is the lesson's recipe, in the lesson's notation: X is (n_x, m) with one example per
column, Y is (1, m), and the parameters and gradients are called W1, b1, W2, b2, dW1, dZ1 ...
exactly as on the blackboard. The rest of nnlab spells names out (STYLE.md rule 8); here the short
names are kept on purpose, so a student can hold the lesson beside the code and match it line by line.

Seed 003's backward pass has one slip: ``db1 = 1/m * np.sum(dZ1)`` sums over the hidden units as well
as the examples, so every hidden bias gets the same step. ``seed_db1=True`` reproduces it (and the
seed's printed costs); the default is the correct gradient, and ``gradient_check`` shows the difference.
Everything is float64, and every random draw has its own seeded ``RandomState`` (global state untouched).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nnlab.data.dataset import Dataset
from nnlab.data.toy import flower

PARAMETER_NAMES = ("W1", "b1", "W2", "b2")


def planar_flower(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Seed 003's load_planar_dataset(): X (2, 400) and Y (1, 400), float64, in the lesson's layout."""
    x, y = flower(400, 0.2, seed)  # float64, unlike make_points, which casts to float32 for Keras
    return x.T.astype(np.float64), y.reshape(1, -1).astype(np.float64)


def initialize_parameters(n_x: int, n_h: int, n_y: int, seed: int = 2) -> dict[str, np.ndarray]:
    """W1 (n_h, n_x) and W2 (n_y, n_h) drawn from N(0, 1) as after np.random.seed(2); zero biases."""
    random = np.random.RandomState(seed)  # the seed's np.random.seed(2), kept local
    W1 = random.normal(0, 1, size=(n_h, n_x))
    b1 = np.zeros((n_h, 1))
    W2 = random.normal(0, 1, size=(n_y, n_h))
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def forward_propagation(X: np.ndarray, parameters: dict[str, np.ndarray]) -> tuple[np.ndarray, dict]:
    """A2 (1, m), the sigmoid output, and the cache {Z1, A1, Z2, A2} the backward pass needs."""
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2: np.ndarray, Y: np.ndarray, parameters: dict | None = None, lambd: float = 0.0) -> float:
    """Mean binary cross-entropy (nats), plus seed 004's λ/(2m)·ΣW² over the weights when lambd > 0."""
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m
    if lambd > 0:
        if parameters is None:
            raise ValueError("the L2 term needs the parameters: pass parameters= with lambd > 0")
        cost += lambd / (2 * m) * (np.sum(parameters["W1"] ** 2) + np.sum(parameters["W2"] ** 2))
    return float(cost)


def backward_propagation(
    parameters: dict, cache: dict, X: np.ndarray, Y: np.ndarray, lambd: float = 0.0, seed_db1: bool = False
) -> dict[str, np.ndarray]:
    """Gradients dW1, db1, dW2, db2 of the cost, each shaped like its parameter."""
    m = X.shape[1]
    W1, W2 = parameters["W1"], parameters["W2"]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = 1 / m * np.dot(dZ2, A1.T) + lambd / m * W2
    db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    dW1 = 1 / m * np.dot(dZ1, X.T) + lambd / m * W1
    if seed_db1:  # the seed's slip: one number summed over units and examples, given to every bias
        db1 = np.full_like(parameters["b1"], 1 / m * np.sum(dZ1))
    else:  # each hidden bias sums its own row of dZ1 over the examples only
        db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters: dict, grads: dict, learning_rate: float = 1.2) -> dict[str, np.ndarray]:
    """New parameters after one gradient-descent step; the inputs are left unchanged."""
    return {name: parameters[name] - learning_rate * grads["d" + name] for name in PARAMETER_NAMES}


def nn_model(
    X: np.ndarray,
    Y: np.ndarray,
    n_h: int,
    num_iterations: int = 10000,
    learning_rate: float = 1.2,
    seed_db1: bool = False,
    record_every: int = 1000,
    seed: int = 2,
) -> tuple[dict, list[tuple[int, float]]]:
    """Trained parameters and the cost trace [(iteration, cost)] at 0, record_every, ... (before that step)."""
    if num_iterations < 0 or record_every < 1:
        raise ValueError("num_iterations must be ≥ 0 and record_every ≥ 1")
    parameters = initialize_parameters(X.shape[0], n_h, Y.shape[0], seed=seed)
    costs = []
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        if i % record_every == 0:  # the seed prints the cost of the parameters before step i
            costs.append((i, compute_cost(A2, Y)))
        grads = backward_propagation(parameters, cache, X, Y, seed_db1=seed_db1)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


def predict(parameters: dict, X: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Predicted classes (1, m) as ints: 1 where A2 > threshold."""
    A2, _ = forward_propagation(X, parameters)
    return (threshold < A2).astype(int)


def accuracy(parameters: dict, X: np.ndarray, Y: np.ndarray) -> float:
    """Share of examples (0–1) whose predicted class equals Y."""
    return float(np.mean(predict(parameters, X) == Y))


def hidden_size_sweep(
    X: np.ndarray, Y: np.ndarray, sizes: tuple[int, ...] = (1, 2, 3, 4, 5, 20, 50), num_iterations: int = 5000
) -> list[tuple[int, dict, float]]:
    """[(n_h, trained parameters, training accuracy)] for each hidden-layer size, same seed for all."""
    results = []
    for n_h in sizes:
        parameters, _ = nn_model(X, Y, n_h, num_iterations=num_iterations, record_every=max(num_iterations, 1))
        results.append((n_h, parameters, accuracy(parameters, X, Y)))
    return results


def total_cost(parameters: dict, X: np.ndarray, Y: np.ndarray, lambd: float = 0.0) -> float:
    """The cost J(parameters) in one call: forward pass, then cross-entropy (+ L2)."""
    A2, _ = forward_propagation(X, parameters)
    return compute_cost(A2, Y, parameters, lambd)


def numeric_partial(
    parameters: dict,
    X: np.ndarray,
    Y: np.ndarray,
    name: str,
    index: tuple[int, ...],
    lambd: float = 0.0,
    epsilon: float = 1e-4,
) -> float:
    """Two-sided difference (J(θ+ε) − J(θ−ε)) / 2ε for one entry of one parameter array."""
    shifted = {key: value.astype(np.float64, copy=True) for key, value in parameters.items()}
    original = shifted[name][index]
    shifted[name][index] = original + epsilon
    cost_plus = total_cost(shifted, X, Y, lambd)
    shifted[name][index] = original - epsilon
    cost_minus = total_cost(shifted, X, Y, lambd)
    return (cost_plus - cost_minus) / (2 * epsilon)


def numeric_gradient(
    parameters: dict, X: np.ndarray, Y: np.ndarray, lambd: float = 0.0, epsilon: float = 1e-4
) -> np.ndarray:
    """Every partial derivative by two-sided differences, unrolled W1, b1, W2, b2 into one vector."""
    return np.array(
        [
            numeric_partial(parameters, X, Y, name, index, lambd, epsilon)
            for name in PARAMETER_NAMES
            for index in np.ndindex(parameters[name].shape)
        ]
    )


def unroll_gradients(grads: dict) -> np.ndarray:
    """dW1, db1, dW2, db2 flattened and joined into one vector, in numeric_gradient's order."""
    return np.concatenate([np.ravel(grads["d" + name]) for name in PARAMETER_NAMES])


def relative_difference(numeric_vector: np.ndarray, backprop_vector: np.ndarray) -> float:
    """Seed 004's one number ‖n − b‖ / (‖n‖ + ‖b‖); 0 when both vectors are zero. Below 1e-7 is right."""
    numeric_vector = np.asarray(numeric_vector, dtype=np.float64)
    backprop_vector = np.asarray(backprop_vector, dtype=np.float64)
    scale = np.linalg.norm(numeric_vector) + np.linalg.norm(backprop_vector)
    return 0.0 if scale == 0 else float(np.linalg.norm(numeric_vector - backprop_vector) / scale)


def sample_entries(parameters: dict, samples: int, seed: int) -> list[tuple[str, tuple[int, ...]]]:
    """About `samples` distinct (name, index) pairs, dealt round-robin so every array gets some."""
    random = np.random.RandomState(seed)
    shares = [len(range(k, samples, len(PARAMETER_NAMES))) for k in range(len(PARAMETER_NAMES))]
    entries = []
    for name, share in zip(PARAMETER_NAMES, shares):
        shape = parameters[name].shape
        flat = random.choice(int(np.prod(shape)), size=min(share, int(np.prod(shape))), replace=False)
        entries += [(name, tuple(int(i) for i in np.unravel_index(f, shape))) for f in np.sort(flat)]
    return entries


def gradient_check(
    parameters: dict,
    X: np.ndarray,
    Y: np.ndarray,
    lambd: float = 0.0,
    epsilon: float = 1e-4,
    samples: int = 20,
    seed: int = 0,
    seed_db1: bool = False,
) -> pd.DataFrame:
    """One row per sampled entry: parameter ("W1[2,0]"), numeric, backprop, relative_error (0–1)."""
    if samples < 1 or epsilon <= 0:
        raise ValueError("samples must be ≥ 1 and epsilon > 0")
    _, cache = forward_propagation(X, parameters)
    grads = backward_propagation(parameters, cache, X, Y, lambd=lambd, seed_db1=seed_db1)
    rows = []
    for name, index in sample_entries(parameters, samples, seed):
        numeric = numeric_partial(parameters, X, Y, name, index, lambd, epsilon)
        backprop = float(grads["d" + name][index])
        scale = abs(numeric) + abs(backprop)
        rows.append(
            {
                "parameter": f"{name}[{','.join(map(str, index))}]",
                "numeric": numeric,
                "backprop": backprop,
                "relative_error": 0.0 if scale == 0 else abs(numeric - backprop) / scale,
            }
        )
    return pd.DataFrame(rows, columns=["parameter", "numeric", "backprop", "relative_error"])


def plane_extent(X: np.ndarray) -> float:
    """Half the side of a square plane around every point of X, with a 10% margin, rounded up."""
    return float(np.ceil(np.abs(X).max() * 1.1))


def plane_probabilities(parameters: dict, grid: np.ndarray) -> np.ndarray:
    """(side, side, 2) class probabilities over `grid`'s (side², 2) cell centres (nnlab.playground.plane_grid)."""
    side = int(round(len(grid) ** 0.5))
    a2, _ = forward_propagation(np.asarray(grid, dtype=np.float64).T, parameters)
    return np.stack([1 - a2.ravel(), a2.ravel()], axis=1).reshape(side, side, 2)


def flower_points(X: np.ndarray, Y: np.ndarray, class_names: tuple[str, str]) -> Dataset:
    """The flower in the labs' Dataset form (one example per row, no test set), for the boundary charts."""
    return Dataset(
        "flower",
        X.T.astype(np.float32),
        Y.ravel().astype(np.int64),
        X.T[:0].astype(np.float32),
        Y.ravel()[:0].astype(np.int64),
        class_names,
    )


def gradient_check_example(lambd: float = 0.0, seed_db1: bool = False) -> tuple[pd.DataFrame, float]:
    """Seed 004's check on a small fixed problem (3 inputs, 4 hidden units, 5 examples): the table and the
    relative difference of the whole numeric and backprop vectors (below 1e-7 means backprop is right)."""
    rng = np.random.RandomState(0)
    X, Y = rng.randn(3, 5), (rng.rand(1, 5) > 0.5).astype(float)
    parameters = initialize_parameters(3, 4, 1)
    parameters["b1"] = rng.randn(4, 1) * 0.1
    table = gradient_check(parameters, X, Y, lambd=lambd, seed_db1=seed_db1)
    return table, relative_difference(table["numeric"].to_numpy(), table["backprop"].to_numpy())
