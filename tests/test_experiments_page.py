"""The Experiments page through AppTest: a small grid runs through the executor, fills in, and cancels cleanly."""

from __future__ import annotations

import json
import time

import pyarrow as pa
import pytest

from nnlab.experiments import Grid
from nnlab.labs import train_and_score
from nnlab.ui.i18n import STRINGS
from nnlab.viz import palette
from nnlab.viz.grid import HEAT_RANGES
from nnlab.viz.palette import cell_ink
from tests.pagetools import open_lab, run

PAGE = "pages/8_Experiments.py"
SMALL = {
    "dataset": "xor",
    "samples": "200",
    "hidden_layers": "4:tanh",
    "epochs": "10",
    "v.rows": "hidden_units",
    "v.values.hidden_units": "2,8",
    "v.columns": "learning_rate",
    "v.values.learning_rate": "0.03,0.3",
    "v.repeats": "1",
}


def wait_for_runs(at, done: int, seconds: float = 180) -> None:
    """AppTest never fires the page's timer: rerun until `done` runs are in (the page collects on each run)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if at.get("progress") and _finished(run(at)) >= done:
            return
        time.sleep(0.5)
    raise AssertionError(f"fewer than {done} runs finished: {[p.proto.text for p in at.get('progress')]}")


def _finished(at) -> int:
    text = at.get("progress")[0].proto.text
    return int(text.split(" of ")[0]) if text.split(" of ")[0].isdigit() else 0


def heat_values(at) -> dict[tuple[str, str], float]:
    """The heat map's cells as the browser receives them (the chart's Arrow dataset)."""
    chart = at.get("vega_lite_chart")[0].proto
    assert json.loads(chart.spec)["layer"][0]["mark"]["type"] == "rect"
    table = pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pandas()
    return {(r["row"], r["column"]): r["mean"] for r in table.to_dict("records")}


def test_a_small_grid_fills_the_heat_map_with_the_runs_own_metrics():
    at = open_lab(PAGE, SMALL)
    assert any(c.value.startswith("4 runs on ") and "local worker process" in c.value for c in at.caption)
    at.button(key="experiments.run").click()
    wait_for_runs(run(at), 4)
    shown = heat_values(at)
    grid = Grid(
        at.session_state["experiments.grid_run"]["grid"].base,
        ("hidden_units", (2, 8)),
        ("learning_rate", (0.03, 0.3)),
        1,
    )
    for row, column, _, experiment in grid.cells():
        assert shown[(str(row), str(column))] == pytest.approx(train_and_score(experiment).metrics["accuracy"])
    assert any("Best cell" in s.value for s in at.subheader)
    assert_cell_text_follows_cell_colour(at)
    assert at.button(key="experiments.run").disabled is False  # finished: the grid can run again


def test_cancel_mid_grid_keeps_the_finished_cells():
    slow = SMALL | {
        "epochs": "300",
        "samples": "1000",
        "v.values.hidden_units": "2,4,6,8",
        "v.values.learning_rate": "0.01,0.03,0.1,0.3",
    }
    at = open_lab(PAGE, slow)
    at.button(key="experiments.run").click()
    wait_for_runs(run(at), 1, seconds=240)
    at.button(key="experiments.cancel").click()
    run(at)
    finished = _finished(at)
    assert 1 <= finished < 16
    assert any("Cancelled after" in w.value for w in at.warning)
    assert len(heat_values(at)) >= 1
    time.sleep(1)
    run(at)
    assert _finished(at) <= finished + 3  # at most the runs already on a worker still report


def test_before_the_grid_runs_a_line_says_so_and_no_chart_is_drawn():
    at = open_lab(PAGE, SMALL)
    assert STRINGS["grid_empty"][0] in [c.value for c in at.caption]
    assert not at.get("vega_lite_chart")


def test_cell_text_is_black_on_pale_cells_and_white_on_dark_ones():
    low, high = HEAT_RANGES["score"]
    assert cell_ink(low, high, 0.0) == palette.INK and cell_ink(low, high, 1.0) == palette.WHITE
    loss_low, loss_high = HEAT_RANGES["loss"]
    assert cell_ink(loss_low, loss_high, 0.0) == palette.INK
    # the switch happens once along the ramp: black below it, white above
    inks = [cell_ink(low, high, share / 20) for share in range(21)]
    assert inks == sorted(inks, key=lambda ink: ink == palette.WHITE)


def assert_cell_text_follows_cell_colour(at) -> None:
    """Each heat-map cell's number is black or white by that cell's own colour (not by a fixed threshold)."""
    chart = at.get("vega_lite_chart")[0].proto
    spec = json.loads(chart.spec)
    text = spec["layer"][1]["encoding"]["color"]
    assert text["field"] == "ink" and text["scale"]["range"] == [palette.INK, palette.WHITE]
    table = pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pandas()
    low, high = table["mean"].min(), table["mean"].max()
    for mean, ink in zip(table["mean"], table["ink"]):
        share = 0.5 if high == low else (mean - low) / (high - low)
        assert ink == cell_ink(*HEAT_RANGES["score"], share)
    assert spec["config"]["axis"]["labelFontSize"] >= 12
