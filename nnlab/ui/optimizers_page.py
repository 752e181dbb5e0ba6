"""The optimizers page: the race (live, one network many optimizers) and the landscapes (paths on test surfaces)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from nnlab import landscapes
from nnlab.playground import plane_extent, structure_key
from nnlab.race import DEFAULT_RATES, build_race, race_boundaries, race_history, race_table
from nnlab.spec import OPTIMIZERS, Experiment
from nnlab.ui.chartview import show_chart
from nnlab.ui.controls import LEARNING_RATES, Controls
from nnlab.ui.i18n import chart_labels, language, number, t
from nnlab.ui.links import bounded, comma, linked, one_of, some_of
from nnlab.ui.live_chart import empty_note, live_chart
from nnlab.ui.player_widget import player
from nnlab.ui.readable import readable
from nnlab.ui.session import session_model
from nnlab.ui.transport import is_playing, pace, training_status
from nnlab.ui.widgets import multiselect
from nnlab.viz import charts
from nnlab.viz.charts import class_legend
from nnlab.viz.landscape import titled_landscape
from nnlab.viz.player import player_layout

RACE_CONTROLS = Controls(optimizer=False)
TARGETS = (0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99)


def race_controls(page: str) -> tuple[dict[str, float], float]:
    """Which optimizers race, each one's learning rate, and the accuracy that counts as arrived."""
    with st.sidebar:
        st.header(t("section_race"))
        racers = multiselect(
            t("racers"),
            OPTIMIZERS,
            key=linked(page, "racers", list(OPTIMIZERS), some_of(OPTIMIZERS), comma),
            format_func=lambda o: t(f"optimizer_{o}"),
            help=t("racers_help"),
        )
        rates = {}
        for name in racers:
            rates[name] = st.select_slider(
                t("racer_rate", optimizer=t(f"optimizer_{name}")),
                LEARNING_RATES,
                key=linked(page, f"rate.{name}", DEFAULT_RATES[name], one_of(LEARNING_RATES, float)),
                format_func=lambda v: number(v, "g"),
                help=t("racer_rate_help"),
            )
        target = st.select_slider(
            t("target_accuracy"),
            TARGETS,
            key=linked(page, "target", 0.9, one_of(TARGETS, float)),
            format_func=lambda v: number(v, ".0%"),
            help=t("target_accuracy_help"),
        )
    return rates, target


def session_race(page: str, experiment: Experiment, rates: dict[str, float], target: float):
    """This session's race, rebuilt when the data, the network, the racers or their rates change."""
    if not rates:
        st.info(t("no_racers"))
        return None
    key = (structure_key(experiment), tuple(sorted(rates.items())), target)
    return session_model(
        page, key, lambda: build_race(experiment, rates, target), lambda race: setattr(race, "experiment", experiment)
    )


def render_race(page: str, race) -> None:
    """Every racer's decision boundary moving together in the browser's player, the standings and the
    overlaid curves; without the player, the epoch, the leader and the boundaries drawn on the server."""
    table = race_table(race)
    playing = is_playing(page)
    result = player(page, race.recorder, _race_layout(page, race), playing, pace(page), editable=False)
    if not result.ready:
        left, middle, _ = st.columns([1, 2, 2])
        left.metric(t("epoch"), race.epoch)
        best = table.dropna(subset=["test_accuracy"]).sort_values("test_accuracy", ascending=False)
        middle.metric(
            t("leader"),
            "—" if best.empty else t(f"optimizer_{best.iloc[0]['optimizer']}"),
            None if best.empty else number(best.iloc[0]["test_accuracy"], ".1%"),
            delta_color="off",
        )
    training_status(race, race.experiment.train.epochs)
    st.dataframe(_standings(table), hide_index=True, key=f"{page}.standings")
    if race.epoch == 0:  # no curve yet: one line, not two empty plots with a legend of nothing
        empty_note(t("pages_race_empty"))
    else:
        live_chart(
            f"{page}.race_chart",
            playing,
            lambda: _whole_epochs(
                readable(charts.race_chart(race_history(race), chart_labels(), names=optimizer_names()))
            ),
            race,
        )
    if not result.ready:
        _still_boundaries(page, race)


def _whole_epochs(spec: dict) -> dict:
    """The race's curves with epochs ticked as whole numbers (1, 2, 3, not 1.0, 1.2, 1.4)."""
    for part in spec.get("hconcat", []):
        x = part.get("encoding", {}).get("x")
        if x is not None:
            x["axis"] = {**(x.get("axis") or {}), "tickMinStep": 1, "format": "d"}
    return spec


def _race_layout(page: str, race) -> dict:
    """The player's fixed part for the race: the points and one titled panel per racer."""
    cache_key = (id(race), tuple(race.trainers), language())
    cached = st.session_state.get(f"{page}.player_layout")
    if cached is not None and cached[0] == cache_key and cached[1] is race:
        return cached[2]
    trainer = next(iter(race.trainers.values()))
    # Only the epoch in the player's row: one racer's loss there would read as the race's.
    layout = player_layout(
        trainer.recorder.layout,
        plane_extent(race.points),
        race.points,
        False,
        {"epoch": t("epoch"), "replay": t("replay")},
        stats=("epoch",),
    ) | {"panels": [{"title": t(f"optimizer_{name}")} for name in race.trainers], "size": 190}
    st.session_state[f"{page}.player_layout"] = (cache_key, race, layout)
    return layout


