"""Runs: every finished run of this session, two side by side, and the class's challenge board:
the fewest parameters that still reach a target test accuracy."""

from nnlab.ui import page_title, setup_page
from nnlab.ui.runs_page import board_section, compare_section, history_section

PAGE = "runs"

setup_page("runs_title", icon="📋")
page_title(PAGE, "runs_title", "runs_intro")

history_section(PAGE)
compare_section(PAGE)
board_section(PAGE)
