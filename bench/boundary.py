"""Drawing speed: the Playground's 100×100 decision boundary with its chart, and the world map's surface.

Baseline: what a plain Streamlit clone does per redraw, `model.predict(grid)` and an Altair
heat map with one rectangle per grid cell. Ours: one compiled forward pass for the output and
every neuron's map (`plane_maps`), and the boundary drawn as one PNG inside a chart spec that
is built once per lab (`boundary_spec`: only the picture changes from one redraw to the next). Both are
serialised to the Vega-Lite JSON the browser receives. The map page's surface is timed the same
way: a 240×120 world grid through the trained model, and its image layer.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import altair as alt
import pandas as pd

from nnlab.data.cities import DEFAULT_CITIES, read_cities
from nnlab.playground import build_lab, plane_extent, plane_grid, plane_maps
from nnlab.presets import PRESETS
from nnlab.viz import charts, maps
from nnlab.worldmap import WORLD_LAT, world_surface
from nnlab.worldmap import build_lab as build_city_lab

RESOLUTION = 100
REPEATS = 15
EXPERIMENT = PRESETS["playground"].experiment.replace(dataset="spiral", samples=500, hidden_layers="8:tanh,8:tanh")


def median_ms(action: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median wall time of `action` in milliseconds, after one untimed warm-up call."""
    action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def baseline_redraw(lab) -> dict:
    """model.predict on the grid, then a rect mark per cell (10,000 rows of JSON)."""
    extent = plane_extent(lab.points)
    grid = plane_grid(extent, RESOLUTION)
    probabilities = lab.trainer.model.predict(grid, verbose=0)[:, 0]
    frame = pd.DataFrame({"x1": grid[:, 0], "x2": grid[:, 1], "p": probabilities})
    step = 2 * extent / RESOLUTION
    chart = (
        alt.Chart(frame)
        .mark_rect(width=380 / RESOLUTION, height=380 / RESOLUTION)
        .encode(
            x=alt.X("x1:Q", bin=alt.Bin(step=step)),
            y=alt.Y("x2:Q", bin=alt.Bin(step=step)),
            color=alt.Color("p:Q", scale=alt.Scale(scheme="blueorange", domain=[0, 1])),
        )
        .properties(width=380, height=380)
    )
    with alt.data_transformers.disable_max_rows():  # Altair refuses 10,000 rows unless told
        return chart.to_dict()


def our_redraw(lab) -> dict:
    """The Playground's path: every map in one call, the boundary as one image in a chart spec kept per lab."""
    plane = plane_maps(lab, RESOLUTION)
    return charts.boundary_spec(plane.probabilities, plane.extent, lab.points)


def surface_redraw(city_lab) -> object:
    """The map page's surface: the world grid through the model, then its bitmap layer."""
    return maps.surface_layer(world_surface(city_lab.trainer), 0.5, *WORLD_LAT).to_json()


def run() -> dict:
    """{'name', 'ms', 'baseline_ms', 'ratio', 'surface_ms'} measured in this process."""
    lab = build_lab(EXPERIMENT)
    lab.trainer.run(20)
    city_lab = build_city_lab(PRESETS["cities-minimal"].experiment, read_cities(DEFAULT_CITIES))
    city_lab.trainer.run(1)
    ours = median_ms(lambda: our_redraw(lab))
    baseline = median_ms(lambda: baseline_redraw(lab))
    return {
        "name": "boundary",
        "ms": round(ours, 1),
        "baseline_ms": round(baseline, 1),
        "ratio": round(baseline / ours, 2),
        "surface_ms": round(median_ms(lambda: surface_redraw(city_lab)), 1),
        "grid": f"{RESOLUTION}x{RESOLUTION}",
    }


def describe(result: dict) -> str:
    return (
        f"boundary: {result['grid']} grid with its chart {result['ms']:.1f} ms (predict + per-cell chart "
        f"{result['baseline_ms']:.1f} ms, ratio {result['ratio']:.1f}x); world surface {result['surface_ms']:.1f} ms"
    )


if __name__ == "__main__":
    print(describe(run()))