def _still_boundaries(page: str, race) -> None:
    """Every racer's boundary drawn on the server: what a page without the player shows."""
    boundaries = race_boundaries(race)
    extent = plane_extent(race.points)
    points = dataclasses.replace(
        race.points, class_names=tuple(t("class_name", n=c) for c in range(race.points.n_classes))
    )
    show_chart(
        st, readable(class_legend(points.class_names)), key=f"{page}.class_legend", width="content"
    )  # once for all six
    columns = st.columns(3)
    for index, (name, probabilities) in enumerate(boundaries.items()):
        with columns[index % 3]:
            st.caption(t(f"optimizer_{name}"))
            show_chart(
                st,
                charts.boundary_chart(probabilities, extent, points, False, False, chart_labels(), 170, legend=False),
                key=f"{page}.boundary.{name}",
                width="content",
            )


def _standings(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("column_optimizer"): table["optimizer"].map(lambda o: t(f"optimizer_{o}")),
            t("learning_rate"): table["learning_rate"].map(lambda v: number(v, "g")),  # «0,03» in Russian
            t("epoch"): table["epochs"],
            t("test_accuracy"): table["test_accuracy"].map(lambda v: "—" if pd.isna(v) else number(v, ".1%")),
            t("test_loss"): table["test_loss"].map(lambda v: "—" if pd.isna(v) else number(v, ".3f")),
            t("column_epochs_to_target"): table["epochs_to_target"].map(lambda v: "—" if pd.isna(v) else f"{int(v)}"),
            t("column_seconds_to_target"): table["seconds_to_target"].map(
                lambda v: "—" if pd.isna(v) else number(v, ".2f")
            ),
            t("column_diverged"): table["diverged"].map(lambda d: t("pages_yes") if d else t("pages_no")),
        }
    )


def landscape_section(page: str) -> None:
    """Real Keras optimizers walking 2-D test surfaces; a step slider replays the walk."""
    key = lambda name: f"{page}.landscape.{name}"  # noqa: E731
    link = lambda name, *args: linked(page, f"landscape.{name}", *args)  # noqa: E731
    left, right = st.columns([1, 2])
    with left:
        surfaces = list(landscapes.SURFACES)
        surface = st.selectbox(
            t("surface_choice"),
            surfaces,
            key=link("surface", surfaces[0], one_of(surfaces)),
            help=t("surface_choice_help"),
            format_func=lambda s: t(f"surface_{s}"),
        )
        walkers = multiselect(
            t("racers"),
            OPTIMIZERS,
            key=link("walkers", ["sgd", "momentum", "adagrad", "adam"], some_of(OPTIMIZERS), comma),
            format_func=lambda o: t(f"optimizer_{o}"),
            help=t("walkers_help"),
        )
        scales = (0.1, 0.3, 1.0, 3.0, 10.0)
        scale = st.select_slider(
            t("rate_scale"),
            scales,
            key=link("scale", 1.0, one_of(scales, float)),
            format_func=lambda v: f"×{v:g}",
            help=t("rate_scale_help"),
        )
        momentum = st.slider(
            t("momentum"), 0.0, 0.99, step=0.01, key=link("momentum", 0.9, bounded(0.0, 0.99)), help=t("momentum_help")
        )
        steps = st.slider(
            t("landscape_steps"),
            10,
            1000,
            step=10,
            key=link("steps", 200, bounded(10, 1000, int)),
            help=t("landscape_steps_help"),
        )
    rates = {name: landscapes.DEFAULT_LEARNING_RATES[surface][name] * scale for name in walkers}
    walks = landscapes.paths(surface, walkers, rates, momentum, steps)
    with right:
        upto = st.slider(t("replay_step"), 0, steps, steps, key=key("upto"), help=t("replay_help"))
        chart = landscapes.landscape_chart(surface, walks, upto, optimizer_names())
        show_chart(st, readable(_titled_landscape(chart, surface)), key=key("chart"), width="stretch")
    summary = pd.DataFrame(
        [
            {
                t("column_optimizer"): t(f"optimizer_{n}"),
                t("learning_rate"): f"{rates[n]:g}",
                **_summary_cells(landscapes.path_summary(surface, w[: upto + 1])),
            }
            for n, w in walks.items()
        ]
    )
    st.dataframe(summary, hide_index=True, key=key("summary"))


def optimizer_names() -> dict[str, str]:
    return {name: t(f"optimizer_{name}") for name in OPTIMIZERS}


def _titled_landscape(chart, surface: str):
    """The library's landscape chart with its title, legend and tooltips in the session's language."""
    titles = {"optimizer": t("optimizer_axis"), "step": t("step_axis")}
    return titled_landscape(chart, t(f"surface_{surface}"), titles)


def _summary_cells(summary: dict) -> dict:
    distance = summary.get("distance_to_minimum")
    reached = summary.get("steps_to_minimum")
    return {
        t("column_value"): f"{summary['final_value']:.4g}" if summary.get("final_value") is not None else "—",
        t("column_distance"): "—" if distance is None else number(distance, ".3f"),
        t("column_reached"): "—" if reached is None else str(reached),
        t("column_diverged"): t("pages_yes") if summary.get("diverged") else t("pages_no"),
    }
