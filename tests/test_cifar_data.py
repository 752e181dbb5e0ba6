"""CIFAR-10 from Keras's cache: tiny batches the tests write in CIFAR-10's own pickle format, the restricted
unpickler refusing anything but arrays, and the download (faked, no network) kept whole or not at all."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import pickle
import struct
import tarfile
import urllib.error
from pathlib import Path

import numpy as np
import pytest

import nnlab.data.cifar as cifar_module
from nnlab.catalogue import CATALOGUE
from nnlab.data.cifar import (
    BATCHES,
    CIFAR_CLASSES,
    batch_folder,
    cifar_cached,
    load_cifar10,
    read_batches,
    shipped_cifar10,
)
from nnlab.data.digits import mnist_cached
from nnlab.errors import LabError
from nnlab.lessons import check_lessons

PER_BATCH = 6


class Python2Pickler(pickle._Pickler):
    """Pickles as CIFAR-10's files were written (Python 2's cPickle, protocol 2): bytes as Python 2 str and
    numpy's functions under numpy.core, so the test files need exactly the globals the real ones do."""

    dispatch = dict(pickle._Pickler.dispatch)

    def save_python2_str(self, obj: bytes) -> None:
        opcode = pickle.SHORT_BINSTRING + bytes([len(obj)]) if len(obj) < 256 else pickle.BINSTRING
        self.write(opcode if len(obj) < 256 else opcode + struct.pack("<i", len(obj)))
        self.write(obj)
        self.memoize(obj)

    dispatch[bytes] = save_python2_str

    def save_global(self, obj, name=None) -> None:
        module = obj.__module__.replace("numpy._core", "numpy.core")
        self.write(pickle.GLOBAL + f"{module}\n{name or obj.__qualname__}\n".encode())
        self.memoize(obj)


def python2_pickle(value: object) -> bytes:
    buffer = io.BytesIO()
    Python2Pickler(buffer, protocol=2).dump(value)
    return buffer.getvalue()


def photos(count: int, seed: int) -> np.ndarray:
    """Random (count, 32, 32, 3) uint8 images, pixel by pixel."""
    return np.random.default_rng(seed).integers(0, 256, (count, 32, 32, 3), dtype=np.uint8)


def batch_rows(images: np.ndarray) -> np.ndarray:
    """CIFAR-10's layout: per image the red plane's 1,024 values row by row, then the green, then the blue."""
    return np.ascontiguousarray(images.transpose(0, 3, 1, 2).reshape(len(images), 3072))


def batch_dict(images: np.ndarray, labels: list[int]) -> dict:
    return {
        b"batch_label": b"training batch 1 of 5",
        b"labels": labels,
        b"data": batch_rows(images),
        b"filenames": [f"image_{i}.png".encode() for i in range(len(images))],
    }


def batch_contents() -> dict[str, tuple[np.ndarray, list[int]]]:
    """Each batch's images and labels: batch b's labels are (b + i) % 10, so the order shows."""
    return {name: (photos(PER_BATCH, b), [(b + i) % 10 for i in range(PER_BATCH)]) for b, name in enumerate(BATCHES)}


def write_batches(folder: Path, **replaced: bytes | None) -> dict[str, tuple[np.ndarray, list[int]]]:
    """The six batch files in `folder` (a name given None is left out, one given bytes is those bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = batch_contents()
    for name, (images, labels) in contents.items():
        data = replaced.get(name, python2_pickle(batch_dict(images, labels)))
        if data is not None:
            (folder / name).write_bytes(data)
    return contents


@pytest.fixture
def keras_home(tmp_path, monkeypatch) -> Path:
    """An empty Keras home with no network: a test that downloads must fake urlopen itself."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def no_network(url, timeout=None):
        raise urllib.error.URLError("the tests never use the network")

    monkeypatch.setattr(cifar_module.urllib.request, "urlopen", no_network)
    return tmp_path


