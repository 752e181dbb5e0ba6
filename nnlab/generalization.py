"""Overfitting and its remedies: one training run per setting, compared by the train–test gap.

A large network on few noisy points (or few digit images) learns them, not the pattern: its
training accuracy reaches 1 while its test accuracy stays low. Each remedy (a weight penalty,
dropout, batch norm, more data, augmented copies, stopping early) may shrink that gap; which ones
do depends on the data, and the runs show it.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from nnlab.augment import COPIES
from nnlab.backend import tf
from nnlab.data.dataset import Dataset
from nnlab.data.digits import DigitImages
from nnlab.kinds import kind_of, lab_data
from nnlab.metrics import classification_metrics
from nnlab.spec import (
    IMAGE_COUNTS,
    SETTINGS,
    SWEEP_SETTINGS,
    TOY_DATASETS,
    Experiment,
    SpecError,
    train_size,
    with_setting,
)
from nnlab.train import EpochEvent, Trainer

BOUNDARY_RESOLUTION = 60  # cells per side of each run's class map: enough for a small multiple

# Settings layered on the base experiment, tuned on the "overfit" preset (moons, noise 0.5, 60 training points).
REMEDIES: Mapping[str, Mapping] = MappingProxyType(
    {
        "l2": MappingProxyType({"regularization": "l2", "regularization_rate": 0.01}),
        "l1": MappingProxyType({"regularization": "l1", "regularization_rate": 0.003}),
        "dropout": MappingProxyType({"dropout": 0.5}),
        "batch_norm": MappingProxyType({"batch_norm": True}),
        # Ten times the training points from the same distribution. Raising train_ratio alone on 600 samples
        # does little (0.5 keeps the gap; 0.9 halves it but tests on 60 points).
        "more_data": MappingProxyType({"samples": 3000, "train_ratio": 0.2}),
        "early_stopping": MappingProxyType({}),
        "augmentation": MappingProxyType({}),
    }
)
REMEDIES_ORDER = tuple(REMEDIES)  # for widgets: penalties, architecture, data, then training
# Remedies that change how train_run trains, not the experiment: its keyword arguments.
REMEDY_RUN_ARGS: Mapping[str, Mapping] = MappingProxyType(
    {
        "early_stopping": MappingProxyType({"early_stopping_patience": 20}),
        # The moons' own noise is 1.5 data units here; a jitter of 0.3 changes almost nothing. On digits,
        # 1.0 turns each copy up to ±10° and moves it up to ±0.5 pixel (nnlab.augment).
        "augmentation": MappingProxyType({"augment": 1.0}),
    }
)

# The settings a sweep varies and their values, read from the one table of settings (spec.SETTINGS).
SWEEPABLE: Mapping[str, tuple] = MappingProxyType({name: SETTINGS[name].sweep for name in SWEEP_SETTINGS})

# What tf.summary.scalar writes, by hand: tf.summary.scalar needs the tensorboard package, and only viewing
# the logs does (pip install tensorboard; tensorboard --logdir DIR).
SCALAR_METADATA = tf.compat.v1.SummaryMetadata(
    plugin_data=tf.compat.v1.SummaryMetadata.PluginData(plugin_name="scalars"), data_class="DATA_CLASS_SCALAR"
)


@dataclass(frozen=True)
class Run:
    """One trained experiment, summarised for the comparison table and the curves."""

    label: str  # how tables, charts and TensorBoard name the run
    settings: dict[str, str]  # the experiment's flat form
    history: tuple[EpochEvent, ...]  # every epoch trained, past the best one too
    train_accuracy: float  # of the final model (the restored best one with early stopping), on the original
    # training examples: augmented copies are harder, and counting them would flatter the gap
    test_accuracy: float
    gap: float  # train_accuracy - test_accuracy
    test_loss: float  # Keras loss on the test set, as in history
    seconds: float  # training time, without building the model
    best_epoch: int | None  # the epoch whose weights were kept; None without early stopping
    parameters: int
    train_points: int  # after augmentation
    log_dir: str | None = None  # this run's TensorBoard folder
    points: Dataset | None = field(default=None, compare=False, repr=False)  # what it trained on, jitter included
    probabilities: np.ndarray | None = field(default=None, compare=False, repr=False)  # (r, r, k) class map
    extent: float = 0.0  # the class map spans [-extent, extent]²
    unit_images: np.ndarray | None = field(default=None, compare=False, repr=False)  # digits: first-layer weights


def gap(metrics: dict) -> float:
    """Train accuracy minus test accuracy: how much the model learned its own points by heart."""
    return metrics["train_accuracy"] - metrics["accuracy"]


def apply_remedy(experiment: Experiment, name: str) -> tuple[Experiment, dict]:
    """The experiment with remedy `name`'s settings, and the keyword arguments for `train_run`."""
    if name not in REMEDIES:
        raise SpecError("error_unknown_remedy", name=name, choices=", ".join(REMEDIES))
    settings = dict(REMEDIES[name])
    if "samples" in settings and experiment.data.dataset in IMAGE_COUNTS:  # a run's table shows what it used
        settings["samples"] = min(settings["samples"], IMAGE_COUNTS[experiment.data.dataset])
    return experiment.replace(**settings), dict(REMEDY_RUN_ARGS.get(name, {}))


