"""What a class sees: every page in English and Russian, before and after training, on a projector
(1400×900) and on a phone (390×844), checked in real Chromium and saved to artifacts/screens/.

Each view fails on what a student at the back of the room would notice: an element wider than the
main column, visible text cut off by its container, text smaller than 12 px on the projector, or a chart
with no data drawn as empty axes (a chart with nothing to show gives way to the "Press Play or Step" line).

The English Playground's before/after pair is the README's; `NNLAB_DOCS=1` copies it into docs/.
"""

from __future__ import annotations

import os
import re

import pytest
from browsertools import (
    APP_TIMEOUT_MS,
    ARTIFACTS,
    ROOT,
    assert_no_errors,
    eventually,
    keyed_button,
    open_page,
    poll,
    rerun_after,
    settle,
    wait_for_app,
)
from PIL import Image

from nnlab.catalogue import STRINGS

SCREENS = ARTIFACTS / "screens"
PROJECTOR = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
SMALLEST_FONT_PX = 12

# page → (path with a short run's link, how to train it: a transport's key, a button's key, or a page to
# train first in the same session).
PAGES = {
    "home": ("/", None),
    "playground": ("/Playground?epochs=100", "playground"),
    "worldmap": ("/World_map?epochs=5", "worldmap"),
    "digits": ("/Digits?epochs=5", "digits"),
    "optimizers": ("/Optimizers?epochs=20", "optimizers"),
    "losses": ("/Losses_and_backprop", "button:losses.scratch_button"),
    "generalization": ("/Generalization?epochs=20", "generalization"),
    "runs": ("/Runs", "first:/Playground?epochs=10"),
    "experiments": ("/Experiments?epochs=5&v.repeats=1", "button:experiments.run"),
    "convolution": ("/Convolution?dataset=digits&samples=1200&epochs=5", "conv"),
}

# Elements wider than the main column's content box, outermost only; an element inside a container that
# scrolls or clips is judged by that container.
OVERFLOW = """() => {
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  const box = main.getBoundingClientRect(), style = getComputedStyle(main);
  const left = box.left + parseFloat(style.paddingLeft) - 2, right = box.right - parseFloat(style.paddingRight) + 2;
  const clippedInside = el => {
    for (let a = el.parentElement; a && a !== main; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    return false;
  };
  const found = [], reported = new Set();
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || getComputedStyle(el).visibility === 'hidden') continue;
    if (r.right <= right && r.left >= left) continue;
    if (r.width <= 24 && el.closest('[data-testid=stDataFrameResizable]')) continue;  // its resize handle
    if (clippedInside(el) || [...reported].some(p => p.contains(el))) continue;
    reported.add(el);
    const named = el.closest('[data-testid]'), keyed = el.closest('[class*=st-key-]');
    found.push(`${el.tagName.toLowerCase()} in ${named && named.getAttribute('data-testid')}`
      + `${keyed ? ' ' + [...keyed.classList].find(c => c.startsWith('st-key-')) : ''} `
      + `spans ${Math.round(r.left)}–${Math.round(r.right)} px, `
      + `the column ${Math.round(left)}–${Math.round(right)} px: `
      + JSON.stringify((el.innerText || '').slice(0, 60)));
  }
  const scroller = document.querySelector('[data-testid=stMain]');
  if (scroller.scrollWidth > scroller.clientWidth + 1)
    found.push(`the page scrolls sideways (${scroller.scrollWidth} > ${scroller.clientWidth} px)`);
  return found;
}"""

# Text a container cuts off: it clips (overflow hidden or clip, or an ellipsis) and its content is larger.
CUT_TEXT = """() => {
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  const found = [];
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || !(el.innerText || '').trim()) continue;
    const clipsX = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
    const clipsY = ['hidden', 'clip'].includes(s.overflowY);
    const wide = clipsX && el.scrollWidth > el.clientWidth + 1, tall = clipsY && el.scrollHeight > el.clientHeight + 2;
    if (wide || tall)
      found.push(`${el.tagName.toLowerCase()}.`
        + `${(el.getAttribute('data-testid') || el.className || '').toString().slice(0, 40)} `
        + `shows ${el.clientWidth}×${el.clientHeight} of ${el.scrollWidth}×${el.scrollHeight} px: `
        + JSON.stringify(el.innerText.slice(0, 60)));
  }
  return found;
}"""

