"""The session's language survives a page change (issue 18): AppTest, no browser.

Streamlit forgets a keyed widget's value when the page changes, so the language lives in
session_state["nnlab.language"] and the sidebar switch (widget key "lang") is set from it on every
page. A page change clears the address bar's query parameters (here: `at.query_params.clear()`
before `switch_page`, as `st.switch_page` without `query_params` does); the page must still be in
the session's language and write `lang=` back. tests/test_language_browser.py clicks the real links.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from streamlit.testing.v1 import AppTest

from nnlab.catalogue import STRINGS
from nnlab.ui.i18n import LANGUAGE_KEY, LANGUAGE_STATE
from nnlab.ui.setup import PAGES
from tests.pagetools import ROOT, run


def open_home(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update(query or {})
    return run(at)


def change_page(at: AppTest, page_file: str, query: dict[str, str] | None = None) -> AppTest:
    """What a page change does to the address bar: only the link's own parameters are left."""
    at.query_params.clear()
    at.query_params.update(query or {})
    at.switch_page(page_file)
    return run(at)


def link_languages(links) -> list[list[str] | None]:
    return [parse_qs(link.proto.query_string).get(LANGUAGE_KEY) for link in links]


def assert_language(at: AppTest, code: str) -> None:
    """The page, its address, the sidebar switch and every sidebar link are in `code`."""
    column = 0 if code == "en" else 1
    assert at.session_state[LANGUAGE_STATE] == code
    assert at.query_params[LANGUAGE_KEY] == code
    assert at.sidebar.selectbox(key=LANGUAGE_KEY).value == code
    sidebar_links = at.sidebar.get("page_link")
    assert [link.value for link in sidebar_links] == [STRINGS[page.title][column] for page in PAGES]
    assert link_languages(sidebar_links) == [[code]] * len(PAGES)


def test_russian_from_a_link_survives_a_page_change():
    at = open_home({LANGUAGE_KEY: "ru"})
    assert_language(at, "ru")
    assert at.header[0].value == STRINGS["home_lessons"][1]
    home_links = at.main.get("page_link")
    assert len(home_links) == len(PAGES) - 1 and link_languages(home_links) == [["ru"]] * len(home_links)

    change_page(at, "pages/7_Runs.py")  # no lang= in the address: the session's language
    assert at.title[0].value == STRINGS["runs_title"][1] == "Запуски"
    assert_language(at, "ru")

    change_page(at, "pages/1_Playground.py", {LANGUAGE_KEY: "ru"})  # what the sidebar link sends
    assert at.title[0].value == "Песочница"
    assert at.button(key="playground.play").label == "Пуск"
    assert_language(at, "ru")


def test_a_language_chosen_in_the_sidebar_survives_a_page_change():
    at = open_home()
    assert_language(at, "en")
    at.sidebar.selectbox(key=LANGUAGE_KEY).set_value("ru")
    run(at)
    assert_language(at, "ru")  # the address still said lang=en: the choice wins over it

    change_page(at, "pages/7_Runs.py")
    assert at.title[0].value == "Запуски"
    assert_language(at, "ru")

    at.sidebar.selectbox(key=LANGUAGE_KEY).set_value("en")
    run(at)
    assert at.title[0].value == "Runs"
    change_page(at, "app.py")
    assert at.header[0].value == STRINGS["home_lessons"][0]
    assert_language(at, "en")


def test_a_link_in_another_language_wins():
    """A shared or lesson link opened in a session that speaks another language shows the link's."""
    at = open_home({LANGUAGE_KEY: "ru"})
    change_page(at, "pages/7_Runs.py", {LANGUAGE_KEY: "en"})
    assert at.title[0].value == "Runs"
    assert_language(at, "en")
    change_page(at, "app.py")
    assert_language(at, "en")


def test_an_unknown_language_in_a_link_falls_back_to_english():
    at = open_home({LANGUAGE_KEY: "xx"})
    assert_language(at, "en")
