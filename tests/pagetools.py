"""Shared AppTest helpers for the lab pages: open a page as a fresh session, run, read a metric, press Step."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def open_lab(page_file: str, query: dict[str, str] | None = None) -> AppTest:
    """A fresh session on `page_file`, opened from app.py as the navigation does (optionally from a link)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if query:
        at.query_params.update(query)
    at.switch_page(page_file)
    return run(at)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, f"{label!r} not shown once: {[m.label for m in at.metric]}"
    return values[0]


def step(at: AppTest, page: str, times: int = 1) -> AppTest:
    """Press the page's Step button `times` times (AppTest never fires run_every by itself)."""
    for _ in range(times):
        at.button(key=f"{page}.step").click()
        run(at)
    return at
