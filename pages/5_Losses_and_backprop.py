"""Losses & backprop: seed 001's loss functions computed by hand and by Keras, the activations and
where they saturate, seed 003's two-layer network written in numpy (with its db1 slip), seed 004's
gradient check, and seed 002's computation graph worked backwards.
"""

import streamlit as st

from nnlab.ui import page_title, setup_page, t
from nnlab.ui.classroom import share_panel
from nnlab.ui.losses_page import (
    activations_section,
    gradient_check_section,
    graph_section,
    losses_section,
    scratch_section,
)

PAGE = "losses"

setup_page("losses_page_title", icon="🧮")
page_title(PAGE, "losses_page_title", "losses_intro")

losses_tab, activations_tab, scratch_tab, check_tab, graph_tab = st.tabs(
    [t("tab_losses"), t("tab_activations"), t("tab_scratch"), t("tab_gradcheck"), t("tab_graph")]
)
with losses_tab:
    losses_section(PAGE)
with activations_tab:
    activations_section(PAGE)
with scratch_tab:
    scratch_section(PAGE)
with check_tab:
    gradient_check_section(PAGE)
with graph_tab:
    graph_section(PAGE)
share_panel(PAGE, __file__)
