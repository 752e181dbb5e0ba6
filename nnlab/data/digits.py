"""Digit images from sklearn's 8×8 set, MNIST, a student's .mat or a drawing, checked; bad files raise a LabError
(a ValueError whose message the page shows in the student's language)."""

from __future__ import annotations

import functools
import hashlib
import io
import math
import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import scipy.io
import scipy.sparse
from PIL import Image, UnidentifiedImageError
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from nnlab.data.files import read_bytes
from nnlab.errors import LabError, Phrase

MAX_MAT_VALUES = 20_000_000  # a compressed 10 MB file can unpack to gigabytes; ≈ 50,000 images of 20×20
MAT_SIDES = range(4, 65)  # X's columns must be side*side for one of these sides
MNIST_KEYS = ("x_train", "y_train", "x_test", "y_test")
MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"  # where Keras fetches it
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"  # keras.datasets.mnist's hash
MAX_MNIST_BYTES = 20 * 1024 * 1024  # the file is 11 MB
DOWNLOAD_TIMEOUT = 30  # seconds without progress (connecting, or between reads) before giving up
INK_THRESHOLD, MIN_INK_SHARE, MARGIN_SHARE = 0.1, 0.002, 0.15
LUMINANCE = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R 601, as PIL's "L" mode
LUMINANCE.setflags(write=False)  # shared by every session: read-only
SHOWN_VARIABLES = 10


@dataclass(frozen=True, eq=False)  # eq=False: `==` on two arrays has no single truth value
class DigitImages:
    """Labelled images in [0, 1]: handwritten digits (n, side, side), ink high and background 0, or colour
    photographs (n, side, side, 3) such as CIFAR-10's (nnlab.data.cifar)."""

    images: np.ndarray  # (n, side, side) or (n, side, side, 3) float32, read-only
    labels: np.ndarray  # (n,) int64 classes 0..9, read-only
    source: str  # "digits8", "mnist", "mat" or "cifar10"

    def __post_init__(self) -> None:
        self.images.setflags(write=False)  # cached and shared between sessions: nobody may edit them
        self.labels.setflags(write=False)

    @property
    def side(self) -> int:
        """Pixels along each edge of one image."""
        return self.images.shape[1]

    @property
    def channels(self) -> int:
        """1 for grey images, 3 for colour ones."""
        return self.images.shape[3] if self.images.ndim == 4 else 1

    def __len__(self) -> int:
        return len(self.labels)


@functools.cache
def shipped_images(dataset: str) -> DigitImages:
    """The images a spec's image dataset names, loaded once per process: "digits" (bundled) or "mnist" (downloaded)."""
    return load_mnist() if dataset == "mnist" else load_sklearn_digits()


def load_sklearn_digits() -> DigitImages:
    """scikit-learn's bundled 1,797 8×8 digits, values 0..16 scaled to [0, 1]; needs no network."""
    bunch = load_digits()
    return DigitImages((bunch.images / 16).astype(np.float32), bunch.target.astype(np.int64), "digits8")


def load_mnist(path: str | os.PathLike | None = None) -> DigitImages:
    """All 70,000 MNIST 28×28 digits (train then test) in [0, 1], from a Keras-format .npz or Keras's cache."""
    if path is None and _keras_cache().is_file():
        path = _keras_cache()
    arrays = _download_mnist() if path is None else _read_npz(Path(path))
    for part in ("train", "test"):
        _check_mnist_part(arrays[f"x_{part}"], arrays[f"y_{part}"], part)
    images = np.concatenate([arrays["x_train"], arrays["x_test"]]).astype(np.float32)
    images /= 255  # in place: 70,000 images are 220 MB as float32
    labels = np.concatenate([arrays["y_train"], arrays["y_test"]]).astype(np.int64)
    return DigitImages(images, labels, "mnist")


def _keras_cache() -> Path:
    """Where `keras.datasets.mnist.load_data()` keeps its download, so a cached copy loads without TensorFlow."""
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras") / "datasets" / "mnist.npz"


def mnist_cached() -> bool:
    """Whether MNIST is in Keras's cache, so it loads without the network (nothing is read)."""
    return _keras_cache().is_file()


