"""Playground: train a small network on 2-D points and watch every neuron, the boundary and the curves.

TF Playground's lesson, plus what it lacks: accuracy and a confusion matrix, cross-entropy,
six optimizers, more than two classes, dropout and batch norm, the output bias, and seed
003's logistic-regression baseline. The whole experiment lives in the URL.
"""

from nnlab.presets import PRESETS
from nnlab.ui import page_title, setup_page
from nnlab.ui.classroom import export_panel, lesson_banner, share_panel
from nnlab.ui.controls import experiment_sidebar
from nnlab.ui.playground_page import (
    baseline_section,
    export_charts,
    health_section,
    maths_section,
    own_points_section,
    render_lab,
    session_lab,
)
from nnlab.ui.seed_bands import seeds_section
from nnlab.ui.transport import live_training, transport

PAGE = "playground"

setup_page("playground_title")
page_title(PAGE, "playground_title", "playground_intro")

experiment = experiment_sidebar(PAGE, defaults=PRESETS["playground"].experiment)
own_points_section(PAGE, experiment)
lab = session_lab(PAGE, experiment)


def draw(trainer):
    lesson_banner(__file__, trainer)
    render_lab(PAGE, lab)


transport(PAGE, lab.trainer, pace=True)
live_training(PAGE, lab.trainer, experiment.train.epochs, render=draw, experiment=lab.experiment)
maths_section(PAGE, lab)
health_section(PAGE, lab)
seeds_section(PAGE, lab.experiment, lab.points)
baseline_section(PAGE, lab)
export_panel(PAGE, lab, export_charts(lab))
share_panel(PAGE, __file__)
