"""Content of the home page, in the session's language."""

from __future__ import annotations

import io
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import streamlit as st
from PIL import Image

from nnlab.lessonplan import LESSONS as LESSON_PLAN
from nnlab.lessonplan import Lesson
from nnlab.ui.i18n import LANGUAGE_KEY, language, t
from nnlab.ui.links import LESSON_KEY
from nnlab.ui.setup import PAGES, page_link

# (seed file, the labs where it lives in NN Lab, by their titles' keys); summaries: lesson_<seed>_summary
LESSONS = (
    ("000", ("map_title",)),
    ("001", ("digits_title", "optimizers_title", "nav_losses")),
    ("002", ("optimizers_title", "nav_losses", "generalization_title", "conv_title")),
    ("003", ("playground_title", "nav_losses")),
    ("004", ("digits_title", "nav_losses")),
)


LABS = tuple(page for page in PAGES if page.card)  # the home page's cards, in teaching order
DOCS = Path(__file__).resolve().parents[2] / "docs"
# The part of a 1400 px wide screenshot in docs/ a thumbnail shows: the main column under the page's title.
THUMBNAIL_BOX = (360, 250, 1340, 900)
THUMBNAIL_WIDTH = 420  # px of the image kept (drawn at the column's width)
# The lesson cards' texts that name the course document "seed" in English: the home page says "lesson" (on the
# lab pages, "seed" is the random seed).
LESSON_TEXTS = MappingProxyType(
    {"lesson_002_text": "pages_lesson_002_text", "lesson_004_text": "pages_lesson_004_text"}
)


def labs_section() -> None:
    """Every lab as a card: its picture, one plain sentence, what is inside, and the link that opens it."""
    st.caption(t("pages_home_labs_text"))
    for lab in LABS:
        with st.container(border=True):
            picture, words = st.columns([1, 2], vertical_alignment="center")
            image = thumbnail(lab.card)
            if image is not None:
                picture.image(image, width="stretch", caption=None)
            with words:
                st.markdown(f"**{t(lab.title)}** — {t(f'pages_home_lab_{lab.card}')}")
                st.caption(t(f"pages_home_more_{lab.card}"))
                page_link(lab.file, label=t(f"home_open_{lab.card}"), icon=lab.icon)  # carries ?lang=


@st.cache_data(show_spinner=False)
def thumbnail(name: str) -> bytes | None:
    """The top of docs/<name>.png, the lab's screenshot, as a small PNG (None if the file is missing)."""
    path = DOCS / f"{name}.png"
    if not path.is_file():
        return None
    with Image.open(path) as image:
        scale = image.width / 1400
        box = tuple(round(v * scale) for v in THUMBNAIL_BOX)
        cropped = image.convert("RGB").crop(box)
        cropped.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_WIDTH))
        out = io.BytesIO()
        cropped.save(out, format="PNG", optimize=True)
        return out.getvalue()


def lessons_table() -> pd.DataFrame:
    """One row per course lesson: its number, what it teaches, the lab that shows it."""
    return pd.DataFrame(
        [
            {
                t("pages_home_column_lesson_number"): seed,
                t("pages_home_column_topics"): t(f"lesson_{seed}_summary"),
                t("home_column_lab"): ", ".join(t(key) for key in labs),
            }
            for seed, labs in LESSONS
        ]
    )


def lesson_cards() -> None:
    """One card per lesson: what it teaches, the seed's figure, and a button that opens it ready to teach."""
    for key, lesson in LESSON_PLAN.items():
        with st.container(border=True):
            left, right = st.columns([4, 1], vertical_alignment="center")
            text = t(LESSON_TEXTS.get(f"lesson_{key}_text", f"lesson_{key}_text"))
            left.markdown(f"**{t('lesson_label', seed=lesson.seed)} · {t(f'lesson_{key}_title')}**  \n{text}")
            if right.button(
                t("lesson_open"), key=f"home.lesson.{key}", type="primary", icon=":material/school:", width="stretch"
            ):
                open_lesson(lesson)


def open_lesson(lesson: Lesson) -> None:
    """Switch to the lesson's page with its preset in the link (the page reads it as from any link)."""
    page = _page_key(lesson.page)
    for suffix in ("loaded", "hidden", "kept"):
        st.session_state.pop(f"{page}.{suffix}", None)
    params = lesson.experiment.to_dict() | {LESSON_KEY: lesson.key, LANGUAGE_KEY: language()}
    st.switch_page(lesson.page, query_params=params)


def _page_key(page_file: str) -> str:
    return next(page.state_key for page in PAGES if page.file == page_file)