def test_cached_batches_load_train_then_test_as_read_only_rgb_images_in_unit_range(keras_home):
    contents = write_batches(batch_folder())
    assert batch_folder() == keras_home / "datasets" / "cifar-10-batches-py-target" / "cifar-10-batches-py"
    cifar = load_cifar10()
    assert cifar.source == "cifar10" and len(cifar) == 6 * PER_BATCH and cifar.side == 32 and cifar.channels == 3
    assert cifar.images.shape == (36, 32, 32, 3) and cifar.images.dtype == np.float32
    assert cifar.labels.dtype == np.int64
    expected = np.concatenate([images for images, _ in contents.values()]) / 255
    np.testing.assert_allclose(cifar.images, expected, rtol=1e-6)
    assert cifar.labels.tolist() == [label for name in BATCHES for label in contents[name][1]]
    assert cifar.labels[-PER_BATCH:].tolist() == contents["test_batch"][1]  # the test batch comes last
    for array in (cifar.images, cifar.labels):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0


def test_a_value_in_the_red_plane_is_channel_0_at_its_row_and_column(keras_home):
    rows = np.zeros((PER_BATCH, 3072), np.uint8)
    rows[0, 1 * 32 + 2] = 255  # red plane, row 1, column 2
    rows[0, 1024 + 5 * 32 + 7] = 51  # green plane, row 5, column 7
    rows[1, 2048 + 31 * 32 + 0] = 102  # blue plane, row 31, column 0
    batch = python2_pickle({b"data": rows, b"labels": list(range(PER_BATCH))})
    write_batches(batch_folder(), data_batch_1=batch)
    images = load_cifar10().images
    assert images[0, 1, 2].tolist() == [1, 0, 0]
    assert images[0, 5, 7].tolist() == pytest.approx([0, 0.2, 0])
    assert images[1, 31, 0].tolist() == pytest.approx([0, 0, 0.4])
    assert images[:PER_BATCH].sum() == pytest.approx(1 + 0.2 + 0.4)


def test_shipped_cifar10_loads_once_per_process(keras_home):
    write_batches(batch_folder())
    shipped_cifar10.cache_clear()
    try:
        first = shipped_cifar10()
        assert first.source == "cifar10" and len(first) == 36 and shipped_cifar10() is first
    finally:
        shipped_cifar10.cache_clear()  # the next test's KERAS_HOME is another folder


def test_the_class_names_are_cifars_and_named_in_both_languages():
    assert CIFAR_CLASSES[0] == "airplane" and CIFAR_CLASSES[9] == "truck" and len(set(CIFAR_CLASSES)) == 10
    assert CATALOGUE["ru"]["cifar_class_cat"] == "кошка" and CATALOGUE["ru"]["cifar_class_airplane"] == "самолёт"
    for name in CIFAR_CLASSES:
        assert CATALOGUE["en"][f"cifar_class_{name}"] == name
        assert CATALOGUE["ru"][f"cifar_class_{name}"] != name


def test_cached_means_all_six_batches_and_mnist_cached_means_its_npz(keras_home):
    assert not cifar_cached() and not mnist_cached()
    write_batches(batch_folder(), test_batch=None)
    assert not cifar_cached()
    write_batches(batch_folder())
    assert cifar_cached()
    (keras_home / "datasets" / "mnist.npz").write_bytes(b"")
    assert mnist_cached()


def test_the_cache_layout_is_keras_own():
    """Keras 3's cifar10.load_data() uses get_file(fname="cifar-10-batches-py-target", extract=True): the archive
    is kept as <fname>_archive and the batches extracted into <fname>/cifar-10-batches-py (read from its source
    without importing Keras, which would import TensorFlow)."""
    keras_source = Path(importlib.util.find_spec("keras").submodule_search_locations[0]) / "src"
    loader = (keras_source / "datasets" / "cifar10.py").read_text()
    for constant in (cifar_module.KERAS_FOLDER, cifar_module.CIFAR_URL, cifar_module.CIFAR_SHA256):
        assert constant in loader
    assert 'os.path.join(path, "cifar-10-batches-py")' in loader
    get_file = (keras_source / "utils" / "file_utils.py").read_text()
    assert 'download_target = os.path.join(datadir, f"{fname}_archive")' in get_file
    assert cifar_module.KERAS_ARCHIVE == cifar_module.KERAS_FOLDER + "_archive"


# --- refusals ----------------------------------------------------------------------------------------------


class RunsACommand:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


