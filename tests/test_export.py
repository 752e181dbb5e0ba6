"""Export and import: the generated script replays the run; run files go back in safely and nothing else does."""

from __future__ import annotations

import ast
import base64
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nnlab import convolution
from nnlab.__main__ import main
from nnlab.backend import keras
from nnlab.data.digits import DigitImages, shipped_images
from nnlab.errors import LabError
from nnlab.export import data_csv, history_csv, keras_file
from nnlab.playground import build_lab, evaluate
from nnlab.presets import get_preset
from nnlab.runfile import CONFIG_KEY, read_run_file, run_file
from nnlab.script import training_script
from tests.pagetools import open_lab, run, step

TOLERANCE = 0.01  # the bar; without batch norm the script agrees to the printed digit


def run_script(path) -> dict:
    """Run a generated script as a student would (a fresh Python, no nnlab on the path) and read its JSON."""
    result = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=path.parent,
        env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": str(path.parent)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_close(ours: dict, theirs: dict) -> None:
    assert set(ours) == set(theirs)
    for key, value in ours.items():
        assert abs(value - theirs[key]) <= TOLERANCE, (key, value, theirs[key])


def test_cli_script_reaches_the_metrics_of_train(tmp_path, capsys):
    """`export --script` then `python out.py`: the same metrics, keys and all, as `train --json`."""
    assert (
        main(["export", "--preset", "overfit-dropout", "--set", "epochs=25", "--script", str(tmp_path / "out.py")]) == 0
    )
    capsys.readouterr()
    assert main(["train", "--preset", "overfit-dropout", "--set", "epochs=25", "--json"]) == 0
    trained = json.loads(capsys.readouterr().out)["metrics"]
    assert_close(trained, run_script(tmp_path / "out.py"))


def test_script_replays_a_run_with_a_live_learning_rate_change(tmp_path):
    lab = build_lab(get_preset("playground-xor").experiment)
    lab.trainer.run(10)
    lab.trainer.set_learning_rate(0.1)  # as the slider does mid-run
    lab.trainer.run(10)
    source = training_script(lab.experiment, lab.trainer)
    assert 'CHANGES = {10: {"learning_rate": 0.1}}' in source and "EPOCHS = 20" in source
    (tmp_path / "run.py").write_text(source)
    assert_close(evaluate(lab), run_script(tmp_path / "run.py"))


def test_script_replays_weights_typed_into_the_player(tmp_path):
    lab = build_lab(get_preset("playground-xor").experiment)
    lab.trainer.set_weight(0, 1, 0, 2.5)  # before the first epoch
    lab.trainer.run(8)
    lab.trainer.set_weight(len(lab.experiment.model.hidden_layers), None, 0, -1.5)  # the output bias, mid-run
    lab.trainer.run(8)
    source = training_script(lab.experiment, lab.trainer)
    assert '0: {"weights": [[0, 1, 0, 2.5]]}' in source and '8: {"weights": [[2, None, 0, -1.5]]}' in source
    (tmp_path / "run.py").write_text(source)
    assert_close(evaluate(lab), run_script(tmp_path / "run.py"))


# Issue 19's settings in a script: a schedule paused halfway (it spans the run's 20 set epochs, not the 10
# trained), He's initial weights, L1's dead links with a live rate change, and regression's R² and RMSE.
PARITY_RUNS = {
    "cosine-he-paused": ({"lr_schedule": "cosine", "init": "he", "learning_rate": 0.1}, 10),
    "step-adam-l1": (
        {"lr_schedule": "step", "optimizer": "adam", "regularization": "l1", "regularization_rate": 0.01},
        20,
    ),
    "regression-exponential": ({"dataset": "plane", "lr_schedule": "exponential", "init": "normal"}, 20),
}


