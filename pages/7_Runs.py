"""Runs: every finished run of this session, two side by side, and the class's challenge board:
the fewest parameters that still reach a target test accuracy."""

import streamlit as st

from nnlab.ui import setup_page, t
from nnlab.ui.runs import board_section, compare_section, history_section

PAGE = "runs"

setup_page("runs_title", icon="📋")
st.title(t("runs_title"))
st.caption(t("runs_intro"))

history_section(PAGE)
compare_section(PAGE)
board_section(PAGE)
