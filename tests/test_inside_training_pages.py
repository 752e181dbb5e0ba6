"""The optimizers and losses pages through AppTest: the race steps, the landscapes replay, every lesson renders."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from nnlab.ui.i18n import STRINGS
from tests.pagetools import metric, open_lab, run

OPTIMIZERS_PAGE, LOSSES_PAGE = "pages/4_Optimizers.py", "pages/5_Losses_and_backprop.py"


def standings(at: AppTest):
    return next(d.value for d in at.dataframe if STRINGS["column_epochs_to_target"][0] in d.value.columns)


def race_spec(at: AppTest) -> dict | None:
    """The race's curves, None if absent: two panels (test loss, test accuracy), which the page draws as two
    charts in a row that wraps (each with its data, under "_datasets"); the first holds the legend."""
    panels = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        if "epoch" in json.dumps(spec) and "optimizer" in json.dumps(spec) and "mark" in spec:
            panels.append(spec | {"_datasets": chart.proto.datasets})
    return {"hconcat": panels, "config": panels[0]["config"]} if len(panels) == 2 else None


def test_race_steps_every_optimizer_together():
    at = open_lab(OPTIMIZERS_PAGE, {"samples": "200"})
    before = [c.value for c in at.caption]
    assert STRINGS["pages_race_empty"][0] in before and race_spec(at) is None  # a line, not empty axes
    at.button(key="optimizers.step").click()
    run(at)
    table = standings(at)
    assert len(table) == 6 and set(table[STRINGS["epoch"][0]]) == {1}
    assert set(table[STRINGS["column_diverged"][0]]) == {STRINGS["pages_no"][0]}  # filled, not blank
    assert STRINGS["pages_race_empty"][0] not in [c.value for c in at.caption]
    assert len(at.get("vega_lite_chart")) >= 8  # the curves, the classes' legend and six boundaries


def test_race_curves_have_a_legend_with_every_optimizer_and_both_panels_data():
    at = open_lab(OPTIMIZERS_PAGE, {"samples": "200"})
    for _ in range(2):
        at.button(key="optimizers.step").click()
        run(at)
    spec = race_spec(at)
    colour = spec["hconcat"][0]["encoding"]["color"]
    names = [STRINGS[f"optimizer_{o}"][0] for o in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")]
    assert colour["scale"]["domain"] == names and len(set(colour["scale"]["range"])) == 6
    for panel in spec["hconcat"]:  # both panels (loss and accuracy) have rows, each a finite value
        rows = _rows(spec, panel)
        assert len(rows) == 12 and all(np.isfinite(rows["value"]))
        assert set(rows["optimizer"]) == set(names)
    fonts = spec["config"]["axis"]
    assert fonts["labelFontSize"] >= 12 and fonts["titleFontSize"] >= 12  # readable on a projector


def _rows(spec: dict, panel: dict):
    """A panel's data rows: inline values, or the Arrow dataset Streamlit sent beside the spec."""
    import pyarrow as pa

    data = panel.get("data", spec.get("data", {}))
    if "values" in data:
        return pd.DataFrame(data["values"])
    name = data.get("name")
    datasets = panel.get("_datasets", spec.get("_datasets"))
    for dataset in datasets:
        if dataset.name == name or len(datasets) == 1:
            return pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
    raise AssertionError(f"no data for {name}")


def test_small_boundaries_share_one_class_legend():
    at = open_lab(OPTIMIZERS_PAGE, {"samples": "200"})
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    boundaries = [spec for spec in specs if spec.get("height") == 170]  # the race's small boundaries are 170 px
    assert len(boundaries) == 6
    for spec in boundaries:  # no legend under any of the six: the one above them names the classes
        encodings = [layer.get("encoding", {}) for layer in spec.get("layer", [spec])]
        legends = [
            channel
            for encoding in encodings
            for name, channel in encoding.items()
            if name in ("color", "fill", "stroke", "shape", "size", "opacity", "strokeDash")
            and isinstance(channel, dict)
            and "field" in channel
        ]
        assert legends and all("legend" in channel and channel["legend"] is None for channel in legends)
    legend = next(spec for spec in specs if spec.get("height") == 1)  # the one legend, with a label per class
    assert legend["encoding"]["color"]["scale"]["domain"] == [STRINGS["class_name"][0].format(n=c) for c in (0, 1)]


