"""The world-map lab in Streamlit: city data and country controls, the session's lab, and its pictures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nnlab.data.cities import country_names, read_cities
from nnlab.presets import PRESETS
from nnlab.spec import Experiment
from nnlab.ui.controls import Controls, control, load_experiment, preset_buttons, split_controls
from nnlab.ui.i18n import t
from nnlab.ui.loaders import shipped_cities
from nnlab.ui.names import shown_countries
from nnlab.ui.session import session_model
from nnlab.ui.uploads import upload_section
from nnlab.worldmap import build_lab, structure_key, update_live_settings

SHIPPED = "shipped"


def city_table(page: str) -> tuple[pd.DataFrame, str]:
    """The table the page trains on, and a short id that changes when the data does."""
    uploaded = st.session_state.get(f"{page}.uploaded")
    if st.session_state.get(f"{page}.source", SHIPPED) != SHIPPED and uploaded is not None:
        return uploaded["value"], uploaded["digest"]
    return shipped_cities(), SHIPPED


def data_controls(page: str) -> dict:
    """Source, country, split and seed: the data half of a map experiment."""
    key = lambda name: f"{page}.{name}"  # noqa: E731
    st.header(t("section_data"))
    source = st.radio(
        t("source"),
        (SHIPPED, "upload"),
        format_func=lambda s: t(f"source_{s}"),
        key=key("source"),
        help=t("source_help"),
    )
    if source != SHIPPED:
        upload_section(page, read_cities, t("upload"), t("upload_help"), ["csv", "txt"], "upload_rejected")
        uploaded = st.session_state.get(key("uploaded"))
        if uploaded is not None:
            st.caption(t("upload_using", name=uploaded["name"], rows=len(uploaded["value"])))
            if uploaded["value"].attrs.get("repeated_rows"):
                st.caption(t("upload_repeated", count=uploaded["value"].attrs["repeated_rows"]))
    table, _ = city_table(page)
    values = {"dataset": "cities"}
    if "label" in table.columns:
        st.caption(t("own_labels"))
    else:
        names = country_names(table)
        if st.session_state.get(key("country")) not in names:
            st.session_state[key("country")] = "Russia" if "Russia" in names else names[0]
        values["country"] = control(
            page,
            "country",
            lambda: st.selectbox(
                t("country"), names, key=key("country"), help=t("country_help"), format_func=shown_countries(names)
            ),
        )
    values |= split_controls(page)
    preset_buttons(page, ("cities-reference", "cities-minimal"), _load_preset, side_by_side=True)
    return values


def _load_preset(page: str, name: str) -> None:
    """A seed 000 network for the country the student already picked."""
    country = st.session_state.get(f"{page}.country", "Russia")
    load_experiment(page, PRESETS[name].experiment.replace(country=country))


def threshold_control(page: str) -> dict:
    """The decision threshold, in the page beside the map it recolours."""
    left, _ = st.columns([2, 3])
    return {
        "threshold": control(
            page,
            "threshold",
            lambda: left.slider(
                t("threshold"), 0.05, 0.95, step=0.05, key=f"{page}.threshold", help=t("threshold_help")
            ),
        )
    }


MAP_CONTROLS = Controls(
    data=data_controls,
    features=False,
    max_units=256,
    layer_batch_norm=True,
    class_weight=True,
    main=threshold_control,
    datasets=("cities",),
)


def session_city_lab(page: str, experiment: Experiment):
    """This session's lab, rebuilt when data or structure change; None (with a message) if impossible."""
    table, digest = city_table(page)
    return session_model(
        page,
        (structure_key(experiment), digest),
        lambda: build_lab(experiment, table),
        lambda lab: update_live_settings(lab, experiment),
    )
