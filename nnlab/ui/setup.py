"""The one call at the top of every page: page config, language, shared styling."""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from nnlab.ui.i18n import LANGUAGE_KEY, LANGUAGE_STATE, LANGUAGES, language, t
from nnlab.ui.links import hidden_controls
from nnlab.ui.server import keep_keras_models

TEXT = "text"  # in a lesson link's hide=: the page's title and introduction (TF Playground's hideText)

# The ?lang= this session last put in the address bar: a different one there came from a link.
ADDRESS_STATE = "nnlab.language.address"


def setup_page(title_key: str, icon: str = "🧠", layout: str = "wide") -> None:
    """Configure the page and draw the language switch; works when a page is opened directly."""
    current = _session_language()  # first: the browser tab's title is in it too
    st.set_page_config(page_title=f"{t(title_key)} · NN Lab", page_icon=icon, layout=layout)
    keep_keras_models()
    _navigation()
    st.sidebar.selectbox(
        f"{t('language')} / Language" if current != "en" else "Language / Язык",
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        key=LANGUAGE_KEY,
        on_change=_language_chosen,
    )


def page_title(page: str, title_key: str, intro_key: str) -> None:
    """The page's title and introduction, unless a lesson link hides them so the lab fits a slide or an
    LMS frame (Streamlit's own ?embed=true, which drops the app's menu and sidebar chrome, still applies)."""
    if TEXT in hidden_controls(page):
        return
    st.title(t(title_key))
    st.caption(t(intro_key))


def _session_language() -> str:
    """This run's language, also written to the address bar and the sidebar switch.

    The session keeps it in LANGUAGE_STATE, which outlives a page change (the switch's own widget
    state does not). A `?lang=` wins when the page was opened from a link: on the session's first page,
    and whenever it differs from the one this session last wrote to the address bar (the sidebar and
    home links carry the session's own). A student who opens a shared Russian link sees Russian.
    """
    requested = st.query_params.get(LANGUAGE_KEY)
    if requested in LANGUAGES and requested != st.session_state.get(ADDRESS_STATE):
        st.session_state[LANGUAGE_STATE] = requested
    current = language()
    st.session_state[LANGUAGE_STATE] = current
    if st.query_params.get(LANGUAGE_KEY) != current:
        st.query_params[LANGUAGE_KEY] = current  # every page's link opens in its language
    st.session_state[ADDRESS_STATE] = current
    st.session_state[LANGUAGE_KEY] = current  # the switch shows it (set before the widget is drawn)
    return current


def _language_chosen() -> None:
    """The sidebar switch changed: that is the session's language from now on (runs before the page)."""
    st.session_state[LANGUAGE_STATE] = st.session_state[LANGUAGE_KEY]


def page_link(page: str, label: str, icon: str | None = None) -> None:
    """`st.page_link` that keeps the session's language, clicked or opened in a new tab."""
    st.page_link(page, label=label, icon=icon, query_params={LANGUAGE_KEY: language()})


class Page(NamedTuple):
    """A page of the app: its sidebar link and, for a lab, its card on the home page."""

    file: str  # relative to app.py
    title: str  # the text key of its sidebar link and its card's heading
    icon: str
    card: str = ""  # a lab's name: home_open_<card>, pages_home_lab_<card>, pages_home_more_<card>, docs/<card>.png
    key: str = ""  # the prefix of its session-state keys (the page file's PAGE), when it is not `card`

    @property
    def state_key(self) -> str:
        return self.key or self.card


# The one list of pages, in teaching order: the sidebar, the home page's cards and lesson links read it.
# fmt: off
PAGES = (
    Page("app.py",                         "nav_home",             ":material/home:"),
    Page("pages/1_Playground.py",          "playground_title",     ":material/scatter_plot:", "playground"),
    Page("pages/2_World_map.py",           "map_title",            ":material/public:",       "worldmap"),
    Page("pages/3_Digits.py",              "digits_title",         ":material/draw:",         "digits"),
    Page("pages/4_Optimizers.py",          "optimizers_title",     ":material/speed:",        "optimizers"),
    Page("pages/5_Losses_and_backprop.py", "nav_losses",           ":material/functions:",    "losses"),
    Page("pages/6_Generalization.py",      "generalization_title", ":material/target:",       "generalization"),
    Page("pages/7_Runs.py",                "runs_title",           ":material/leaderboard:",  "runs"),
    Page("pages/8_Experiments.py",         "experiments_title",    ":material/grid_on:",      "experiments"),
    Page("pages/9_Convolution.py", "conv_title", ":material/filter_center_focus:", "convolution", key="conv"),
)
# fmt: on


def _navigation() -> None:
    """Sidebar links with translated names (Streamlit's own would show file names), in the session's language."""
    with st.sidebar:
        for page in PAGES:
            page_link(page.file, label=t(page.title), icon=page.icon)
        st.divider()
