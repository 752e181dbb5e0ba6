"""Browser fixtures, found by pytest by name: `chromium`, `server`, `browser`, `page`.

One Streamlit server per browser module (bench/server.py starts it), its log in
artifacts/<module>-server.log; one headless Chromium per module; one fresh context (= one
Streamlit session) per test. Modules that never ask for these fixtures start nothing.
"""

from __future__ import annotations

import os
import shutil

import pytest
from browsertools import APP_TIMEOUT_MS, ARTIFACTS, CHROMIUM_ARGS, full_screenshot

from bench import server as streamlit

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # a machine without the dev requirements: the browser modules skip (or fail on CI)
    sync_playwright = None


def _missing(reason: str) -> None:
    if os.environ.get("NNLAB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"NNLAB_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> str:
    """The system Chromium's path (never `playwright install`)."""
    path = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else shutil.which("chromium")
    if path is None:
        _missing("Chromium is not installed (apt-get install chromium); the browser test needs it")
    if sync_playwright is None:
        _missing("the Python package playwright is not installed (pip install -r requirements-dev.txt)")
    return path


@pytest.fixture(scope="module")
def server(chromium: str, request):
    """`streamlit run app.py` on a free 127.0.0.1 port, killed with its process group after the module."""
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"{request.module.__name__.rpartition('.')[2]}-server.log"
    try:
        running = streamlit.start(log)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield running
    finally:
        streamlit.stop(running)


@pytest.fixture(scope="module")
def browser(chromium: str):
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server, request):
    """A fresh context is a fresh Streamlit session; the last state is saved as a screenshot.

    If the server died meanwhile, teardown says so with its log (a bare timeout would not).
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    context.set_default_timeout(APP_TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    try:
        full_screenshot(opened, ARTIFACTS / f"{request.node.name}.png")
    except Exception as error:  # a debugging aid must not hide the test's own outcome
        print(f"no screenshot of {request.node.name}: {error}")
    finally:
        context.close()
    if problem := server.problem():
        pytest.fail(problem, pytrace=False)
