"""Several seeds at once: the same settings trained from N initialisations, summarised as a band.

One run is an anecdote: the same network on the same points can end at 85 % or at 97 % depending
only on where its weights started. So the Playground repeats a run from five initialisations and
draws the mean with a min–max band.

What changes between the runs, and what does not: the DATA stays exactly the data the page shows
(generated, split and, for the student's own points, uploaded or clicked as they are); only the
initial weights, the dropout masks and the order of the batches come from a different seed. The
experiment's one `train.seed` drives both, so a run here keeps the experiment as it is (its seed
makes the data) and builds the trainer from `dataclasses.replace(train, seed=init_seed)`.

The runs go through `nnlab.executor` like every multi-run feature; a job is `train_from_seed`, plain
data in and a `nnlab.labs.Score` out. Streamlit never appears here.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nnlab.executor import run_calls
from nnlab.labs import Score, lab_builder
from nnlab.spec import Experiment

N_SEEDS = 5
SEED_LIMIT = 2**31  # TrainSpec's seeds lie in [0, 2**31): the seeds after the last one wrap to 0
# The per-epoch columns of Score.history after the epoch, in its order.
METRICS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
BAND_COLUMNS = ("epoch", "metric", "mean", "low", "high", "runs")


def init_seeds(experiment: Experiment, n: int = N_SEEDS) -> tuple[int, ...]:
    """The seeds of the initial weights: the experiment's own seed first (run 1 is the page's run), then the next."""
    return tuple((experiment.train.seed + k) % SEED_LIMIT for k in range(max(0, n)))


def seed_experiments(experiment: Experiment, n: int = N_SEEDS, points=None) -> list[tuple]:
    """The executor's calls for `train_from_seed`: (experiment, init_seed, points) for each of `init_seeds`.

    The experiment is the same in every call (its seed makes the data); only `init_seed` differs.
    `points`: the raw 2-D points the page trains on (a `nnlab.data.dataset.Dataset`, own points and
    clicks included); None makes them from the experiment, as the page would.
    """
    return [(experiment, seed, points) for seed in init_seeds(experiment, n)]


def seeded_lab(experiment: Experiment, init_seed: int, points=None):
    """(lab, evaluate): the experiment's data, and a fresh trainer whose initial weights, dropout and
    shuffling come from `init_seed`.

    With `points` the lab is a Playground lab on those very points (no probe grid: nothing is drawn
    in a worker). Without, the experiment's own lab is built (any dataset, through
    `nnlab.labs.lab_builder`) and its trainer rebuilt on the same data with the other seed.
    """
    from nnlab.train import Trainer  # deferred: keeps TensorFlow off the pages that draw seed bands

    train = dataclasses.replace(experiment.train, seed=init_seed)
    if points is not None:
        from nnlab.playground import ToyLab, evaluate, features_of  # deferred: as above

        return ToyLab(experiment, points, Trainer(experiment.model, train, features_of(points, experiment))), evaluate
    build, evaluate = lab_builder(experiment)
    lab = build(experiment)
    if init_seed == experiment.train.seed:
        return lab, evaluate
    old = lab.trainer
    trainer = Trainer(old.model_spec, train, old.data, standardize=old.standardize)
    return dataclasses.replace(lab, trainer=trainer), evaluate


def train_from_seed(experiment: Experiment, init_seed: int, points=None) -> Score:
    """An executor job: train `experiment` from `init_seed`'s initial weights; its Score's settings say which seed."""
    lab, evaluate = seeded_lab(experiment, init_seed, points)
    start = time.perf_counter()
    lab.trainer.run(experiment.train.epochs)
    seconds = time.perf_counter() - start
    history = tuple(
        (e.epoch, e.train_loss, e.test_loss, e.train_accuracy, e.test_accuracy) for e in lab.trainer.history
    )
    settings = {**experiment.to_dict(), "init_seed": str(init_seed)}
    return Score(settings, evaluate(lab), history, lab.trainer.parameters, seconds, lab.trainer.stopped_reason)


def run_seeds(experiment: Experiment, n: int = N_SEEDS, executor=None, points=None) -> Iterator[tuple[int, object]]:
    """(index, Score or nnlab.executor.Failed) of each seed's run as it finishes (a script's way; pages use
    nnlab.ui.batch_runs.run_all with `seed_experiments`)."""
    yield from run_calls(train_from_seed, seed_experiments(experiment, n, points), executor)


def band(scores: Sequence[Score]) -> pd.DataFrame:
    """Long table (epoch, metric, mean, low, high, runs): each metric's mean, minimum and maximum over the runs.

    A run that stopped early (diverged) has no epochs after its last finite one, and is not
    pretended to have any: from there on a row aggregates only the runs that got that far, and
    `runs` says how many did. Nothing is extrapolated or filled in.
    """
    rows = [
        (row[0], metric, float(value))
        for score in scores
        for row in score.history
        for metric, value in zip(METRICS, row[1:])
    ]
    if not rows:
        return pd.DataFrame({column: [] for column in BAND_COLUMNS})
    frame = pd.DataFrame(rows, columns=["epoch", "metric", "value"])
    table = (
        frame.groupby(["metric", "epoch"], sort=False)["value"]
        .agg(mean="mean", low="min", high="max", runs="count")
        .reset_index()
    )
    table["metric"] = pd.Categorical(table["metric"], categories=METRICS, ordered=True)
    table = table.sort_values(["metric", "epoch"]).reset_index(drop=True)
    table["metric"] = table["metric"].astype(str)
    table["epoch"] = table["epoch"].astype(int)
    table["runs"] = table["runs"].astype(int)
    return table[list(BAND_COLUMNS)]


@dataclass(frozen=True)
class SeedSummary:
    """The final test accuracy (R² for regression: the history's score column) over the runs."""

    runs: int  # runs summarised
    finals: tuple[float, ...]  # each run's last test accuracy, in seed order (a run with no epoch has none)
    mean: float
    std: float  # sample standard deviation over the runs (0 for a single run)
    low: float
    high: float
    stopped: tuple[int, ...]  # the last finite epoch of each run that stopped early (diverged), in seed order

    @property
    def diverged(self) -> int:
        return len(self.stopped)


def summary(scores: Sequence[Score]) -> SeedSummary:
    """Mean ± standard deviation, minimum and maximum of the final test accuracy.

    A run that diverged keeps the accuracy of its last finite epoch (the model it ended with) and
    is listed in `stopped`, so the page can say so; one that diverged in its first epoch has no
    final accuracy at all and is only counted there.
    """
    finals = tuple(float(score.history[-1][4]) for score in scores if score.history)
    stopped = tuple(len(score.history) for score in scores if score.stopped is not None)
    if not finals:
        return SeedSummary(len(scores), (), math.nan, math.nan, math.nan, math.nan, stopped)
    values = np.asarray(finals, np.float64)
    std = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    return SeedSummary(
        len(scores), finals, float(values.mean()), std, float(values.min()), float(values.max()), stopped
    )
