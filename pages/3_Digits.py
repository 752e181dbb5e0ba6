"""Digits: what a hidden layer sees. Seeds 001 and 004's dense networks on handwritten digits.

Every first-layer unit weighs every pixel, so its weights drawn as an image show what it looks
for; L2 (seed 004's λ) smooths those pictures and, pushed far, costs accuracy. The model summary
counts every weight and bias (seed 001), and a drawn digit gets the model's answer.
"""

from nnlab.presets import PRESETS
from nnlab.ui import page_title, setup_page
from nnlab.ui.classroom import export_panel, lesson_banner, share_panel
from nnlab.ui.controls import experiment_sidebar
from nnlab.ui.digits_page import DIGITS_CONTROLS, render_digits_lab, session_digits_lab
from nnlab.ui.digits_sections import draw_section, summary_section, sweep_section
from nnlab.ui.transport import live_training, transport

PAGE = "digits"

setup_page("digits_title", icon="✍️")
page_title(PAGE, "digits_title", "digits_intro")

experiment = experiment_sidebar(PAGE, defaults=PRESETS["digits-mlp"].experiment, controls=DIGITS_CONTROLS)
lab = session_digits_lab(PAGE, experiment)

if lab is not None:

    def draw(trainer):
        lesson_banner(__file__, trainer)
        render_digits_lab(PAGE, lab)

    transport(PAGE, lab.trainer, pace=True)
    live_training(PAGE, lab.trainer, experiment.train.epochs, render=draw, experiment=lab.experiment)
    summary_section(PAGE, lab)
    sweep_section(PAGE, experiment)
    draw_section(PAGE, lab)
    export_panel(PAGE, lab)
share_panel(PAGE, __file__)
