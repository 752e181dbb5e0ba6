"""The digits lab's library: split, summary against Keras, hidden units as images, λ sweep, drawings."""

from __future__ import annotations

import numpy as np
import pytest

from nnlab.data.digits import load_sklearn_digits
from nnlab.digits import (
    SEED_LAMBDAS,
    build_lab,
    digits_dataset,
    evaluate,
    first_layer_weights,
    keras_l2_rate,
    lambda_run,
    misclassified,
    model_summary,
    predict_image,
)
from nnlab.presets import PRESETS
from nnlab.spec import SpecError
from nnlab.viz.images import digit_rgb, weight_grid_rgb

MLP = PRESETS["digits-mlp"].experiment


@pytest.fixture(scope="module")
def digits():
    return load_sklearn_digits()


@pytest.fixture(scope="module")
def trained(digits):
    lab = build_lab(MLP.replace(epochs=15), digits)
    lab.trainer.run(15)
    return lab


def test_split_uses_the_chosen_number_of_images_stratified(digits):
    data, test_images = digits_dataset(digits, MLP.replace(samples=500, train_ratio=0.8))
    assert len(data.y_train) + len(data.y_test) == 500 and len(data.y_test) == 100
    assert data.n_inputs == 64 and data.n_classes == 10 and set(np.unique(data.y_test)) == set(range(10))
    assert np.array_equal(test_images.reshape(100, -1), data.x_test)


def test_a_batch_larger_than_the_training_set_is_refused(digits):
    with pytest.raises(SpecError, match="larger than the training set"):
        digits_dataset(digits, MLP.replace(samples=100, batch_size=128))


def test_the_mlp_learns_the_digits(trained):
    metrics = evaluate(trained)
    assert metrics["accuracy"] > 0.9 and metrics["train_accuracy"] > 0.9


@pytest.mark.parametrize(
    "layers, use_bias",
    [("64:relu", True), ("32:relu:nobias,16:tanh", True), ("25:sigmoid", False), ("16:relu:bn", True), ("", True)],
)
def test_summary_counts_equal_keras(digits, layers, use_bias):
    lab = build_lab(MLP.replace(hidden_layers=layers, use_bias=use_bias, dropout=0.2), digits)
    table = model_summary(lab.trainer)
    assert table["parameters"].sum() == lab.trainer.model.count_params()
    dense = table[table["type"] == "Dense"]
    assert (dense["weights"] + dense["biases"] == dense["parameters"]).all()


def test_dropping_a_layers_bias_removes_exactly_its_units(digits):
    with_bias = build_lab(MLP.replace(hidden_layers="300:relu"), digits).trainer.model.count_params()
    without = build_lab(MLP.replace(hidden_layers="300:relu:nobias"), digits).trainer.model.count_params()
    assert with_bias - without == 300


def test_first_layer_weights_are_pictures_of_the_input(trained):
    weights = first_layer_weights(trained.trainer, 8)
    assert weights.shape == (64, 8, 8)
    kernel = trained.trainer.model.get_layer("hidden_1").kernel.numpy()
    assert np.array_equal(weights[5].ravel(), kernel[:, 5])  # unit 5's weight for pixel (r, c) at [r, c]


def test_misclassified_are_wrong_and_surest_first(trained):
    wrong = misclassified(trained, 10)
    assert all(true != predicted for _, true, predicted, _ in wrong)
    confidences = [probability for *_, probability in wrong]
    assert confidences == sorted(confidences, reverse=True)


def test_predict_image_reads_a_training_digit(trained, digits):
    probabilities = predict_image(trained.trainer, digits.images[0])
    assert probabilities.shape == (10,) and probabilities.sum() == pytest.approx(1, abs=1e-5)
    assert probabilities.argmax() == digits.labels[0]


def test_seed_lambda_becomes_keras_rate():
    assert keras_l2_rate(1.0, 5000) == pytest.approx(1e-4)
    assert keras_l2_rate(0.0, 100) == 0


def test_strong_lambda_costs_training_accuracy_and_flattens_the_units(digits):
    experiment = PRESETS["digits-seed004"].experiment.replace(epochs=30)
    free, heavy = lambda_run(experiment, digits, 0.0), lambda_run(experiment, digits, SEED_LAMBDAS[-1])
    assert heavy.train_accuracy < free.train_accuracy
    assert np.abs(heavy.weights).mean() < np.abs(free.weights).mean()


def test_weight_grid_and_digit_images_have_the_expected_layout():
    weights = np.zeros((25, 20, 20))
    weights[0, 0, 0], weights[1, 0, 0], weights[1, 5, 5] = 1.0, -0.1, 0.05
    grid = weight_grid_rgb(weights, cell=40, gap=2)  # each unit on its own scale, as seed 004
    assert grid.shape == (5 * 42 + 2, 5 * 42 + 2, 3)
    assert tuple(grid[2, 2]) == (8, 119, 189)  # the strongest positive weight: full blue
    assert tuple(grid[2, 44]) == (245, 147, 34)  # the strongest negative: full orange
    assert tuple(grid[10, 10]) == (255, 255, 255)  # zero: white
    shared = weight_grid_rgb(weights, cell=40, gap=2, limit=1.0)
    assert tuple(shared[2, 44]) != (245, 147, 34)  # on one shared scale the weak unit is pale
    image = digit_rgb(np.eye(8), 80)
    assert image.shape == (80, 80, 3) and image[0, 0, 0] == 0 and image[0, 79, 0] == 255


@pytest.mark.parametrize("preset", ["digits-mlp", "digits-seed004", "mnist-seed001"])
def test_every_digits_preset_summary_equals_keras(preset):
    from nnlab.data.digits import DigitImages

    side = 28 if preset.startswith("mnist") else 8
    rng = np.random.default_rng(0)
    fake = DigitImages(rng.random((300, side, side), dtype=np.float32), np.arange(300) % 10, "test")
    lab = build_lab(PRESETS[preset].experiment.replace(samples=300), fake)
    table = model_summary(lab.trainer)
    assert table["parameters"].sum() == lab.trainer.model.count_params()
    if preset == "mnist-seed001":
        assert table["parameters"].sum() == 952_410  # seed 001's figure
