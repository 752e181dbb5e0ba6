"""Real-browser test kit: helpers that wait and read like a student (the fixtures are in tests/conftest.py).

Chromium comes from the system (`apt-get install chromium`), never `playwright install`.
Without it a browser module is skipped, unless NNLAB_REQUIRE_BROWSER=1 (CI), where it fails.
Screenshots and the server log go to artifacts/ (gitignored) for debugging. Nothing here sleeps a
fixed time: every wait is for a condition (`poll`, Playwright's waits).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from bench.live import CHROMIUM_ARGS as BENCH_CHROMIUM_ARGS
from bench.server import Server
from nnlab.presets import PRESETS
from nnlab.spec import Experiment
from nnlab.ui.i18n import STRINGS

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = [
    *BENCH_CHROMIUM_ARGS,
    # Ten tabs at once (the load test): a tab in the background must keep its timers, or its live
    # fragment (which the browser re-triggers) would tick once a second at best.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
APP_TIMEOUT_MS = 60_000  # the first Playground run imports TensorFlow and builds the model
PLAYGROUND_DEFAULTS = PRESETS["playground"].experiment  # what pages/1_Playground.py starts from
STRINGS_FINISHED = STRINGS["finished"][0]


# ---------------------------------------------------------------------------------------------
# Helpers: waiting like Streamlit's own e2e suite, reading metrics and charts
# ---------------------------------------------------------------------------------------------


def wait_for_app(page, timeout: int = APP_TIMEOUT_MS) -> None:
    """Connected, the script finished, no skeleton left (attributes checked on Streamlit 1.67's stApp)."""
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=timeout)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    page.wait_for_selector("[data-testid=stSkeleton]", state="detached", timeout=timeout)


def full_screenshot(page, path: Path) -> None:
    """The whole main column: Streamlit scrolls inside `stMain`, so full_page alone shows one screen."""
    viewport = page.viewport_size
    height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    try:
        next_frames(page)  # let the layout settle at the new size
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(viewport)


def next_frames(page, frames: int = 2) -> None:
    """Wait until the browser has painted `frames` more animation frames (a relayout shows after one);
    at most a second, should the page not be painting."""
    page.evaluate(
        """n => Promise.race([
          new Promise(done => { const tick = k => k ? requestAnimationFrame(() => tick(k - 1)) : done(); tick(n); }),
          new Promise(done => setTimeout(done, 1000))])""",
        frames,
    )


def settle(page, timeout: float = 5) -> None:
    """Wait for the page's running finite animations and transitions (hover colours, a tab's slide), then two
    painted frames. Endless ones (spinners) are left out; one that never ends is given up on after `timeout` s.
    """
    page.evaluate(
        """ms => Promise.race([
          Promise.all(document.getAnimations()
            .filter(a => a.playState === 'running' && a.effect && Number.isFinite(a.effect.getComputedTiming().endTime))
            .map(a => a.finished.catch(() => null))),
          new Promise(done => setTimeout(done, ms))])""",
        timeout * 1000,
    )
    next_frames(page)


