"""The 2-D lab behind the Playground page: maps over the plane, the seed's baseline, live settings."""

from __future__ import annotations

import numpy as np
import pytest

from nnlab.data.dataset import Dataset
from nnlab.data.toy import flower, make_dataset
from nnlab.playground import (
    build_lab,
    evaluate,
    logistic_baseline,
    plane_extent,
    plane_grid,
    plane_maps,
    structure_key,
    update_live_settings,
)
from nnlab.presets import get_preset
from nnlab.spec import DataSpec, Experiment

SMALL = Experiment().replace(samples=60, hidden_layers="3:tanh,2:relu", batch_size=10, seed=4)


@pytest.fixture(scope="module")
def lab():
    lab = build_lab(SMALL)
    lab.trainer.run(2)
    return lab


def test_build_lab_splits_points_and_features(lab):
    assert lab.experiment == SMALL
    assert len(lab.points.y_train) == 30 and len(lab.points.y_test) == 30
    np.testing.assert_array_equal(lab.trainer.data.x_train, lab.points.x_train)  # features x1, x2
    assert lab.trainer.epoch == 2


def test_features_feed_the_trainer():
    experiment = SMALL.replace(features="x1^2,x2^2,x1*x2")
    built = build_lab(experiment)
    x = built.points.x_train
    assert built.trainer.data.n_inputs == 3
    np.testing.assert_allclose(built.trainer.data.x_train[:, 2], x[:, 0] * x[:, 1], rtol=1e-6)
    np.testing.assert_array_equal(built.trainer.data.y_train, built.points.y_train)


def test_plane_maps_shapes(lab):
    maps = plane_maps(lab, resolution=12)
    assert maps.probabilities.shape == (12, 12, 2)
    assert [h.shape for h in maps.hidden] == [(12, 12, 3), (12, 12, 2)]
    assert maps.inputs.shape == (12, 12, 2)
    np.testing.assert_allclose(maps.probabilities.sum(axis=-1), 1, atol=1e-6)
    assert maps.extent == plane_extent(lab.points)


def test_plane_maps_rows_run_from_the_top(lab):
    maps = plane_maps(lab, resolution=10)
    x1, x2 = maps.inputs[..., 0], maps.inputs[..., 1]
    assert x2[0, 0] > 0 > x2[-1, 0]  # first row is high x2
    assert x1[0, 0] < 0 < x1[0, -1]  # first column is low x1
    assert x2[0, 0] == pytest.approx(maps.extent - maps.extent / 10)  # cell centres


def test_plane_maps_match_the_trainers_predictions(lab):
    maps = plane_maps(lab, resolution=6)
    grid = plane_grid(maps.extent, 6)
    np.testing.assert_allclose(maps.probabilities.reshape(-1, 2), lab.trainer.predict(grid), atol=1e-6)


def test_plane_maps_without_hidden_layers():
    lab = build_lab(SMALL.replace(hidden_layers=""))
    maps = plane_maps(lab, resolution=5)
    assert maps.hidden == [] and maps.probabilities.shape == (5, 5, 2)


def test_plane_maps_multiclass():
    lab = build_lab(SMALL.replace(dataset="gauss", classes=3))
    assert plane_maps(lab, resolution=4).probabilities.shape == (4, 4, 3)


@pytest.mark.parametrize("dataset", ["circle", "spiral", "flower", "gauss"])
def test_plane_extent_covers_the_data(dataset):
    points = make_dataset(DataSpec(dataset=dataset, samples=300, noise=0.5), 0.5, seed=2)
    extent = plane_extent(points)
    largest = max(np.abs(points.x_train).max(), np.abs(points.x_test).max())
    assert largest < extent <= largest * 1.1 + 0.5
    assert (extent * 2).is_integer()


def test_logistic_baseline_on_seed_003s_flower_is_47_percent():
    # Seed 003 fits logistic regression on all 400 points and reports 47 % accuracy.
    x, y = flower(400, 0.2, 1)
    x = x.astype(np.float32)
    everything = Dataset("flower", x, y, x, y, ("class 0", "class 1"))
    baseline = logistic_baseline(everything, resolution=10)
    assert baseline.train_accuracy == pytest.approx(0.47, abs=0.05)
    assert baseline.probabilities.shape == (10, 10, 2)
    np.testing.assert_allclose(baseline.probabilities.sum(axis=-1), 1)


def test_logistic_baseline_on_the_flower_preset_split():
    points = make_dataset(DataSpec(dataset="flower", samples=400, noise=0.2), train_ratio=0.9, seed=1)
    baseline = logistic_baseline(points, resolution=4)
    assert baseline.train_accuracy == pytest.approx(0.47, abs=0.05)
    assert baseline.test_accuracy < 0.6  # a line cannot separate the petals


def test_planar_flower_preset_is_seed_003s_network():
    # Seed 003: 2 inputs, 4 tanh hidden units, 1 sigmoid output -> 2*4 + 4 + 4*1 + 1 = 17 parameters.
    lab = build_lab(get_preset("planar-flower").experiment)
    assert lab.trainer.parameters == 17
    assert len(lab.points.y_train) + len(lab.points.y_test) == 400
    x, y = flower(400, 0.2, 1)
    together = np.concatenate([lab.points.x_train, lab.points.x_test])
    assert sorted(map(tuple, together)) == sorted(map(tuple, x.astype(np.float32)))


def test_structure_key_changes_with_structure_only():
    base = structure_key(SMALL)
    assert structure_key(SMALL.replace(learning_rate=0.5)) == base
    assert structure_key(SMALL.replace(epochs=42)) == base
    assert structure_key(SMALL.replace(hidden_layers="3:tanh")) != base
    assert structure_key(SMALL.replace(seed=5)) != base
    assert structure_key(SMALL.replace(dataset="xor")) != base


def test_update_live_settings_keeps_training():
    lab = build_lab(SMALL)
    lab.trainer.run(3)
    faster = SMALL.replace(learning_rate=0.3, epochs=50)
    update_live_settings(lab, faster)
    assert lab.trainer.epoch == 3
    assert float(lab.trainer.optimizer.learning_rate) == pytest.approx(0.3)
    assert lab.experiment == faster
    lab.trainer.run(1)
    assert lab.trainer.epoch == 4


def test_evaluate_reports_held_out_metrics_and_train_accuracy(lab):
    metrics = evaluate(lab)
    assert {"accuracy", "balanced_accuracy", "precision", "recall", "f1", "loss", "train_accuracy"} <= set(metrics)
    last = lab.trainer.history[-1]
    assert metrics["train_accuracy"] == pytest.approx(last.train_accuracy)
    assert metrics["accuracy"] == pytest.approx(last.test_accuracy)
    assert metrics["loss"] == pytest.approx(last.test_loss, rel=1e-4)
