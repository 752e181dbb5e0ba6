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
    """Validate an uploaded run file; every problem is a ValueError a student can read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sizes = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise ValueError("This is not a run exported by NN Lab (an .npz file from the Export panel).") from error
    if sizes > MAX_RUN_BYTES:
        raise ValueError(f"This run unpacks to {sizes / 2**20:.0f} MB; NN Lab runs are at most "
                         f"{MAX_RUN_BYTES // 2**20} MB.")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"The run file cannot be read as plain arrays ({error}).") from error
    config = _config(arrays.pop(CONFIG_KEY, None))
    try:
        experiment = Experiment.from_dict({k: str(v) for k, v in config["settings"].items()})
    except (SpecError, AttributeError) as error:
        raise ValueError(f"The run's settings are not valid: {error}") from error
    for name, array in arrays.items():
        if array.dtype.kind not in "fiu":
            raise ValueError(f"{name} holds {array.dtype} values; weights must be numbers.")
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} holds NaN or infinite values.")
    epochs = config.get("epochs", 0)
    if not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"The run's epoch count {epochs!r} is not a whole number.")
    return ImportedRun(experiment, epochs, arrays)


def _config(value: np.ndarray | None) -> dict:
    if value is None or value.dtype.kind != "U" or value.shape != ():
        raise ValueError("The file has no NN Lab settings: export runs from NN Lab's Export panel.")
    try:
        config = json.loads(str(value))
    except json.JSONDecodeError as error:
        raise ValueError(f"The run's settings are not valid JSON ({error}).") from error
    if not isinstance(config, dict) or config.get("format") != FORMAT or not isinstance(config.get("settings"), dict):
        raise ValueError("The file has no NN Lab settings: export runs from NN Lab's Export panel.")
    if config.get("version") != VERSION:
        raise ValueError(f"This run was saved by format version {config.get('version')}; this NN Lab reads "
                         f"version {VERSION}.")
    return config