# Records whether the app's script ran (stApp's data-test-script-state went to "running") since it was set up.
WATCH_RERUN = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.__nnlabRan = false;
  new MutationObserver(records => {
    const ran = records.some(r => r.oldValue === 'running') || app.dataset.testScriptState === 'running';
    if (ran) window.__nnlabRan = true;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state'], attributeOldValue: true});
}"""


def rerun_after(page, action, timeout: int = APP_TIMEOUT_MS) -> None:
    """Do `action()` (a click), wait until it started a script run, then until the app is idle again."""
    page.evaluate(WATCH_RERUN)
    action()
    page.wait_for_function("() => window.__nnlabRan", timeout=timeout)
    wait_for_app(page, timeout)


def open_page(page, server: Server, path: str) -> None:
    try:
        page.goto(server.url + path)
    except Exception as error:
        raise AssertionError(server.problem() or str(error)) from error
    wait_for_app(page)


def keyed_button(page, key: str):
    """The button of widget `key` (Streamlit 1.67 wraps it in `.st-key-<key with . as ->`).

    The container also holds a zero-size copy Streamlit measures widths with: keep the visible one.
    """
    return page.locator(f".st-key-{key.replace('.', '-')}").locator("button").filter(visible=True)


def metric_value(page, label: str):
    label_locator = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label_locator).get_by_test_id("stMetricValue")


def metric_number(page, label: str) -> float | None:
    """The metric's value as a number (percent signs and separators dropped), None for '—'."""
    text = metric_value(page, label).inner_text().strip()
    match = re.fullmatch(r"(-?[\d.,]+)\s*%?", text)
    return float(match.group(1).replace(",", "")) if match else None


def eventually(condition, timeout: float, interval: float = 0.1):
    """The first truthy value of `condition()`, asked every `interval` s for up to `timeout` s; else None."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value or None
        time.sleep(interval)


def poll(condition, timeout: float, message: str, interval: float = 0.2):
    """As `eventually`, but a condition never met is a failure saying `message`."""
    value = eventually(condition, timeout, interval)
    if value is None:
        raise AssertionError(message)
    return value


def holds(condition, seconds: float, message: str, interval: float = 0.1) -> None:
    """`condition()` stays true for a whole window of `seconds` (what "nothing moves any more" means)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert condition(), message
        time.sleep(interval)
    assert condition(), message


def chart_under(page, heading: str):
    """The (first) Vega chart in the column whose subheader is `heading` (the curves' column also holds
    the learning rate's chart, under them)."""
    header = page.get_by_test_id("stHeading").filter(has_text=re.compile(rf"^\s*{re.escape(heading)}\s*$"))
    chart = page.get_by_test_id("stColumn").filter(has=header).get_by_test_id("stVegaLiteChart").first
    chart.wait_for(state="visible")
    return chart


# What a Vega SVG holds: drawn size, images, marks by type (data marks only, not axes/legends).
CHART_SUMMARY = """chart => {
  const svg = chart.querySelector('svg');
  if (!svg) return {svg: false, canvas: chart.querySelectorAll('canvas').length};
  const box = svg.getBoundingClientRect();
  const marks = type => chart.querySelectorAll(`g.mark-${type}.role-mark > *`).length;
  return {
    svg: true, width: box.width, height: box.height,
    images: [...chart.querySelectorAll('g.role-mark image')]
      .map(i => i.getAttribute('href') || i.getAttribute('xlink:href') || ''),
    symbols: marks('symbol'), rules: marks('rule'), rects: marks('rect'), texts: marks('text'),
    lines: [...chart.querySelectorAll('g.mark-line.role-mark path')].map(p => (p.getAttribute('d') || '').length),
    markTexts: [...chart.querySelectorAll('g.mark-text.role-mark text')].map(t => {
      const m = /translate\\(([-\\d.]+),\\s*([-\\d.]+)\\)/.exec(t.getAttribute('transform') || '');
      return {text: t.textContent, x: m ? +m[1] : NaN, y: m ? +m[2] : NaN};
    }),
    allText: [...chart.querySelectorAll('text')].map(t => t.textContent),
  };
}"""


def summary(chart) -> dict:
    info = chart.evaluate(CHART_SUMMARY)
    assert info["svg"], f"expected Streamlit's SVG Vega renderer, got {info}"
    assert info["width"] > 100 and info["height"] > 100, f"chart drawn too small: {info['width']}x{info['height']}"
    return info


def assert_no_errors(page) -> None:
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id("stException").all_inner_texts()
    errors = page.get_by_test_id("stAlertContentError")
    assert errors.count() == 0, errors.all_inner_texts()


def widths(experiment: Experiment) -> list[int]:
    """Units per layer from the spec, inputs first; one sigmoid output for two classes, else softmax."""
    model, classes = experiment.model, experiment.data.classes
    return [len(model.features), *(layer.units for layer in model.hidden_layers), 1 if classes == 2 else classes]


def expected_weights(experiment: Experiment) -> int:
    sizes = widths(experiment)
    return sum(a * b for a, b in zip(sizes, sizes[1:]))


def expected_parameters(experiment: Experiment) -> int:
    """Dense weights and biases, counted here from the spec rather than by nnlab."""
    assert not experiment.model.batch_norm, "batch norm would add parameters this count leaves out"
    return expected_weights(experiment) + (sum(widths(experiment)[1:]) if experiment.model.use_bias else 0)


# ---------------------------------------------------------------------------------------------
# The player (nnlab/ui/player.js): its root carries data-epoch; a page can also open without it
# ---------------------------------------------------------------------------------------------


def player(page):
    return page.get_by_test_id("nnlab-player")


def player_epoch(page) -> int | None:
    """The epoch of the frame on the player's screen (None before its first frame)."""
    value = player(page).get_attribute("data-epoch", timeout=5000)
    return None if value is None else int(value)


# Pixels of a canvas: how many are coloured (not white, not transparent), and a short fingerprint.
CANVAS_PIXELS = """canvas => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let coloured = 0, sum = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 200 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) coloured++;
    sum = (sum * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) % 1000000007;
  }
  return {width: canvas.width, height: canvas.height, coloured, fingerprint: sum};
}"""


def player_stat(page, label: str) -> float | None:
    """A number in the player's row (its label as shown), percent signs dropped; None for '—'."""
    text = player(page).locator(".stats span").filter(has=page.locator("small", has_text=label)).locator("b")
    value = text.first.inner_text().strip().rstrip("%").replace("−", "-").replace("+", "")
    value = "".join(value.split()).replace(",", ".")  # Russian: «99,5 %», «1 234» (English has no grouping here)
    return None if value in ("—", "") else float(value)