def build_run_lab(experiment: Experiment, augment: float = 0.0, digits: DigitImages | None = None):
    """A fresh lab for a run: 2-D points (jittered by `augment` data units) or digit images (turned and
    shifted by `augment` × (±10°, ±0.5 px)); `digits` saves reloading the images (else the dataset's own)."""
    kind = kind_of(experiment)
    if not kind.runs:
        raise SpecError("error_overfitting_dataset", datasets=", ".join(TOY_DATASETS), dataset=experiment.data.dataset)
    return kind.lab().run_lab(experiment, lab_data(experiment, digits), augment)


def train_examples(experiment: Experiment, augment: float = 0.0) -> int:
    """Training examples one epoch of a run feeds the network, augmented copies included."""
    examples = train_size(kind_of(experiment).examples(experiment), experiment.train.train_ratio)
    return examples * (COPIES + 1) if augment > 0 else examples


class EarlyStopping:
    """Watches the test loss; keeps a copy of the weights at its lowest."""

    def __init__(self, patience: int) -> None:
        if patience < 1:
            raise SpecError("error_patience", got=patience)
        self.patience, self.best_epoch, self.best_loss, self.best_weights = patience, None, np.inf, None

    def observe(self, event: EpochEvent, weights: list[np.ndarray]) -> None:
        if event.test_loss < self.best_loss:
            self.best_epoch, self.best_loss, self.best_weights = event.epoch, event.test_loss, weights

    def should_stop(self, epoch: int) -> bool:
        """True once `patience` epochs have passed without a new lowest test loss."""
        return self.best_epoch is not None and epoch - self.best_epoch >= self.patience


def train_run(
    experiment: Experiment,
    label: str,
    early_stopping_patience: int | None = None,
    augment: float = 0.0,
    tensorboard_dir: str | Path | None = None,
    digits: DigitImages | None = None,
) -> Run:
    """Train `experiment` up to its epochs and summarise it; see `build_run_lab` for `augment` and `digits`.

    Early stopping watches the test set (the lab has no separate validation split), stops after
    `early_stopping_patience` epochs without a lower test loss and restores the best weights.
    """
    lab = build_run_lab(experiment, augment, digits)
    log_dir = Path(tensorboard_dir) / slug(label) if tensorboard_dir is not None else None
    writer = tf.summary.create_file_writer(str(log_dir)) if log_dir is not None else None
    start = time.perf_counter()
    try:
        best_epoch = _train(lab.trainer, experiment.train.epochs, early_stopping_patience, _logger(writer))
    finally:
        if writer is not None:
            writer.close()
    seconds = time.perf_counter() - start
    data = lab.trainer.data
    originals = len(data.y_train) // (COPIES + 1) if augment > 0 else len(data.y_train)
    train_accuracy, test_accuracy = (
        classification_metrics(y, lab.trainer.predict(x), experiment.train.threshold)["accuracy"]
        for x, y in ((data.x_train[:originals], data.y_train[:originals]), (data.x_test, data.y_test))
    )
    run = Run(
        label,
        experiment.to_dict(),
        tuple(lab.trainer.history),
        train_accuracy,
        test_accuracy,
        train_accuracy - test_accuracy,
        held_out_loss(lab.trainer),
        seconds,
        best_epoch,
        lab.trainer.parameters,
        len(data.y_train),
        str(log_dir) if log_dir is not None else None,
    )
    return dataclasses.replace(run, **kind_of(experiment).lab().run_pictures(lab, BOUNDARY_RESOLUTION))


