"""The Convolution page through AppTest: offline on the 8×8 digits, training, presets, impossible blocks, the
summary, top-3, and CIFAR-10's path on a small stand-in set (the tests never download anything)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnlab import runfile
from nnlab.data import digits as digits_data
from nnlab.data.cifar import CIFAR_CLASSES
from nnlab.data.digits import DigitImages
from nnlab.errors import LabError
from nnlab.ui import loaders
from nnlab.ui.controls import unshowable
from nnlab.ui.convolution_page import CONV_CONTROLS
from nnlab.ui.digits_page import DIGITS_CONTROLS
from nnlab.ui.i18n import STRINGS
from tests.pagetools import ROOT, metric, open_lab, run
from tests.pagetools import step as step_page
from tests.test_russian_text import page_charts, russian_test_thread

CONV = "pages/9_Convolution.py"
PAGE = "conv"
EPOCH, TEST_ACCURACY, PARAMETERS = (STRINGS[k][0] for k in ("epoch", "test_accuracy", "parameters"))
SMALL = {"samples": "1200", "epochs": "5"}  # 1,000 training images, 200 test
OFFLINE = STRINGS["error_mnist_offline"][0]  # what the stand-in for a failed download says


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """No cached CIFAR-10 or MNIST, and no network: choosing CIFAR-10 fails as it does offline."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def no_network():
        raise LabError("error_mnist_offline")

    monkeypatch.setattr(loaders, "shipped_cifar10", no_network)
    loaders.shipped_photos.clear()


def open_conv(query: dict[str, str] | None = None) -> AppTest:
    return open_lab(CONV, query)


def step(at: AppTest, times: int = 1) -> AppTest:
    return step_page(at, PAGE, times)


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]


def top_rows(at: AppTest) -> list[dict]:
    """The rows of the top-3 bar chart (the one chart with a class and a probability per row)."""
    for _, rows in page_charts(at):
        if rows and set(rows[0]) == {"class", "probability"}:
            return rows
    raise AssertionError("no top-3 chart")


def test_offline_the_page_opens_on_the_digits_and_says_cifar_needs_the_network():
    at = open_conv()
    assert at.radio(key="conv.dataset").value == "digits"
    assert at.radio(key="conv.dataset").options == [STRINGS[f"conv_source_{s}"][0] for s in ("cifar10", "digits")]
    assert any(STRINGS["conv_cifar_needs_network"][0] in i.value for i in at.info)
    assert not at.error and not at.warning
    assert at.slider(key="conv.n_blocks").value == 2  # conv-digits, the offline default
    assert metric(at, EPOCH) == "0"


def test_step_trains_and_the_numbers_change():
    at = open_conv(SMALL)
    assert any(c.value == "1,000 training images, 200 test images." for c in at.caption)
    before = metric(at, TEST_ACCURACY)
    step(at, 3)
    assert metric(at, EPOCH) == "3"
    assert metric(at, TEST_ACCURACY) != before
    assert float(metric(at, TEST_ACCURACY).rstrip("%")) > 30  # 10 % is chance
    assert any(STRINGS["confusion"][0] == s.value for s in at.subheader)
    assert at.session_state["conv.lab"].trainer.epoch == 3


def test_the_conv_digits_preset_loads_its_blocks_into_the_widgets():
    at = open_conv()
    at.slider(key="conv.n_blocks").set_value(1)
    run(at)
    at.select_slider(key="conv.filters_0").set_value(32)
    run(at)
    at.button(key="conv.preset.conv-digits").click()
    run(at)
    assert at.slider(key="conv.n_blocks").value == 2
    assert [at.select_slider(key=f"conv.filters_{i}").value for i in range(2)] == [8, 16]
    assert [at.select_slider(key=f"conv.kernel_{i}").value for i in range(2)] == [3, 3]
    assert [at.select_slider(key=f"conv.pool_{i}").value for i in range(2)] == [2, 2]
    assert at.session_state["conv.lab"].experiment.model.conv_blocks[1].filters == 16


def test_an_impossible_block_combination_shows_the_message_not_a_traceback():
    at = open_conv()
    for index in range(2):
        at.select_slider(key=f"conv.kernel_{index}").set_value(7)
        at.radio(key=f"conv.padding_{index}").set_value("valid")
    run(at)  # 8×8 → a 'valid' 7×7 gives 2×2, pooled to 1×1: the second 7×7 cannot fit
    assert len(at.error) == 1
    assert "does not fit" in at.error[0].value and "Block 2" in at.error[0].value


def test_the_summary_total_is_the_trainers_count_and_top3_shows_three_classes():
    at = open_conv(SMALL)
    step(at, 2)
    trainer = at.session_state["conv.lab"].trainer
    summary = at.dataframe[0].value  # the summary first, then the cost meter
    assert len(summary.columns) == 6 and len(at.dataframe[1].value.columns) == 4
    assert int(summary[summary.columns[-1]].sum()) == trainer.parameters == trainer.model.count_params()
    assert any(f"{trainer.parameters:,} parameters in all" in m.value for m in at.markdown)
    rows = top_rows(at)
    assert len(rows) == 3 and len({row["class"] for row in rows}) == 3
    assert all(row["class"] in "0123456789" for row in rows)
    probabilities = [row["probability"] for row in rows]
    assert probabilities == sorted(probabilities, reverse=True) and sum(probabilities) <= 1 + 1e-6
    # one grid per convolution and pooling, the test image, and the filters' picture
    assert sum("feature map" in c for image in at.image for c in image.captions) == 4
    assert any("first convolution has 80 parameters" in text for text in texts(at))  # 3·3·1·8 + 8 on 8×8 digits


