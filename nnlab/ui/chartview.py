"""Every chart goes to the page through `show_chart`, so its numbers read the session language's way."""

from __future__ import annotations

import contextlib

from nnlab.catalogue import vega_locale
from nnlab.ui.i18n import language


def altair_spec(chart) -> dict:
    """`chart.to_dict()`, safe while other sessions draw: Altair's data transformer and theme are
    process-wide, and `st.altair_chart` switches them, under its own lock, while it serialises."""
    try:
        from streamlit.elements.vega_charts import _altair_globals_lock as lock
    except ImportError:  # a Streamlit that moved it: serialise without (the race is rare)
        lock = contextlib.nullcontext()
    with lock:
        return chart.to_dict()


def localized(spec: dict) -> dict:
    """`spec` with the session language's number locale in its config (unchanged in English)."""
    locale = vega_locale(language())
    if locale is None:
        return spec
    return {**spec, "config": {**spec.get("config", {}), "locale": locale}}


def show_chart(container, chart, **kwargs):
    """`container.altair_chart(chart)`, or `vega_lite_chart` for a spec, with axes and tooltips that write
    numbers as the page does («0,5», «10 000» in Russian). `kwargs` are Streamlit's (key, width…)."""
    if isinstance(chart, dict):
        return container.vega_lite_chart(localized(chart), **kwargs)
    if vega_locale(language()) is None:
        return container.altair_chart(chart, **kwargs)
    return container.vega_lite_chart(localized(altair_spec(chart)), **kwargs)
