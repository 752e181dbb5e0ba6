"""Live motion as a student sees it: frames drawn in Chromium while a real server trains.

A real `streamlit run app.py` on 127.0.0.1 and headless Chromium on the same machine open the
Playground spiral (200 points, 2-8-8-1 tanh, seed 3) and press Play. A watch in
the page records every change of the player's `data-epoch` with its time, so frames, epoch
gaps and the first frame after the click are what the browser drew, not what the server sent.

Baseline, measured in the same run: the same page in a browser where the player's JavaScript
never loads, so the server draws the boundary as a still picture every tick (what every
student saw before the player). Runs only when named: `python -m nnlab bench live --json`.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

from bench import server

SPIRAL = "dataset=spiral&samples=200&hidden_layers=8:tanh,8:tanh&seed=3"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WATCH_SECONDS = 8.0
CPU_SECONDS = 10.0

# Finds the player through shadow roots and records (time, epoch) on every change of data-epoch
# (tests/browsertools.py uses it and NO_PLAYER too).
WATCH_PLAYER = """() => {
  const find = (root) => {
    const hit = root.querySelector("[data-testid='nnlab-player']");
    if (hit) return hit;
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) { const inner = find(el.shadowRoot); if (inner) return inner; }
    }
    return null;
  };
  // Checked every animation frame, not by a MutationObserver: a player the page re-creates is found again
  // (and counted in __recreated) instead of leaving the watch on a detached node.
  let player = find(document), last = player && player.dataset.epoch;
  window.__frames = [];
  window.__recreated = 0;
  const look = () => {
    if (!player || !player.isConnected) {
      player = find(document);
      if (player) window.__recreated += 1;
    }
    if (player && player.dataset.epoch !== last) {
      last = player.dataset.epoch;
      window.__frames.push([performance.now(), Number(last)]);
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
  return performance.now();
}"""

# Seed 000's reference net on the world map (850 steps an epoch on 27k cities), as a link.
REFERENCE_LINK = (
    "hidden_layers=128:relu:bn,64:relu&dropout=0.3&optimizer=adam&learning_rate=0.001&class_weights=1,10&epochs=50"
)

# Records [time, text] whenever the Epoch metric's text changes (a MutationObserver: watching costs the page nothing);
# on the world map every change is one redraw of the fragment holding the map.
WATCH_EPOCH = """() => {
  window.nnlabEpochs = [];
  const read = () => {
    const label = [...document.querySelectorAll('[data-testid=stMetricLabel]')]
      .find(e => e.innerText.trim() === 'Epoch');
    const value = label && label.closest('[data-testid=stMetric]').querySelector('[data-testid=stMetricValue]');
    const text = value ? value.innerText.trim() : null;
    const last = window.nnlabEpochs[window.nnlabEpochs.length - 1];
    if (text !== null && (!last || last[1] !== text)) window.nnlabEpochs.push([performance.now(), text]);
  };
  new MutationObserver(read).observe(document.body, {subtree: true, childList: true, characterData: true});
  read();
}"""

# A browser that never loads the player: component scripts come to nothing, so the page keeps drawing stills.
NO_PLAYER = """(() => {
  const create = URL.createObjectURL;
  URL.createObjectURL = (blob) => blob && /javascript/.test(blob.type)
    ? "data:text/javascript,export%20default%20function(){}" : create(blob);
})();"""


@contextmanager
def streamlit_server():
    """`streamlit run app.py` on a free loopback port (bench/server.py): (url, pid); stopped on exit.

    NNLAB_SERVER_LOG names a file for the server's own output, when debugging a benchmark.
    """
    log = os.environ.get("NNLAB_SERVER_LOG")
    with server.running(Path(log) if log else None) as running:
        yield running.url, running.pid


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _open(browser, url: str, player: bool = True):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    if not player:
        page.add_init_script(NO_PLAYER)
    page.goto(url)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=120_000)
    return page


def _press_play(page) -> None:
    page.locator(".st-key-playground-play button").filter(visible=True).click()


def watch_player(browser, url: str, seconds: float = WATCH_SECONDS) -> dict:
    """Press Play and record the player's frames: per second after the first second, largest gap, first frame."""
    page = _open(browser, url)
    page.wait_for_selector("[data-testid=nnlab-player][data-epoch]", timeout=120_000)
    clicked = page.evaluate(WATCH_PLAYER)
    _press_play(page)
    time.sleep(seconds)
    frames = [(t, e) for t, e in page.evaluate("window.__frames")]
    page.close()
    return summarise(frames, clicked)


def summarise(frames: list[tuple[float, int]], clicked: float) -> dict:
    """Frames per second and epochs per second after the first second, the largest epoch gap, the first frame."""
    changes = [(t, e) for i, (t, e) in enumerate(frames) if i == 0 or e != frames[i - 1][1]]
    if len(changes) < 2:
        return {"frames_per_second": 0.0, "epochs_per_second": 0.0, "max_epoch_gap": None, "first_frame_seconds": None}
    settled = [(t, e) for t, e in changes if t >= changes[0][0] + 1000]
    span = (settled[-1][0] - settled[0][0]) / 1000 if len(settled) > 1 else float("nan")
    return {
        "frames_per_second": round((len(settled) - 1) / span, 1),
        "epochs_per_second": round((settled[-1][1] - settled[0][1]) / span, 1),
        "max_epoch_gap": max(b - a for (_, a), (_, b) in zip(changes, changes[1:])),
        "first_frame_seconds": round((changes[0][0] - clicked) / 1000, 3),
    }


def server_cpu(browser, url: str, pid: int, seconds: float = CPU_SECONDS) -> float:
    """The server's CPU while one student plays at the default pace, % of one core."""
    page = _open(browser, url)
    page.wait_for_selector("[data-testid=nnlab-player][data-epoch]", timeout=120_000)
    _press_play(page)
    time.sleep(1.0)  # the first tick builds nothing, but lets the pace settle
    before, start = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    used = cpu_seconds(pid) - before
    elapsed = time.monotonic() - start
    page.close()
    return round(100 * used / elapsed, 1)


def still_pictures_per_second(browser, url: str, seconds: float = WATCH_SECONDS) -> float:
    """Baseline: distinct boundary pictures per second when the page draws stills (no player)."""
    page = _open(browser, url, player=False)
    _press_play(page)
    seen, start = [], time.monotonic()
    image = page.locator("[data-testid=stVegaLiteChart] image").nth(-1)
    while time.monotonic() - start < seconds:
        try:
            href = image.get_attribute("href", timeout=1000)
        except Exception:  # the chart is being replaced
            href = None
        if href and (not seen or seen[-1][1] != href):
            seen.append((time.monotonic(), href))
        time.sleep(0.05)
    page.close()
    settled = [s for s in seen if s[0] >= start + 1.0]
    return round((len(settled) - 1) / max(settled[-1][0] - settled[0][0], 1e-9), 2) if len(settled) > 1 else 0.0


def map_refresh_seconds(browser, url: str, seconds: float = 12.0) -> float | None:
    """Median seconds between two redraws of the world map (epoch shown changes) while Play trains."""
    page = _open(browser, url)
    page.evaluate(WATCH_EPOCH)
    page.locator(".st-key-worldmap-play button").filter(visible=True).click()
    time.sleep(seconds)  # a measuring window, not a wait for something
    changes = [ms / 1000 for ms, text in page.evaluate("() => window.nnlabEpochs") if text != "0"]
    page.close()
    gaps = sorted(b - a for a, b in zip(changes, changes[1:]))
    return round(gaps[len(gaps) // 2], 2) if gaps else None


def run() -> dict:
    """One JSON object: the issue's six figures, the still-picture baseline and the ratio between them."""
    from playwright.sync_api import sync_playwright

    with streamlit_server() as (url, pid), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            _open(browser, f"{url}/Playground?{SPIRAL}").close()  # the first visit imports TensorFlow
            default = watch_player(browser, f"{url}/Playground?{SPIRAL}&epochs=1000")
            fastest = watch_player(browser, f"{url}/Playground?{SPIRAL}&epochs=20000&v.pace=0")
            cpu = server_cpu(browser, f"{url}/Playground?{SPIRAL}&epochs=1000", pid)
            baseline = still_pictures_per_second(browser, f"{url}/Playground?{SPIRAL}&epochs=1000")
            map_small = map_refresh_seconds(browser, f"{url}/World_map?epochs=1000")
            map_reference = map_refresh_seconds(browser, f"{url}/World_map?{REFERENCE_LINK}")
        finally:
            browser.close()
    return {
        "name": "live",
        "frames_per_second": default["frames_per_second"],
        "max_epoch_gap": default["max_epoch_gap"],
        "first_frame_seconds": default["first_frame_seconds"],
        "max_pace_epochs_per_second": fastest["epochs_per_second"],
        "max_pace_frames_per_second": fastest["frames_per_second"],
        "server_cpu_percent": cpu,
        "baseline_still_pictures_per_second": baseline,
        "frames_ratio": round(default["frames_per_second"] / baseline, 1) if baseline else None,
        # The world map's redraws with seed 000's reference net against the default small net, same server and run.
        "map_refresh_seconds": map_reference,
        "baseline_map_refresh_seconds": map_small,
        "map_refresh_ratio": round(map_reference / map_small, 2) if map_reference and map_small else None,
    }


def describe(result: dict) -> str:
    return (
        f"live (Playground spiral, Chromium): {result['frames_per_second']} frames/s at the default pace, "
        f"largest epoch gap {result['max_epoch_gap']}, first frame {result['first_frame_seconds']} s after Play; "
        f"fastest {result['max_pace_epochs_per_second']} epochs/s at {result['max_pace_frames_per_second']} frames/s; "
        f"server {result['server_cpu_percent']} % of a core; stills without the player "
        f"{result['baseline_still_pictures_per_second']}/s ({result['frames_ratio']}x fewer); world map redrawn every "
        f"{result['map_refresh_seconds']} s with the reference net, {result['baseline_map_refresh_seconds']} s with "
        f"the default one ({result['map_refresh_ratio']}x)"
    )
