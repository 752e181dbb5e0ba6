"""What the map lab shows while it trains: p and its neighbours, the map, curves, confusion, mistakes."""

from __future__ import annotations

import streamlit as st

from nnlab.metrics import confusion_table
from nnlab.ui.chartview import altair_spec, show_chart
from nnlab.ui.digits_page import readable
from nnlab.ui.i18n import chart_labels, number, t
from nnlab.ui.links import flag, linked, one_of
from nnlab.ui.live_chart import empty_note
from nnlab.ui.names import shown_country, with_shown_countries
from nnlab.ui.transport import training_status
from nnlab.ui.widgets import NO_VALUE, Metric, metric_row
from nnlab.viz import charts, maps, palette
from nnlab.worldmap import (
    WORLD_VIEW,
    city_labels,
    city_predictions,
    confident_mistakes,
    country_view,
    map_metrics,
    view_bounds,
    world_surface,
)

VIEWS = ("world", "country")
LAYERS = ("test", "truth")
MAP_HEIGHT = 520
CURVE_WIDTH = 190  # each of the loss and accuracy plots, in the 3/5 column beside the confusion matrix


def render_city_lab(page: str, lab) -> None:
    """Everything that changes while training; the widgets here rerun only the live fragment."""

    trainer, experiment = lab.trainer, lab.experiment
    trained = trainer.epoch > 0
    predictions = city_predictions(lab)
    metrics = map_metrics(predictions)
    _metric_rows(trainer, metrics)
    training_status(trainer, experiment.train.epochs)
    _map_section(page, lab, predictions, metrics)
    confusion_column, curves_column = st.columns([2, 3])
    with confusion_column:
        st.subheader(t("confusion"))
        if trained:
            names = (t("class_elsewhere"), t("class_in", country=_target_name(lab)))
            table = confusion_table(predictions["label"].to_numpy(), predictions["predicted"].to_numpy(), names)
            show_chart(
                st,
                readable(altair_spec(charts.confusion_chart(table, chart_labels()))),
                key=f"{page}.confusion_chart",
                width="content",
            )
        else:  # an untrained model's verdicts are noise: no matrix that looks like a result
            empty_note(t("mapdigits_untrained"))
    with curves_column:
        st.subheader(t("curves"))
        if trainer.history:
            # Two plots of CURVE_WIDTH side by side fit the column at 1400 px (250 ran past the page's edge).
            chart = charts.history_chart(charts.history_frame(trainer.history), chart_labels(), width=CURVE_WIDTH)
            show_chart(st, readable(altair_spec(chart)), key=f"{page}.history_chart", width="content")
        else:
            empty_note()
    _mistakes_section(page, predictions, trained)


def _target_name(lab) -> str:
    return t("own_label") if "label" in lab.table.columns else shown_country(lab.experiment.data.country)


def _map_metrics(trainer, metrics: dict) -> list[Metric]:
    """Epoch, p (balanced accuracy), accuracy against always-no, the always-no bar itself, precision, recall."""
    trained = trainer.epoch > 0
    show = (lambda value: number(value, ".1%")) if trained else (lambda value: NO_VALUE)
    beat = t("vs_always_no", points=100 * (metrics["accuracy"] - metrics["always_no_accuracy"]))
    return [
        Metric(t("epoch"), trainer.epoch),
        Metric(
            t("metric_p"),
            number(metrics["balanced_accuracy"], ".3f") if trained else NO_VALUE,
            help=t("metric_p_help"),
        ),
        Metric(t("accuracy"), show(metrics["accuracy"]), delta=beat if trained else None, help=t("accuracy_help")),
        # The bar to beat, not the model's score: said under the number, where a score's change would be.
        Metric(
            t("always_no"),
            number(metrics["always_no_accuracy"], ".1%"),
            delta=t("mapdigits_baseline"),
            delta_color="off",
            delta_arrow="off",
            help=t("mapdigits_baseline_help"),
        ),
        Metric(t("precision"), show(metrics["precision"]), help=t("precision_help")),
        Metric(t("recall"), show(metrics["recall"]), help=t("recall_help")),
    ]


def _metric_rows(trainer, metrics: dict) -> None:
    metric_row(_map_metrics(trainer, metrics), wrap=True)  # each number as wide as its label
    if trainer.epoch > 0:
        st.caption(t("f1_and_counts", f1=metrics["f1"], **{k: metrics[k] for k in ("TP", "TN", "FP", "FN")}))
    else:
        st.caption(t("mapdigits_untrained_scores"))


