"""Every chart goes to the page through `show_chart`, so its numbers read the session language's way."""

from __future__ import annotations

import contextlib

import altair as alt

from nnlab.catalogue import vega_locale
from nnlab.ui.i18n import language

try:  # the lock st.altair_chart holds while it switches Altair's process-wide transformer and theme
    from streamlit.elements.vega_charts import _altair_globals_lock as ALTAIR_LOCK
except ImportError:  # a Streamlit that moved it: serialise without (the race is rare)
    ALTAIR_LOCK = contextlib.nullcontext()


def altair_spec(chart) -> dict:
    """`chart.to_dict()`, safe while other sessions draw: Altair's data transformer and theme are
    process-wide, and `st.altair_chart` switches them, under its own lock, while it serialises."""
    with ALTAIR_LOCK:
        return chart.to_dict()


def localized(spec: dict) -> dict:
    """`spec` with the session language's number locale in its config (unchanged in English)."""
    locale = vega_locale(language())
    if locale is None:
        return spec
    return {**spec, "config": {**spec.get("config", {}), "locale": locale}}


LEGEND_CHANNELS = ("color", "fill", "stroke", "strokeDash", "shape", "size", "opacity")


def concat_members(spec: dict) -> list[dict]:
    """A side-by-side (hconcat) spec as standalone specs, one per member, only the first with legends.

    Shown in a row that wraps, they sit side by side on a projector and one above the other on a phone;
    the concat chart itself keeps its whole width and makes a phone's page scroll sideways.
    """
    members = spec.get("hconcat")
    if not members:
        return [spec]
    shared = {key: value for key, value in spec.items() if key not in ("hconcat", "spacing", "resolve", "center")}
    # The one legend now belongs to one panel, not the row: an entry a line keeps it as narrow as the panel,
    # and under it the panels' plots start at the same height.
    config = shared.get("config", {})
    shared["config"] = {**config, "legend": {**config.get("legend", {}), "columns": 1, "orient": "bottom"}}
    datasets = shared.pop("datasets", None)
    charts = [
        {**shared, **(member if index == 0 else _without_legends(member))} for index, member in enumerate(members)
    ]
    if datasets is None:
        return charts
    # Each panel carries only the datasets it draws: Streamlit's browser side updates every dataset a chart
    # is sent into its one Vega view, and a view that lacks one of them kept its first picture for good.
    return [
        {**chart, "datasets": {name: datasets[name] for name in _data_names(chart) if name in datasets}}
        for chart in charts
    ]


def _data_names(view: object) -> list[str]:
    """The named datasets a (part of a) Vega-Lite spec reads, in order."""
    if isinstance(view, dict):
        data = view.get("data")
        own = [data["name"]] if isinstance(data, dict) and isinstance(data.get("name"), str) else []
        return own + [name for key, value in view.items() if key != "data" for name in _data_names(value)]
    if isinstance(view, list):
        return [name for item in view for name in _data_names(item)]
    return []


def _without_legends(view: dict) -> dict:
    """`view` (a single or layered chart) with every legend turned off: the first member already shows it."""
    view = dict(view)
    if "encoding" in view:
        view["encoding"] = {
            channel: ({**value, "legend": None} if channel in LEGEND_CHANNELS and isinstance(value, dict) else value)
            for channel, value in view["encoding"].items()
        }
    if "layer" in view:
        view["layer"] = [_without_legends(layer) for layer in view["layer"]]
    return view


def show_chart(container, chart, **kwargs):
    """`container.altair_chart(chart)`, or `vega_lite_chart` for a spec, with axes and tooltips that write
    numbers as the page does («0,5», «10 000» in Russian). `kwargs` are Streamlit's (key, width…).

    With width="stretch" the chart fits its column, axes and legend included (a phone's is 360 px): the
    spec's own width and padding autosize would add the axes beyond it. Side-by-side panels (hconcat) go
    to the page as one chart each, in a row that wraps (`concat_members`); their keys get ".0", ".1"…
    """
    if isinstance(chart, alt.HConcatChart):
        chart = altair_spec(chart)
    if isinstance(chart, dict) and "hconcat" in chart:
        row = container.container(horizontal=True, gap="medium")
        key = kwargs.pop("key", None)
        return [
            show_chart(row, member, key=None if key is None else f"{key}.{index}", **kwargs)
            for index, member in enumerate(concat_members(chart))
        ]
    if kwargs.get("width") == "stretch":
        spec = chart if isinstance(chart, dict) else altair_spec(chart)
        chart = {**spec, "autosize": {"type": "fit-x", "contains": "padding"}}
    if isinstance(chart, dict):
        return container.vega_lite_chart(localized(chart), **kwargs)
    if vega_locale(language()) is None:
        return container.altair_chart(chart, **kwargs)
    return container.vega_lite_chart(localized(altair_spec(chart)), **kwargs)
