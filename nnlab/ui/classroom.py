"""The teacher's and the student's panels under every lab: share a lesson link, export and import a run."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from nnlab import export, runfile
from nnlab.kinds import kind_of
from nnlab.lessonplan import LESSONS, measured
from nnlab.runfile import read_run_file
from nnlab.ui.controls import HIDEABLE, PLAYGROUND_CONTROLS, load_experiment, unshowable
from nnlab.ui.i18n import error_text, language, number, t
from nnlab.ui.links import lesson_link, qr_png
from nnlab.ui.setup import TEXT
from nnlab.ui.widgets import multiselect


def page_address(page_file: str) -> str:
    """Streamlit's URL path of a page file: pages/1_Playground.py -> Playground."""
    stem = Path(page_file).stem
    return "" if stem == "app" else stem.split("_", 1)[1] if stem[0].isdigit() else stem


def share_panel(page: str, page_file: str) -> None:
    """A link to this exact experiment, controls ticked to hide (TF Playground's classroom mode), and its QR code."""
    with st.expander(t("share_title"), icon=":material/qr_code_2:"):
        st.caption(t("share_text"))
        offered = st.session_state.get(f"{page}.offered", set())
        hideable = [name for name in HIDEABLE if name in offered or name == TEXT]  # every page has a title
        hide = (
            multiselect(
                t("share_hide"),
                hideable,
                key=f"{page}.share_hide",
                format_func=_control_label,
                placeholder=t("share_hide_placeholder"),  # Streamlit's own "Choose options" is English only
                help=t("share_hide_help"),
            )
            if hideable
            else []
        )
        link = lesson_link(page_address(page_file), st.query_params.to_dict(), hide)
        st.code(link, language=None, wrap_lines=True)
        left, right = st.columns([1, 2])
        left.image(qr_png(link), caption=t("share_qr"), width=240)
        right.markdown(t("share_steps"))


def _control_label(name: str) -> str:
    return t(f"control_{name}")


def export_panel(page: str, lab, charts: dict[str, Callable[[], object]] | None = None) -> None:
    """Downloads of the run as it is now; each file is made when its button is pressed.

    `charts`: name -> a function drawing that chart from the run as it is when the button is pressed.
    """
    from nnlab import script  # deferred: keeps TensorFlow off the first paint of pages that import this module

    trainer, experiment = lab.trainer, lab.experiment
    name = f"nnlab-{experiment.data.dataset}-{trainer.epoch}ep"
    lock = st.session_state.get(f"{page}.transport", {}).get("lock") or contextlib.nullcontext()

    def locked(make):
        """Files are made at click time, possibly mid-training: wait for the chunk to finish."""

        def make_file():
            with lock:
                return make()

        return make_file

    downloaded = kind_of(experiment).lab().script_rows(lab)
    with st.expander(t("export_title"), icon=":material/download:"):
        st.caption(t("export_text", epochs=trainer.epoch))
        columns = st.columns(3)
        downloads = [
            (
                "export_script",
                f"{name}.py",
                "text/x-python",
                lambda: script.training_script(experiment, trainer, filename=f"{name}.py", download_labels=downloaded),
            ),
            ("export_run", f"{name}.npz", "application/octet-stream", lambda: runfile.run_file(experiment, trainer)),
            ("export_keras", f"{name}.keras", "application/octet-stream", lambda: export.keras_file(trainer)),
            ("export_data", f"{name}-data.csv", "text/csv", lambda: export.data_csv(experiment, trainer)),
            ("export_history", f"{name}-history.csv", "text/csv", lambda: export.history_csv(trainer)),
        ]
        for chart_name, chart in (charts or {}).items():
            downloads.append(
                (
                    f"export_chart_{chart_name}",
                    f"{name}-{chart_name}.png",
                    "image/png",
                    lambda chart=chart: export.chart_png(chart()),
                )
            )
        for index, (label, file_name, mime, make) in enumerate(downloads):
            columns[index % 3].download_button(
                t(label),
                locked(make),
                file_name=file_name,
                mime=mime,
                key=f"{page}.{label}",
                on_click="ignore",
                icon=":material/download:",
                width="stretch",
                disabled=label == "export_script" and not trainer.epoch,
                help=t(f"{label}_help") if not label.startswith("export_chart") else t("export_chart_help"),
            )
        st.divider()
        st.file_uploader(
            t("import_run"),
            type=["npz"],
            key=f"{page}.import",
            on_change=_import_run,
            args=(page,),
            help=t("import_help"),
        )
        if (message := st.session_state.pop(f"{page}.import_message", None)) is not None:
            kind, text = message
            (st.success if kind == "ok" else st.error)(text, icon="📦" if kind == "ok" else "⚠️")


def _import_run(page: str) -> None:
    """Upload callback (runs before the page redraws, so the widgets can take the run's settings)."""
    upload = st.session_state.get(f"{page}.import")
    if upload is None:
        return
    try:
        run = read_run_file(upload.getvalue())
    except ValueError as error:
        st.session_state[f"{page}.import_message"] = ("error", t("import_failed", error=error_text(error)))
        return
    reason = unshowable(run.experiment, st.session_state.get(f"{page}.controls", PLAYGROUND_CONTROLS))
    if reason is not None:
        st.session_state[f"{page}.import_message"] = ("error", t("import_failed", error=reason))
        return
    load_experiment(page, run.experiment)
    st.session_state[f"{page}.pending_weights"] = run
    st.session_state[f"{page}.import_message"] = ("ok", t("import_done", name=upload.name, epochs=run.epochs))


def lesson_banner(page_file: str, trainer) -> None:
    """When the page was opened as a lesson: what it teaches, and the seed's figure beside this run's
    (drawn in the live fragment, so ours follows the training)."""
    lesson = LESSONS.get(st.query_params.get("lesson", ""))
    if lesson is None or Path(lesson.page).name != Path(page_file).name:
        return
    russian = language() == "ru"
    with st.container(border=True):
        text, seed_column, ours_column = st.columns([3, 1, 1])
        text.markdown(f"**{t('lesson_label', seed=lesson.seed)} · {lesson.title[russian]}**  \n{lesson.text[russian]}")
        ours = measured(lesson, trainer)
        seed_column.metric(
            t("lesson_seed_value", seed=lesson.seed),
            _figure(lesson, lesson.seed_value, seed=True),
            help=lesson.note[russian] or None,
        )
        ours_column.metric(
            t("lesson_ours"), "—" if ours is None else _figure(lesson, ours), help=lesson.figure[russian]
        )
        if ours is None:
            ours_column.caption(t("lesson_not_yet"))


def _figure(lesson, value: float, seed: bool = False) -> str:
    if lesson.measure == "parameters":
        return number(value, ",.0f")
    if lesson.measure == "gap":
        return "> 0" if seed else f"{value:+.1%}"
    if lesson.measure == "p":
        return number(value, ".3f")
    return number(value, ".1%")
