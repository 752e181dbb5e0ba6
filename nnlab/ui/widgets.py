"""Widgets several labs share: the row of numbers above a lab's pictures, and a multiselect in the page's language.

Each lab says WHICH numbers it shows (a list of `Metric`); how a row of them is laid out lives here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from nnlab.ui.i18n import number, t

NO_VALUE = "—"  # what a score shows before the first epoch


@dataclass(frozen=True)
class Metric:
    """One number in a metric row, with Streamlit's optional help and delta."""

    label: str
    value: object
    help: str | None = None
    delta: str | None = None
    delta_color: str = "normal"
    delta_arrow: str = "auto"


def multiselect(label: str, options: Sequence, container=None, **kwargs) -> list:
    """`st.multiselect` (in `container`, else the page) whose empty box speaks the page's language.

    Streamlit's own placeholder, "Choose options", is English only; every multiselect goes through here
    (tests/test_structure.py) so none forgets it.
    """
    kwargs.setdefault("placeholder", t("choose_options"))
    return (container or st).multiselect(label, options, **kwargs)


def metric_row(metrics: Sequence[Metric], wrap: bool = False) -> None:
    """The metrics side by side: equal columns, or with `wrap` a row each number as wide as its label.

    `wrap` is for long labels: six equal columns cut «Доля верных ответов», a wrapping row does not.
    """
    if wrap:
        row = st.container(horizontal=True, gap="large")
        places, width = [row] * len(metrics), "content"
    else:
        places, width = st.columns(len(metrics)), "stretch"
    for place, metric in zip(places, metrics, strict=True):
        place.metric(
            metric.label,
            metric.value,
            help=metric.help,
            delta=metric.delta,
            delta_color=metric.delta_color,
            delta_arrow=metric.delta_arrow,
            width=width,
        )


def last_epoch(trainer):
    """The trainer's newest history row, None before the first epoch."""
    return trainer.history[-1] if trainer.history else None


def score(row, name: str, spec: str) -> str:
    """`row`'s measure `name` written the page's way (0,912 in Russian), NO_VALUE when there is no row yet."""
    return number(getattr(row, name), spec) if row is not None else NO_VALUE
