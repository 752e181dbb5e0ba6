"""Optimizers: the same network, data and starting weights trained by SGD, momentum, Nesterov, Adagrad,
RMSprop and Adam side by side (seed 002's task 2, live), and the real Keras optimizers walking 2-D
test surfaces, where seed 001's words become visible: momentum smooths, Adagrad's step shrinks, Adam adapts.
"""

import streamlit as st

from nnlab.presets import PRESETS
from nnlab.ui import page_title, setup_page, t
from nnlab.ui.classroom import share_panel
from nnlab.ui.controls import experiment_sidebar
from nnlab.ui.optimizers_page import RACE_CONTROLS, landscape_section, race_controls, render_race, session_race
from nnlab.ui.transport import live_training, transport

PAGE = "optimizers"

setup_page("optimizers_title", icon="🏁")
page_title(PAGE, "optimizers_title", "optimizers_intro")

experiment = experiment_sidebar(PAGE, defaults=PRESETS["moons"].experiment.replace(epochs=300), controls=RACE_CONTROLS)
rates, target = race_controls(PAGE)
race_tab, landscape_tab = st.tabs([t("race_tab"), t("landscape_tab")])
with race_tab:
    race = session_race(PAGE, experiment, rates, target)
    if race is not None:
        transport(PAGE, race, pace=True)
        live_training(PAGE, race, experiment.train.epochs, render=lambda _: render_race(PAGE, race))
with landscape_tab:
    landscape_section(PAGE)
share_panel(PAGE, __file__)
