"""Digit images: the bundled 8×8 set, MNIST and .mat files the tests write themselves, subsets and canvas drawings."""

from __future__ import annotations

import io
import subprocess
import sys
import urllib.error

import numpy as np
import pytest
import scipy.io

import nnlab.data.digits as digits_module
from nnlab.data.digits import (
    DigitImages,
    drawing_to_input,
    load_mnist,
    load_sklearn_digits,
    read_mat,
    stratified_subset,
)
from nnlab.data.files import MAX_UPLOAD_BYTES


@pytest.fixture(scope="module")
def digits8() -> DigitImages:
    return load_sklearn_digits()


def test_sklearn_digits_are_1797_read_only_8x8_images_in_unit_range(digits8):
    assert len(digits8) == 1797 and digits8.side == 8 and digits8.source == "digits8"
    assert digits8.images.shape == (1797, 8, 8) and digits8.images.dtype == np.float32
    assert digits8.images.min() == 0 and digits8.images.max() == 1
    assert digits8.labels.dtype == np.int64 and set(digits8.labels.tolist()) == set(range(10))
    for array in (digits8.images, digits8.labels):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0


# --- MNIST in Keras's .npz format ---------------------------------------------------------------------------


def write_npz(path, train=30, test=10, **overrides):
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (train, 28, 28), dtype=np.uint8),
        "y_train": np.arange(train, dtype=np.uint8) % 10,
        "x_test": rng.integers(0, 256, (test, 28, 28), dtype=np.uint8),
        "y_test": (np.arange(test, dtype=np.uint8) + 3) % 10,
    }
    arrays.update(overrides)
    np.savez(path, **{key: value for key, value in arrays.items() if value is not None})
    return arrays


def test_mnist_npz_concatenates_train_then_test_scaled_to_unit_range(tmp_path):
    arrays = write_npz(tmp_path / "mnist.npz")
    mnist = load_mnist(tmp_path / "mnist.npz")
    assert len(mnist) == 40 and mnist.side == 28 and mnist.source == "mnist"
    assert mnist.images.dtype == np.float32 and mnist.images.min() >= 0 and mnist.images.max() <= 1
    np.testing.assert_allclose(mnist.images[:30], arrays["x_train"] / 255, rtol=1e-6)
    np.testing.assert_allclose(mnist.images[30:], arrays["x_test"] / 255, rtol=1e-6)
    assert mnist.labels.tolist() == arrays["y_train"].tolist() + arrays["y_test"].tolist()
    assert not mnist.images.flags.writeable


@pytest.mark.parametrize(
    "overrides, words",
    [
        ({"y_test": None}, "has no y_test"),
        ({"x_train": np.zeros((30, 784), np.uint8)}, r"x_train must be numbers of shape \(n, 28, 28\)"),
        ({"x_test": np.zeros((10, 20, 20), np.uint8)}, "x_test must be numbers"),
        ({"y_train": np.zeros(29, np.uint8)}, "y_train must be 30 whole-number labels"),
        ({"y_test": np.full(10, 12, np.uint8)}, "digits 0..9"),
    ],
)
def test_wrong_mnist_npz_is_refused_naming_the_problem(tmp_path, overrides, words):
    write_npz(tmp_path / "bad.npz", **overrides)
    with pytest.raises(ValueError, match=words):
        load_mnist(tmp_path / "bad.npz")


def test_a_file_that_is_not_npz_or_is_missing_is_refused(tmp_path):
    (tmp_path / "junk.npz").write_bytes(b"not a zip archive at all")
    with pytest.raises(ValueError, match="not a NumPy .npz archive"):
        load_mnist(tmp_path / "junk.npz")
    with pytest.raises(ValueError, match="no MNIST file"):
        load_mnist(tmp_path / "absent.npz")


def test_mnist_uses_the_keras_cache_under_keras_home(tmp_path, monkeypatch):
    (tmp_path / "datasets").mkdir()
    write_npz(tmp_path / "datasets" / "mnist.npz", train=12, test=8)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert len(load_mnist()) == 20


