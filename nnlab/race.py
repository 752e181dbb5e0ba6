"""Seed 002's task 2 made live: the same network, data and initial weights trained by several optimizers at once.

Every racer is a `Trainer` built from the same experiment and seed (so the same starting
weights and the same shuffles) with only the optimizer and its learning rate changed. A `Race`
looks like one trainer to the live panel: `run`, `epoch`, `reset`, `stopped_reason`.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from nnlab.data.features import expand_features
from nnlab.errors import LabError
from nnlab.frames import Frame, FrameLog, ProbeLayout
from nnlab.playground import build_lab, plane_extent, plane_grid
from nnlab.spec import OPTIMIZERS, Experiment
from nnlab.train import Trainer

# Six boundaries share a tick's frames: each at 32×32 (drawn smoothed at 190 px), so every epoch still fits.
RACE_RESOLUTION = 32
DEFAULT_RATES = MappingProxyType(
    {"sgd": 0.1, "momentum": 0.03, "nesterov": 0.03, "adagrad": 0.3, "rmsprop": 0.01, "adam": 0.01}
)


@dataclass
class Race:
    experiment: Experiment
    trainers: dict[str, Trainer]  # optimizer name -> its trainer
    target: float  # test accuracy that counts as "arrived"
    points: object = None  # the raw 2-D points, for drawing
    arrived: dict[str, tuple[int, float]] = field(default_factory=dict)  # optimizer -> (epoch, seconds)

    @property
    def epoch(self) -> int:
        return max((t.epoch for t in self.trainers.values()), default=0)

    @property
    def stopped_reason(self) -> str | None:
        reasons = {t.stopped_reason for t in self.trainers.values()}
        return "diverged" if reasons == {"diverged"} else None

    @property
    def train_spec(self):
        return next(iter(self.trainers.values())).train_spec

    @property
    def examples_per_epoch(self) -> int:
        """Training examples one race epoch feeds through all the racers."""
        return sum(t.examples_per_epoch for t in self.trainers.values())

    def run(self, max_epochs: int, max_seconds: float = math.inf, on_epoch=None) -> None:
        """The same number of epochs for every racer still running, the budget shared between them."""
        running = [t for t in self.trainers.values() if t.stopped_reason is None and t.epoch < self.epoch + max_epochs]
        if not running:
            return
        leader, *others = running
        epochs = len(leader.run(max_epochs, max_seconds / len(running))) or 1
        for trainer in others:
            trainer.run(epochs)
        self._note_arrivals()

    def reset(self) -> None:
        for trainer in self.trainers.values():
            trainer.reset()
        self.arrived.clear()

    @property
    def epochs_per_second(self) -> float | None:
        """Race epochs a second: every racer trains each epoch, one after another."""
        speeds = [t.epochs_per_second for t in self.trainers.values()]
        return None if None in speeds else 1 / sum(1 / s for s in speeds)

    def record_every(self, every: int) -> None:
        for trainer in self.trainers.values():
            trainer.record_every(every)

    def record_final(self) -> None:
        for trainer in self.trainers.values():
            trainer.record_final()

    @property
    def recorder(self) -> RaceFrames:
        return RaceFrames(self)

    def _note_arrivals(self) -> None:
        for name, trainer in self.trainers.items():
            if name in self.arrived:
                continue
            hit = next((e for e in trainer.history if e.test_accuracy >= self.target), None)
            if hit is not None:
                self.arrived[name] = (hit.epoch, hit.seconds)


def build_race(experiment: Experiment, learning_rates: dict[str, float], target: float = 0.9) -> Race:
    """One trainer per optimizer on the experiment's data, all from the same seeded initial weights.

    Each racer records its boundary for the player (no neuron maps: six networks are one picture each).
    """
    unknown = set(learning_rates) - set(OPTIMIZERS)
    if unknown or not learning_rates:
        raise LabError("error_race_optimizers", choices=", ".join(OPTIMIZERS))
    base = build_lab(experiment)
    grid = expand_features(plane_grid(plane_extent(base.points), RACE_RESOLUTION), experiment.model.features)
    layout = ProbeLayout(RACE_RESOLUTION, 0, binary=base.trainer.binary)
    trainers = {}
    for name, rate in learning_rates.items():
        trainer = Trainer(
            experiment.model,
            replace(experiment.train, optimizer=name, learning_rate=rate),
            base.trainer.data,
            probe=grid,
        )
        trainer.recorder = FrameLog(layout, n_layers=len(experiment.model.hidden_layers) + 1)
        trainer.record_now()
        trainers[name] = trainer
    return Race(experiment, trainers, target, points=base.points)


@dataclass(frozen=True)
class RaceFrames:
    """The racers' frames as one: for each epoch the leader recorded, every racer's boundary at that epoch
    (a racer that diverged keeps its last good one), side by side in the frame's boundary array."""

    race: Race

    @property
    def logs(self) -> list[FrameLog]:
        return [t.recorder for t in self.race.trainers.values()]

    @property
    def layout(self) -> ProbeLayout:
        return self.logs[0].layout

    @property
    def run_id(self) -> str:
        return "+".join(log.run_id for log in self.logs)

    @property
    def frames(self) -> list[Frame]:
        return self.since(-1)

    @property
    def first_serial(self) -> int:
        return min((log.first_serial for log in self.logs), default=0)

    @property
    def newest_serial(self) -> int:
        """The newest joined frame's serial: the latest epoch any racer recorded (-1: none yet)."""
        return max((log.frames[-1].epoch for log in self.logs if log.frames), default=-1)

    def since(self, serial: int) -> list[Frame]:
        """Joined frames whose serial (the epoch) is above `serial`."""
        logs = self.logs
        epochs = sorted({f.epoch for log in logs for f in log.frames if f.epoch > serial})
        recorded = [[f.epoch for f in log.frames] for log in logs]
        return [self._joined(epoch, logs, recorded) for epoch in epochs]

    @staticmethod
    def _joined(epoch: int, logs: list[FrameLog], recorded: list[list[int]]) -> Frame:
        parts = [log.frames[max(0, bisect.bisect_right(epochs, epoch) - 1)] for log, epochs in zip(logs, recorded)]
        return Frame(
            epoch,
            epoch,
            tuple(v for f in parts for v in f.metrics),
            np.concatenate([f.boundary for f in parts], axis=-1),
            np.zeros((0, 0, 0), np.uint8),
            np.zeros(0, np.float16),
        )


