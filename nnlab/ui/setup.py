"""The one call at the top of every page: page config, language, shared styling."""

from __future__ import annotations

import streamlit as st

from nnlab.ui.i18n import LANGUAGE_KEY, LANGUAGES, t
from nnlab.ui.server import keep_keras_models


def setup_page(title_key: str, icon: str = "🧠", layout: str = "wide") -> None:
    """Configure the page and draw the language switch; works when a page is opened directly."""
    st.set_page_config(page_title=f"{t(title_key)} · NN Lab", page_icon=icon, layout=layout)
    keep_keras_models()
    if LANGUAGE_KEY not in st.session_state:
        requested = st.query_params.get(LANGUAGE_KEY, "en")
        st.session_state[LANGUAGE_KEY] = requested if requested in LANGUAGES else "en"
    _navigation()
    if st.query_params.get(LANGUAGE_KEY) != st.session_state[LANGUAGE_KEY]:
        st.query_params[LANGUAGE_KEY] = st.session_state[LANGUAGE_KEY]  # every link opens in its language
    st.sidebar.selectbox(
        f"{t('language')} / Language" if st.session_state[LANGUAGE_KEY] != "en" else "Language / Язык",
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        key=LANGUAGE_KEY,
    )


# (page file relative to app.py, label key, icon): the labs in teaching order.
PAGES = (
    ("app.py", "nav_home", ":material/home:"),
    ("pages/1_Playground.py", "playground_title", ":material/scatter_plot:"),
    ("pages/2_World_map.py", "map_title", ":material/public:"),
    ("pages/3_Digits.py", "digits_title", ":material/draw:"),
    ("pages/4_Optimizers.py", "optimizers_title", ":material/speed:"),
    ("pages/5_Losses_and_backprop.py", "losses_page_title", ":material/functions:"),
    ("pages/6_Generalization.py", "generalization_title", ":material/target:"),
    ("pages/7_Runs.py", "runs_title", ":material/leaderboard:"),
    ("pages/8_Experiments.py", "experiments_title", ":material/grid_on:"),
)


def _navigation() -> None:
    """Sidebar links with translated names (Streamlit's own would show file names)."""
    with st.sidebar:
        for path, label_key, icon in PAGES:
            st.page_link(path, label=t(label_key), icon=icon)
        st.divider()
