"""Grid experiments: two settings, a few values each, repeats with new seeds; the mean test metric per cell.

The Experiments page and `bench sweep` build their runs here and hand them to `nnlab.sweep`;
each cell's repeats differ only in the seed (split, initial weights and batch order).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from nnlab.spec import Experiment, SpecError


@dataclass(frozen=True)
class Axis:
    label: str
    values: tuple  # the values offered
    default: tuple  # the values chosen at first


AXES = MappingProxyType(
    {
        "hidden_units": Axis("neurons per hidden layer", (1, 2, 4, 8, 16, 32, 64), (2, 4, 8, 16)),
        "learning_rate": Axis("learning rate", (0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0), (0.001, 0.01, 0.1)),
        "regularization_rate": Axis("L2 λ", (0.0, 0.0001, 0.001, 0.01, 0.1), (0.0, 0.001, 0.01)),
        "dropout": Axis("dropout", (0.0, 0.1, 0.2, 0.3, 0.5, 0.7), (0.0, 0.2, 0.5)),
        "batch_size": Axis("batch size", (1, 4, 8, 16, 32, 64, 128), (8, 32, 128)),
        "positive_weight": Axis("class weight 1 : w", (1, 2, 5, 10, 20, 50), (1, 5, 20)),
        "threshold": Axis("decision threshold", (0.1, 0.2, 0.3, 0.5, 0.7, 0.9), (0.3, 0.5, 0.7)),
        "samples": Axis("points", (50, 100, 200, 400, 800), (100, 400)),
        "noise": Axis("noise", (0.0, 0.1, 0.2, 0.3, 0.5), (0.0, 0.2, 0.5)),
        "epochs": Axis("epochs", (10, 25, 50, 100, 200, 400), (25, 100)),
    }
)
METRICS = ("accuracy", "balanced_accuracy", "f1", "loss", "train_accuracy")


def with_setting(experiment: Experiment, name: str, value) -> Experiment:
    """The experiment with one axis set: units go to every hidden layer, an L2 λ turns L2 on."""
    if name not in AXES:
        raise SpecError("error_cannot_vary", name=name, choices=", ".join(AXES))
    if name == "hidden_units":
        if not experiment.model.hidden_layers:
            raise SpecError("error_no_hidden_layer")
        layers = ",".join(
            f"{int(value)}:{layer.activation}"
            + (":bn" if layer.batch_norm else "")
            + ("" if layer.use_bias else ":nobias")
            for layer in experiment.model.hidden_layers
        )
        return experiment.replace(hidden_layers=layers)
    if name == "regularization_rate":
        return experiment.replace(regularization="l2" if value else "none", regularization_rate=value)
    if name == "positive_weight":
        return experiment.replace(class_weights=f"1,{value}" if value != 1 else "", balanced_weights=False)
    return experiment.replace(**{name: value})


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