@pytest.mark.parametrize("name", PARITY_RUNS)
def test_script_replays_schedules_initialisers_dead_links_and_regression(name, tmp_path):
    settings, trained = PARITY_RUNS[name]
    lab = build_lab(get_preset("playground").experiment.replace(samples=200, epochs=20, **settings))
    lab.trainer.run(trained // 2)
    if name == "step-adam-l1":
        lab.trainer.set_learning_rate(0.03)  # as the slider does mid-run: the schedule goes on from there
    lab.trainer.run(trained - trained // 2)
    source = training_script(lab.experiment, lab.trainer)
    assert f"EPOCHS = {trained}" in source and "STEPS = 20 *" in source
    (tmp_path / "run.py").write_text(source)
    assert_close(evaluate(lab), run_script(tmp_path / "run.py"))


def test_script_embeds_the_exact_split_and_the_class_weights():
    experiment = get_preset("cities-minimal").experiment.replace(epochs=1)
    from nnlab.data.cities import DEFAULT_CITIES, read_cities
    from nnlab.worldmap import build_lab

    lab = build_lab(experiment, read_cities(DEFAULT_CITIES))
    source = training_script(experiment, lab.trainer, epochs=1)
    assert "class_weights = np.asarray([1.0, 20.0], np.float32)" in source
    namespace: dict = {}
    data_lines = (
        source[source.index("DATA = ") : source.index("x_train, y_train, x_test")]
        + "x_train, y_train, x_test, y_test = (arrays[n] for n in ('x_train', 'y_train', 'x_test', 'y_test'))"
    )
    exec("import base64, io\nimport numpy as np\n" + data_lines, namespace)
    np.testing.assert_array_equal(namespace["x_test"], lab.trainer.data.x_test)
    np.testing.assert_array_equal(namespace["y_train"], lab.trainer.data.y_train)
    assert "if True:" in source  # the map's verdict counts are printed too


@pytest.fixture(scope="module")
def trained_lab():
    lab = build_lab(get_preset("playground").experiment.replace(hidden_layers="4:tanh:bn,2:relu", dropout=0.2))
    lab.trainer.run(3)
    return lab


def test_run_file_round_trip_restores_the_model(trained_lab):
    imported = read_run_file(run_file(trained_lab.experiment, trained_lab.trainer))
    assert imported.experiment == trained_lab.experiment and imported.epochs == 3
    fresh = build_lab(imported.experiment)
    fresh.trainer.load_weights(imported.weights)
    x = trained_lab.trainer.data.x_test
    np.testing.assert_array_equal(fresh.trainer.predict(x), trained_lab.trainer.predict(x))


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _config(**changes) -> np.ndarray:
    config = {"format": "nnlab-run", "version": 1, "settings": {"dataset": "circle"}, "epochs": 1} | changes
    return np.array(json.dumps(config))


def _pickled() -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **{CONFIG_KEY: _config(), "output/kernel": np.array([{"a": 1}], dtype=object)})
    return buffer.getvalue()


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.npy", b"\0" * (80 * 2**20))
    return buffer.getvalue()


BAD_RUNS = {
    "not a zip": (b"hello", "not a run exported"),
    "empty": (b"", "not a run exported"),
    "a .keras file": (None, "no NN Lab settings"),
    "pickled object array": (_pickled(), "cannot be read as plain arrays"),
    "no settings": (_npz(w=np.zeros(2)), "no NN Lab settings"),
    "settings not JSON": (_npz(**{CONFIG_KEY: np.array("{oops")}), "not valid JSON"),
    "unknown setting": (_npz(**{CONFIG_KEY: _config(settings={"dataset": "circle", "evil": "1"})}), "Unknown setting"),
    "impossible setting": (_npz(**{CONFIG_KEY: _config(settings={"learning_rate": "-1"})}), "settings are not valid"),
    "other version": (_npz(**{CONFIG_KEY: _config(version=99)}), "format version 99"),
    "text weights": (_npz(**{CONFIG_KEY: _config(), "output/kernel": np.array(["x"])}), "weights must be numbers"),
    "NaN weights": (_npz(**{CONFIG_KEY: _config(), "output/kernel": np.array([np.nan])}), "NaN"),
    "zip bomb": (_bomb(), "at most 64 MB"),
}


@pytest.mark.parametrize("name", BAD_RUNS)
def test_a_bad_run_file_gets_one_clear_message(name, trained_lab):
    data, message = BAD_RUNS[name]
    if data is None:
        data = keras_file(trained_lab.trainer)  # a zip, but not ours: never loaded as a model
    with pytest.raises(ValueError, match=message):
        read_run_file(data)


def test_weights_of_the_wrong_shape_are_refused(trained_lab):
    imported = read_run_file(run_file(trained_lab.experiment, trained_lab.trainer))
    other = build_lab(trained_lab.experiment.replace(hidden_layers="5:tanh:bn,2:relu"))
    with pytest.raises(ValueError, match=r"hidden_1/kernel has shape \(2, 4\)"):
        other.trainer.load_weights(imported.weights)


def test_data_and_history_tables(trained_lab):
    data = pd.read_csv(io.BytesIO(data_csv(trained_lab.experiment, trained_lab.trainer)))
    assert list(data.columns) == ["x1", "x2", "label", "class_name", "split"]
    assert (data["split"] == "test").sum() == len(trained_lab.trainer.data.y_test)
    history = pd.read_csv(io.BytesIO(history_csv(trained_lab.trainer)))
    assert history["epoch"].tolist() == [1, 2, 3]
    assert history["test_accuracy"].iloc[-1] == pytest.approx(trained_lab.trainer.history[-1].test_accuracy)


def test_chart_png_is_a_picture(trained_lab):
    from nnlab.export import chart_png
    from nnlab.viz import charts

    labels = {word: word for word in ("epoch", "loss", "accuracy", "train", "test", "set")}
    png = chart_png(charts.history_chart(charts.history_frame(trained_lab.trainer.history), labels), scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000


def test_playground_export_script_matches_the_page(tmp_path):
    """Train on the page (with a learning-rate change between Steps), take its script, run it: same metrics."""
    at = step(
        open_lab("pages/1_Playground.py", {"dataset": "moons", "hidden_layers": "6:relu", "seed": "4"}),
        "playground",
        times=2,
    )
    at.select_slider(key="playground.learning_rate").set_value(0.1)
    step(run(at), "playground", times=2)
    lab = at.session_state["playground.lab"]
    labels = [button.label for button in at.get("download_button")]
    assert "Python script" in labels and "Run file (.npz)" in labels
    (tmp_path / "page.py").write_text(training_script(lab.experiment, lab.trainer))
    assert_close(evaluate(lab), run_script(tmp_path / "page.py"))


def test_importing_a_run_on_the_page_restores_settings_and_weights():
    trained_lab = build_lab(get_preset("playground").experiment.replace(hidden_layers="4:tanh,2:relu", dropout=0.2))
    trained_lab.trainer.run(3)
    at = open_lab("pages/1_Playground.py")
    at.file_uploader(key="playground.import").set_value(
        [("mine.npz", run_file(trained_lab.experiment, trained_lab.trainer), "application/octet-stream")]
    )
    run(at)
    assert any("mine.npz" in s.value for s in at.success)
    lab = at.session_state["playground.lab"]
    assert lab.experiment == trained_lab.experiment
    assert at.slider(key="playground.dropout").value == 0.2
    x = trained_lab.trainer.data.x_test
    np.testing.assert_allclose(lab.trainer.predict(x), trained_lab.trainer.predict(x), atol=1e-6)


@pytest.mark.parametrize("kind", ["pickled", "another page's run"])
def test_a_bad_import_keeps_the_run(kind, trained_lab):
    at = step(open_lab("pages/1_Playground.py"), "playground")
    before = at.session_state["playground.lab"]
    data = _pickled() if kind == "pickled" else run_file(trained_lab.experiment, trained_lab.trainer)  # layer BN
    at.file_uploader(key="playground.import").set_value([("other.npz", data, "application/octet-stream")])
    run(at)
    assert any("cannot be imported" in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state["playground.lab"] is before and before.trainer.epoch == 1


@pytest.fixture(scope="module")
def conv_lab():
    """A small convolutional network on the 8×8 digits, trained 3 epochs."""
    experiment = get_preset("conv-digits").experiment.replace(epochs=3, samples=600)
    lab = convolution.build_lab(experiment, shipped_images("digits"))
    lab.trainer.run(3)
    return lab


def test_conv_script_builds_the_same_network_and_replays_the_run(conv_lab, tmp_path):
    source = training_script(conv_lab.experiment, conv_lab.trainer)
    assert 'keras.layers.Reshape((8, 8, 1), name="image")' in source
    assert source.count("keras.layers.Conv2D(") == 2 and source.count("keras.layers.MaxPooling2D(2") == 2
    (tmp_path / "conv.py").write_text(source)
    assert_close(convolution.evaluate(conv_lab), run_script(tmp_path / "conv.py"))


def test_a_cifar_script_lets_keras_download_the_photographs_and_takes_the_apps_rows():
    rng = np.random.default_rng(0)
    photos = DigitImages(rng.random((120, 32, 32, 3), dtype=np.float32), np.arange(120) % 10, "cifar10")
    experiment = get_preset("cifar-seed002").experiment.replace(epochs=1)
    lab = convolution.build_lab(experiment, photos)
    source = training_script(experiment, lab.trainer, download_labels=convolution.script_rows(lab))
    assert "keras.datasets.cifar10.load_data()" in source and ".reshape(120, -1)" in source
    assert 'x = keras.layers.Reshape((32, 32, 3), name="image")(x)' in source
    assert 'keras.layers.Conv2D(8, 3, padding="same", activation="linear"' in source  # the seed's, no activation
    assert "DATA = " not in source  # 740 MB of pixels are not embedded
    rows = np.load(io.BytesIO(base64.b64decode(source.split('ROWS = """')[1].split('"""')[0])))
    assert sorted([*rows["train"], *rows["test"]]) == list(range(120))  # every row, each once


def test_a_conv_run_file_round_trips_and_a_wrong_kernel_shape_is_refused(conv_lab):
    imported = read_run_file(run_file(conv_lab.experiment, conv_lab.trainer))
    assert imported.experiment == conv_lab.experiment and imported.experiment.model.conv_blocks
    fresh = convolution.build_lab(imported.experiment, shipped_images("digits"))
    fresh.trainer.load_weights(imported.weights)
    x = conv_lab.trainer.data.x_test
    np.testing.assert_array_equal(fresh.trainer.predict(x), conv_lab.trainer.predict(x))
    kernel = next(path for path in imported.weights if path.startswith("conv_1/kernel"))
    broken = dict(imported.weights) | {kernel: np.zeros((5, 5, 1, 8), np.float32)}
    with pytest.raises(LabError, match="conv_1/kernel"):
        fresh.trainer.load_weights(broken)


def test_the_keras_file_of_a_conv_network_loads_in_keras(conv_lab, tmp_path):
    (tmp_path / "model.keras").write_bytes(keras_file(conv_lab.trainer))
    model = keras.saving.load_model(tmp_path / "model.keras")
    assert [layer.name for layer in model.layers if isinstance(layer, keras.layers.Conv2D)] == ["conv_1", "conv_2"]
    x = conv_lab.trainer.data.x_test[:20]
    np.testing.assert_allclose(model.predict(x, verbose=0), conv_lab.trainer.predict(x), atol=1e-5)


def test_the_upload_path_builds_no_model_and_unpickles_nothing(conv_lab):
    """nnlab/runfile.py reads plain arrays only, whatever the network: no Keras, no pickle, no model from a file."""
    tree = ast.parse((Path(__file__).parents[1] / "nnlab" / "runfile.py").read_text())
    nodes = list(ast.walk(tree))
    imported = {alias.name for node in nodes if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}
    imported |= {node.module for node in nodes if isinstance(node, ast.ImportFrom)}
    assert not imported & {"pickle", "keras", "nnlab.backend", "nnlab.models", "nnlab.train"}
    called = {getattr(node.func, "attr", getattr(node.func, "id", "")) for node in nodes if isinstance(node, ast.Call)}
    assert not called & {"load_model", "build_model", "from_config", "model_from_json", "Unpickler"}
    keywords = {
        (k.arg, getattr(k.value, "value", None)) for node in nodes if isinstance(node, ast.Call) for k in node.keywords
    }
    assert ("allow_pickle", False) in keywords and ("allow_pickle", True) not in keywords
    with pytest.raises(ValueError, match="no NN Lab settings"):
        read_run_file(keras_file(conv_lab.trainer))  # a conv network's .keras file is a zip, never a run
