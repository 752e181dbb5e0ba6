"""TF Playground parity in the library (issue 19): initialisers, schedules, regression, L1's dead links,
health figures and ∂L/∂w, and the command line's targets."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nnlab.__main__ import main
from nnlab.backend import keras, tf
from nnlab.data.dataset import Dataset
from nnlab.metrics import regression_metrics
from nnlab.models import build_model, dense_layers, kernel_initializer, learning_rate_schedule, schedule_factors
from nnlab.playground import build_lab, evaluate, structure_key
from nnlab.spec import INITIALIZERS, LR_SCHEDULES, Experiment, ModelSpec, SpecError, TrainSpec
from nnlab.train import Trainer


def small(**settings) -> Experiment:
    return Experiment().replace(samples=120, epochs=20, **settings)


def test_every_initialiser_is_seeded_and_zeros_is_all_zeros():
    for name in INITIALIZERS:
        a = np.asarray(kernel_initializer(name, 3)((4, 5)))
        b = np.asarray(kernel_initializer(name, 3)((4, 5)))
        assert np.array_equal(a, b), name
        assert (a == 0).all() == (name == "zeros"), name
    he, glorot = (np.asarray(kernel_initializer(n, 1)((200, 200))).std() for n in ("he", "glorot"))
    assert he == pytest.approx(np.sqrt(2 / 200), rel=0.1) and glorot == pytest.approx(np.sqrt(1 / 200), rel=0.1)
    with pytest.raises(SpecError):
        ModelSpec(init="ones")


def test_zeros_keep_every_neuron_of_a_layer_identical():
    lab = build_lab(small(init="zeros", hidden_layers="4:relu,3:sigmoid"))
    lab.trainer.run(10)
    for layer in dense_layers(lab.trainer.model)[:-1]:
        kernel = layer.kernel.numpy()
        assert np.allclose(kernel, kernel[:, :1]), layer.name  # the symmetry is never broken


@pytest.mark.parametrize("schedule", LR_SCHEDULES)
def test_the_trainers_rates_are_keras_own_schedule(schedule):
    lab = build_lab(small(lr_schedule=schedule, learning_rate=0.1))
    trainer = lab.trainer
    steps = trainer.steps_per_epoch * 20
    keras_schedule = learning_rate_schedule(schedule, 0.1, steps)
    expected = (
        [0.1] * 20
        if keras_schedule is None
        else [float(keras_schedule(epoch * trainer.steps_per_epoch)) for epoch in range(20)]
    )
    assert trainer.learning_rates() == pytest.approx(expected, rel=1e-5)
    rates = trainer._rates(20)  # what the compiled graph is fed, step by step
    assert rates.shape == (20, trainer.steps_per_epoch) and rates[:, 0] == pytest.approx(expected, rel=1e-5)
    if schedule != "constant":
        assert rates[-1, -1] < 0.1 * 0.5 and np.all(np.diff(rates.ravel()) <= 1e-9)


def test_a_live_rate_change_scales_the_schedule_from_where_the_run_is():
    trainer = build_lab(small(lr_schedule="cosine", learning_rate=0.1)).trainer
    trainer.run(10)
    before = trainer.learning_rates()
    trainer.set_learning_rate(0.05)
    assert trainer.learning_rates() == pytest.approx(before / 2, rel=1e-5)
    assert trainer._rates(1)[0, 0] == pytest.approx(before[10] / 2, rel=1e-4)


def test_under_a_schedule_the_epoch_count_starts_the_run_again():
    """A constant rate takes more epochs live; a schedule spans the run's epochs, so more of them is a new run
    (a cosine stretched mid-run would otherwise sit at zero for every added epoch)."""
    for schedule, live in (("constant", True), ("cosine", False), ("step", False)):
        base = small(lr_schedule=schedule)
        assert (structure_key(base) == structure_key(base.replace(epochs=40))) is live, schedule
        assert structure_key(base) == structure_key(base.replace(learning_rate=0.3)), schedule


def test_schedule_factors_start_at_one_and_fall():
    steps = np.arange(0, 1001, 250)
    assert schedule_factors("constant", 1000, steps).tolist() == [1.0] * 5
    assert schedule_factors("step", 1000, steps).tolist() == pytest.approx([1, 0.5, 0.25, 0.125, 0.0625])
    assert schedule_factors("exponential", 1000, steps)[[0, -1]] == pytest.approx([1, 0.1], rel=1e-5)
    assert schedule_factors("cosine", 1000, steps)[[0, 2, -1]] == pytest.approx([1, 0.5, 0], abs=1e-6)


def regression_data(n: int = 240) -> Dataset:
    rng = np.random.default_rng(0)
    x = rng.uniform(-6, 6, (n, 2)).astype(np.float32)
    y = np.clip((x[:, 0] + x[:, 1]) / 10, -1, 1).astype(np.float32)
    half = n // 2
    return Dataset("plane", x[:half], y[:half], x[half:], y[half:], ())


def test_regression_has_a_linear_output_and_its_score_is_r2():
    trainer = Trainer(ModelSpec(), TrainSpec(learning_rate=0.03, epochs=60), regression_data())
    assert trainer.regression and trainer.model.get_layer("output").get_config()["activation"] == "linear"
    trainer.run(60)
    last = trainer.history[-1]
    predictions = trainer.predict(trainer.data.x_test)
    assert predictions.shape == (len(trainer.data.y_test), 1)
    metrics = regression_metrics(trainer.data.y_test, predictions)
    assert last.test_accuracy == pytest.approx(metrics["r2"], abs=1e-4) and metrics["r2"] > 0.9
    assert last.test_loss == pytest.approx(metrics["rmse"] ** 2, rel=1e-3)


def test_regression_metrics_on_known_numbers():
    metrics = regression_metrics(np.array([1.0, 2.0, 3.0]), np.array([[1.0], [2.0], [4.0]]))
    assert metrics["r2"] == pytest.approx(0.5) and metrics["rmse"] == pytest.approx(np.sqrt(1 / 3))
    assert metrics["mae"] == pytest.approx(1 / 3)


def test_l1_snaps_dead_weights_to_exactly_zero_and_keeps_them_there():
    lab = build_lab(
        small(regularization="l1", regularization_rate=0.1, hidden_layers="8:relu,8:relu", learning_rate=0.1)
    )
    trainer = lab.trainer
    trainer.run(10)
    dead = trainer.dead_weights()
    assert dead > 0
    kernels = [layer.kernel.numpy() for layer in dense_layers(trainer.model)]
    masks = [mask.numpy() for mask in trainer._state.dead]
    assert dead == sum(int(m.sum()) for m in masks) == sum(int((k[m > 0] == 0).sum()) for k, m in zip(kernels, masks))
    trainer.run(10)
    later = [layer.kernel.numpy() for layer in dense_layers(trainer.model)]
    assert all((after[m > 0] == 0).all() for after, m in zip(later, masks))  # dead stays dead
    assert trainer.dead_weights() >= dead
    row, unit = map(int, np.argwhere(masks[0] > 0)[0])
    trainer.set_weight(0, row, unit, 0.5)  # a weight typed by hand is alive again
    assert trainer._state.dead[0].numpy()[row, unit] == 0
    trainer.reset()
    assert trainer.dead_weights() == 0


def test_without_l1_no_weight_is_called_dead():
    trainer = build_lab(small(regularization="l2", regularization_rate=0.1)).trainer
    trainer.run(5)
    assert trainer.dead_weights() is None


def test_health_rows_match_a_gradient_tape_on_the_keras_model():
    lab = build_lab(small(hidden_layers="6:relu,4:tanh", regularization="l2", regularization_rate=0.01))
    trainer = lab.trainer
    trainer.track_health = True
    trainer.run(3)
    assert [h.epoch for h in trainer.health] == [1, 2, 3]
    row = trainer.health[-1]
    assert len(row.gradient_norms) == len(row.weight_norms) == 3 and len(row.dead_relu) == 2
    assert np.isnan(row.dead_relu[1])  # tanh has no dead share
    model, data = trainer.model, trainer.data
    with tf.GradientTape() as tape:
        p = model(data.x_train, training=False)
        loss = keras.losses.BinaryCrossentropy()(trainer.encode_labels(data.y_train), p) + tf.add_n(model.losses)
    grads = dict(zip((v.path for v in model.trainable_variables), tape.gradient(loss, model.trainable_variables)))
    layers = dense_layers(model)
    for index, layer in enumerate(layers):
        expected = np.sqrt(sum(float(tf.reduce_sum(grads[v.path] ** 2)) for v in (layer.kernel, layer.bias)))
        assert row.gradient_norms[index] == pytest.approx(expected, rel=1e-3)
        weights = np.sqrt((layer.kernel.numpy() ** 2).sum() + (layer.bias.numpy() ** 2).sum())
        assert row.weight_norms[index] == pytest.approx(weights, rel=1e-4)
        kernel_grad, bias_grad = trainer.gradients()[index]
        assert kernel_grad == pytest.approx(grads[layer.kernel.path].numpy(), abs=1e-5)
    hidden = trainer.layer_outputs(data.x_train)[0]
    assert row.dead_relu[0] == pytest.approx(float((hidden.max(axis=0) <= 0).mean()))


def test_health_is_measured_only_when_asked():
    trainer = build_lab(small()).trainer
    trainer.run(3)
    assert trainer.health == []


def test_regression_model_builds_without_classes():
    model = build_model(ModelSpec(), 2, 0, seed=0)
    assert model.output_shape == (None, 1)


# --- the command line's targets -----------------------------------------------------------------------


def train_json(capsys, *arguments: str) -> dict:
    assert main(["train", *arguments, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_regression_presets_reach_their_r2_on_held_out_points(capsys):
    plane = train_json(capsys, "--preset", "regression-plane")
    assert plane["metrics"]["r2"] >= 0.95 and {"r2", "rmse"} <= set(plane["metrics"])
    gauss = train_json(capsys, "--preset", "regression-gauss")
    assert gauss["metrics"]["r2"] >= 0.80


def test_zeros_initialisation_shows_the_symmetry_lesson_in_the_numbers(capsys):
    default = train_json(capsys, "--preset", "playground")
    zeros = train_json(capsys, "--preset", "playground", "--set", "init=zeros")
    assert default["metrics"]["accuracy"] >= 0.90 and zeros["metrics"]["accuracy"] <= 0.70
    assert zeros["settings"]["init"] == "zeros" and zeros["epochs"] == default["epochs"]


def test_schedules_and_initialisers_from_the_command_line(capsys):
    report = train_json(
        capsys, "--preset", "playground", "--set", "lr_schedule=cosine", "--set", "init=he", "--set", "epochs=5"
    )
    assert report["settings"]["lr_schedule"] == "cosine" and report["settings"]["init"] == "he"
    assert main(["train", "--preset", "playground", "--set", "lr_schedule=sideways"]) == 2
    assert "sideways" in capsys.readouterr().err


def test_regression_metrics_in_evaluate():
    lab = build_lab(small(dataset="plane", loss="squared_error"))
    lab.trainer.run(5)
    assert {"r2", "rmse", "mae", "train_r2", "train_rmse"} == set(evaluate(lab))
