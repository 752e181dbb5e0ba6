"""The digits page through AppTest: training, the summary, the λ sweep, a drawn digit, uploads, a link."""

from __future__ import annotations

import io

import numpy as np
import pytest
import scipy.io
from PIL import Image
from streamlit.testing.v1 import AppTest

from nnlab.data.digits import load_sklearn_digits
from nnlab.ui.i18n import STRINGS
from tests.pagetools import metric, open_lab, run
from tests.pagetools import step as step_page

DIGITS = "pages/3_Digits.py"
EPOCH, TEST_ACCURACY, PARAMETERS = (STRINGS[k][0] for k in ("epoch", "test_accuracy", "parameters"))


def open_digits(query: dict[str, str] | None = None) -> AppTest:
    return open_lab(DIGITS, query)


def step(at: AppTest, times: int = 1) -> AppTest:
    return step_page(at, "digits", times)


@pytest.fixture(scope="module")
def trained() -> AppTest:
    return step(open_digits(), 5)


def test_training_draws_the_hidden_units_and_the_mistakes(trained):
    assert metric(trained, EPOCH) == "5"
    assert float(metric(trained, TEST_ACCURACY).rstrip("%")) > 70  # 10 % is chance
    captions = [image.captions for image in trained.image]
    assert any("64 units" in c[0] for c in captions)  # the weight grid
    assert any("→" in caption for c in captions for caption in c)  # the gallery of mistakes: "true → predicted"
    assert metric(trained, PARAMETERS) == "4,810"  # 64·64 + 64 + 64·10 + 10


def test_summary_table_and_the_bias_lesson(trained):
    assert any("4,810 parameters" in m.value and "74 of them biases" in m.value for m in trained.markdown)


def test_turning_off_a_layers_bias_removes_its_units():
    at = open_digits()
    at.checkbox(key="digits.bias_0").uncheck()
    run(at)
    assert metric(at, PARAMETERS) == f"{4810 - 64:,}"
    assert at.query_params["hidden_layers"] == "64:relu:nobias"


def test_lambda_sweep_shows_the_seeds_trend():
    at = open_digits(
        {
            "hidden_layers": "25:sigmoid",
            "epochs": "40",
            "optimizer": "adam",
            "learning_rate": "0.01",
            "batch_size": "64",
        }
    )
    at.button(key="digits.sweep_button").click()
    run(at)
    sweep = at.session_state["digits.sweep"]["results"]
    assert [r.lam for r in sweep] == [0, 0.001, 0.01, 1, 10, 30]
    assert sweep[-1].train_accuracy < sweep[0].train_accuracy
    assert any("λ = 30" in caption for image in at.image for caption in image.captions)


def drawn_seven(side: int = 280) -> bytes:
    """A '7' drawn as white strokes on black, as the canvas gives it, saved as a PNG."""
    canvas = np.zeros((side, side), np.uint8)
    canvas[60:80, 70:210] = 255  # the top bar
    for row in range(80, 230):
        column = 210 - (row - 80) * 60 // 150
        canvas[row, column - 10 : column + 10] = 255  # the diagonal
    buffer = io.BytesIO()
    Image.fromarray(255 - canvas).save(buffer, format="PNG")  # as a photo: dark ink on white paper
    return buffer.getvalue()


def test_a_drawn_digit_gets_the_models_answer(trained):
    trained.file_uploader(key="digits.picture").set_value([("seven.png", drawn_seven(), "image/png")])
    run(trained)
    answer = metric(trained, STRINGS["draw_answer"][0])
    assert answer.isdigit()
    step(trained, 10)
    assert metric(trained, STRINGS["draw_answer"][0]) == "7"


def test_a_broken_picture_gets_a_message():
    at = open_digits()
    at.file_uploader(key="digits.picture").set_value([("x.png", b"not a picture", "image/png")])
    run(at)
    assert [e.value for e in at.error] == [STRINGS["digit_picture_bad"][0]]


def seed004_mat(count: int = 200) -> bytes:
    digits = load_sklearn_digits()
    images = np.stack([np.kron(image, np.ones((2, 2)))[:, :] for image in digits.images[:count]])  # 16×16
    X = np.stack([image.reshape(-1, order="F") for image in images])
    y = np.where(digits.labels[:count] == 0, 10, digits.labels[:count]).reshape(-1, 1)
    buffer = io.BytesIO()
    scipy.io.savemat(buffer, {"X": X, "y": y})
    return buffer.getvalue()