def _download_mnist() -> dict[str, np.ndarray]:
    """Keras's MNIST file (≈ 11 MB, fetched once into Keras's cache) with Keras's checksum, but with a timeout:
    a stalled connection must end in a sentence on the page, not hang the session that asked for it."""
    try:
        with urllib.request.urlopen(MNIST_URL, timeout=DOWNLOAD_TIMEOUT) as response:
            data = response.read(MAX_MNIST_BYTES + 1)
    except (OSError, ValueError):  # URLError, refused, timed out (socket.timeout is an OSError)
        raise LabError("error_mnist_offline") from None
    if hashlib.sha256(data).hexdigest() != MNIST_SHA256:
        raise LabError("error_mnist_checksum")
    target = _keras_cache()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)  # whole or absent: a broken download never sits in the cache
    return _read_npz(target)


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    """The four MNIST arrays of a Keras-format .npz file, refusing other files with the reason."""
    if not path.is_file():
        raise LabError("error_mnist_no_file", path=str(path))
    with _open_npz(path) as archive:
        missing = [key for key in MNIST_KEYS if key not in archive.files]
        if missing:
            raise LabError(
                "error_mnist_missing_arrays",
                name=path.name,
                missing=", ".join(missing),
                has=", ".join(archive.files) or Phrase("error_nothing"),
                expected=", ".join(MNIST_KEYS),
            )
        return {key: archive[key] for key in MNIST_KEYS}


def _open_npz(path: Path) -> np.lib.npyio.NpzFile:
    """The file opened as an .npz archive, or why it is not one."""
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):  # not a zip, a pickle, or cut short
        archive = None
    if not isinstance(archive, np.lib.npyio.NpzFile):  # a lone .npy loads as one array
        raise LabError("error_mnist_not_npz", name=path.name)
    return archive


def _check_mnist_part(images: np.ndarray, labels: np.ndarray, part: str) -> None:
    """Refuse MNIST arrays whose shapes, types or labels are not Keras's: (n, 28, 28) 0..255 and (n,) 0..9."""
    if images.ndim != 3 or images.shape[1:] != (28, 28) or images.dtype.kind not in "uif":
        raise LabError("error_mnist_x_shape", part=part, dtype=str(images.dtype), shape=str(images.shape))
    if labels.shape != (len(images),) or labels.dtype.kind not in "ui":
        raise LabError(
            "error_mnist_y_shape", part=part, count=len(images), dtype=str(labels.dtype), shape=str(labels.shape)
        )
    if len(images) and (images.min() < 0 or images.max() > 255):
        raise LabError("error_mnist_pixel_range", part=part)
    if len(labels) and (labels.min() < 0 or labels.max() > 9):
        raise LabError("error_mnist_label_range", part=part, low=int(labels.min()), high=int(labels.max()))


def read_mat(source: str | os.PathLike | BinaryIO) -> DigitImages:
    """Digits of a MATLAB file like seed 004's ex4data1.mat: X (m × side², column-major) and y (1..10, 10 = 0)."""
    x, y = _load(_read_bytes(source))
    x, side = _checked_x(x)
    labels = _digit_labels(_checked_y(y, len(x)))
    # Background 0 and ink up to 1, like the other digits and a drawing: seed 004's X is −0.13..1.1,
    # the negatives being resampling ringing around the strokes.
    clipped = np.clip(x, 0, None)
    if clipped.max() == 0:
        raise LabError("error_mat_no_positive")
    scaled = (clipped / clipped.max()).astype(np.float32)
    # MATLAB stores each image column by column: row.reshape(side, side, order="F") is reshape(...).T
    images = scaled.reshape(len(x), side, side).transpose(0, 2, 1)
    return DigitImages(np.ascontiguousarray(images), labels, "mat")


def _read_bytes(source: str | os.PathLike | BinaryIO) -> bytes:
    """The file's bytes (see `read_bytes`); an empty file is refused too."""
    data = read_bytes(source, "error_mat_too_big")
    if not data:
        raise LabError("error_mat_empty")
    return data


def _list_variables(data: bytes) -> list[tuple[str, tuple[int, ...], str]]:
    """Name, shape and class of every variable in the file, read from the headers without loading the data."""
    if data.startswith(b"MATLAB 7.3") or data[512:516] == b"\x89HDF":
        raise LabError("error_mat_v73")
    if not data.startswith(b"MATLAB"):
        raise LabError("error_mat_not_mat")
    try:
        return scipy.io.whosmat(io.BytesIO(data))
    except Exception as error:  # scipy raises many types for a damaged file
        raise LabError("error_mat_damaged", detail=str(error)) from None