def test_choosing_cifar10_offline_warns_and_keeps_the_other_settings():
    at = open_conv({"epochs": "7"})
    at.radio(key="conv.dataset").set_value("cifar10")
    run(at)
    assert [w.value for w in at.warning] == [STRINGS["conv_fallback"][0].format(error=OFFLINE)]
    assert at.radio(key="conv.dataset").value == "digits"
    assert at.number_input(key="conv.epochs").value == 7
    assert at.session_state["conv.lab"].digits.source == "digits8"
    assert not at.exception


def small_cifar(count: int = 1200) -> DigitImages:
    """A stand-in for CIFAR-10: random 32×32 colour images, every class present."""
    rng = np.random.default_rng(0)
    images = rng.random((count, 32, 32, 3), dtype=np.float32)
    return DigitImages(images, np.arange(count, dtype=np.int64) % 10, "cifar10")


def test_cifar10_trains_with_colour_filters_and_russian_class_names(monkeypatch):
    photos = small_cifar()
    monkeypatch.setattr(loaders, "shipped_cifar10", lambda: photos)
    with russian_test_thread():  # AppTest formats the translated options in the test's thread
        at = open_conv({"dataset": "cifar10", "lang": "ru", "epochs": "3"})
        assert at.radio(key="conv.dataset").value == "cifar10" and not at.warning
        step(at, 1)
    lab = at.session_state["conv.lab"]
    assert lab.image == (32, 32, 3) and lab.trainer.recorder.layout.filters
    shown = [json.dumps([spec, rows], ensure_ascii=False, default=str) for spec, rows in page_charts(at)]
    confusion = [chart for chart in shown if "самолёт" in chart and "грузовик" in chart]
    assert confusion, "the confusion matrix names CIFAR-10's classes in Russian"
    russian = {STRINGS[f"cifar_class_{name}"][1] for name in CIFAR_CLASSES}
    assert {row["class"] for row in top_rows(at)} <= russian
    assert any(
        "224" in i.value and "25\u00a0174\u00a0016" in i.value for i in at.info
    )  # seed 002's first block, in Russian


def test_tensorboard_writes_the_live_runs_epochs(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    at = open_conv(SMALL)
    at.toggle(key="conv.tensorboard").set_value(True)
    run(at)
    step(at, 2)
    assert any(code.value.startswith("tensorboard --logdir ") for code in at.code)
    assert list(tmp_path.glob("nnlab-tensorboard/*/run-*/events.out.tfevents.*"))
    assert at.session_state["conv.tensorboard_run"]["written"] == 2


def test_the_cnn_lesson_opens_the_page_and_offline_falls_back_to_the_digits_with_the_seeds_network():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    run(at)
    at.button(key="home.lesson.002-cnn").click()
    run(at)
    assert at.query_params["lesson"] == "002-cnn"
    assert [w.value for w in at.warning] == [STRINGS["conv_fallback"][0].format(error=OFFLINE)]
    lab = at.session_state["conv.lab"]
    assert lab.digits.source == "digits8"
    assert [block.activation for block in lab.experiment.model.conv_blocks] == ["linear", "linear"]  # seed 002's


@pytest.fixture
def small_mnist(tmp_path):
    """A 1,200-image MNIST in the test's Keras cache (KERAS_HOME is tmp_path); the process's caches of it are
    emptied afterwards, so no other test meets it."""
    rng = np.random.default_rng(1)
    arrays = {}
    for part, count in (("train", 1000), ("test", 200)):
        arrays[f"x_{part}"] = rng.integers(0, 256, (count, 28, 28), dtype=np.uint8)
        arrays[f"y_{part}"] = np.arange(count, dtype=np.uint8) % 10
    (tmp_path / "datasets").mkdir()
    np.savez(tmp_path / "datasets" / "mnist.npz", **arrays)
    yield
    loaders.shipped_images.clear()
    digits_data.shipped_images.cache_clear()


def test_mnist_is_offered_once_cached_and_trains_with_grey_filters(small_mnist):
    at = open_conv({"epochs": "2"})
    radio = at.radio(key="conv.dataset")
    assert radio.options == [STRINGS[f"conv_source_{s}"][0] for s in ("cifar10", "mnist", "digits")]
    radio.set_value("mnist")
    run(at)
    assert not at.warning and not at.error
    assert any(c.value == "1,000 training images, 200 test images." for c in at.caption)
    step(at, 1)
    lab = at.session_state["conv.lab"]
    assert lab.image == (28, 28, 1) and metric(at, EPOCH) == "1"


def test_a_conv_run_imports_here_and_is_refused_with_a_reason_on_the_digits_page():
    at = open_conv(SMALL)
    step(at, 2)
    lab = at.session_state["conv.lab"]
    saved = runfile.run_file(lab.experiment, lab.trainer)
    fresh = open_conv()
    fresh.file_uploader(key="conv.import").set_value([("run.npz", saved, "application/octet-stream")])
    run(fresh)
    assert not fresh.error
    assert fresh.session_state["conv.lab"].trainer.epoch == 0  # the weights, not the history
    np.testing.assert_allclose(
        fresh.session_state["conv.lab"].trainer.model.get_weights()[1], lab.trainer.model.get_weights()[1]
    )
    assert unshowable(lab.experiment, DIGITS_CONTROLS) == STRINGS["import_no_conv"][0]
    assert unshowable(lab.experiment, CONV_CONTROLS) is None
