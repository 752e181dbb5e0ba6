"""Charts of a model that changes while training, rebuilt only when they must be."""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from nnlab.ui.chartview import altair_spec, show_chart
from nnlab.ui.i18n import language, t

CHART_REFRESH_SECONDS = 1.0  # while playing, curves and matrices are rebuilt at most this often


def empty_note(text: str | None = None) -> None:
    """What a chart with no data yet shows instead of empty axes: one short line (default: press Play or Step)."""
    st.caption(text or t("untrained"), help=None)


def live_chart(
    key: str,
    playing: bool,
    build: Callable[[], object],
    model: object = None,
    empty: bool = False,
    width: str = "content",
) -> None:
    """An Altair chart (or a Vega-Lite spec: nnlab.viz.charts's kept specs) of a model that changes while
    training, rebuilt only when it must.

    Building one costs 35–50 ms of server Python holding the GIL. So the last spec is sent again
    (the browser keeps it as it is) when `model` has not changed since (a rerun for a toggle, the
    player reporting in), and, while playing, until CHART_REFRESH_SECONDS have passed. `empty`: nothing
    to draw yet (no epoch trained): `empty_note` instead of axes with nothing on them. `width`: Streamlit's
    ("stretch" fills the column, for a chart that must also fit a phone).
    """
    if empty:
        empty_note()
        return
    cached = st.session_state.get(f"{key}.spec")
    now, version = time.monotonic(), _version(model)
    fresh = cached is not None and version is not None and cached[1] == version
    recent = cached is not None and playing and now - cached[0] < CHART_REFRESH_SECONDS
    if not (fresh or recent):
        built = build()
        cached = st.session_state[f"{key}.spec"] = (
            now,
            version,
            built if isinstance(built, dict) else altair_spec(built),
        )
    show_chart(st, cached[2], key=key, width=width)


def _version(model: object) -> tuple | None:
    """What a chart of `model` depends on: which model, its run, its epoch, hand edits, the language."""
    if model is None:
        return None
    return (id(model), getattr(model, "restarts", 0), model.epoch, len(getattr(model, "changes", ())), language())
