"""Charts: the boundary's kept spec is the chart itself, with only the picture made anew."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest

from nnlab.data.toy import make_dataset
from nnlab.spec import Experiment
from nnlab.train import EpochEvent
from nnlab.viz import charts


def spiral(seed: int = 3):
    experiment = Experiment().replace(dataset="spiral", samples=60, seed=seed)
    return make_dataset(experiment.data, experiment.train.train_ratio, experiment.train.seed)


def comparable(spec: dict) -> str:
    """The spec with all data by content, named (Altair's datasets) or inline alike."""
    spec = json.loads(json.dumps(spec))
    datasets = spec.pop("datasets", {})

    def resolve(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict):
                node["data"] = data["values"] if "values" in data else datasets[data["name"]]
            for value in node.values():
                resolve(value)
        elif isinstance(node, list):
            for value in node:
                resolve(value)

    resolve(spec)
    if "data" in spec and "layer" in spec:  # layers inherit the chart's data: Altair hoists data they share
        inherited = spec.pop("data")
        for layer in spec["layer"]:
            layer.setdefault("data", inherited)
    spec.get("config", {}).pop("view", None)  # the active Altair theme's default view size: not ours
    return json.dumps(spec, sort_keys=True)


def test_the_kept_spec_is_the_chart_for_every_picture():
    points, rng = spiral(), np.random.default_rng(0)
    for _ in range(2):  # the second call reuses the kept spec
        p = rng.random((20, 20, 1))
        probabilities = np.concatenate([1 - p, p], axis=-1)
        chart = charts.boundary_chart(probabilities, 1.5, points, True, False, charts.LABELS, 300)
        spec = charts.boundary_spec(probabilities, 1.5, points, True, False, charts.LABELS, 300)
        assert comparable(spec) == comparable(chart.to_dict())


def test_other_points_or_views_get_their_own_spec():
    p = np.full((4, 4, 2), 0.5)
    first = comparable(charts.boundary_spec(p, 1.5, spiral(3)))
    assert comparable(charts.boundary_spec(p, 1.5, spiral(4))) != first
    assert comparable(charts.boundary_spec(p, 1.5, spiral(3), show_test=False)) != first
    assert comparable(charts.boundary_spec(p, 2.0, spiral(3))) != first


@pytest.mark.parametrize("epochs", [0, 1, 29, 30, 1000])  # none, points shown, lines only, thinned to 400
def test_the_kept_curves_are_the_chart(epochs):
    events = [EpochEvent(e, 1 / e, 0.5 + e / 3000, 1.2 / e, 0.4 + e / 3000, e / 10) for e in range(1, epochs + 1)]
    labels = {**charts.LABELS, "train": "обучение", "test": "тест"}
    for _ in range(2):
        assert comparable(charts.history_spec(events, labels, 200)) == comparable(
            charts.history_chart(charts.history_frame(events), labels, 200).to_dict()
        )


def test_the_kept_confusion_matrix_is_the_chart_and_whitens_its_darkest_cells_in_the_browser():
    table = pd.DataFrame({"true": ["a", "a", "b", "b"], "predicted": ["a", "b", "a", "b"], "count": [5, 1, 2, 7]})
    spec = charts.confusion_spec(table, charts.LABELS, 200)
    assert comparable(spec) == comparable(charts.confusion_chart(table, charts.LABELS, 200).to_dict())
    text = spec["layer"][1]
    assert text["transform"] == [{"joinaggregate": [{"op": "max", "field": "count", "as": "peak"}]}]
    assert "datum.peak" in text["encoding"]["color"]["condition"]["test"]


def test_kept_specs_carry_their_rows_inline_where_streamlit_sends_them_as_they_are():
    events = [EpochEvent(e, 1 / e, 0.5, 1.2 / e, 0.4, e / 10) for e in range(1, 40)]
    table = pd.DataFrame({"true": ["a", "b"], "predicted": ["a", "b"], "count": [5, 7]})
    p = np.full((4, 4, 2), 0.5)
    for spec in (charts.history_spec(events), charts.confusion_spec(table), charts.boundary_spec(p, 1.5, spiral())):
        assert "datasets" not in spec and "data" not in spec  # Streamlit would turn these into Arrow every redraw


@pytest.mark.parametrize("hidden", [(), (3,), (4, 2)])
def test_the_kept_network_diagram_is_the_chart(hidden):
    rng = np.random.default_rng(1)
    widths = [2, *hidden, 1]
    kernels = [rng.normal(size=(a, b)) for a, b in itertools.pairwise(widths)]
    biases = [rng.normal(size=b) if i % 2 == 0 else None for i, b in enumerate(widths[1:])]
    maps = [rng.normal(size=(5, 5, w)) for w in widths]
    args = (kernels, biases, maps, ["x₁", "x₂"], [f"layer {i}" for i in range(len(widths))])
    for _ in range(2):
        spec = charts.network_spec(*args)
        assert comparable(spec) == comparable(charts.network_chart(*args).to_dict())
        assert "datasets" not in spec and "data" not in spec
        kernels = [k * 2 for k in kernels]  # new weights, the same kept spec


def test_confusion_cells_shade_from_zero_and_their_text_follows_the_shade():
    """A pale cell gets dark text: the shade runs from 0 (not from the smallest count), and white text is for
    cells past 55 % of the largest count (the white «41» on pale blue could not be read)."""
    import pandas as pd

    from nnlab.viz.charts import confusion_spec

    table = pd.DataFrame({"true": ["a", "a", "b", "b"], "predicted": ["a", "b", "a", "b"], "count": [59, 41, 48, 52]})
    spec = confusion_spec(table)
    cells, text = spec["layer"]
    assert cells["encoding"]["color"]["scale"]["domainMin"] == 0
    assert "0.55 * datum.peak" in text["encoding"]["color"]["condition"]["test"]


def test_side_by_side_panels_become_a_chart_each_with_one_legend():
    """A phone cannot show an hconcat chart's full width: the page draws its panels as a chart each, in a row
    that wraps, with the shared data and config, and the legend once."""
    import altair as alt
    import pandas as pd

    from nnlab.ui.chartview import concat_members

    frame = pd.DataFrame(
        {"epoch": [1, 2, 1, 2], "value": [0.5, 0.4, 0.6, 0.7], "set": ["train", "train", "test", "test"]}
    )
    panel = alt.Chart(frame).mark_line().encode(x="epoch:Q", y="value:Q", color="set:N", strokeDash="set:N")
    spec = (
        alt.hconcat(panel.properties(title="loss"), panel.properties(title="accuracy"))
        .configure_legend(orient="top")
        .to_dict()
    )
    first, second = concat_members(spec)
    assert [first["title"], second["title"]] == ["loss", "accuracy"]
    assert first["datasets"] == second["datasets"] == spec["datasets"]
    assert "legend" not in first["encoding"]["color"]
    assert second["encoding"]["color"]["legend"] is None and second["encoding"]["strokeDash"]["legend"] is None
    assert first["config"]["legend"]["orient"] == "bottom" and "hconcat" not in first
    assert concat_members(first) == [first]  # a single chart stays as it is


def test_each_side_by_side_panel_carries_only_the_data_it_draws():
    """Streamlit's browser side puts every dataset a chart is sent into that chart's Vega view; one the view
    does not read throws "Unrecognized data set" and the chart keeps its first picture (the health panel did)."""
    import altair as alt
    import pandas as pd

    from nnlab.ui.chartview import altair_spec, concat_members
    from nnlab.viz.health import health_chart

    frame = pd.DataFrame({"epoch": [1, 2, 1, 2], "value": [0.5, 0.4, 0.6, 0.7], "part": ["a", "a", "b", "b"]})
    panels = [alt.Chart(frame[frame["part"] == part]).mark_line().encode(x="epoch:Q", y="value:Q") for part in "ab"]
    spec = alt.hconcat(panels[0], alt.layer(panels[0], panels[1])).to_dict()  # a layered panel keeps both
    first, second = concat_members(spec)
    assert (
        len(spec["datasets"]) == 2 and len(first["datasets"]) == 1 and set(second["datasets"]) == set(spec["datasets"])
    )
    assert {first["data"]["name"]} == set(first["datasets"])
    rows = [{"epoch": e, "layer": "1", "measure": m, "value": 0.1 * e} for e in (1, 2) for m in ("gradient", "weights")]
    labels = dict.fromkeys(("layer", "gradient", "weights", "dead", "epoch"), "x")
    gradient, weights = concat_members(altair_spec(health_chart(pd.DataFrame(rows), labels)))
    assert set(gradient["datasets"]).isdisjoint(weights["datasets"])