def test_racers_and_rates_come_from_the_sidebar():
    at = open_lab(OPTIMIZERS_PAGE, {"samples": "200"})
    at.multiselect(key="optimizers.racers").set_value(["sgd", "adam"])
    at.select_slider(key="optimizers.rate.adam").set_value(0.1)
    run(at)
    race = at.session_state["optimizers.lab"]
    assert list(race.trainers) == ["sgd", "adam"] and race.trainers["adam"].train_spec.learning_rate == 0.1
    at.multiselect(key="optimizers.racers").set_value([])
    run(at)
    assert any(STRINGS["no_racers"][0] == i.value for i in at.info)


def test_landscape_replay_and_surfaces():
    at = open_lab(OPTIMIZERS_PAGE, {"samples": "200"})
    for surface in ("valley", "rosenbrock", "saddle"):
        at.selectbox(key="optimizers.landscape.surface").set_value(surface)
        run(at)
    at.slider(key="optimizers.landscape.upto").set_value(20)
    run(at)
    summary = next(d.value for d in at.dataframe if STRINGS["column_reached"][0] in d.value.columns)
    assert len(summary) == 4  # sgd, momentum, adagrad, adam by default


def test_losses_page_checks_numpy_against_keras():
    at = open_lab(LOSSES_PAGE)
    table = next(d.value for d in at.dataframe if STRINGS["column_agree"][0] in d.value.columns)
    assert set(table[STRINGS["column_agree"][0]]) == {"✓"}
    assert metric(at, STRINGS["bce_numpy"][0]) == "0.052046" == metric(at, STRINGS["bce_keras"][0])
    assert all(len(value.split(".")[1]) == 4 for value in table["numpy"])  # four decimals, not eight
    note = next(d for d in at.dataframe if STRINGS["column_note"][0] in d.value.columns)
    assert note.proto.row_height > 64  # taller than 4 rem: Streamlit wraps the notes instead of cutting them


def test_loss_curves_have_named_and_distinct_colours():
    at = open_lab(LOSSES_PAGE)
    spec = next(json.loads(c.proto.spec) for c in at.get("vega_lite_chart") if "predicted" in c.proto.spec)
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == [STRINGS[f"pages_curve_{n}"][0] for n in ("mae", "mse", "binary_crossentropy")]
    assert len(set(scale["range"])) == 3 and "MAE" in scale["domain"][0]


def test_scratch_network_reproduces_seed_003():
    at = open_lab(LOSSES_PAGE)
    at.button(key="losses.scratch_button").click()
    run(at)
    assert metric(at, STRINGS["initial_cost"][0]) == "1.127380"
    assert float(metric(at, STRINGS["scratch_accuracy"][0]).rstrip("%")) >= 90
    assert metric(at, STRINGS["logistic_accuracy"][0]) == "47.0%"


def test_gradient_check_passes_and_catches_the_slip():
    at = open_lab(LOSSES_PAGE)
    assert float(metric(at, STRINGS["relative_difference"][0])) < 1e-7
    at.toggle(key="losses.gradcheck_slip").set_value(True)
    run(at)
    assert float(metric(at, STRINGS["relative_difference"][0])) > 1e-3
    assert at.error[0].value == STRINGS["gradcheck_fail"][0]


def test_graph_follows_the_inputs():
    at = open_lab(LOSSES_PAGE)
    at.number_input(key="losses.graph_x").set_value(2.0)
    run(at)
    graph = next(d.value for d in at.dataframe if "GradientTape" in d.value.columns)
    row = graph[graph[STRINGS["node"][0]] == "w1"].iloc[0]
    assert row[STRINGS["backward"][0]] == row["GradientTape"]
