"""The session's language and `t(key)`: the catalogue's text (nnlab.catalogue) in that language."""

from __future__ import annotations

import streamlit as st

from nnlab.catalogue import LANGUAGES, STRINGS, format_number, text
from nnlab.errors import LabError

__all__ = [
    "LANGUAGES",
    "LANGUAGE_KEY",
    "LANGUAGE_STATE",
    "STRINGS",
    "chart_labels",
    "error_text",
    "failure_text",
    "language",
    "number",
    "t",
]

LANGUAGE_KEY = "lang"  # the URL parameter (?lang=ru) and the sidebar switch's widget key
# Where the session keeps its language. Not a widget key: Streamlit forgets a keyed widget's value
# when the page changes, and the language must survive that (nnlab.ui.setup copies it to the switch).
LANGUAGE_STATE = "nnlab.language"


def language() -> str:
    """The session's language code ('en' unless chosen otherwise)."""
    return st.session_state.get(LANGUAGE_STATE, "en")


def t(key: str, **values: object) -> str:
    """The text `key` in the session's language, formatted with `values`."""
    return text(key, language(), **values)


def number(value: float, spec: str = "") -> str:
    """`value` written the session language's way (Babel): number(34006, ",") is «34 006» in Russian."""
    return format_number(value, spec, language())


def error_text(error: BaseException) -> str:
    """A library error's message in the session's language (a LabError's key and values; others as they are)."""
    return error.message(language()) if isinstance(error, LabError) else str(error)


def failure_text(failed: object) -> str:
    """Why a run on a worker failed (nnlab.executor.Failed): a student's error in the session's language, else
    the first line of its message."""
    error = getattr(failed, "error", None)
    return error_text(error) if error is not None else failed.message.splitlines()[0]


def chart_labels() -> dict[str, str]:
    """Words the charts show, in the session's language."""
    return {
        "epoch": t("epoch_axis"),
        "loss": t("loss_axis"),
        "accuracy": t("accuracy_axis"),
        "train": t("train"),
        "test": t("test"),
        "set": t("set"),
        "class": t("class"),
        "true": t("true"),
        "predicted": t("predicted"),
        "count": t("count"),
        "run": t("run_axis"),
        "probability": t("probability_axis"),
        "optimizer": t("optimizer_axis"),
        "weight": t("chart_weight"),
        "link": t("chart_link"),
        "neuron": t("chart_neuron"),
        "bias": t("chart_bias"),
        "mean": t("chart_mean"),
        "step": t("step_axis"),
        "value": t("chart_value"),
    }
