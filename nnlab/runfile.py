"""A run as one file (settings JSON + weight arrays in an .npz), and the only safe way back in.

An uploaded run never builds anything itself: no `load_model`, no unpickling (Keras's
`safe_mode` has been bypassed before). The settings are validated as any link is, the
model is rebuilt from them, and only numeric arrays of exactly the expected shapes are
copied into it.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

import numpy as np

from nnlab.errors import LabError
from nnlab.spec import Experiment, SpecError

FORMAT = "nnlab-run"
VERSION = 1
CONFIG_KEY = "nnlab_config"
MAX_RUN_BYTES = 64 * 2**20  # uncompressed: the MNIST reference net's weights are 4 MB


@dataclass(frozen=True)
class ImportedRun:
    experiment: Experiment
    epochs: int  # how long it had trained when exported
    weights: dict[str, np.ndarray]  # weight path -> array


def run_file(experiment: Experiment, trainer) -> bytes:
    """The run's settings and every model weight (by its Keras path) as a compressed .npz."""
    config = {"format": FORMAT, "version": VERSION, "settings": experiment.to_dict(), "epochs": trainer.epoch}
    buffer = io.BytesIO()
    arrays = {weight.path: weight.numpy() for weight in trainer.model.weights}
    np.savez_compressed(buffer, **{CONFIG_KEY: np.array(json.dumps(config))}, **arrays)
    return buffer.getvalue()


def read_run_file(data: bytes) -> ImportedRun:
    """Validate an uploaded run file; every problem is a LabError (a ValueError) a student can read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sizes = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise LabError("error_run_not_ours") from error
    if sizes > MAX_RUN_BYTES:
        raise LabError("error_run_too_big", megabytes=sizes / 2**20, limit=MAX_RUN_BYTES // 2**20)
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise LabError("error_run_not_arrays", detail=str(error)) from error
    config = _config(arrays.pop(CONFIG_KEY, None))
    try:
        experiment = Experiment.from_dict({k: str(v) for k, v in config["settings"].items()})
    except (SpecError, AttributeError) as error:
        reason = error if isinstance(error, LabError) else str(error)
        raise LabError("error_run_bad_settings", error=reason) from error
    for name, array in arrays.items():
        if array.dtype.kind not in "fiu":
            raise LabError("error_run_weights_not_numbers", name=name, dtype=str(array.dtype))
        if not np.all(np.isfinite(array)):
            raise LabError("error_run_weights_not_finite", name=name)
    epochs = config.get("epochs", 0)
    if not isinstance(epochs, int) or epochs < 0:
        raise LabError("error_run_bad_epochs", epochs=repr(epochs))
    return ImportedRun(experiment, epochs, arrays)


def _config(value: np.ndarray | None) -> dict:
    if value is None or value.dtype.kind != "U" or value.shape != ():
        raise LabError("error_run_no_settings")
    try:
        config = json.loads(str(value))
    except json.JSONDecodeError as error:
        raise LabError("error_run_not_json", detail=str(error)) from error
    if not isinstance(config, dict) or config.get("format") != FORMAT or not isinstance(config.get("settings"), dict):
        raise LabError("error_run_no_settings")
    if config.get("version") != VERSION:
        raise LabError("error_run_version", version=str(config.get("version")), expected=VERSION)
    return config
