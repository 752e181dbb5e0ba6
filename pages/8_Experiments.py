"""Experiments: a grid of two settings (e.g. hidden units × learning rate), each cell repeated with new
seeds, run in parallel through nnlab.executor (local worker processes, or a Dask cluster) and drawn as a
heat map of the mean test metric that fills in cell by cell; Cancel keeps what has finished."""

from nnlab.presets import PRESETS
from nnlab.ui import page_title, setup_page
from nnlab.ui.classroom import share_panel
from nnlab.ui.controls import experiment_sidebar
from nnlab.ui.experiments_page import CONTROLS, executor_setting, grid_controls, run_section

PAGE = "experiments"

setup_page("experiments_title", icon="🧪")
page_title(PAGE, "experiments_title", "experiments_intro")

experiment = experiment_sidebar(PAGE, defaults=PRESETS["moons"].experiment.replace(epochs=50), controls=CONTROLS)
executor = executor_setting(PAGE)
setup = grid_controls(PAGE, experiment)
run_section(PAGE, setup, executor)
share_panel(PAGE, __file__)