def _map_section(page: str, lab, predictions, metrics: dict) -> None:

    st.subheader(t("map"), help=t("map_help"))
    left, middle, right = st.columns([2, 3, 2])
    view = left.segmented_control(
        t("view"),
        VIEWS,
        format_func=lambda v: t(f"view_{v}", country=_target_name(lab)),
        key=linked(page, "view", "world", one_of(VIEWS)),
        required=True,
        help=t("view_help"),
    )
    shown = middle.segmented_control(
        t("points"),
        LAYERS,
        format_func=lambda v: t(f"points_{v}"),
        key=linked(page, "points", "test", one_of(LAYERS)),
        required=True,
        help=t("points_help"),
    )
    surface = right.toggle(
        t("surface"), key=linked(page, "surface", True, flag, lambda on: "1" if on else "0"), help=t("surface_help")
    )
    table = lab.table
    labels = city_labels(table, lab.experiment.data.country)
    zoomed = view == "country"
    target = table[labels == 1]
    place = country_view(target["lat"].to_numpy(), target["lng"].to_numpy()) if zoomed else WORLD_VIEW
    layers = []
    if surface:  # drawn over what the view shows, fine enough that its edge is a curve, not steps
        bounds = view_bounds(place)
        probabilities = world_surface(lab.trainer, bounds=bounds)
        layers.append(maps.surface_layer(probabilities, lab.experiment.train.threshold, bounds=bounds))
    layers.append(maps.borders_layer())
    radius = 3.5 if zoomed else 2.0  # small dots: 6,800 test cities must not hide the map under them
    trained = lab.trainer.epoch > 0
    if shown == "test":
        layers += maps.outcome_layers(with_shown_countries(predictions), radius=radius, trained=trained)
    else:
        layers += maps.label_layers(with_shown_countries(table), labels, radius=radius * 0.75)
    deck = maps.world_deck(layers, place.latitude, place.longitude, place.zoom, t("map_tooltip"))
    st.pydeck_chart(deck, height=MAP_HEIGHT, key=f"{page}.map.{view}")
    st.markdown(_legend(shown, metrics, lab, surface))
    if shown == "test" and not trained:
        st.caption(t("mapdigits_untrained_points"))


def _legend(shown: str, metrics: dict, lab, surface: bool) -> str:
    """The map's key in the map's own colours (nnlab.viz.palette), mistakes ringed as on the map."""
    if shown == "test":  # the counts only once they mean something (an untrained model's are noise)
        trained = lab.trainer.epoch > 0
        parts = [
            f"{_mark(palette.OUTCOME_COLORS[name], palette.OUTCOME_OUTLINES[name] if trained else None)} {name}"
            + (f" {metrics[name]}" if trained else "")
            for name in ("TN", "TP", "FN", "FP")
        ]
    else:
        parts = [
            f"{_mark(palette.LABEL_COLORS[0])} {t('class_elsewhere')}",
            f"{_mark(palette.LABEL_COLORS[1])} {t('class_in', country=_target_name(lab))}",
        ]
    if surface:
        parts.append(
            f"{_mark(palette.SURFACE, square=True)} {t('surface_legend', threshold=lab.experiment.train.threshold)}"
        )
    return " · ".join(parts)


def _mark(fill: str, outline: str | None = None, square: bool = False) -> str:
    # An image, not text: markdown's colour names cannot show the palette's exact colours.
    return f"![]({maps.swatch_url(fill, outline, square)})"


def _mistakes_section(page: str, predictions, trained: bool = True) -> None:

    st.subheader(t("mistakes"), help=t("mistakes_help"))
    if not trained:
        empty_note(t("mapdigits_untrained"))
        return
    mistakes = confident_mistakes(predictions)
    if mistakes.empty:
        st.caption(t("no_mistakes"))
        return
    st.dataframe(
        mistakes.assign(country=mistakes["country"].map(shown_country)),
        hide_index=True,
        key=f"{page}.mistakes",
        column_config={
            "city": t("column_city"),
            "country": t("column_country"),
            "outcome": t("column_outcome"),
            "lat": st.column_config.NumberColumn(t("column_lat"), format="%.2f"),
            "lng": st.column_config.NumberColumn(t("column_lng"), format="%.2f"),
            "probability": st.column_config.ProgressColumn(
                t("column_probability"), min_value=0.0, max_value=1.0, format="%.3f"
            ),
        },
    )
