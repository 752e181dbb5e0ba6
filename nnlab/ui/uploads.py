"""One way to take an upload: read it once per content, show why a bad file was refused, keep the last good one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import streamlit as st

from nnlab.ui.i18n import error_text, t


def store_upload(page: str, file, read: Callable[[object], object], rejected_key: str) -> bool:
    """Keep `read(file)` as `<page>.uploaded` {value, digest, name}; False if the file is refused.

    Streamlit hands the same file back on every rerun: the digest keeps it from being read again,
    and a refused file keeps its message (`<page>.rejected_message`) without being re-parsed.
    Draws nothing, so an upload box's callback may call it too.
    """
    digest = hashlib.sha256(file.getvalue()).hexdigest()[:12]
    previous = st.session_state.get(f"{page}.uploaded")
    if previous is not None and previous["digest"] == digest:
        return True
    if st.session_state.get(f"{page}.rejected") == digest:
        return False
    try:
        value = read(file)
    except ValueError as error:
        st.session_state[f"{page}.rejected"] = digest
        st.session_state[f"{page}.rejected_message"] = t(rejected_key, error=error_text(error))
        return False
    st.session_state[f"{page}.uploaded"] = {"value": value, "digest": digest, "name": file.name}
    return True


def take_upload(page: str, file, read: Callable[[object], object], rejected_key: str) -> None:
    """`store_upload`, and a refused file's message on the page (what the page had is kept)."""
    if not store_upload(page, file, read, rejected_key):
        st.error(st.session_state[f"{page}.rejected_message"], icon="⚠️")


def upload_section(
    page: str, read: Callable[[object], object], label: str, help_text: str, types: list[str], rejected_key: str
) -> None:
    """A file picker (translated `label` and `help_text`) whose file `take_upload` reads with `read`."""
    file = st.file_uploader(label, type=types, key=f"{page}.upload", help=help_text)
    if file is not None:
        take_upload(page, file, read, rejected_key)