def test_a_pickle_that_would_run_a_command_is_refused_and_never_runs_it(keras_home):
    marker = keras_home / "pwned"
    evil = python2_pickle({b"data": RunsACommand(f"echo pwned > {marker}"), b"labels": [0]})
    write_batches(batch_folder(), data_batch_3=evil)
    with pytest.raises(LabError) as caught:
        load_cifar10()
    assert caught.value.key == "error_cifar_damaged" and caught.value.params["name"] == "data_batch_3"
    assert f"asks to run {os.system.__module__}.system" in str(caught.value)
    assert "пытается вызвать" in caught.value.message("ru")
    assert not marker.exists()
    pickle.loads(evil)  # the same bytes through plain pickle: the command does run
    assert marker.read_text().strip() == "pwned"


@pytest.mark.parametrize("module, name", [("builtins", "eval"), ("_codecs", "encode"), ("numpy", "load")])
def test_any_global_but_numpys_array_rebuilding_is_refused(keras_home, module, name):
    bad = b"\x80\x02c" + f"{module}\n{name}\n".encode() + b"."
    write_batches(batch_folder(), test_batch=bad)
    with pytest.raises(LabError, match=f"asks to run {module}.{name}"):
        load_cifar10()


def batch_bytes(rows: object = None, labels: object = None) -> bytes:
    rows = np.zeros((PER_BATCH, 3072), np.uint8) if rows is None else rows
    return python2_pickle({b"data": rows, b"labels": list(range(PER_BATCH)) if labels is None else labels})


NOT_CIFARS = {
    "3071 values a row": (batch_bytes(rows=np.zeros((PER_BATCH, 3071), np.uint8)), "error_cifar_data_shape"),
    "images not rows": (batch_bytes(rows=np.zeros((PER_BATCH, 3, 32, 32), np.uint8)), "error_cifar_data_shape"),
    "float pixels": (batch_bytes(rows=np.zeros((PER_BATCH, 3072), np.float32)), "error_cifar_data_shape"),
    "no images": (batch_bytes(rows=np.zeros((0, 3072), np.uint8), labels=[]), "error_cifar_data_shape"),
    "a list, not an array": (batch_bytes(rows=[[0] * 3072] * PER_BATCH), "error_cifar_data_shape"),
    "one label short": (batch_bytes(labels=[0] * (PER_BATCH - 1)), "error_cifar_labels"),
    "names, not labels": (batch_bytes(labels=[b"cat"] * PER_BATCH), "error_cifar_labels"),
    "ragged labels": (batch_bytes(labels=[[0, 1]] * 2 + [0] * (PER_BATCH - 2)), "error_cifar_labels"),
    "label 10": (batch_bytes(labels=[0, 1, 2, 3, 4, 10]), "error_cifar_label_range"),
    "label -1": (batch_bytes(labels=[-1, 1, 2, 3, 4, 5]), "error_cifar_label_range"),
    "a list": (python2_pickle([1, 2, 3]), "error_cifar_not_batch"),
    "no labels": (python2_pickle({b"data": np.zeros((PER_BATCH, 3072), np.uint8)}), "error_cifar_not_batch"),
    "cut short": (batch_bytes()[:-300], "error_cifar_damaged"),
    "only its start": (batch_bytes()[:10], "error_cifar_damaged"),
    "empty": (b"", "error_cifar_damaged"),
    "not a pickle": (b"not a pickle at all", "error_cifar_damaged"),
}


@pytest.mark.parametrize("content, key", NOT_CIFARS.values(), ids=NOT_CIFARS)
def test_a_batch_that_is_not_cifars_is_refused_with_its_reason(keras_home, content, key):
    write_batches(batch_folder(), data_batch_2=content)
    with pytest.raises(LabError) as caught:
        load_cifar10()
    assert caught.value.key == key and caught.value.params["name"] == "data_batch_2"
    assert caught.value.message("ru") != str(caught.value)


def test_the_label_range_message_names_the_range(keras_home):
    write_batches(batch_folder(), test_batch=batch_bytes(labels=[0, 1, 2, 3, 4, 12]))
    with pytest.raises(ValueError, match=r"must be classes 0\.\.9, but they run 0\.\.12"):
        load_cifar10()


def test_a_batch_file_too_big_to_be_cifars_is_not_unpickled(keras_home, monkeypatch):
    write_batches(batch_folder())
    monkeypatch.setattr(cifar_module, "MAX_BATCH_BYTES", 1000)
    monkeypatch.setattr(cifar_module, "_unpickle", lambda *args: pytest.fail("a too-big file was unpickled"))
    with pytest.raises(LabError, match="larger than 0 MB"):
        load_cifar10()


