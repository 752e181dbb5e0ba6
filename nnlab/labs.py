"""Build any lab from an experiment, and train-and-score one run as plain data (what a sweep worker does)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from nnlab.kinds import kind_of, lab_data
from nnlab.spec import Experiment


def lab_builder(experiment: Experiment, data=None):
    """(build, evaluate) for the experiment's kind of lab (see nnlab.kinds).

    `data`: a city table or a DigitImages set the caller already has (an upload), else the shipped
    cities, scikit-learn's digits or Keras's MNIST are loaded (and kept for the process's next run).
    """
    kind, loaded = kind_of(experiment), lab_data(experiment, data)
    kind.check(experiment, loaded)
    build = kind.build
    return (lambda e: build(e, loaded)), kind.evaluate


@dataclass(frozen=True)
class Score:
    """One finished run as plain data."""

    settings: dict
    metrics: dict[str, float]
    history: tuple[tuple[int, float, float, float, float], ...]  # epoch, train/test loss, train/test accuracy
    parameters: int
    seconds: float
    stopped: str | None


def train_and_score(experiment: Experiment, data=None) -> Score:
    """Build the experiment's lab, train it for its epochs, and return its held-out metrics and curves."""
    build, evaluate = lab_builder(experiment, data)
    lab = build(experiment)
    start = time.perf_counter()
    lab.trainer.run(experiment.train.epochs)
    seconds = time.perf_counter() - start
    history = tuple(
        (e.epoch, e.train_loss, e.test_loss, e.train_accuracy, e.test_accuracy) for e in lab.trainer.history
    )
    return Score(
        experiment.to_dict(), evaluate(lab), history, lab.trainer.parameters, seconds, lab.trainer.stopped_reason
    )
