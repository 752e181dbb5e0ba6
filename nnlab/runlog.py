"""Run history and the class's challenge board: plain records of finished runs, no live objects.

A record is what a student would copy into a lab notebook: the settings, the final numbers,
how long it took and how many parameters it needed. The board keeps, per dataset, the runs
that reach a target test accuracy with the fewest parameters, the class's "smallest network
that still works" challenge.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from nnlab.errors import LabError
from nnlab.spec import Experiment

BOARD_SIZE = 500  # entries kept server-wide: a school day of a class, bounded memory
NAME_LENGTH = 24


@dataclass(frozen=True)
class RunRecord:
    page: str
    settings: dict  # Experiment.to_dict()
    epochs: int
    seconds: float
    parameters: int
    train_accuracy: float
    test_accuracy: float
    test_loss: float
    curves: tuple[tuple[int, float, float, float, float], ...]  # epoch, train/test loss, train/test accuracy
    stopped: str | None = None
    finished_at: float = field(default_factory=time.time)

    @property
    def dataset(self) -> str:
        return self.settings["dataset"]

    @property
    def network(self) -> str:
        return self.settings["hidden_layers"] or "—"


def record_run(page: str, experiment: Experiment, trainer) -> RunRecord | None:
    """The trainer's run as a record (None before its first epoch)."""
    if not trainer.history:
        return None
    last = trainer.history[-1]
    curves = tuple((e.epoch, e.train_loss, e.test_loss, e.train_accuracy, e.test_accuracy) for e in trainer.history)
    settings = experiment.replace(learning_rate=trainer.train_spec.learning_rate).to_dict()
    return RunRecord(
        page,
        settings,
        trainer.epoch,
        round(last.seconds, 2),
        trainer.parameters,
        last.train_accuracy,
        last.test_accuracy,
        last.test_loss,
        curves,
        trainer.stopped_reason,
    )


def runs_frame(records: Iterable[RunRecord]) -> pd.DataFrame:
    """One row per run, newest last: the columns a student sorts by."""
    rows = [
        {
            "run": index,
            "page": r.page,
            "dataset": r.dataset,
            "network": r.network,
            "optimizer": r.settings["optimizer"],
            "learning_rate": float(r.settings["learning_rate"]),
            "batch_size": int(r.settings["batch_size"]),
            "regularization": r.settings["regularization"],
            "epochs": r.epochs,
            "parameters": r.parameters,
            "train_accuracy": r.train_accuracy,
            "test_accuracy": r.test_accuracy,
            "test_loss": r.test_loss,
            "seconds": r.seconds,
        }
        for index, r in enumerate(records, start=1)
    ]
    return pd.DataFrame(rows)


def settings_diff(first: RunRecord, second: RunRecord) -> pd.DataFrame:
    """The settings where two runs differ, side by side."""
    keys = [k for k in first.settings if first.settings[k] != second.settings.get(k)]
    return pd.DataFrame(
        {
            "setting": keys,
            "first": [str(first.settings[k]) for k in keys],
            "second": [str(second.settings.get(k)) for k in keys],
        }
    )


def curves_frame(records: dict[str, RunRecord]) -> pd.DataFrame:
    """Long table (run, epoch, set, loss, accuracy) of several runs' curves, for one chart."""
    rows = []
    for label, record in records.items():
        for epoch, train_loss, test_loss, train_accuracy, test_accuracy in record.curves:
            rows.append({"run": label, "epoch": epoch, "set": "train", "loss": train_loss, "accuracy": train_accuracy})
            rows.append({"run": label, "epoch": epoch, "set": "test", "loss": test_loss, "accuracy": test_accuracy})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class BoardEntry:
    name: str
    record: RunRecord


class ChallengeBoard:
    """The class's shared board (one per server): thread-safe, bounded, names as plain text."""

    def __init__(self, size: int = BOARD_SIZE) -> None:
        self._entries: list[BoardEntry] = []
        self._lock = threading.Lock()
        self._size = size

    def submit(self, name: str, record: RunRecord) -> None:
        name = " ".join(str(name).split())[:NAME_LENGTH]
        if not name:
            raise LabError("error_board_name")
        with self._lock:
            self._entries.append(BoardEntry(name, record))
            del self._entries[: max(0, len(self._entries) - self._size)]

    def standings(self, dataset: str, target: float) -> pd.DataFrame:
        """Runs on `dataset` at or above `target` test accuracy: fewest parameters first, then best accuracy."""
        with self._lock:
            entries = [e for e in self._entries if e.record.dataset == dataset and e.record.test_accuracy >= target]
        rows = [
            {
                "name": e.name,
                "network": e.record.network,
                "parameters": e.record.parameters,
                "test_accuracy": e.record.test_accuracy,
                "epochs": e.record.epochs,
            }
            for e in entries
        ]
        frame = pd.DataFrame(rows, columns=["name", "network", "parameters", "test_accuracy", "epochs"])
        frame = frame.sort_values(["parameters", "test_accuracy"], ascending=[True, False], kind="stable")
        frame.insert(0, "place", range(1, len(frame) + 1))
        return frame.reset_index(drop=True)

    def datasets(self) -> list[str]:
        with self._lock:
            return sorted({e.record.dataset for e in self._entries})
