"""Everything a student takes home from a run: model, weights, data and split, history, charts."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from nnlab.kinds import kind_of
from nnlab.spec import Experiment


def input_names(experiment: Experiment, n_inputs: int) -> list[str]:
    """Column names of what the network reads: features, latitude/longitude, or pixels."""
    return kind_of(experiment).lab().input_names(experiment, n_inputs)


def data_csv(experiment: Experiment, trainer) -> bytes:
    """The examples the network trained and was tested on: inputs, label, class name, split."""
    data = trainer.data
    frames = []
    for split, x, y in (("train", data.x_train, data.y_train), ("test", data.x_test, data.y_test)):
        frame = pd.DataFrame(x, columns=input_names(experiment, data.n_inputs))
        frames.append(frame.assign(label=y, class_name=np.asarray(data.class_names)[y], split=split))
    return pd.concat(frames, ignore_index=True).to_csv(index=False).encode()


def history_csv(trainer) -> bytes:
    """One row per epoch: loss and accuracy on both sets, and the training seconds so far."""
    columns = ["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "seconds"]
    rows = [[getattr(event, column) for column in columns] for event in trainer.history]
    return pd.DataFrame(rows, columns=columns).to_csv(index=False).encode()


def keras_file(trainer) -> bytes:
    """The trained model in Keras's own `.keras` format (for Keras users; NN Lab never loads uploads of it)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        trainer.model.save(path)
        return path.read_bytes()


def chart_png(chart, scale: float = 2.0) -> bytes:
    """An Altair chart as a PNG (vl-convert renders it: no browser needed)."""
    buffer = io.BytesIO()
    chart.save(buffer, format="png", scale_factor=scale)
    return buffer.getvalue()
