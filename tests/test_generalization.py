"""Seed 002's overfitting lab: the presets' gap and its remedies, early stopping, jitter, TensorBoard logs, sweeps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnlab.presets import PRESETS
from nnlab.spec import SpecError

ROOT = Path(__file__).resolve().parents[1]
OVERFIT_PRESETS = ("overfit", "overfit-l2", "overfit-dropout")
TAGS = {"loss/train", "loss/test", "accuracy/train", "accuracy/test"}


def short(epochs: int = 40, **settings):
    """The overfit preset cut short, for checks of the machinery rather than of the lesson."""
    return PRESETS["overfit"].experiment.replace(epochs=epochs, **settings)


@pytest.fixture(scope="module")
def cli_reports() -> dict[str, dict]:
    """`python -m nnlab train --preset P --json` for the three presets, run side by side."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = {
        name: subprocess.Popen(
            [sys.executable, "-m", "nnlab", "train", "--preset", name, "--json"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in OVERFIT_PRESETS
    }
    reports = {}
    for name, process in processes.items():
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        reports[name] = json.loads(stdout)
    return reports


def cli_gap(report: dict) -> float:
    return report["metrics"]["train_accuracy"] - report["metrics"]["accuracy"]


def test_overfit_preset_has_a_large_gap(cli_reports):
    metrics = cli_reports["overfit"]["metrics"]
    assert {"accuracy", "train_accuracy"} <= set(metrics)
    assert metrics["train_accuracy"] >= 0.95
    assert cli_gap(cli_reports["overfit"]) >= 0.15


@pytest.mark.parametrize("remedy", ["overfit-l2", "overfit-dropout"])
def test_remedy_presets_halve_the_gap_without_losing_test_accuracy(cli_reports, remedy):
    overfit, report = cli_reports["overfit"], cli_reports[remedy]
    assert cli_gap(report) <= 0.5 * cli_gap(overfit)
    assert report["metrics"]["accuracy"] >= overfit["metrics"]["accuracy"]


@pytest.mark.parametrize(
    "remedy, changed", [("overfit-l2", {"regularization", "regularization_rate"}), ("overfit-dropout", {"dropout"})]
)
def test_remedy_presets_change_one_thing(remedy, changed):
    base, other = PRESETS["overfit"].experiment.to_dict(), PRESETS[remedy].experiment.to_dict()
    assert {key for key in base if base[key] != other[key]} == changed


def test_gap_is_train_minus_test():
    from nnlab.generalization import gap

    assert gap({"train_accuracy": 1.0, "accuracy": 0.75}) == pytest.approx(0.25)


def test_early_stopping_restores_the_best_weights():
    from nnlab.generalization import train_run

    run = train_run(short(epochs=200), "early", early_stopping_patience=10)
    losses = [event.test_loss for event in run.history]
    assert run.best_epoch is not None
    assert len(run.history) == run.best_epoch + 10 < 200
    assert losses[run.best_epoch - 1] == min(losses)
    assert run.test_loss == pytest.approx(min(losses), abs=1e-6)
    assert run.test_accuracy == pytest.approx(run.history[run.best_epoch - 1].test_accuracy, abs=1e-6)


def test_without_early_stopping_every_epoch_runs():
    from nnlab.generalization import train_run

    run = train_run(short(epochs=30), "plain")
    assert run.best_epoch is None and len(run.history) == 30
    assert run.test_loss == pytest.approx(run.history[-1].test_loss, abs=1e-6)
    assert run.gap == pytest.approx(run.train_accuracy - run.test_accuracy)
    assert run.probabilities.shape == (60, 60, 2) and run.extent > 0  # the class map for a small multiple
    assert len(run.points.y_train) == run.train_points


def test_augmentation_adds_three_jittered_copies_and_keeps_the_test_set():
    from nnlab.data.toy import make_dataset
    from nnlab.generalization import build_run_lab, train_run

    experiment = short()
    plain = make_dataset(experiment.data, experiment.train.train_ratio, experiment.train.seed)
    points = build_run_lab(experiment, augment=0.3).points
    n = len(plain.y_train)
    assert points.x_train.shape == (4 * n, 2)
    np.testing.assert_array_equal(points.y_train, np.tile(plain.y_train, 4))
    np.testing.assert_array_equal(points.x_train[:n], plain.x_train)
    offsets = points.x_train[n:] - np.tile(plain.x_train, (3, 1))
    assert 0.2 < offsets.std() < 0.4  # the jitter's std, in data units
    np.testing.assert_array_equal(points.x_test, plain.x_test)
    np.testing.assert_array_equal(points.y_test, plain.y_test)
    assert train_run(short(epochs=5), "jitter", augment=0.3).train_points == 4 * n


def test_tensorboard_gets_one_run_per_label_with_the_four_curves(tmp_path):
    from nnlab.backend import tf
    from nnlab.generalization import train_run

    run = train_run(short(epochs=12), "dropout=0.3 / run", tensorboard_dir=tmp_path)
    assert Path(run.log_dir) == tmp_path / "dropout=0.3_run"
    files = list(tmp_path.glob("*/events.out.tfevents*"))
    assert len(files) == 1 and files[0].parent == Path(run.log_dir)
    scalars = {}
    for record in tf.data.TFRecordDataset(str(files[0])):
        event = tf.compat.v1.Event.FromString(record.numpy())  # tensorflow.core.util.event_pb2.Event
        for value in event.summary.value:
            assert value.metadata.plugin_data.plugin_name == "scalars"
            scalars[value.tag, event.step] = float(tf.make_ndarray(value.tensor))
    assert {tag for tag, _ in scalars} == TAGS
    assert {step for _, step in scalars} == set(range(1, 13))
    last = run.history[-1]
    assert scalars["loss/test", 12] == pytest.approx(last.test_loss)
    assert scalars["accuracy/train", 12] == pytest.approx(last.train_accuracy)


def test_sweep_gives_one_labelled_run_per_value():
    from nnlab.generalization import history_frame, runs_table, sweep

    runs = sweep(short(epochs=10), "dropout", (0, 0.3))
    assert [run.label for run in runs] == ["dropout=0", "dropout=0.3"]
    assert [run.settings["dropout"] for run in runs] == ["0", "0.3"]
    frame = history_frame(runs)
    assert list(frame.columns) == ["run", "epoch", "set", "metric", "value"]
    assert len(frame) == 2 * 10 * 4
    assert set(frame["set"]) == {"train", "test"} and set(frame["metric"]) == {"loss", "accuracy"}
    table = runs_table(runs)
    assert list(table["run"]) == ["dropout=0", "dropout=0.3"]
    assert {"train accuracy", "test accuracy", "gap", "seconds", "parameters", "dropout"} <= set(table.columns)
    assert "dataset" not in table.columns  # only the settings that differ


def test_sweep_settings():
    from nnlab.generalization import SWEEPABLE, sweep_experiment

    base = short()
    assert [layer.units for layer in sweep_experiment(base, "hidden_units", 8).model.hidden_layers] == [8, 8, 8]
    l2 = sweep_experiment(base, "regularization_rate", 0.003).model
    assert (l2.regularization, l2.regularization_rate) == ("l2", 0.003)
    assert sweep_experiment(base, "train_ratio", 0.3).train.train_ratio == 0.3
    assert all(4 <= len(values) <= 6 for values in SWEEPABLE.values())
    with pytest.raises(SpecError, match="Cannot sweep"):
        sweep_experiment(base, "learning_rate", 0.1)


def test_every_remedy_applies():
    from nnlab.generalization import REMEDIES, apply_remedy

    assert {"l2", "l1", "dropout", "batch_norm", "more_data", "early_stopping", "augmentation"} <= set(REMEDIES)
    base = PRESETS["overfit"].experiment
    for name in REMEDIES:
        experiment, options = apply_remedy(base, name)
        assert experiment != base or options, name
    assert apply_remedy(base, "l2")[0] == PRESETS["overfit-l2"].experiment
    assert apply_remedy(base, "dropout")[0] == PRESETS["overfit-dropout"].experiment
    assert apply_remedy(base, "early_stopping")[1] == {"early_stopping_patience": 20}
    with pytest.raises(SpecError, match="Unknown remedy"):
        apply_remedy(base, "prayer")


def test_same_experiment_same_run():
    from nnlab.generalization import train_run

    first, second = (train_run(short(epochs=15), "same", augment=0.3) for _ in range(2))
    assert [without_seconds(e) for e in first.history] == [without_seconds(e) for e in second.history]
    assert (first.train_accuracy, first.test_accuracy, first.test_loss) == (
        second.train_accuracy,
        second.test_accuracy,
        second.test_loss,
    )


def without_seconds(event) -> tuple:
    return event.epoch, event.train_loss, event.train_accuracy, event.test_loss, event.test_accuracy


def test_the_world_map_data_is_refused():
    from nnlab.generalization import build_run_lab

    with pytest.raises(SpecError, match="2-D datasets"):
        build_run_lab(PRESETS["cities-minimal"].experiment)


def digits_short(epochs: int = 5, **settings):
    """The overfit network on 60 of scikit-learn's 8×8 digits."""
    return short(epochs=epochs, dataset="digits", samples=600, **settings)


def test_a_digits_run_keeps_its_first_layer_as_pictures():
    from nnlab.generalization import train_run

    run = train_run(digits_short(), "digits")
    assert run.train_points == 60 and run.points is None and run.probabilities is None
    assert run.unit_images.shape == (64, 8, 8)
    assert 0 <= run.test_accuracy <= 1 and run.gap == pytest.approx(run.train_accuracy - run.test_accuracy)
    assert train_run(digits_short(hidden_layers=()), "no hidden layer").unit_images is None


def test_digit_augmentation_adds_turned_and_shifted_copies_after_the_originals():
    from nnlab.data.digits import shipped_images
    from nnlab.digits import digits_dataset
    from nnlab.generalization import build_run_lab

    experiment = digits_short()
    plain, _ = digits_dataset(shipped_images("digits"), experiment)
    data = build_run_lab(experiment, augment=1.0).trainer.data
    n = len(plain.y_train)
    assert data.x_train.shape == (4 * n, 64)
    np.testing.assert_array_equal(data.x_train[:n], plain.x_train)
    np.testing.assert_array_equal(data.y_train, np.tile(plain.y_train, 4))
    np.testing.assert_array_equal(data.x_test, plain.x_test)
    assert data.x_train.min() >= 0 and data.x_train.max() <= 1
    moved = np.abs(data.x_train[n:] - np.tile(plain.x_train, (3, 1))).mean(axis=1)
    assert (moved > 0).mean() > 0.95  # nearly every copy differs from its original


def test_shift_and_rotate_moves_ink_without_losing_much_of_it():
    from nnlab.augment import shift_and_rotate
    from nnlab.data.digits import shipped_images

    images = shipped_images("digits").images[:50]
    np.testing.assert_allclose(shift_and_rotate(images, 0.0, seed=1)[0], images, atol=1e-6)  # strength 0: unchanged
    copies = shift_and_rotate(images, 1.0, seed=1)
    assert copies.shape == (3, 50, 8, 8)
    np.testing.assert_array_equal(copies, shift_and_rotate(images, 1.0, seed=1))  # seeded
    assert not np.array_equal(copies, shift_and_rotate(images, 1.0, seed=2))
    ink = copies.sum(axis=(2, 3)) / images.sum(axis=(1, 2))
    assert 0.75 < np.median(ink) <= 1.05  # a ±10°, ±0.5 px move keeps the digit inside its 8×8 frame
    with pytest.raises(SpecError, match="negative"):
        shift_and_rotate(images, -1.0, seed=1)


def test_the_gap_is_measured_on_the_original_training_images():
    from nnlab.generalization import train_run

    run = train_run(digits_short(epochs=3), "augmented", augment=1.0)
    assert run.train_points == 240
    # The history's train accuracy counts the augmented copies; the run's uses the 60 originals only.
    assert run.train_accuracy == pytest.approx(round(run.train_accuracy * 60) / 60)


def test_more_data_on_digits_asks_for_no_more_images_than_there_are():
    from nnlab.generalization import apply_remedy

    remedied, _ = apply_remedy(digits_short(), "more_data")
    assert remedied.data.samples == 1797 and remedied.train.train_ratio == 0.2
