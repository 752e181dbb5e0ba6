"""Content of the home page, in the session's language."""

from __future__ import annotations

from types import MappingProxyType

import pandas as pd
import streamlit as st

from nnlab.lessonplan import LESSONS as LESSON_PLAN
from nnlab.lessonplan import Lesson
from nnlab.ui.i18n import LANGUAGE_KEY, language, t
from nnlab.ui.links import LESSON_KEY

# (seed file, the labs where it lives in NN Lab, by their titles' keys); summaries: lesson_<seed>_summary
LESSONS = (
    ("000", ("map_title",)),
    ("001", ("digits_title", "optimizers_title", "nav_losses")),
    ("002", ("optimizers_title", "nav_losses", "generalization_title")),
    ("003", ("playground_title", "nav_losses")),
    ("004", ("digits_title", "nav_losses")),
)


# (page file, description key, link key, icon): the labs in teaching order, as the home page lists them.
LABS = (
    ("pages/1_Playground.py", "home_playground", "home_open_playground", ":material/scatter_plot:"),
    ("pages/2_World_map.py", "home_map", "home_open_map", ":material/public:"),
    ("pages/3_Digits.py", "home_digits", "home_open_digits", ":material/draw:"),
    ("pages/4_Optimizers.py", "home_optimizers", "home_open_optimizers", ":material/speed:"),
    ("pages/5_Losses_and_backprop.py", "home_losses", "home_open_losses", ":material/functions:"),
    ("pages/6_Generalization.py", "home_generalization", "home_open_generalization", ":material/target:"),
    ("pages/7_Runs.py", "home_runs", "home_open_runs", ":material/leaderboard:"),
    ("pages/8_Experiments.py", "home_experiments", "home_open_experiments", ":material/grid_on:"),
)


def lessons_table() -> pd.DataFrame:
    """One row per course lesson: seed, what it teaches, the lab that shows it."""
    return pd.DataFrame(
        [{t("home_column_seed"): seed, t("home_column_lesson"): t(f"lesson_{seed}_summary"),
          t("home_column_lab"): ", ".join(t(key) for key in labs)} for seed, labs in LESSONS]
    )


def lesson_cards() -> None:
    """One card per lesson: what it teaches, the seed's figure, and a button that opens it ready to teach."""
    for seed, lesson in LESSON_PLAN.items():
        with st.container(border=True):
            left, right = st.columns([4, 1], vertical_alignment="center")
            left.markdown(f"**{t('lesson_label', seed=seed)} · {t(f'lesson_{seed}_title')}**  \n{t(f'lesson_{seed}_text')}")
            if right.button(t("lesson_open"), key=f"home.lesson.{seed}", type="primary", icon=":material/school:",
                            width="stretch"):
                open_lesson(lesson)


def open_lesson(lesson: Lesson) -> None:
    """Switch to the lesson's page with its preset in the link (the page reads it as from any link)."""
    page = _page_key(lesson.page)
    for suffix in ("loaded", "hidden", "kept"):
        st.session_state.pop(f"{page}.{suffix}", None)
    params = lesson.experiment.to_dict() | {LESSON_KEY: lesson.seed, LANGUAGE_KEY: language()}
    st.switch_page(lesson.page, query_params=params)


PAGE_KEYS = MappingProxyType({"pages/1_Playground.py": "playground", "pages/2_World_map.py": "worldmap",
                              "pages/3_Digits.py": "digits", "pages/6_Generalization.py": "generalization"})


def _page_key(page_file: str) -> str:
    return PAGE_KEYS[page_file]
