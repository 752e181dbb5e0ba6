"""Metrics against hand-computed values, and the arithmetic cost against Keras and seed 001's counts."""

from __future__ import annotations

import numpy as np
import pytest

from nnlab.cost import count_cost, layer_widths, seed_hand_count
from nnlab.metrics import classification_metrics, confusion_table, outcome_labels, predicted_classes
from nnlab.models import build_model, count_parameters
from nnlab.spec import Layer, ModelSpec

# --- classification metrics -----------------------------------------------------------------

# Binary: six points; at threshold 0.5 the predictions are [0, 1, 1, 0, 1, 1]:
# TN = 2 (0, 3), FP = 2 (1, 2), TP = 2 (4, 5), FN = 0.
Y_BINARY = np.array([0, 0, 0, 0, 1, 1])
P_POSITIVE = np.array([0.1, 0.6, 0.7, 0.3, 0.9, 0.8])
P_BINARY = np.stack([1 - P_POSITIVE, P_POSITIVE], axis=1)


def test_binary_metrics_by_hand():
    m = classification_metrics(Y_BINARY, P_BINARY)
    assert m["accuracy"] == pytest.approx(4 / 6)
    assert m["balanced_accuracy"] == pytest.approx((1 + 2 / 4) / 2)  # p = (TPR + TNR) / 2
    assert m["precision"] == pytest.approx(2 / 4)
    assert m["recall"] == pytest.approx(2 / 2)
    assert m["f1"] == pytest.approx(2 * 0.5 * 1 / (0.5 + 1))
    p_true = np.array([0.9, 0.4, 0.3, 0.7, 0.9, 0.8])  # probability given to the true class
    assert m["loss"] == pytest.approx(-np.mean(np.log(p_true)))


def test_threshold_moves_the_binary_decision():
    assert classification_metrics(Y_BINARY, P_BINARY, threshold=0.75)["accuracy"] == 1.0
    strict = classification_metrics(Y_BINARY, P_BINARY, threshold=0.85)
    assert strict["recall"] == pytest.approx(0.5) and strict["precision"] == 1.0
    assert strict["balanced_accuracy"] == pytest.approx((0.5 + 1) / 2)
    # The loss scores probabilities, not decisions: the threshold leaves it alone.
    assert strict["loss"] == classification_metrics(Y_BINARY, P_BINARY)["loss"]
    np.testing.assert_array_equal(predicted_classes(P_BINARY, 0.65), [0, 0, 1, 0, 1, 1])


def test_nothing_predicted_positive_gives_zero_precision_not_an_error():
    m = classification_metrics(Y_BINARY, P_BINARY, threshold=0.99)
    assert m["precision"] == 0 and m["recall"] == 0 and m["f1"] == 0
    assert m["accuracy"] == pytest.approx(4 / 6) and m["balanced_accuracy"] == 0.5


def test_three_class_metrics_by_hand():
    # Predictions (argmax) [0, 2, 2, 2, 1, 1] against truth [0, 1, 2, 2, 1, 0].
    y = np.array([0, 1, 2, 2, 1, 0])
    p = np.array([[0.8, 0.1, 0.1], [0.1, 0.3, 0.6], [0.2, 0.2, 0.6], [0.1, 0.1, 0.8], [0.2, 0.7, 0.1], [0.3, 0.5, 0.2]])
    np.testing.assert_array_equal(predicted_classes(p), [0, 2, 2, 2, 1, 1])
    m = classification_metrics(y, p)
    # Per class (precision, recall): 0 -> (1, 1/2); 1 -> (1/2, 1/2); 2 -> (2/3, 1). Macro averages.
    assert m["accuracy"] == pytest.approx(4 / 6)
    assert m["balanced_accuracy"] == pytest.approx((1 / 2 + 1 / 2 + 1) / 3)
    assert m["precision"] == pytest.approx((1 + 1 / 2 + 2 / 3) / 3)
    assert m["recall"] == pytest.approx((1 / 2 + 1 / 2 + 1) / 3)
    assert m["f1"] == pytest.approx((2 / 3 + 1 / 2 + 4 / 5) / 3)
    assert m["loss"] == pytest.approx(-np.mean(np.log([0.8, 0.3, 0.6, 0.8, 0.7, 0.3])))


def test_metrics_are_plain_floats():
    m = classification_metrics(Y_BINARY, P_BINARY)
    assert set(m) == {"accuracy", "balanced_accuracy", "precision", "recall", "f1", "loss"}
    assert all(type(v) is float for v in m.values())


def test_confusion_table_has_every_pair_with_zeros():
    names = ("a", "b", "c")
    table = confusion_table(np.array([0, 0, 1, 1, 1]), np.array([0, 1, 1, 1, 0]), names)
    assert list(table.columns) == ["true", "predicted", "count"]
    assert len(table) == 9
    counts = {(t, p): c for t, p, c in table.itertuples(index=False)}
    assert counts == {
        ("a", "a"): 1,
        ("a", "b"): 1,
        ("a", "c"): 0,
        ("b", "a"): 1,
        ("b", "b"): 2,
        ("b", "c"): 0,
        ("c", "a"): 0,
        ("c", "b"): 0,
        ("c", "c"): 0,
    }
    assert table["count"].sum() == 5


def test_outcome_labels():
    y_true = np.array([1, 0, 1, 0, 1])
    y_pred = np.array([1, 0, 0, 1, 1])
    assert list(outcome_labels(y_true, y_pred)) == ["TP", "TN", "FN", "FP", "TP"]


# --- cost -----------------------------------------------------------------------------------

