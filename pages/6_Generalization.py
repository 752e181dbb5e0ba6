"""Generalization: a big network on a few points (or a few digit images) learns them by heart (seed 002's task 3).

Shrink the training set until train and test curves part; then try the remedies one by one
(L2, L1, dropout, batch norm, early stopping, more data, augmentation) and compare their runs,
sweep one setting as small multiples, and keep TensorBoard logs of it all (seed 002's task 1).
"""

from nnlab.presets import PRESETS
from nnlab.ui import page_title, setup_page
from nnlab.ui.classroom import export_panel, lesson_banner, share_panel
from nnlab.ui.controls import experiment_sidebar
from nnlab.ui.generalization_page import (
    CONTROLS,
    history_section,
    remedies_section,
    render_overfit,
    session_overfit_lab,
    sweep_section,
)
from nnlab.ui.transport import live_training, transport

PAGE = "generalization"

setup_page("generalization_title", icon="🎯")
page_title(PAGE, "generalization_title", "generalization_intro")

experiment = experiment_sidebar(PAGE, defaults=PRESETS["overfit"].experiment, controls=CONTROLS)
lab = session_overfit_lab(PAGE, experiment)

if lab is not None:

    def draw(trainer):
        lesson_banner(__file__, trainer)
        render_overfit(PAGE, lab)

    transport(PAGE, lab.trainer, pace=True)
    live_training(PAGE, lab.trainer, experiment.train.epochs, render=draw, experiment=lab.experiment)
    remedies_section(PAGE, experiment)
    sweep_section(PAGE, experiment)
    export_panel(PAGE, lab)
history_section(PAGE)
share_panel(PAGE, __file__)
