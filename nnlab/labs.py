"""Build any lab from an experiment, and train-and-score one run as plain data (what a sweep worker does)."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

from nnlab.spec import IMAGE_DATASETS, Experiment


def lab_builder(experiment: Experiment, data=None):
    """(build, evaluate) for the experiment's dataset.

    `data`: a city table or a DigitImages set the caller already has (an upload), else the shipped
    cities, scikit-learn's digits or Keras's MNIST are loaded (and kept for the process's next run).
    """
    if experiment.data.dataset in IMAGE_DATASETS:
        from nnlab.digits import build_digits_lab, evaluate_digits

        images = data if data is not None else _shipped_images(experiment.data.dataset)
        return (lambda e: build_digits_lab(e, images)), evaluate_digits
    if experiment.data.dataset == "cities":
        from nnlab.data.cities import city_labels

        table = data if data is not None else shipped_cities()
        city_labels(table, experiment.data.country)  # an unknown country fails here, before TensorFlow loads
        from nnlab.worldmap import build_city_lab, evaluate_city_lab

        return (lambda e: build_city_lab(e, table)), evaluate_city_lab
    from nnlab.playground import build_lab, evaluate

    return build_lab, evaluate


@functools.cache
def shipped_cities():
    from nnlab.data.cities import DEFAULT_CITIES, read_cities

    return read_cities(DEFAULT_CITIES)


@functools.cache
def _shipped_images(dataset: str):
    from nnlab.data.digits import load_mnist, load_sklearn_digits

    return load_mnist() if dataset == "mnist" else load_sklearn_digits()


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