def _load(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """X and y as the file stores them, refusing an X too big to unpack before unpacking it."""
    shapes = {name: shape for name, shape, _ in _list_variables(data)}
    x_name, y_name = _variable_name(shapes, "X"), _variable_name(shapes, "y")
    if math.prod(shapes[x_name]) > MAX_MAT_VALUES:
        raise LabError("error_mat_too_many_values", count=math.prod(shapes[x_name]), limit=MAX_MAT_VALUES)
    try:
        loaded = scipy.io.loadmat(io.BytesIO(data), variable_names=[x_name, y_name])
    except Exception as error:  # a file cut short passes the header check
        raise LabError("error_mat_damaged", detail=str(error)) from None
    return loaded[x_name], loaded[y_name]


def _variable_name(shapes: dict[str, tuple[int, ...]], wanted: str) -> str:
    """The file's name for X or y: exactly that, else the same letter in the other case."""
    found = [name for name in (wanted, wanted.swapcase()) if name in shapes]
    if not found:
        raise _missing_variable(list(shapes), wanted)
    return found[0]


def _missing_variable(names: list[str], missing: str) -> LabError:
    """Which variable is missing, what it should hold, and the variables the file does have."""
    what = Phrase({"X": "error_mat_variable_x", "y": "error_mat_variable_y"}[missing])
    listed = tuple(Phrase("error_quoted", text=name) for name in names[:SHOWN_VARIABLES]) or Phrase("error_none")
    more = Phrase("error_and_more", count=len(names) - SHOWN_VARIABLES) if len(names) > SHOWN_VARIABLES else ""
    return LabError("error_mat_missing_variable", missing=missing, what=what, listed=listed, more=more)


def _checked_x(x: np.ndarray) -> tuple[np.ndarray, int]:
    """X as a finite float64 matrix with one square image per row, and the images' side."""
    x = x.toarray() if scipy.sparse.issparse(x) else x  # small enough: its size was checked before loading
    if x.ndim != 2 or x.dtype.kind not in "biuf":
        raise LabError("error_mat_x_not_matrix", dtype=str(x.dtype), shape=str(x.shape))
    rows, columns = x.shape
    side = round(columns**0.5)
    if rows == 0:
        raise LabError("error_mat_x_no_rows")
    if side * side != columns or side not in MAT_SIDES:
        raise _not_square(columns)
    x = x.astype(np.float64)
    if not np.isfinite(x).all():
        row = int(np.argmax(~np.isfinite(x).all(axis=1)))
        raise LabError("error_mat_not_finite", row=row + 1)
    if x.min() == x.max():
        raise LabError("error_mat_constant", value=float(x.min()))
    return x, side


def _not_square(columns: int) -> LabError:
    """Why X's width is wrong, spotting the classic extra bias column of ones."""
    bias = round((columns - 1) ** 0.5) ** 2 == columns - 1
    hint = Phrase("error_mat_bias_column", columns=columns - 1) if bias else ""
    return LabError("error_mat_not_square", columns=columns, low=MAT_SIDES[0], high=MAT_SIDES[-1], hint=hint)


def _checked_y(y: np.ndarray, rows: int) -> np.ndarray:
    """y as one float64 label per image, checked to be whole numbers."""
    y = y.toarray() if scipy.sparse.issparse(y) else y
    y = y.ravel() if y.ndim == 2 and 1 in y.shape else y
    if y.ndim != 1 or y.dtype.kind not in "biuf":
        raise LabError("error_mat_y_not_column", dtype=str(y.dtype), shape=str(y.shape))
    if len(y) != rows:
        raise LabError("error_mat_y_count", images=rows, labels=len(y))
    y = y.astype(np.float64)
    not_whole = y != np.round(y)  # NaN is not whole either
    if not_whole.any():
        row = int(np.argmax(not_whole))
        raise LabError("error_mat_y_not_whole", row=row + 1, value=float(y[row]))
    return y


def _digit_labels(y: np.ndarray) -> np.ndarray:
    """Digits 0..9 as int64: MATLAB's 1..10 with 10 for zero, or 0..9 as given when 0 occurs and 10 never does."""
    low, high = (0, 9) if (y == 0).any() and not (y == 10).any() else (1, 10)
    outside = (y < low) | (y > high)
    if outside.any():
        row = int(np.argmax(outside))
        raise LabError("error_mat_y_range", row=row + 1, value=float(y[row]))
    labels = (y % 10).astype(np.int64)
    if len(np.unique(labels)) < 2:
        raise LabError("error_mat_one_digit", digit=int(labels[0]))
    return labels


def stratified_subset(digits: DigitImages, count: int, seed: int) -> DigitImages:
    """At most `count` images with each digit's share kept (seeded); the same object when it has no more."""
    if count < 1:
        raise LabError("error_subset_empty", count=count)
    if count >= len(digits):
        return digits
    kept = subset_rows(digits.labels, count, seed)
    return DigitImages(digits.images[kept], digits.labels[kept], digits.source)


def subset_rows(labels: np.ndarray, count: int, seed: int) -> np.ndarray:
    """The row numbers `stratified_subset` keeps, in the source's order (MNIST: train before test)."""
    if count >= len(labels):
        return np.arange(len(labels))
    counts = np.bincount(labels)[np.bincount(labels) > 0]  # sklearn stratifies only with 2 a digit
    stratified = counts.min() >= 2 and min(count, len(labels) - count) >= len(counts)
    kept, _ = train_test_split(
        np.arange(len(labels)), train_size=count, random_state=seed, stratify=labels if stratified else None
    )
    return np.sort(kept)


def picture_pixels(content: bytes) -> np.ndarray | None:
    """A photo or scan of a digit as the canvas gives a drawing (white ink on black, RGB); None if not an image."""
    try:
        gray = np.asarray(Image.open(io.BytesIO(content)).convert("L"))
    except (UnidentifiedImageError, OSError):
        return None
    if gray.mean() > 127:  # dark ink on paper: make it white ink on black, like the canvas
        gray = 255 - gray
    return np.repeat(gray[..., None], 3, axis=2)


def drawing_to_input(rgba: np.ndarray, side: int) -> np.ndarray | None:
    """A canvas drawing as one (side, side) float32 image in [0, 1] framed like the training digits; None if blank."""
    ink = _ink(rgba)
    mask = ink > INK_THRESHOLD
    if mask.mean() < MIN_INK_SHARE:
        return None
    rows, columns = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    image = _resized(_framed(ink[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]), side)
    return (image / image.max()).astype(np.float32)


def _ink(rgba: np.ndarray) -> np.ndarray:
    """Ink per pixel in [0, 1] of a white-on-black canvas: luminance, times opacity when there is an alpha channel."""
    pixels = np.asarray(rgba)
    if pixels.ndim != 3 or pixels.shape[2] not in (3, 4) or min(pixels.shape[:2]) == 0:
        raise LabError("error_drawing_shape", shape=str(pixels.shape))
    colours = pixels.astype(np.float32) / (255.0 if pixels.dtype.kind in "ui" else 1.0)
    ink = colours[..., :3] @ LUMINANCE
    if pixels.shape[2] == 4:
        ink = ink * colours[..., 3]  # a transparent pixel is background whatever its colour
    return np.clip(ink, 0, 1)


def _framed(ink: np.ndarray) -> np.ndarray:
    """The cropped digit centred in a square with an empty margin around it, as MNIST frames its digits."""
    (height, width), size = ink.shape, max(ink.shape)
    margin = round(MARGIN_SHARE * size)  # the digit fills ≈ 3/4 of the image, as in MNIST and the 8×8 set
    top, left = margin + (size - height) // 2, margin + (size - width) // 2
    square = np.zeros((size + 2 * margin, size + 2 * margin), dtype=np.float32)
    square[top : top + height, left : left + width] = ink
    return square


def _resized(image: np.ndarray, side: int) -> np.ndarray:
    """The square image at side × side, clipped to [0, 1]: BOX averages ink when shrinking, LANCZOS when enlarging."""
    resample = Image.Resampling.BOX if image.shape[0] >= side else Image.Resampling.LANCZOS
    resized = Image.fromarray(image).resize((side, side), resample=resample)  # float32: mode "F"
    return np.clip(np.asarray(resized, dtype=np.float32), 0, 1)
