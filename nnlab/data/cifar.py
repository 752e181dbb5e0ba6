"""CIFAR-10's 60,000 colour photographs (32×32, ten classes) from Keras's cache, downloaded into it once.

The batches are the one place NN Lab unpickles anything: CIFAR-10 ships as Python pickles, so they are read
with an unpickler that can rebuild a uint8 array and nothing else, and only from Keras's own cache folder,
never from an upload. Keras 3's `keras.datasets.cifar10.load_data()` and this module share that folder: the
archive is kept where Keras's `get_file` looks for it, and the batches where Keras extracts them.
"""

from __future__ import annotations

import functools
import hashlib
import http.client
import os
import pickle
import shutil
import tarfile
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

from nnlab.data.digits import DOWNLOAD_TIMEOUT, DigitImages
from nnlab.errors import LabError, Phrase

CIFAR_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
CIFAR_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"  # where Keras fetches it
CIFAR_SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"  # keras.datasets.cifar10's hash
MAX_CIFAR_BYTES = 200 * 1024 * 1024  # the archive is 163 MiB (≈ 170 MB)
MAX_BATCH_BYTES = 40 * 1024 * 1024  # one pickled batch is 30 MiB
CHUNK_BYTES = 1024 * 1024
KERAS_FOLDER = "cifar-10-batches-py-target"  # get_file(fname=...) with extract=True: the extraction folder's name
KERAS_ARCHIVE = KERAS_FOLDER + "_archive"  # ... and the downloaded archive's, which Keras checks before downloading
BATCH_FOLDER = "cifar-10-batches-py"  # the archive's own top folder, inside Keras's extraction folder
TRAIN_BATCHES = tuple(f"data_batch_{number}" for number in range(1, 6))
BATCHES = (*TRAIN_BATCHES, "test_batch")  # the order of the 60,000 images: training, then test
ARCHIVE_FILES = frozenset(f"{BATCH_FOLDER}/{name}" for name in (*BATCHES, "batches.meta", "readme.html"))
SIDE, CHANNELS = 32, 3
PIXELS = SIDE * SIDE * CHANNELS  # one row of a batch: the red plane, then the green, then the blue
# What pickle may build from a batch: numpy's array and dtype, and the function that rebuilds an array from its
# bytes (numpy.core in files written by numpy 1 or Python 2, as CIFAR-10's are; numpy._core by numpy 2).
# Labels are a plain list of ints, so no numpy scalar is needed. Everything else (os.system, eval, ...) is refused.
ALLOWED_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }
)


@functools.cache
def shipped_cifar10() -> DigitImages:
    """All 60,000 images, loaded once per process (nnlab.kinds routes the "cifar10" dataset here)."""
    return load_cifar10()


def load_cifar10() -> DigitImages:
    """All 60,000 images (the five training batches, then the test batch) as (n, 32, 32, 3) float32 in [0, 1],
    labels 0..9 indexing CIFAR_CLASSES; downloaded into Keras's cache first if they are not there (≈ 170 MB)."""
    if not cifar_cached():
        _install_cifar()
    return read_batches(batch_folder())


def cifar_cached() -> bool:
    """Whether all six batches are in Keras's cache, so CIFAR-10 loads without the network (nothing is read)."""
    return all((batch_folder() / name).is_file() for name in BATCHES)


def keras_datasets() -> Path:
    """Keras's dataset cache: $KERAS_HOME/datasets, else ~/.keras/datasets (the rule digits.py uses for MNIST)."""
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras") / "datasets"


def batch_folder() -> Path:
    """Where `keras.datasets.cifar10.load_data()` extracts the batches, so a copy either of us fetched is found."""
    return keras_datasets() / KERAS_FOLDER / BATCH_FOLDER


