"""In a real headless Chromium: Russian stays Russian through every sidebar link (issue 18).

Opens `/?lang=ru` and clicks each sidebar link in turn, as a student would; every page must come
back in Russian with `lang=ru` in its address, and every link must carry it (a new tab keeps it).
Nothing is trained. Chromium and the server come from tests/browsertools.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

from browsertools import (
    APP_TIMEOUT_MS,
    ARTIFACTS,
    ROOT,
    assert_no_errors,
    full_screenshot,
    open_page,
    wait_for_app,
)

from nnlab.catalogue import STRINGS
from nnlab.ui.setup import PAGES


def russian(key: str) -> str:
    return STRINGS[key][1]


def title_key(page_file: str) -> str:
    """The key of the page's title: the one its `setup_page` is given (and its h1 shows)."""
    return re.search(r"setup_page\(\"(\w+)\"", (ROOT / page_file).read_text()).group(1)


def url_path(page_file: str) -> str:
    """The address Streamlit gives a page file: pages/5_Losses_and_backprop.py is /Losses_and_backprop."""
    return "/" if page_file == "app.py" else "/" + re.sub(r"^\d+_", "", Path(page_file).stem)


def sidebar_link(tab, label_key: str):
    sidebar = tab.get_by_test_id("stSidebar")
    label = tab.get_by_text(russian(label_key), exact=True)
    return sidebar.get_by_test_id("stPageLink-NavLink").filter(has=label)


def assert_russian_page(tab, page_file: str) -> None:
    """The page's heading, tab title, address, language switch and every sidebar link are Russian."""
    from playwright.sync_api import expect

    title = russian(title_key(page_file))
    expect(tab).to_have_title(f"{title} · NN Lab", timeout=APP_TIMEOUT_MS)  # a lab's first run imports TensorFlow
    if page_file == "app.py":  # the home page's h1 is «NN Lab» in both languages: its first h2 says more
        expect(tab.locator("h2").first).to_contain_text(russian("home_lessons"), timeout=APP_TIMEOUT_MS)
    else:
        expect(tab.locator("h1").first).to_contain_text(title, timeout=APP_TIMEOUT_MS)
    wait_for_app(tab)
    address = urlsplit(tab.url)
    assert address.path == url_path(page_file), tab.url
    assert parse_qs(address.query).get("lang") == ["ru"], tab.url
    switch = tab.get_by_test_id("stSidebar").get_by_role("combobox", name=f"{russian('language')} / Language")
    expect(switch).to_have_value("Русский")
    for listed in PAGES:
        href = sidebar_link(tab, listed.title).get_attribute("href")
        assert parse_qs(urlsplit(href).query).get("lang") == ["ru"], (listed.title, href)
    assert_no_errors(tab)


def test_russian_survives_every_sidebar_link(page, server):
    open_page(page, server, "/?lang=ru")
    assert_russian_page(page, "app.py")
    home_links = page.get_by_test_id("stMain").get_by_test_id("stPageLink-NavLink")
    assert home_links.count() == len(PAGES) - 1
    for href in [home_links.nth(i).get_attribute("href") for i in range(home_links.count())]:
        assert parse_qs(urlsplit(href).query).get("lang") == ["ru"], href

    for listed in [*PAGES[1:], PAGES[0]]:  # every lab in turn, then home again
        sidebar_link(page, listed.title).click()
        assert_russian_page(page, listed.file)
        if listed.file == "pages/1_Playground.py":  # the page of issue 18, as a student sees it
            full_screenshot(page, ARTIFACTS / "language-playground-ru.png")


def test_a_sidebar_link_opened_in_a_new_tab_keeps_russian(page, server):
    """A new tab is a new session: all it has is the link's address."""
    open_page(page, server, "/?lang=ru")
    href = sidebar_link(page, "runs_title").get_attribute("href")
    tab = page.context.new_page()
    try:
        tab.goto(urljoin(page.url, href))  # as the browser resolves the link
        wait_for_app(tab)
        assert_russian_page(tab, "pages/7_Runs.py")
    finally:
        tab.close()
