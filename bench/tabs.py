"""Five real browsers open a lab at once: how long until the last one is ready, against the home page.

The issue's figure "5 real Chromium students: last lab ready" runs Chromium on the server's own two
cores, so part of every second is Chromium's. Baseline, measured in the same run: the same five tabs
opening the home page, which needs no TensorFlow and no lab. Chromium is niced (as in the load test):
the server comes first. The first visit imports TensorFlow and traces the spiral's graphs; it is not
counted. Runs only when named: `python -m nnlab bench tabs --json`.
"""

from __future__ import annotations

import os
import re
import time

from bench.live import CHROMIUM_ARGS, SPIRAL, streamlit_server

TABS = 5
TIMEOUT_MS = 300_000


def _ready(page) -> None:
    """Connected, the script finished, no skeleton left (as tests/browsertools.py waits)."""
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=TIMEOUT_MS)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=TIMEOUT_MS)
    page.wait_for_selector("[data-testid=stSkeleton]", state="detached", timeout=TIMEOUT_MS)


def _last_ready(browser, url: str, paths: list[str]) -> float:
    """Open every path in its own context at once; seconds until the last page is ready."""
    contexts = [browser.new_context() for _ in paths]
    pages = [context.new_page() for context in contexts]
    start = time.monotonic()
    for page, path in zip(pages, paths):
        page.goto(url + path, wait_until="commit")
    for page in pages:
        _ready(page)
    seconds = time.monotonic() - start
    for context in contexts:
        context.close()
    return seconds


def run() -> dict:
    """{'name', 'lab_seconds', 'home_seconds', 'tabs'}: the last of TABS tabs ready, lab and home page."""
    from playwright.sync_api import sync_playwright

    labs = ["/Playground?" + re.sub(r"seed=\d+", f"seed={300 + i}", SPIRAL) for i in range(TABS)]
    with streamlit_server() as (url, _):
        os.nice(19)  # from here on: this process and the Chromium it starts, not the server
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            warm = browser.new_page()
            warm.goto(f"{url}{labs[0]}")
            _ready(warm)
            warm.close()
            home = _last_ready(browser, url, ["/"] * TABS)
            lab = _last_ready(browser, url, labs)
            browser.close()
    return {
        "name": "tabs",
        "tabs": TABS,
        "lab_seconds": round(lab, 1),
        "home_seconds": round(home, 1),
        "lab_minus_home_seconds": round(lab - home, 1),
    }


def describe(result: dict) -> str:
    return (
        f"tabs: the last of {result['tabs']} Chromium tabs had its lab after {result['lab_seconds']:.1f} s; the "
        f"same tabs opening the home page (no TensorFlow) {result['home_seconds']:.1f} s"
    )