# Visible text (HTML and the charts' SVG) smaller than the projector's minimum.
SMALL_TEXT = r"""min => {
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  const found = new Set();
  for (const el of main.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && /[^\s\u200b-\u200d\ufeff]/.test(n.textContent));
    if (!own) continue;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (r.width < 1 || r.height < 1 || s.visibility === 'hidden' || s.opacity === '0') continue;
    let size = parseFloat(s.fontSize);
    if (el instanceof SVGGraphicsElement && el.getScreenCTM()) {  // an SVG scaled to fit draws its text smaller
      const m = el.getScreenCTM();
      size *= Math.hypot(m.a, m.b);
    }
    if (size < min - 0.01)
      found.add(`${size.toFixed(1)}px ${el.tagName.toLowerCase()}: `
        + JSON.stringify(el.textContent.trim().slice(0, 40)));
  }
  return [...found].slice(0, 12);
}"""

# Vega-Lite charts on screen that draw no mark at all (only axes, a legend or a title).
EMPTY_CHARTS = """() => {
  const found = [];
  for (const chart of document.querySelectorAll('[data-testid=stVegaLiteChart]')) {
    const r = chart.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    const marks = [...chart.querySelectorAll('svg g.role-mark')]
      .filter(g => !g.closest('.role-legend, .role-axis, .role-title'));
    if (!marks.some(g => g.childElementCount > 0))
      found.push(`a chart at y=${Math.round(r.top)} px with ${marks.length} empty mark groups: `
        + JSON.stringify((chart.innerText || '').slice(0, 60)));
  }
  return found;
}"""


# Every chart on screen has its SVG (Vega renders it after the script run that sent the chart).
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
  .filter(chart => chart.getBoundingClientRect().width > 0)
  .every(chart => chart.querySelector('svg'))"""


def check_view(page, where: str, problems: list[str]) -> None:
    """Every check; what fails goes into `problems`, with `where` (page, language, size, state, tab)."""
    wait_for_app(page)
    page.wait_for_function(CHARTS_DRAWN)  # Vega draws after the script run ends
    settle(page)
    projector = page.viewport_size["width"] >= PROJECTOR["width"]
    assert_no_errors(page)
    found = {
        "wider than the main column": page.evaluate(OVERFLOW),
        "text cut off": page.evaluate(CUT_TEXT),
        # The projector's rule (a phone held at arm's length scales a wide diagram down to fit).
        f"text under {SMALLEST_FONT_PX} px": page.evaluate(SMALL_TEXT, SMALLEST_FONT_PX) if projector else [],
        "a chart without data and without the placeholder": page.evaluate(EMPTY_CHARTS),
    }
    problems += [f"{where}: {name}: {what}" for name, what in found.items() if what]


def shoot(page, name: str) -> None:
    """The whole page at the current width (Streamlit scrolls inside stMain: grow the viewport to it)."""
    viewport = page.viewport_size
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    try:
        page.mouse.move(viewport["width"] - 5, 5)  # no hover colour or tooltip in the picture
        settle(page)
        page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)
    finally:
        page.set_viewport_size(viewport)


def set_size(page, size: dict) -> None:
    """Resize, with the sidebar as Streamlit shows it at that width: folded on a phone, open on a projector.

    Streamlit may fold or unfold it by itself after a resize: look again before each press.
    """
    page.set_viewport_size(size)
    phone = size["width"] < 640

    def right() -> bool:
        return (page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true") == phone

    for _ in range(3):
        if eventually(right, 2):
            settle(page)
            return
        button = (
            page.get_by_test_id("stSidebarCollapseButton").locator("button")
            if phone
            else page.get_by_test_id("stExpandSidebarButton")
        )
        try:
            button.click(force=phone, timeout=5000)  # the fold button shows on hover only
        except Exception:  # it went away as Streamlit moved the sidebar itself: look again
            continue
    assert right(), f"the sidebar did not {'fold' if phone else 'open'} at {size['width']} px"


def each_tab(page, visit) -> None:
    """`visit(tab_index)` with each of the page's tabs open in turn (every tab is something a class sees)."""
    tabs = page.get_by_test_id("stTab")
    count = tabs.count()
    for index in range(max(count, 1)):
        if count:
            tab = tabs.nth(index)
            tab.click()
            poll(lambda tab=tab: tab.get_attribute("aria-selected") == "true", 10, f"tab {index + 1} never opened")
            settle(page)
        visit(index)
    if count:
        tabs.first.click()


