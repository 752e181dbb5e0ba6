"""World map: is this city in the country? Seed 000's lesson, trained live and drawn on a map.

Latitude and longitude in, "in the country" out. Only about 3 % of cities are in any one
country, so a model that always says "no" is 97 % accurate and useless: the page leads with
p = ½(TPR + TNR), colours every test city TP / TN / FP / FN, and lets the class weight and
the decision threshold show what they trade.
"""

import streamlit as st

from nnlab.presets import PRESETS
from nnlab.ui import page_title, setup_page, t
from nnlab.ui.classroom import export_panel, lesson_banner, share_panel
from nnlab.ui.controls import experiment_sidebar
from nnlab.ui.mapview import render_city_lab
from nnlab.ui.stability import cost_section, stability_section
from nnlab.ui.transport import live_training, transport
from nnlab.ui.worldmap_page import MAP_CONTROLS, session_city_lab

PAGE = "worldmap"

setup_page("map_title", icon="🗺️")
page_title(PAGE, "map_title", "map_intro")

experiment = experiment_sidebar(PAGE, defaults=PRESETS["cities-minimal"].experiment, controls=MAP_CONTROLS)
lab = session_city_lab(PAGE, experiment)

if lab is not None:

    def draw(trainer):
        lesson_banner(__file__, trainer)
        render_city_lab(PAGE, lab)

    transport(PAGE, lab.trainer)
    live_training(PAGE, lab.trainer, experiment.train.epochs, render=draw, experiment=lab.experiment)
    with st.expander(t("lesson_accuracy_title")):
        st.markdown(t("lesson_accuracy_text"))
    cost_section(PAGE, lab)
    stability_section(PAGE, experiment)
    export_panel(PAGE, lab)
share_panel(PAGE, __file__)