def test_a_mat_upload_trains_and_a_bad_one_keeps_it():
    at = open_digits()
    at.radio(key="digits.source").set_value("mat")
    run(at)
    at.file_uploader(key="digits.upload").set_value([("ex4data1.mat", seed004_mat(), "application/octet-stream")])
    run(at)
    assert not at.error and any("200 images of 16×16" in c.value for c in at.caption)
    step(at, 2)
    assert metric(at, EPOCH) == "2"
    bad = io.BytesIO()
    scipy.io.savemat(bad, {"X": np.ones((5, 401)), "y": np.ones((5, 1))})
    at.file_uploader(key="digits.upload").set_value([("wrong.mat", bad.getvalue(), "application/octet-stream")])
    run(at)
    assert len(at.error) == 1 and at.error[0].value.startswith("This file cannot be used. ")
    assert any("200 images of 16×16" in c.value for c in at.caption)  # the good file is still in use


def test_mnist_offline_falls_back_with_a_message(monkeypatch, tmp_path):
    import nnlab.data.digits as digits_module

    def offline(url, timeout=None):
        raise OSError("network is unreachable")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(digits_module.urllib.request, "urlopen", offline)
    at = open_digits({"dataset": "mnist"})
    at.radio(key="digits.source").set_value("mnist")
    run(at)
    assert any("MNIST is not cached" in w.value for w in at.warning)
    assert at.session_state["digits.lab"].digits.side == 8  # the 8×8 digits instead, and the page works


def test_preset_loads_seed_004s_network():
    at = open_digits()
    at.button(key="digits.preset.digits-seed004").click()
    run(at)
    experiment = at.session_state["digits.lab"].experiment
    assert experiment.to_dict()["hidden_layers"] == "25:sigmoid" and experiment.model.regularization == "l2"


# --- issue 20: on the projector ----------------------------------------------------------------------


def test_untrained_confusion_and_curves_say_so_until_a_step():
    at = open_digits()
    shown = [c.value for c in at.caption]
    assert STRINGS["mapdigits_untrained"][0] in shown and STRINGS["untrained"][0] in shown
    assert not list(at.get("vega_lite_chart")) and not list(at.get("arrow_vega_lite_chart"))
    step(at)
    shown = [c.value for c in at.caption]
    assert STRINGS["mapdigits_untrained"][0] not in shown
    specs = [chart.proto.spec for chart in [*at.get("vega_lite_chart"), *at.get("arrow_vega_lite_chart")]]
    assert len(specs) == 3  # the curves' two panels and the confusion matrix
    assert any('"labelFontSize": 13' in spec or '"labelFontSize":13' in spec for spec in specs)


def test_one_bias_switch_per_layer_and_a_link_without_any_bias_still_works():
    at = open_digits()
    labels = [c.label for c in at.checkbox]
    assert STRINGS["use_bias"][0] not in labels and STRINGS["layer_bias"][0].format(n=1) in labels
    at = open_digits({"use_bias": "0"})  # every bias off, the output's too: the switch shows so it can go back on
    assert metric(at, PARAMETERS) == f"{4810 - 74:,}"
    assert at.checkbox(key="digits.use_bias").value is False
    at.checkbox(key="digits.use_bias").check()
    run(at)
    assert metric(at, PARAMETERS) == "4,810" and "use_bias" not in at.query_params
    assert STRINGS["use_bias"][0] not in [c.label for c in at.checkbox]


def test_the_canvas_is_labelled_and_the_grid_caption_is_true():
    at = open_digits()
    assert STRINGS["mapdigits_draw_here"][0] in [m.value for m in at.markdown]
    captions = [caption for image in at.image for caption in image.captions]
    assert any(c.startswith("64 units") and "8×8" in c for c in captions)
    assert not any("5×5" in c for c in captions)  # 64 units make an 8×8 grid, not seed 004's 5×5
    at.button(key="digits.preset.digits-seed004").click()
    run(at)
    captions = [caption for image in at.image for caption in image.captions]
    assert any(c.startswith("25 units") and "5×5" in c for c in captions)
    ru = open_digits({"lang": "ru"})
    assert STRINGS["mapdigits_draw_here"][1] in [m.value for m in ru.markdown]