def look(page, name: str, where: str, problems: list[str]) -> None:
    def visit(tab: int) -> None:
        check_view(page, f"{where}, tab {tab + 1}", problems)
        shoot(page, f"{name}-tab{tab + 1}" if tab else name)

    each_tab(page, visit)


def train(page, server, how: str | None, language: str) -> None:
    """Train as a student would: Play until the epoch limit, or the page's own button, and wait for it."""
    if how is None:
        return
    if how.startswith("first:"):  # the Runs page lists what this session trained on another page
        set_size(page, PROJECTOR)
        open_page(page, server, f"{how.removeprefix('first:')}&lang={language}")
        train(page, server, "playground", language)
        page.get_by_test_id("stSidebar").locator("a[href*='Runs']").first.click()  # a link keeps the session
        page.wait_for_url("**/Runs**")
        wait_for_app(page)
        set_size(page, PHONE)
        return
    if how.startswith("button:"):
        button = keyed_button(page, how.removeprefix("button:")).first
        tabs = page.get_by_test_id("stTab")
        for index in range(tabs.count()):  # the button may be on another tab
            if button.is_visible():
                break
            tabs.nth(index).click()
            settle(page)
        rerun_after(page, button.click, timeout=180_000)
        # A grid runs on in the background: its Run button comes back when every cell has finished.
        poll(lambda: button.is_enabled(), 180, f"{how}: still running after 180 s")
        wait_for_app(page)
        return
    keyed_button(page, f"{how}.play").first.click()
    epochs = int(re.search(r"epochs=(\d+)", page.url).group(1))
    finished = STRINGS["finished"][1 if language == "ru" else 0].format(epochs=epochs)
    poll(lambda: page.get_by_text(finished).count() > 0, 180, f"{how}: training did not stop at its {epochs} epochs")
    wait_for_app(page)


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_reads_from_the_back_of_the_room_and_on_a_phone(browser, server, name, language):
    SCREENS.mkdir(parents=True, exist_ok=True)
    path, how = PAGES[name]
    link = f"{path}{'&' if '?' in path else '?'}lang={language}"
    context = browser.new_context(viewport=PROJECTOR, locale="ru-RU" if language == "ru" else "en-US")
    context.set_default_timeout(APP_TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    # A script error in the browser is a defect even when the page looks right: Vega's "Unrecognized data set"
    # left the health charts at their first picture for the rest of a run.
    page.on("pageerror", lambda error: problems.append(f"{name} ({language}): a script error in the browser: {error}"))
    try:
        open_page(page, server, link)
        stem = f"{name}-{language}"
        look(page, f"{stem}-1400-before", f"{name} ({language}) at 1400 px before training", problems)
        # The phone opens the page afresh (a page drawn at 1400 px and then narrowed keeps some widths:
        # no phone does that), trains, and is then widened to the projector.
        page.set_viewport_size(PHONE)
        open_page(page, server, link)
        look(page, f"{stem}-390-before", f"{name} ({language}) at 390 px before training", problems)
        if how is not None:  # the home page trains nothing: one state
            train(page, server, how, language)
            look(page, f"{stem}-390-after", f"{name} ({language}) at 390 px after training", problems)
            set_size(page, PROJECTOR)
            look(page, f"{stem}-1400-after", f"{name} ({language}) at 1400 px after training", problems)
        if (name, language) == ("playground", "en") and os.environ.get("NNLAB_DOCS"):
            for state in ("before", "after"):  # the projector's first screen, as the class sees it
                with Image.open(SCREENS / f"{stem}-1400-{state}.png") as shot:
                    shot.crop((0, 0, PROJECTOR["width"], PROJECTOR["height"])).save(
                        ROOT / "docs" / f"playground-{state}.png"
                    )
    finally:
        context.close()
    assert not problems, "\n".join(problems)