COST_SPECS = {
    "default 2-4-2-1": (ModelSpec(), 2, 2),
    "no bias": (ModelSpec(use_bias=False), 2, 2),
    "no hidden layer": (ModelSpec(hidden_layers=()), 2, 2),
    "7 features, 3 classes": (
        ModelSpec(
            features=("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin_x1", "sin_x2"),
            hidden_layers=(Layer(8, "relu"), Layer(5, "tanh")),
        ),
        7,
        3,
    ),
    "3 classes no bias": (ModelSpec(hidden_layers=(Layer(6),), use_bias=False), 2, 3),
    "batch norm and dropout": (ModelSpec(hidden_layers=(Layer(6, "relu"),), batch_norm=True, dropout=0.3), 2, 2),
}


@pytest.mark.parametrize("spec, n_inputs, n_classes", COST_SPECS.values(), ids=COST_SPECS.keys())
def test_parameter_count_matches_keras(spec, n_inputs, n_classes):
    cost = count_cost(spec, n_inputs, n_classes, n_train=100, batch_size=10, optimizer="sgd")
    assert cost.parameters == count_parameters(build_model(spec, n_inputs, n_classes, seed=0))


def test_seed_001_mnist_network_has_952410_parameters():
    spec = ModelSpec(hidden_layers=(Layer(800, "relu"), Layer(400, "relu")))
    assert layer_widths(spec, 784, 10) == [784, 800, 400, 10]
    assert count_cost(spec, 784, 10, n_train=60_000, batch_size=32, optimizer="adam").parameters == 952_410


@pytest.mark.parametrize("use_bias, parameters", [(True, 238_510), (False, 238_200)])
def test_seed_001_bias_neurons(use_bias, parameters):
    spec = ModelSpec(hidden_layers=(Layer(300, "relu"),), use_bias=use_bias)
    assert count_cost(spec, 784, 10, n_train=1000, batch_size=10, optimizer="sgd").parameters == parameters
    assert count_parameters(build_model(spec, 784, 10, seed=0)) == parameters


def test_seed_001_hidden_layer_without_bias_has_238210_parameters():
    spec = ModelSpec(hidden_layers=(Layer(300, "relu", use_bias=False),))
    assert count_cost(spec, 784, 10, n_train=1000, batch_size=10, optimizer="sgd").parameters == 238_210
    assert count_parameters(build_model(spec, 784, 10, seed=0)) == 238_210


@pytest.mark.parametrize("spec, n_inputs, n_classes", COST_SPECS.values(), ids=COST_SPECS.keys())
def test_dense_forward_is_the_sum_of_in_times_out(spec, n_inputs, n_classes):
    widths = layer_widths(spec, n_inputs, n_classes)
    layers = count_cost(spec, n_inputs, n_classes, n_train=100, batch_size=10, optimizer="sgd").layers
    dense = [layer.forward for layer in layers if layer.name.startswith("dense")]
    assert dense == [a * b for a, b in zip(widths, widths[1:])]


def test_epoch_cost_by_hand():
    # 2-4-1 tanh with bias, 17 parameters. Forward: 8 + 4. Backward: dW 8 + 4, dX of the output
    # layer 4, tanh derivative 2 per unit (8), output scale 1 -> 25. 10 samples in batches of 4
    # -> 3 steps of 17 SGD updates.
    spec = ModelSpec(hidden_layers=(Layer(4),))
    cost = count_cost(spec, 2, 2, n_train=10, batch_size=4, optimizer="sgd")
    assert (cost.parameters, cost.forward_per_sample, cost.backward_per_sample) == (17, 12, 25)
    assert cost.optimizer_per_step == 17
    assert cost.steps_per_epoch == 3
    assert cost.per_step == 4 * (12 + 25) + 17
    assert cost.per_epoch == 10 * (12 + 25) + 3 * 17


def test_seed_000_reference_network_by_hand():
    # 2-128 relu-BN-Dropout-64 relu-Dropout-1, Adam: what the page shows beside the seed's count.
    spec = ModelSpec(hidden_layers=(Layer(128, "relu", batch_norm=True), Layer(64, "relu")), dropout=0.3)
    cost = count_cost(spec, 2, 2, n_train=1000, batch_size=32, optimizer="adam")
    assert cost.parameters == 384 + 256 + 8256 + 65
    assert cost.forward_per_sample == 256 + 2 * 128 + 128 + 8192 + 64 + 64
    assert cost.backward_per_sample == 256 + 5 * 128 + 128 + 2 * 8192 + 64 + (2 * 64 + 1)
    assert cost.optimizer_per_step == 5 * cost.parameters
    assert cost.per_epoch == 1000 * (8960 + 17601) + 32 * (10 * 128 + 5 * 8961)


def test_seed_000_hand_counts_are_reproduced_by_its_method():
    reference = ModelSpec(hidden_layers=(Layer(128, "relu", batch_norm=True), Layer(64, "relu")), dropout=0.3)
    minimal = ModelSpec(hidden_layers=(Layer(16, "relu"),))
    assert seed_hand_count(reference, 2, batch_size=32, epochs=50, optimizer="adam") == 107_883_520
    assert seed_hand_count(minimal, 2, batch_size=32, epochs=20, optimizer="sgd") == 92_160


def test_costlier_optimizers_cost_more_per_step():
    spec = ModelSpec()
    per_step = {
        name: count_cost(spec, 2, 2, 100, 10, name).optimizer_per_step
        for name in ("sgd", "momentum", "nesterov", "adam")
    }
    assert per_step["sgd"] < per_step["momentum"] < per_step["nesterov"] < per_step["adam"]
