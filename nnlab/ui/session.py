"""The session's lab on each page: kept while its settings hold, rebuilt when they change, imported weights applied."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from nnlab.ui.i18n import error_text, t
from nnlab.ui.slots import building
from nnlab.ui.transport import stop, transport_state


def session_model(page: str, key: tuple, build: Callable[[], object], keep: Callable[[object], None]):
    """The session's lab for `page`: kept (and `keep` applied) while `key` is unchanged, else rebuilt.

    A setting that cannot work (a SpecError, a country the table lacks) is shown and gives None.
    """
    lab = st.session_state.get(f"{page}.lab")
    if lab is not None and st.session_state.get(f"{page}.lab_key") == key:
        keep(lab)
        apply_imported_weights(page, lab)
        return lab
    stop(page)
    try:
        with building():
            st.session_state.pop(f"{page}.lab", None)
            lab = build()
    except ValueError as error:
        st.error(t("bad_setting", error=error_text(error)), icon="⚠️")
        return None
    st.session_state[f"{page}.lab"], st.session_state[f"{page}.lab_key"] = lab, key
    apply_imported_weights(page, lab)
    return lab


def apply_imported_weights(page: str, lab) -> None:
    """Weights of a run the student imported (validated by nnlab.runfile) go into the rebuilt model."""
    run = st.session_state.pop(f"{page}.pending_weights", None)
    if run is None:
        return
    stop(page)
    with transport_state(page)["lock"]:
        lab.trainer.reset()
        try:
            lab.trainer.load_weights(run.weights)
        except ValueError as error:
            lab.trainer.reset()
            st.error(t("import_failed", error=error_text(error)), icon="⚠️")


def tensorboard_dir(page: str) -> Path:
    """One TensorBoard folder per session and page under the system's temp folder: students' logs never mix."""
    key = f"{page}.log_dir"
    if key not in st.session_state:
        st.session_state[key] = Path(tempfile.gettempdir()) / "nnlab-tensorboard" / uuid.uuid4().hex[:8]
    return st.session_state[key]