def test_a_missing_batch_is_named_and_a_partial_cache_is_downloaded_again(keras_home):
    write_batches(batch_folder(), data_batch_4=None)
    with pytest.raises(LabError) as caught:
        read_batches(batch_folder())
    assert caught.value.key == "error_cifar_missing_batch" and caught.value.params["name"] == "data_batch_4"
    with pytest.raises(LabError) as caught:
        load_cifar10()  # not cached: it tries the (faked-away) network
    assert caught.value.key == "error_cifar_offline"


def test_batches_outside_keras_cache_are_never_unpickled(keras_home, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("upload")
    write_batches(elsewhere)
    with pytest.raises(LabError) as caught:
        read_batches(elsewhere)
    assert caught.value.key == "error_cifar_outside_cache"
    (batch_folder()).mkdir(parents=True)
    (batch_folder() / "data_batch_1").symlink_to(elsewhere / "data_batch_1")  # a link out of the cache
    with pytest.raises(LabError, match="only from Keras's cache"):
        read_batches(batch_folder())


# --- the download -------------------------------------------------------------------------------------------


def cifar_archive(**extra: bytes) -> bytes:
    """A tar.gz laid out like CIFAR-10's, with the tiny batches (and any extra members)."""
    members = {
        f"cifar-10-batches-py/{name}": python2_pickle(batch_dict(*value)) for name, value in batch_contents().items()
    }
    members |= {
        "cifar-10-batches-py/batches.meta": python2_pickle({b"label_names": [c.encode() for c in CIFAR_CLASSES]})
    }
    members |= {"cifar-10-batches-py/readme.html": b"<html></html>", **extra}
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def serve(monkeypatch, data: bytes, sha256: str | None = None) -> list[str]:
    """urlopen answers with `data`; the expected hash is the data's own unless given; the URLs asked for."""
    asked = []

    def urlopen(url, timeout=None):
        assert timeout == cifar_module.DOWNLOAD_TIMEOUT
        asked.append(url)
        return io.BytesIO(data)

    monkeypatch.setattr(cifar_module.urllib.request, "urlopen", urlopen)
    monkeypatch.setattr(cifar_module, "CIFAR_SHA256", sha256 or hashlib.sha256(data).hexdigest())
    return asked


def leftovers(keras_home: Path) -> list[str]:
    return (
        sorted(path.name for path in (keras_home / "datasets").iterdir()) if (keras_home / "datasets").exists() else []
    )


def test_a_download_is_checked_unpacked_whole_and_left_where_keras_looks(keras_home, monkeypatch):
    data = cifar_archive(**{"cifar-10-batches-py/run_me.sh": b"echo hi", "../outside": b"x", "evil/abs": b"x"})
    asked = serve(monkeypatch, data)
    monkeypatch.setattr(cifar_module, "CHUNK_BYTES", 1000)  # several chunks
    cifar = load_cifar10()
    assert asked == [cifar_module.CIFAR_URL]
    assert len(cifar) == 36 and cifar.labels[-PER_BATCH:].tolist() == batch_contents()["test_batch"][1]
    assert cifar_cached()
    assert leftovers(keras_home) == ["cifar-10-batches-py-target", "cifar-10-batches-py-target_archive"]
    assert (keras_home / "datasets" / "cifar-10-batches-py-target_archive").read_bytes() == data
    extracted = sorted(path.name for path in batch_folder().iterdir())
    assert extracted == sorted([*BATCHES, "batches.meta", "readme.html"])  # CIFAR-10's files and nothing else
    assert not (keras_home / "outside").exists() and not (keras_home / "datasets" / "evil").exists()
    monkeypatch.setattr(cifar_module.urllib.request, "urlopen", lambda *a, **k: pytest.fail("downloaded twice"))
    assert len(load_cifar10()) == 36


def test_a_download_replaces_an_incomplete_extraction(keras_home, monkeypatch):
    write_batches(batch_folder(), data_batch_5=None)
    (batch_folder() / "stray").write_bytes(b"x")
    serve(monkeypatch, cifar_archive())
    assert len(load_cifar10()) == 36
    assert not (batch_folder() / "stray").exists()


def test_a_cached_archive_with_keras_hash_is_unpacked_without_the_network(keras_home, monkeypatch):
    data = cifar_archive()
    (keras_home / "datasets").mkdir()
    (keras_home / "datasets" / "cifar-10-batches-py-target_archive").write_bytes(data)
    monkeypatch.setattr(cifar_module, "CIFAR_SHA256", hashlib.sha256(data).hexdigest())
    assert len(load_cifar10()) == 36  # the fixture's urlopen would have refused


def test_a_download_with_another_checksum_leaves_nothing_behind(keras_home, monkeypatch):
    serve(monkeypatch, cifar_archive(), sha256="0" * 64)
    with pytest.raises(LabError) as caught:
        load_cifar10()
    assert caught.value.key == "error_cifar_checksum"
    assert leftovers(keras_home) == [] and not list(keras_home.rglob("*.part"))
    assert not cifar_cached()


def test_a_download_larger_than_cifars_is_cut_off(keras_home, monkeypatch):
    data = cifar_archive()
    serve(monkeypatch, data)
    monkeypatch.setattr(cifar_module, "MAX_CIFAR_BYTES", len(data) - 1)
    with pytest.raises(LabError, match="checksum differs"):
        load_cifar10()
    assert leftovers(keras_home) == []


def test_an_archive_without_the_batches_is_refused_and_nothing_kept(keras_home, monkeypatch):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("cifar-10-batches-py/readme.html")
        tar.addfile(info, io.BytesIO(b""))
    serve(monkeypatch, buffer.getvalue())
    with pytest.raises(LabError) as caught:
        load_cifar10()
    assert caught.value.key == "error_cifar_unpack" and "test_batch" in caught.value.params["detail"]
    assert leftovers(keras_home) == []


@pytest.mark.parametrize(
    "failure",
    [urllib.error.URLError("no route"), TimeoutError("timed out"), ConnectionRefusedError(), OSError("down")],
)
def test_offline_says_cifar_needs_the_network_once_and_suggests_the_built_in_digits(keras_home, monkeypatch, failure):
    def unreachable(url, timeout=None):
        raise failure

    monkeypatch.setattr(cifar_module.urllib.request, "urlopen", unreachable)
    with pytest.raises(LabError) as caught:
        load_cifar10()
    assert caught.value.key == "error_cifar_offline"
    assert "170 MB" in str(caught.value) and "8×8 digits" in str(caught.value)
    assert "170 МБ" in caught.value.message("ru") and "8×8" in caught.value.message("ru")
    assert leftovers(keras_home) == []


class DropsMidway(io.BytesIO):
    def read(self, size=-1):
        if self.tell():
            raise TimeoutError("the connection stalled")
        return super().read(size)


def test_a_connection_that_drops_midway_leaves_no_half_download(keras_home, monkeypatch):
    data = cifar_archive()
    serve(monkeypatch, data)
    monkeypatch.setattr(cifar_module.urllib.request, "urlopen", lambda url, timeout=None: DropsMidway(data))
    monkeypatch.setattr(cifar_module, "CHUNK_BYTES", 1000)
    with pytest.raises(LabError) as caught:
        load_cifar10()
    assert caught.value.key == "error_cifar_offline"
    assert leftovers(keras_home) == []


def test_a_cache_that_cannot_be_written_is_explained(keras_home, monkeypatch):
    (keras_home / "datasets").write_bytes(b"a file where the folder should be")
    with pytest.raises(LabError) as caught:
        load_cifar10()
    assert caught.value.key == "error_cifar_unwritable" and "cannot be written" in str(caught.value)


def test_lessons_measure_seed_002s_accuracy_once_cifar_is_cached(keras_home):
    """The whole path a cached CIFAR-10 takes: the loader, the conv kind, seed 002's preset trained its 10
    epochs, and the lessons row that compares it with 0.62 (here on 72 random photographs: the number is
    noise, the path is real)."""
    folder = batch_folder()
    folder.mkdir(parents=True)
    for index, name in enumerate(BATCHES):
        labels = [(index + i) % 10 for i in range(12)]
        (folder / name).write_bytes(python2_pickle(batch_dict(photos(12, index), labels)))
    shipped_cifar10.cache_clear()
    try:
        row = next(row for row in check_lessons(["002"]) if "test accuracy" in row["quantity"])
    finally:
        shipped_cifar10.cache_clear()
    assert isinstance(row["measured"], float) and 0 <= row["measured"] <= 1
    assert row["ok"] is (abs(row["measured"] - 0.62) <= 0.05)
