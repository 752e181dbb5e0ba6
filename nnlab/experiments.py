"""Grid experiments: two settings, a few values each, repeats with new seeds; the mean test metric per cell.

The Experiments page and `bench executor` build their runs here and hand them to `nnlab.executor`;
each cell's repeats differ only in the seed (split, initial weights and batch order).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from nnlab import spec
from nnlab.spec import GRID_AXES, SETTINGS, Experiment, SpecError


@dataclass(frozen=True)
class Axis:
    values: tuple  # the values offered
    default: tuple  # the values chosen at first


# The settings a grid varies and their values, read from the one table of settings (spec.SETTINGS).
AXES = MappingProxyType({name: Axis(SETTINGS[name].grid, SETTINGS[name].grid_default) for name in GRID_AXES})
METRICS = ("accuracy", "balanced_accuracy", "f1", "loss", "train_accuracy")


def with_setting(experiment: Experiment, name: str, value) -> Experiment:
    """The experiment with one axis set (spec.with_setting's rule: units to every hidden layer, and so on)."""
    if name not in AXES:
        raise SpecError("error_cannot_vary", name=name, choices=", ".join(AXES))
    return spec.with_setting(experiment, name, value)


@dataclass(frozen=True)
class Grid:
    base: Experiment
    rows: tuple[str, tuple]  # setting name, values
    columns: tuple[str, tuple]
    repeats: int

    def cells(self) -> list[tuple[object, object, int, Experiment]]:
        """Every run: (row value, column value, repeat, experiment), repeats seeded seed, seed + 1, …"""
        (row_name, row_values), (column_name, column_values) = self.rows, self.columns
        if row_name == column_name:
            raise SpecError("error_same_axes")
        runs = []
        for row in row_values:
            for column in column_values:
                cell = with_setting(with_setting(self.base, row_name, row), column_name, column)
                for repeat in range(self.repeats):
                    runs.append((row, column, repeat, cell.replace(seed=self.base.train.seed + repeat)))
        return runs


def heat_frame(grid: Grid, results: dict[int, object], metric: str) -> pd.DataFrame:
    """One row per cell with at least one finished run: mean and spread of `metric`, and the run count."""
    cells = grid.cells()
    values: dict[tuple, list[float]] = {}
    for index, score in results.items():
        if hasattr(score, "metrics"):
            row, column, _, _ = cells[index]
            values.setdefault((row, column), []).append(score.metrics[metric])
    rows = [
        {
            "row": str(row),
            "column": str(column),
            "mean": float(np.mean(v)),
            "std": float(np.std(v)),
            "runs": len(v),
            "low": float(np.min(v)),
            "high": float(np.max(v)),
        }
        for (row, column), v in values.items()
    ]
    return pd.DataFrame(rows, columns=["row", "column", "mean", "std", "runs", "low", "high"])


def best_cell(frame: pd.DataFrame, metric: str) -> tuple[str, str] | None:
    """The (row, column) with the best mean (lowest for a loss)."""
    if frame.empty:
        return None
    best = frame.sort_values("mean", ascending=metric == "loss", kind="stable").iloc[0]
    return best["row"], best["column"]