def _train(trainer: Trainer, epochs: int, patience: int | None, on_epoch: Callable | None) -> int | None:
    """Run the epochs (one at a time when stopping early, to copy the best weights); the best epoch."""
    if patience is None:
        trainer.run(epochs - trainer.epoch, on_epoch=on_epoch)
        return None
    stopper = EarlyStopping(patience)
    while trainer.epoch < epochs and trainer.stopped_reason is None:
        for event in trainer.run(1, on_epoch=on_epoch):
            stopper.observe(event, trainer.model.get_weights())
        if stopper.should_stop(trainer.epoch):
            break
    if stopper.best_weights is not None:
        trainer.model.set_weights(stopper.best_weights)
    return stopper.best_epoch


def held_out_loss(trainer: Trainer) -> float:
    """The model's loss on the test set now, computed as the trainer's history computes it."""
    data = trainer.data
    probabilities = trainer.model(tf.constant(data.x_test, tf.float32), training=False)
    return float(trainer.loss(trainer.encode_labels(data.y_test), probabilities))


def _logger(writer) -> Callable[[EpochEvent], None] | None:
    """A per-epoch hook writing the four curves as TensorBoard scalars, step = epoch."""
    if writer is None:
        return None

    def log(event: EpochEvent) -> None:
        with writer.as_default(step=event.epoch):
            for tag, value in epoch_scalars(event).items():
                tf.summary.write(tag, tf.constant(value, tf.float32), metadata=SCALAR_METADATA)

    return log


def epoch_scalars(event: EpochEvent) -> dict[str, float]:
    """TensorBoard tags and values for one epoch: loss and accuracy, train and test."""
    return {
        "loss/train": event.train_loss,
        "loss/test": event.test_loss,
        "accuracy/train": event.train_accuracy,
        "accuracy/test": event.test_accuracy,
    }


def slug(label: str) -> str:
    """A folder name for a run label: 'dropout=0.3' stays, spaces and slashes become '_'."""
    return re.sub(r"[^A-Za-z0-9._=+-]+", "_", label).strip("_") or "run"


def sweep_experiment(experiment: Experiment, setting: str, value) -> Experiment:
    """The experiment with one SWEEPABLE setting changed, by spec.with_setting's rule (the grid's too)."""
    if setting not in SWEEPABLE:
        raise SpecError("error_cannot_sweep", setting=setting, choices=", ".join(SWEEPABLE))
    return with_setting(experiment, setting, value)


def sweep_label(setting: str, value) -> str:
    """A run's name in tables, charts and TensorBoard folders: 'dropout=0.3'."""
    return f"{setting}={_show(value)}"


def sweep(experiment: Experiment, setting: str, values: Iterable, **run_options) -> list[Run]:
    """One run per value of `setting`, labelled 'setting=value', the rest unchanged (small multiples)."""
    return [
        train_run(sweep_experiment(experiment, setting, value), sweep_label(setting, value), **run_options)
        for value in values
    ]


def _show(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def history_frame(runs: list[Run]) -> pd.DataFrame:
    """Long table (run, epoch, set, metric, value) of every run's curves, for overlaid line charts."""
    rows = [
        {"run": run.label, "epoch": event.epoch, "set": split, "metric": metric, "value": value}
        for run in runs
        for event in run.history
        for tag, value in epoch_scalars(event).items()
        for metric, split in [tag.split("/")]
    ]
    return pd.DataFrame(rows, columns=["run", "epoch", "set", "metric", "value"])


def runs_table(runs: list[Run]) -> pd.DataFrame:
    """One row per run: accuracies, gap, seconds, size, and the settings that differ between the runs."""
    varying = [key for key in (runs[0].settings if runs else {}) if len({r.settings[key] for r in runs}) > 1]
    rows = [
        {
            "run": run.label,
            "train accuracy": run.train_accuracy,
            "test accuracy": run.test_accuracy,
            "gap": run.gap,
            "seconds": run.seconds,
            "parameters": run.parameters,
            "training points": run.train_points,
            "best epoch": run.best_epoch,
            **{key: run.settings[key] for key in varying},
        }
        for run in runs
    ]
    return pd.DataFrame(rows)
