"""Issue 5's library: the optimizer race, seed 001's losses, activations, seed 002's graph."""

from __future__ import annotations

import numpy as np
import pytest

from nnlab.lossfunctions import (
    SEED_EXAMPLES,
    activation_curves,
    backprop_graph,
    keras_per_example,
    loss_curve,
    saturation,
    tape_gradients,
)
from nnlab.presets import PRESETS
from nnlab.race import DEFAULT_RATES, build_race, race_boundaries, race_history, race_table

MOONS = PRESETS["moons"].experiment.replace(epochs=40, samples=200)


@pytest.fixture(scope="module")
def race():
    race = build_race(MOONS, {"sgd": 0.1, "momentum": 0.03, "adagrad": 0.3, "adam": 0.01}, target=0.85)
    for _ in range(4):
        race.run(40 - race.epoch, 0.3)
    return race


def test_racers_start_from_the_same_weights_and_differ_only_in_the_optimizer():
    race = build_race(MOONS, DEFAULT_RATES)
    kernels = [t.model.get_layer("hidden_1").kernel.numpy() for t in race.trainers.values()]
    assert all(np.array_equal(kernels[0], k) for k in kernels)
    assert [t.train_spec.optimizer for t in race.trainers.values()] == list(DEFAULT_RATES)
    assert len({t.train_spec.batch_size for t in race.trainers.values()}) == 1


def test_the_race_keeps_everyone_on_the_same_epoch(race):
    epochs = {t.epoch for t in race.trainers.values()}
    assert len(epochs) == 1 and race.epoch == epochs.pop() > 0


def test_the_table_records_who_reached_the_target_and_when(race):
    table = race_table(race)
    assert list(table["optimizer"]) == ["sgd", "momentum", "adagrad", "adam"]
    arrived = table.dropna(subset=["epochs_to_target"])
    assert len(arrived) >= 1
    for _, row in arrived.iterrows():
        history = race.trainers[row["optimizer"]].history
        first = next(e.epoch for e in history if e.test_accuracy >= 0.85)
        assert row["epochs_to_target"] == first


def test_history_and_boundaries_cover_every_racer(race):
    frame = race_history(race)
    assert set(frame["optimizer"]) == set(race.trainers) and set(frame["metric"]) == {"loss", "accuracy"}
    boundaries = race_boundaries(race, resolution=20)
    assert all(p.shape == (20, 20, 2) for p in boundaries.values())


def test_reset_puts_every_racer_back():
    race = build_race(MOONS, {"sgd": 0.1, "adam": 0.01})
    race.run(3)
    race.reset()
    assert race.epoch == 0 and not race.arrived


def test_unknown_optimizer_is_refused():
    with pytest.raises(ValueError, match="Pick optimizers"):
        build_race(MOONS, {"lbfgs": 0.1})


@pytest.mark.parametrize("example", SEED_EXAMPLES, ids=lambda e: e.name)
def test_numpy_and_keras_agree_on_every_worked_example(example):
    assert example.numpy_value() == pytest.approx(example.keras_value(), abs=1e-6)


def test_seed_001_printed_figures():
    bce = next(e for e in SEED_EXAMPLES if e.loss == "binary_crossentropy")
    assert round(bce.numpy_value(), 6) == 0.052046
    cce = next(e for e in SEED_EXAMPLES if e.loss == "categorical_crossentropy")
    assert keras_per_example(cce.y_true, cce.y_pred) == pytest.approx([0.10536052, 0.09431068], abs=1e-8)
    assert cce.numpy_value() == pytest.approx(2 * cce.seed_value)  # the seed divided by 4 classes, not 2 examples


def test_loss_curves_have_their_minimum_at_the_true_label():
    for name in ("mae", "mse", "binary_crossentropy"):
        for label in (0, 1):
            curve = loss_curve(name, label)
            best = curve.loc[curve["loss"].idxmin(), "predicted"]
            assert abs(best - label) < 0.01


def test_activation_derivatives_match_the_formulas():
    frame = activation_curves(("sigmoid", "tanh", "relu"))
    derivative = frame[frame["function"] == "φ′(z)"].set_index(["activation", "z"])["value"]
    z = 0.5
    key = min(derivative.loc["sigmoid"].index, key=lambda v: abs(v - z))
    s = 1 / (1 + np.exp(-key))
    assert derivative.loc[("sigmoid", key)] == pytest.approx(s * (1 - s), abs=1e-9)
    assert derivative.loc[("tanh", key)] == pytest.approx(1 - np.tanh(key) ** 2, abs=1e-9)
    assert derivative.loc[("relu", key)] == 1.0
    assert saturation("relu") == "z ∈ [-5.0, 0.0]" and saturation("linear") == "nowhere"


@pytest.mark.parametrize("x, w1, w0", [(1.0, 2.0, 1.0), (-0.5, 0.3, -2.0), (2.0, -1.0, 0.5)])
def test_hand_backprop_on_the_graph_equals_gradient_tape(x, w1, w0):
    nodes = {n.name: n for n in backprop_graph(x, w1, w0)}
    tape = tape_gradients(x, w1, w0)
    for name in ("x", "w1", "w0"):
        assert nodes[name].gradient == pytest.approx(tape[name], rel=1e-12)
    assert nodes["f"].value == pytest.approx(1 + np.exp(w1 * x + w0))