@pytest.mark.parametrize(
    "failure",
    [
        OSError("network is unreachable"),
        urllib.error.URLError("no route"),
        TimeoutError("timed out"),
        ValueError("unknown url type"),
    ],
)
def test_mnist_offline_without_cache_says_so_in_one_sentence(tmp_path, monkeypatch, failure):
    def unreachable(url, timeout=None):
        assert timeout == digits_module.DOWNLOAD_TIMEOUT  # a stalled connection ends, it never hangs the page
        raise failure

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(digits_module.urllib.request, "urlopen", unreachable)
    with pytest.raises(ValueError, match="could not be downloaded") as caught:
        load_mnist()
    assert str(caught.value).startswith("MNIST is not cached on this machine")
    assert not list(tmp_path.rglob("*.npz"))


def fake_mnist_bytes() -> bytes:
    buffer = io.BytesIO()
    rng = np.random.default_rng(0)
    np.savez(
        buffer,
        x_train=rng.integers(0, 256, (12, 28, 28), dtype=np.uint8),
        y_train=np.arange(12) % 10,
        x_test=rng.integers(0, 256, (8, 28, 28), dtype=np.uint8),
        y_test=np.arange(8) % 10,
    )
    return buffer.getvalue()


def serve(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(digits_module.urllib.request, "urlopen", lambda url, timeout=None: io.BytesIO(data))


def test_mnist_download_is_checked_and_cached_whole(tmp_path, monkeypatch):
    import hashlib

    data = fake_mnist_bytes()
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    serve(monkeypatch, data[:-100])  # cut short
    monkeypatch.setattr(digits_module, "MNIST_SHA256", hashlib.sha256(data).hexdigest())
    with pytest.raises(ValueError, match="checksum"):
        load_mnist()
    assert not list(tmp_path.rglob("mnist*"))  # nothing half-written in the cache
    serve(monkeypatch, data)
    assert len(load_mnist()) == 20
    assert (tmp_path / "datasets" / "mnist.npz").read_bytes() == data  # where Keras would look for it


def test_digits_module_does_not_import_tensorflow_for_small_data():
    code = "import sys, nnlab.data.digits as d; d.load_sklearn_digits(); print('keras' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- seed 004's .mat format ---------------------------------------------------------------------------------


def pattern(digit: int, side: int = 20) -> np.ndarray:
    """A known image per digit: a vertical bar whose column and length depend on the digit, brighter at its top."""
    image = np.zeros((side, side))
    column = 2 + digit * (side - 4) // 10
    image[1 : side - 1 - digit % 3, column] = np.linspace(1.0, 0.5, side - 2 - digit % 3)
    return image


def mat_bytes(**variables) -> bytes:
    buffer = io.BytesIO()
    scipy.io.savemat(buffer, variables)
    return buffer.getvalue()


def seed004_like(count: int = 50, side: int = 20) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    digits = np.arange(count) % 10
    images = np.stack([pattern(int(digit), side) for digit in digits])
    X = np.stack([image.reshape(-1, order="F") for image in images])  # MATLAB's column-major rows
    X = X * 1.1  # seed 004's ink runs up to about 1.1 on a 0 background ...
    X[:, 0] = -0.13  # ... with slightly negative ringing here and there (the corner pixel is background)
    y = np.where(digits == 0, 10, digits).reshape(-1, 1).astype(np.uint8)
    return X, y, images


def test_seed004_mat_reads_column_major_images_and_maps_10_to_0(tmp_path):
    X, y, images = seed004_like()
    (tmp_path / "ex4data1.mat").write_bytes(mat_bytes(X=X, y=y))
    digits = read_mat(tmp_path / "ex4data1.mat")
    assert len(digits) == 50 and digits.side == 20 and digits.source == "mat"
    assert digits.labels.tolist() == (np.arange(50) % 10).tolist() and digits.labels.dtype == np.int64
    assert digits.images.min() == 0 and digits.images.max() == 1
    np.testing.assert_allclose(digits.images, images, atol=1e-6)  # negatives clipped, ink divided by its maximum
    first = digits.images[0]  # digit 0: a vertical bar in column 2, brightest at the top
    assert np.unravel_index(first.argmax(), first.shape) == (1, 2)
    assert set(np.nonzero(first > 0.2)[1].tolist()) == {2}  # the bar is still vertical, not transposed


def test_8x8_variant_and_0_to_9_labels_read_from_a_file_like(tmp_path):
    X, y, images = seed004_like(count=30, side=8)
    digits = read_mat(io.BytesIO(mat_bytes(X=X, y=(np.arange(30) % 10).astype(float))))
    assert digits.side == 8 and digits.labels.tolist() == (np.arange(30) % 10).tolist()
    np.testing.assert_allclose(digits.images, images, atol=1e-6)


def test_an_upload_already_read_once_is_read_again_from_the_start():
    X, y, _ = seed004_like()
    upload = io.BytesIO(mat_bytes(X=X, y=y))
    upload.read()  # Streamlit reruns hand over the same UploadedFile
    assert len(read_mat(upload)) == 50


def bad_mat(name: str) -> io.BytesIO:
    """One broken upload per problem a student's file can have."""
    X, y, _ = seed004_like(count=20)
    rng = np.random.default_rng(4)
    X_nan = X.copy()
    X_nan[3, 7] = np.nan
    files = {
        "empty": b"",
        "random": rng.integers(0, 256, 5000, dtype=np.uint8).tobytes(),
        "no X": mat_bytes(images=X, y=y),
        "no y": mat_bytes(X=X, labels=y, theta=np.ones(3)),
        "3-D X": mat_bytes(X=X.reshape(20, 20, 20), y=y),
        "text X": mat_bytes(X="twenty digits", y=y),
        "401 columns": mat_bytes(X=np.hstack([np.ones((20, 1)), X]), y=y),
        "y too short": mat_bytes(X=X, y=y[:-1]),
        "y is 11": mat_bytes(X=X, y=np.where(y == 5, 11, y)),
        "y is 2.5": mat_bytes(X=X, y=np.where(y == 5, 2.5, y)),
        "one digit": mat_bytes(X=X, y=np.full((20, 1), 7)),
        "NaN": mat_bytes(X=X_nan, y=y),
        "constant": mat_bytes(X=np.full((20, 400), 0.5), y=y),
        "over the limit": b"MATLAB 5.0 MAT-file" + bytes(11 * 1024 * 1024),
    }
    return io.BytesIO(files[name])


@pytest.mark.parametrize(
    "name, words",
    [
        ("empty", "file is empty"),
        ("random", "not a MATLAB .mat file"),
        ("no X", r'no variable "X" \(the images.*"images", "y"'),
        ("no y", r'no variable "y".*"X", "labels", "theta"'),
        ("3-D X", "X must be a matrix of numbers"),
        ("text X", "X must be a matrix of numbers"),
        ("401 columns", "401 columns.*column of ones for the bias"),
        ("y too short", "X has 20 images but y has 19 labels"),
        ("y is 11", "1..10 .10 means the digit 0. or 0..9, but row 6 has 11"),
        ("y is 2.5", "whole numbers.*row 6 has 2.5"),
        ("one digit", "Every image is the digit 7"),
        ("NaN", r"NaN or Inf\) in row 4"),
        ("constant", "Every value in X is 0.5"),
        ("over the limit", "larger than 10 MB"),
    ],
)
def test_bad_mat_files_are_refused_with_a_reason(name, words):
    with pytest.raises(ValueError, match=words):
        read_mat(bad_mat(name))


def test_the_size_limit_is_checked_before_parsing():
    assert MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    with pytest.raises(ValueError, match="larger than 10 MB"):
        read_mat(io.BytesIO(bytes(MAX_UPLOAD_BYTES + 1)))  # not MATLAB either: size is refused first


def test_more_than_ten_variables_are_listed_with_a_count():
    variables = {f"v{number:02d}": np.ones(2) for number in range(13)}
    with pytest.raises(ValueError, match='"v09" and 3 more'):
        read_mat(io.BytesIO(mat_bytes(**variables)))


# --- stratified subsets -------------------------------------------------------------------------------------


def test_subset_keeps_count_and_each_digits_share(digits8):
    subset = stratified_subset(digits8, 300, seed=0)
    assert len(subset) == 300 and subset.side == 8 and subset.source == "digits8"
    expected = np.bincount(digits8.labels) * 300 / len(digits8)
    assert np.all(np.abs(np.bincount(subset.labels, minlength=10) - expected) <= 1)
    assert not subset.images.flags.writeable and not subset.labels.flags.writeable


def test_subset_is_seeded(digits8):
    first, again = stratified_subset(digits8, 200, seed=3), stratified_subset(digits8, 200, seed=3)
    other = stratified_subset(digits8, 200, seed=4)
    np.testing.assert_array_equal(first.images, again.images)
    np.testing.assert_array_equal(first.labels, again.labels)
    assert not np.array_equal(first.images, other.images)


def test_subset_as_large_as_the_data_is_the_data(digits8):
    assert stratified_subset(digits8, len(digits8), seed=0) is digits8
    assert stratified_subset(digits8, 10**6, seed=0) is digits8


def test_subset_too_small_for_every_digit_still_works(digits8):
    assert len(stratified_subset(digits8, 3, seed=0)) == 3
    with pytest.raises(ValueError, match="at least one image"):
        stratified_subset(digits8, 0, seed=0)


# --- canvas drawings ----------------------------------------------------------------------------------------


def canvas(rows: slice, columns: slice, alpha: bool = True) -> np.ndarray:
    """A 280×280 black canvas with a white rectangle stroke, as the drawing widget hands it over."""
    image = np.zeros((280, 280, 4 if alpha else 3), dtype=np.uint8)
    if alpha:
        image[..., 3] = 255
    image[rows, columns, :3] = 255
    return image


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    rows, columns = np.indices(image.shape)
    return float((rows * image).sum() / image.sum()), float((columns * image).sum() / image.sum())


@pytest.mark.parametrize("side", [8, 28])
def test_a_vertical_stroke_becomes_a_centred_vertical_digit(side):
    image = drawing_to_input(canvas(slice(40, 240), slice(125, 155)), side)
    assert image.shape == (side, side) and image.dtype == np.float32
    assert image.max() == pytest.approx(1) and image.min() >= 0
    column_mass = image.sum(axis=0)
    middle = column_mass[side // 2 - side // 8 - 1 : side // 2 + side // 8 + 1].sum()
    edges = column_mass[: side // 4].sum() + column_mass[-(side // 4) :].sum()
    assert middle > 0.95 * column_mass.sum() and edges == pytest.approx(0, abs=1e-6)
    inked = image > 0.05
    assert inked.any(axis=1).sum() >= 2 * inked.any(axis=0).sum()  # still tall and thin
    assert image[[0, -1]].sum() < 0.05 * image.sum()  # an empty margin above and below, as MNIST has


def test_blank_canvas_and_a_stray_dot_give_none():
    assert drawing_to_input(canvas(slice(0, 0), slice(0, 0)), 28) is None
    assert drawing_to_input(canvas(slice(10, 12), slice(10, 12)), 28) is None


def test_a_small_stroke_in_a_corner_is_moved_to_the_centre():
    image = drawing_to_input(canvas(slice(10, 70), slice(200, 215)), 28)
    row, column = centre_of_mass(image)
    assert abs(row - 13.5) < 1 and abs(column - 13.5) < 1


def test_rgb_without_alpha_and_transparent_ink_are_handled():
    with_alpha = drawing_to_input(canvas(slice(40, 240), slice(125, 155)), 28)
    without = drawing_to_input(canvas(slice(40, 240), slice(125, 155), alpha=False), 28)
    np.testing.assert_allclose(without, with_alpha)
    see_through = canvas(slice(40, 240), slice(125, 155))
    see_through[..., 3] = 0  # white but fully transparent: nothing drawn
    assert drawing_to_input(see_through, 28) is None


def test_a_drawing_that_is_not_an_image_is_refused():
    with pytest.raises(ValueError, match="RGB"):
        drawing_to_input(np.zeros((28, 28)), 28)