def read_batches(folder: Path) -> DigitImages:
    """The batches in `folder` as one image set, converted batch by batch into one array: 60,000 images are
    737 MB as float32, so no second full-size copy is ever made.

    This unpickles (restricted to numpy arrays): only for the batches in Keras's cache, which it checks, never
    for an upload."""
    batches = [_read_batch(folder / name) for name in BATCHES]
    images = np.empty((sum(len(data) for data, _ in batches), SIDE, SIDE, CHANNELS), dtype=np.float32)
    start = 0
    for data, _ in batches:
        part = images[start : start + len(data)]
        np.copyto(part, data.reshape(len(data), CHANNELS, SIDE, SIDE).transpose(0, 2, 3, 1))  # planes → pixels
        np.divide(part, 255, out=part)
        start += len(data)
    labels = np.concatenate([labels for _, labels in batches])
    return DigitImages(images, labels, "cifar10")


def _read_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """One batch's pixels (n, 3072) uint8 and labels (n,) int64, refusing anything that is not a CIFAR-10 batch."""
    if not path.resolve().is_relative_to(keras_datasets().resolve()):
        raise LabError("error_cifar_outside_cache", path=str(path))
    if not path.is_file():
        raise LabError("error_cifar_missing_batch", name=path.name, folder=_extraction_folder())
    if path.stat().st_size > MAX_BATCH_BYTES:
        raise _damaged(path, Phrase("error_cifar_batch_too_big", megabytes=MAX_BATCH_BYTES // 2**20))
    with path.open("rb") as file:
        batch = _unpickle(file, path)
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        raise LabError("error_cifar_not_batch", name=path.name, folder=_extraction_folder())
    data = _checked_data(batch[b"data"], path.name)
    return data, _checked_labels(batch[b"labels"], len(data), path.name)


def _unpickle(file: BinaryIO, path: Path) -> object:
    """The pickled object, or why the file cannot be one of CIFAR-10's (cut short, garbled, a forbidden call)."""
    try:
        return _BatchUnpickler(file, path).load()
    except LabError:
        raise
    except Exception as error:  # pickle raises many types for a damaged file (EOFError, UnpicklingError, ...)
        raise _damaged(path, f"{type(error).__name__}: {error}") from None


class _BatchUnpickler(pickle.Unpickler):
    """Python 2's pickles as CIFAR-10 wrote them (str read as bytes), building numpy arrays and nothing else."""

    def __init__(self, file: BinaryIO, path: Path) -> None:
        super().__init__(file, encoding="bytes")
        self.path = path

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in ALLOWED_GLOBALS:
            raise _damaged(self.path, Phrase("error_cifar_forbidden_global", found=f"{module}.{name}"))
        return super().find_class(module, name)


def _damaged(path: Path, detail: object) -> LabError:
    """A batch in the cache that is not CIFAR-10's, with what is wrong and how to get a good copy."""
    return LabError("error_cifar_damaged", name=path.name, detail=detail, folder=_extraction_folder())


def _extraction_folder() -> str:
    """The folder to delete when a batch is bad: Keras's extraction of CIFAR-10, which the next load replaces."""
    return str(keras_datasets() / KERAS_FOLDER)


def _checked_data(data: object, name: str) -> np.ndarray:
    """The batch's pixels: uint8, one row of 3,072 values (three 32×32 planes) per image, at least one image."""
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1:] != (PIXELS,):
        dtype, shape = getattr(data, "dtype", type(data).__name__), getattr(data, "shape", "")
        raise LabError("error_cifar_data_shape", name=name, dtype=str(dtype), shape=str(shape))
    if not len(data):
        raise LabError("error_cifar_data_shape", name=name, dtype=str(data.dtype), shape=str(data.shape))
    return data


def _checked_labels(labels: object, count: int, name: str) -> np.ndarray:
    """The batch's labels as int64: one whole number 0..9 per image."""
    try:
        array = np.asarray(labels)
    except (ValueError, TypeError):  # a ragged list
        array = np.asarray([], dtype=object)
    if array.shape != (count,) or array.dtype.kind not in "ui":
        raise LabError("error_cifar_labels", name=name, count=count, dtype=str(array.dtype), shape=str(array.shape))
    if array.min() < 0 or array.max() >= len(CIFAR_CLASSES):
        raise LabError("error_cifar_label_range", name=name, low=int(array.min()), high=int(array.max()))
    return array.astype(np.int64)


# --- the download: whole or not at all ------------------------------------------------------------------------


def _install_cifar() -> None:
    """Keras's archive (downloaded unless a good copy is already cached) extracted into Keras's cache."""
    datasets = keras_datasets()
    archive = datasets / KERAS_ARCHIVE
    if archive.is_file() and _sha256(archive) == CIFAR_SHA256:
        _extract(archive, datasets)  # Keras downloaded it but its extraction is gone or incomplete
        return
    partial = _partial_file(datasets)
    try:
        if _download(partial) != CIFAR_SHA256:
            raise LabError("error_cifar_checksum")
        _extract(partial, datasets)
        partial.replace(archive)  # where Keras's get_file finds it (and checks its hash) instead of downloading
    finally:
        partial.unlink(missing_ok=True)


def _partial_file(datasets: Path) -> Path:
    """A new empty file for the download, with a name of its own: two sessions downloading at once never write
    into one file."""
    try:
        datasets.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=KERAS_ARCHIVE + ".", suffix=".part", dir=datasets)
    except OSError as error:  # a read-only home, a full disk
        raise LabError(
            "error_cifar_unwritable", folder=str(datasets), detail=f"{type(error).__name__}: {error}"
        ) from None
    os.close(handle)
    return Path(name)


