"""Convolution: seed 002's small convolutional network on CIFAR-10 (or the built-in 8×8 digits, offline).

A filter is a small window of weights slid over the whole image, so a convolution needs a few hundred
parameters where a Dense layer on the same image needs millions. The first layer's filters are drawn as
pictures while they learn; one test image's feature maps show where each filter found its pattern.
"""

from nnlab.ui import page_title, setup_page
from nnlab.ui.classroom import export_panel, lesson_banner, share_panel
from nnlab.ui.controls import experiment_sidebar
from nnlab.ui.convolution_page import (
    CONV_CONTROLS,
    default_experiment,
    render_conv_lab,
    session_conv_lab,
    tensorboard_section,
)
from nnlab.ui.convolution_sections import cost_section, inside_section, summary_section
from nnlab.ui.transport import live_training, transport

PAGE = "conv"

setup_page("conv_title", icon="🧩")
page_title(PAGE, "conv_title", "conv_intro")

experiment = experiment_sidebar(PAGE, defaults=default_experiment(), controls=CONV_CONTROLS)
lab = session_conv_lab(PAGE, experiment)

if lab is not None:

    def draw(trainer):
        lesson_banner(__file__, trainer)
        render_conv_lab(PAGE, lab)

    transport(PAGE, lab.trainer, pace=True)
    live_training(PAGE, lab.trainer, experiment.train.epochs, render=draw, experiment=lab.experiment)
    tensorboard_section(PAGE)
    inside_section(PAGE, lab)
    summary_section(PAGE, lab)
    cost_section(PAGE, lab)
    export_panel(PAGE, lab)
share_panel(PAGE, __file__)