def race_table(race: Race) -> pd.DataFrame:
    """One row per optimizer: rate, epochs, test accuracy and loss, and when it reached the target."""
    rows = []
    for name, trainer in race.trainers.items():
        last = trainer.history[-1] if trainer.history else None
        epoch, seconds = race.arrived.get(name, (None, None))
        rows.append(
            {
                "optimizer": name,
                "learning_rate": trainer.train_spec.learning_rate,
                "epochs": trainer.epoch,
                "test_accuracy": last.test_accuracy if last else None,
                "test_loss": last.test_loss if last else None,
                "epochs_to_target": epoch,
                "seconds_to_target": None if seconds is None else round(seconds, 2),
                "diverged": trainer.stopped_reason == "diverged",
            }
        )
    return pd.DataFrame(rows)


def race_history(race: Race) -> pd.DataFrame:
    """Long table (epoch, optimizer, metric, value) of test loss and accuracy, for overlaid curves."""
    rows = [
        {"epoch": e.epoch, "optimizer": name, "metric": metric, "value": getattr(e, f"test_{metric}")}
        for name, trainer in race.trainers.items()
        for e in trainer.history[:: max(1, len(trainer.history) // 300)]
        for metric in ("loss", "accuracy")
    ]
    return pd.DataFrame(rows, columns=["epoch", "optimizer", "metric", "value"])


def race_boundaries(race: Race, resolution: int = 50) -> dict[str, np.ndarray]:
    """Each racer's class probabilities over the plane, (resolution, resolution, k)."""
    extent = plane_extent(race.points)
    features = expand_features(plane_grid(extent, resolution), race.experiment.model.features)
    return {name: t.predict(features).reshape(resolution, resolution, -1) for name, t in race.trainers.items()}