def _download(target: Path) -> str:
    """CIFAR-10's archive streamed into `target` with a timeout and a size cap; its SHA-256.

    A stalled connection must end in a sentence on the page, not hang the session that asked for it."""
    try:
        response = urllib.request.urlopen(CIFAR_URL, timeout=DOWNLOAD_TIMEOUT)
    except (OSError, ValueError, http.client.HTTPException):  # URLError, refused, timed out (an OSError)
        raise LabError("error_cifar_offline") from None
    digest, size = hashlib.sha256(), 0
    with response, target.open("wb") as file:
        for chunk in _chunks(response):
            size += len(chunk)
            if size > MAX_CIFAR_BYTES:  # not Keras's file, whatever it is
                raise LabError("error_cifar_checksum")
            digest.update(chunk)
            file.write(chunk)
    return digest.hexdigest()


def _chunks(response: BinaryIO) -> Iterator[bytes]:
    """The response's bytes a chunk at a time; a connection that drops or stalls midway is the network's fault."""
    while True:
        try:
            chunk = response.read(CHUNK_BYTES)
        except (OSError, ValueError, http.client.HTTPException):  # reset, timed out, IncompleteRead
            raise LabError("error_cifar_offline") from None
        if not chunk:
            return
        yield chunk


def _sha256(path: Path) -> str:
    """The file's SHA-256, read a chunk at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _extract(archive: Path, datasets: Path) -> None:
    """The archive's batches (only CIFAR-10's own files, tarfile's "data" filter) into a temporary folder that
    becomes Keras's extraction folder only once it is whole."""
    staging = Path(tempfile.mkdtemp(prefix=KERAS_FOLDER + ".", suffix=".part", dir=datasets))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = [member for member in tar.getmembers() if member.name in ARCHIVE_FILES and member.isfile()]
            missing = sorted({f"{BATCH_FOLDER}/{name}" for name in BATCHES} - {member.name for member in members})
            if missing:  # never with Keras's hash: a test's archive
                raise LabError("error_cifar_unpack", folder=str(datasets), detail=", ".join(missing))
            tar.extractall(staging, members=members, filter="data")
        _put_in_place(staging, datasets / KERAS_FOLDER)
    except (tarfile.TarError, EOFError, OSError) as error:  # with a good hash: a full disk, or no permission
        raise LabError("error_cifar_unpack", folder=str(datasets), detail=f"{type(error).__name__}: {error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _put_in_place(staging: Path, target: Path) -> None:
    """Rename the whole extraction into place, replacing an incomplete one (Keras re-extracts it at will anyway)."""
    if cifar_cached():  # another session finished first
        return
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
