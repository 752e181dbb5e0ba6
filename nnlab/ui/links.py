"""Lesson links: every page's state in the address bar, controls a teacher hides, and the link's QR code.

The experiment's settings are plain keys (`dataset=spiral`); a page's other controls (which
optimizers race, the map's view, the loss curve's label) are `v.<name>`; `hide=` lists the
controls a lesson link hides and `lang=` the language. A link opened in a new session
restores all of them before any widget is drawn.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno
import streamlit as st

from nnlab.ui.i18n import LANGUAGE_KEY

VIEW_PREFIX = "v."
HIDE_KEY = "hide"
LESSON_KEY = "lesson"
PAGE_KEYS = (LANGUAGE_KEY, HIDE_KEY, LESSON_KEY)  # in every link; not experiment settings


def experiment_params(params: dict[str, str]) -> dict[str, str]:
    """The query parameters that are experiment settings (not the language, hidden controls or views)."""
    return {k: v for k, v in params.items() if k not in PAGE_KEYS and not k.startswith(VIEW_PREFIX)}


def page_params(params: dict[str, str]) -> dict[str, str]:
    """The query parameters that are not experiment settings (kept when the settings are rewritten)."""
    return {k: v for k, v in params.items() if k in PAGE_KEYS or k.startswith(VIEW_PREFIX)}


def hidden_controls(page: str) -> frozenset[str]:
    """Controls this session's link hides (read once, when the page is first opened)."""
    key = f"{page}.hidden"
    if key not in st.session_state:
        listed = st.query_params.get(HIDE_KEY, "")
        st.session_state[key] = frozenset(name for name in listed.split(",") if name)
    return st.session_state[key]


def shown(page: str, name: str) -> bool:
    return name not in hidden_controls(page)


def linked(
    page: str, name: str, default: object, parse: Callable[[str], object] = str, show: Callable[[object], str] = str
) -> str:
    """The widget key for a page control whose value lives in the link as `v.<name>`.

    Give the widget this key instead of a default. The first time, the value comes from the link
    (a value `parse` rejects falls back to `default`); after that the control's value, which
    Streamlit has already stored when the page reruns, is written back to the link.
    """
    key = f"{page}.{name}"
    if key not in st.session_state:
        text = st.query_params.get(VIEW_PREFIX + name)
        try:
            st.session_state[key] = default if text is None else parse(text)
        except (TypeError, ValueError):
            st.session_state[key] = default
    value, param = st.session_state[key], VIEW_PREFIX + name
    if value == default:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != show(value):
        st.query_params[param] = show(value)
    return key


def one_of(options, convert: Callable[[str], object] = str) -> Callable[[str], object]:
    """A parser accepting only the control's own options (a widget given anything else raises)."""

    def parse(text: str) -> object:
        value = convert(text)
        if value not in options:
            raise ValueError(text)
        return value

    return parse


def bounded(low: float, high: float, convert: Callable[[str], object] = float) -> Callable[[str], object]:
    """A parser for a slider: a number within its range."""

    def parse(text: str) -> object:
        value = convert(text)
        if not low <= value <= high:
            raise ValueError(text)
        return value

    return parse


def some_of(options) -> Callable[[str], list[str]]:
    """A parser for a multiselect: the listed options it offers, in the link's order."""
    return lambda text: [word for word in words(text) if word in options]


def words(text: str) -> list[str]:
    """Parse a comma list from a link."""
    return [word for word in text.split(",") if word]


def comma(values) -> str:
    return ",".join(str(v) for v in values)


def flag(text: str) -> bool:
    if text not in ("0", "1"):
        raise ValueError(text)
    return text == "1"


def lesson_link(page_path: str, params: dict[str, str], hide: list[str]) -> str:
    """The full address of a page with the current settings and the controls to hide.

    The host is the one the teacher's browser used, so open the app by the address students can reach.
    """
    parts = urlsplit(st.context.url or "http://localhost:8501/")
    query = {k: v for k, v in params.items() if k != HIDE_KEY} | ({HIDE_KEY: ",".join(hide)} if hide else {})
    return urlunsplit((parts.scheme, parts.netloc, f"/{page_path}", urlencode(query, safe=",:"), ""))


@functools.lru_cache(maxsize=256)
def qr_png(link: str) -> bytes:
    """A QR code of the link, big enough to scan from the back of a classroom.

    Kept per link: the share panel is redrawn on every live tick, and the picture only changes with the link.
    """
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()
