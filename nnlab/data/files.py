"""Reading an uploaded or named file with a size cap: one copy for every loader that takes user files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from nnlab.errors import LabError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def read_bytes(source: str | os.PathLike | BinaryIO, too_big_key: str) -> bytes:
    """The file's bytes, refusing anything over MAX_UPLOAD_BYTES (error `too_big_key`) before reading it all."""
    if isinstance(source, (str, os.PathLike)):
        if Path(source).stat().st_size > MAX_UPLOAD_BYTES:
            raise too_big(too_big_key)
        return Path(source).read_bytes()
    size = getattr(source, "size", None)
    if isinstance(size, int) and size > MAX_UPLOAD_BYTES:
        raise too_big(too_big_key)
    if getattr(source, "seekable", lambda: False)():
        source.seek(0)  # Streamlit hands the same UploadedFile to every rerun, already read once
    data = source.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_big(too_big_key)
    return data.encode("utf-8") if isinstance(data, str) else data


def too_big(key: str) -> LabError:
    """Why a large file is refused, with the limit in MB."""
    return LabError(key, megabytes=MAX_UPLOAD_BYTES // (1024 * 1024))
