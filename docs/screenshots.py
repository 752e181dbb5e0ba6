"""Make the README screenshots: docs/home.png, docs/playground.png (spiral), docs/worldmap.png, docs/digits.png,
docs/optimizers.png (the six-optimizer race), docs/generalization.png (the overfit preset and a dropout sweep),
docs/lesson.png (a lesson opened from the home page with its share panel and QR code), docs/losses.png,
docs/runs.png (run history and the class board), docs/convolution.png (a small convolutional network on the
8×8 digits), docs/live-training.webp (the spiral's boundary and network forming, every eighth epoch) and
docs/experiments.png (a grid run through the sweep executor).

    python docs/screenshots.py [--out docs] [--seconds 90] [--only generalization ...]

Starts `streamlit run app.py` on a free 127.0.0.1 port (bench/server.py, as the browser tests do), drives the
system Chromium (/usr/bin/chromium, never `playwright install`) at 1400 px wide, opens the
Playground with the spiral preset through the URL, presses Play and waits until training stops
at the epoch limit (or pauses it after --seconds), then saves the whole page.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import sys
import time
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as `python docs/screenshots.py`: the repository's bench/ is one level up

from bench import server  # noqa: E402  (after the path it comes from)
from bench.live import CHROMIUM_ARGS  # noqa: E402

WIDTH = 1400
# The spiral preset (nnlab.presets "playground-spiral"), written as a shareable link.
SPIRAL = "dataset=spiral&samples=500&hidden_layers=16:tanh,16:tanh&optimizer=adam&learning_rate=0.01&epochs=500"
APP_TIMEOUT_MS = 60_000


def wait_for_app(page) -> None:
    """As Streamlit's e2e suite: connected, script finished, no skeleton."""
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=APP_TIMEOUT_MS)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=APP_TIMEOUT_MS)
    page.wait_for_selector("[data-testid=stSkeleton]", state="detached", timeout=APP_TIMEOUT_MS)


def metric(page, label: str) -> str:
    label_locator = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return (
        page.get_by_test_id("stMetric").filter(has=label_locator).get_by_test_id("stMetricValue").inner_text().strip()
    )


def shown_numbers(page) -> str:
    """The player's row of numbers (epoch, losses, accuracy) as one line, as a student reads it."""
    return " ".join(page.get_by_test_id("nnlab-player").locator(".stats").inner_text().split())


def wait_for_player(page, epoch: int | None = None) -> None:
    """Until the player has drawn (and reached `epoch`, if given: it plays out what the server sent)."""
    player = page.get_by_test_id("nnlab-player")
    player.wait_for(timeout=APP_TIMEOUT_MS)
    deadline = time.monotonic() + 30
    while epoch is not None and player.get_attribute("data-epoch") != str(epoch) and time.monotonic() < deadline:
        time.sleep(0.2)


def full_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside `stMain`: grow the viewport to its height, then shoot."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # no focus ring
    for _ in range(2):  # the height can change once the layout reflows at the new size
        height = max(page.get_by_test_id("stMain").evaluate("main => main.scrollHeight"), 900)
        page.set_viewport_size({"width": WIDTH, "height": height})
        page.wait_for_timeout(500)
    # Park the pointer on empty main-area space: over the sidebar it shows the collapse button,
    # over a button its hover colour, over a chart a tooltip.
    page.mouse.move(WIDTH - 10, height - 10)
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def playground(page, url: str, out: Path, seconds: float) -> None:
    page.goto(f"{url}/Playground?{SPIRAL}")
    wait_for_app(page)
    epochs = int(re.search(r"epochs=(\d+)", SPIRAL).group(1))
    play = page.locator(".st-key-playground-play").locator("button").filter(visible=True)
    play.click()
    started = time.monotonic()
    page.wait_for_function("b => b.innerText.includes('Pause')", arg=play.element_handle(), timeout=15_000)
    deadline = started + seconds
    while "Pause" in play.inner_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    if "Pause" in play.inner_text():
        play.click()  # the epoch limit was not reached in time: pause where it is
    page.wait_for_function("b => b.innerText.includes('Play')", arg=play.element_handle(), timeout=15_000)
    wait_for_app(page)
    wait_for_player(page)
    page.wait_for_timeout(2000)  # the player plays out its last frames; Vega redraws after the last run
    print(f"playground: {shown_numbers(page)} ({epochs} epochs at most) after {time.monotonic() - started:.0f} s")
    full_screenshot(page, out / "playground.png")


def play_until_stopped(page, key: str, seconds: float = 90) -> None:
    """Press the page's Play and wait until training stops at its epoch limit (at most `seconds`)."""
    play = page.locator(f".st-key-{key}-play").locator("button").filter(visible=True)
    play.click()
    started = time.monotonic()
    with contextlib.suppress(PlaywrightTimeout):  # a short run can finish before the button says Pause
        page.wait_for_function("b => b.innerText.includes('Pause')", arg=play.element_handle(), timeout=3_000)
    while "Pause" in play.inner_text() and time.monotonic() < started + seconds:
        time.sleep(0.5)
    wait_for_app(page)


def worldmap(page, url: str, out: Path) -> None:
    """Seed 000's minimal network on Russia, trained to its 20 epochs with Play."""
    page.goto(f"{url}/World_map")
    wait_for_app(page)
    play_until_stopped(page, "worldmap")
    page.wait_for_timeout(2000)  # deck.gl draws after the last fragment run
    print(f"world map: epoch {metric(page, 'Epoch')}, p {metric(page, 'p (balanced)')}")
    full_screenshot(page, out / "worldmap.png")


def digits(page, url: str, out: Path) -> None:
    """Seed 004's 25 sigmoid units on the 8×8 digits, trained with Play, then its λ sweep."""
    page.goto(f"{url}/Digits?hidden_layers=25:sigmoid&optimizer=adam&learning_rate=0.01&batch_size=64&epochs=100")
    wait_for_app(page)
    play_until_stopped(page, "digits")
    page.get_by_text("Seed 004's λ sweep").click()
    page.locator(".st-key-digits-sweep_button").locator("button").filter(visible=True).click()
    page.wait_for_timeout(1000)
    wait_for_app(page)
    page.wait_for_timeout(1500)
    print(f"digits: {shown_numbers(page)}")
    full_screenshot(page, out / "digits.png")


def convolution(page, url: str, out: Path) -> None:
    """The Convolution lab's small network on the built-in 8×8 digits (CIFAR-10 needs the network), trained with
    Play: its first filters, curves and confusion, one test image's feature maps and top-3, the cost meter."""
    page.goto(f"{url}/Convolution")
    wait_for_app(page)
    play_until_stopped(page, "conv")
    wait_for_player(page)
    page.wait_for_timeout(2000)
    print(f"convolution: {shown_numbers(page)}")
    full_screenshot(page, out / "convolution.png")


def generalization(page, url: str, out: Path) -> None:
    """Seed 002's overfit preset trained to its 500 epochs, then the dropout sweep as small multiples."""
    page.goto(f"{url}/Generalization")
    wait_for_app(page)
    play_until_stopped(page, "generalization")
    page.get_by_test_id("stSelectbox").filter(has_text="Setting").click()
    page.keyboard.type("dropout")
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.locator(".st-key-generalization-multiples_button").locator("button").filter(visible=True).click()
    page.get_by_text("dropout=0.5").wait_for(timeout=120_000)
    wait_for_app(page)
    page.wait_for_timeout(1500)
    print(f"generalization: {shown_numbers(page)}")
    full_screenshot(page, out / "generalization.png")


def home(page, url: str, out: Path) -> None:
    page.goto(url + "/")
    wait_for_app(page)
    page.locator(".st-key-home-lesson-004").wait_for(state="visible")
    page.wait_for_timeout(1000)
    full_screenshot(page, out / "home.png")


def lesson(page, url: str, out: Path) -> None:
    """Lesson 003 opened from the home page, a few epochs in, with the share panel and its QR code open."""
    page.goto(url + "/")
    wait_for_app(page)
    page.locator(".st-key-home-lesson-003").locator("button").click()
    page.wait_for_url("**/Playground?**")
    wait_for_app(page)
    play_until_stopped(page, "playground", seconds=8)
    page.get_by_text("Share this lesson").click()
    page.get_by_test_id("stMultiSelect").filter(has_text="Hide for the lesson").click()
    for control in ("Dataset", "Hidden layers and neurons"):
        page.keyboard.type(control)
        page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_for_app(page)
    page.get_by_test_id("stImage").last.wait_for(state="visible")
    page.wait_for_timeout(1000)
    print(f"lesson: {metric(page, 'Seed 003 published')} published, {metric(page, 'This run, now')} now")
    full_screenshot(page, out / "lesson.png")


def losses(page, url: str, out: Path) -> None:
    page.goto(f"{url}/Losses_and_backprop")
    wait_for_app(page)
    page.wait_for_timeout(1500)
    full_screenshot(page, out / "losses.png")


def runs(page, url: str, out: Path) -> None:
    """Two finished Playground runs, then the Runs page with both compared and one on the class board."""
    page.goto(f"{url}/Playground?dataset=xor&hidden_layers=6:tanh&epochs=60")  # a page load is a new session:
    wait_for_app(page)  # both runs happen in this one
    play_until_stopped(page, "playground", seconds=30)
    page.locator(".st-key-playground-optimizer").get_by_role("combobox").click()  # a second run: Adam
    page.keyboard.type("Adam")
    page.keyboard.press("Enter")
    page.wait_for_timeout(1000)  # the rerun that rebuilds the model starts after the key press
    wait_for_app(page)
    play_until_stopped(page, "playground", seconds=60)
    page.locator("[data-testid=stSidebarNav], [data-testid=stSidebar]").get_by_text("Runs").click()
    wait_for_app(page)
    page.get_by_test_id("stTextInputField").fill("Ada")
    page.get_by_role("button", name="Submit").click()
    wait_for_app(page)
    page.get_by_test_id("stDataFrame").last.wait_for(state="visible")
    page.wait_for_timeout(1500)
    full_screenshot(page, out / "runs.png")


def optimizers(page, url: str, out: Path) -> None:
    """Seed 002's task 2: the six optimizers raced on the moons to the page's 300 epochs."""
    page.goto(f"{url}/Optimizers")
    wait_for_app(page)
    play_until_stopped(page, "optimizers", seconds=180)
    page.wait_for_timeout(2000)  # the player plays out its last frames
    full_screenshot(page, out / "optimizers.png")


def experiments(page, url: str, out: Path) -> None:
    """The default grid (neurons × learning rate, two repeats each) run to the end on the local workers."""
    page.goto(f"{url}/Experiments")
    wait_for_app(page)
    page.get_by_role("button", name="Run the grid").click()
    page.get_by_text("24 of 24 runs finished").wait_for(timeout=300_000)
    wait_for_app(page)
    page.wait_for_timeout(1500)
    full_screenshot(page, out / "experiments.png")


def live_training(page, url: str, out: Path, every: int = 8, last: int = 400) -> None:
    """The spiral's boundary and network forming, as an animated WebP: the run is played to its end at the
    default pace (every epoch recorded), then the player's replay scrubber steps through the recorded
    epochs and each one is shot. Real frames of the run, not a screen recording."""
    from PIL import Image

    page.set_viewport_size({"width": WIDTH, "height": 1000})
    page.goto(f"{url}/Playground?{SPIRAL.replace('epochs=500', f'epochs={last}')}")
    wait_for_app(page)
    wait_for_player(page, 0)
    play_until_stopped(page, "playground", seconds=120)
    wait_for_player(page, last)
    player = page.get_by_test_id("nnlab-player")
    scrubber = player.locator("input.scrub")
    epochs = [int(e) for e in player.evaluate("el => el.player.frames.map(f => f.e).join(',')").split(",")]
    pictures = []
    for index, epoch in enumerate(epochs):
        if epoch % every and epoch != epochs[-1]:
            continue
        scrubber.fill(str(index))
        page.wait_for_function("([el, e]) => el.dataset.epoch === String(e)", arg=[player.element_handle(), epoch])
        path = out / ".frame.png"
        player.locator(".stats").evaluate("el => el.style.background = 'white'")
        player.screenshot(path=str(path))
        pictures.append(Image.open(path).convert("RGB"))
        path.unlink()
    durations = [100] * (len(pictures) - 1) + [2500]  # hold the trained network a moment before looping
    pictures[0].save(
        out / "live-training.webp",
        save_all=True,
        append_images=pictures[1:],
        duration=durations,
        loop=0,
        quality=60,
        method=6,
    )
    print(f"saved live-training.webp: {len(pictures)} frames, epochs 0 to {epochs[-1]} every {every}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs (default: docs)")
    parser.add_argument(
        "--seconds",
        type=float,
        default=90,  # 500 spiral epochs: 29-55 s on 2 cores
        help="longest Play before pausing at the current epoch (default: 90)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[
            "home",
            "playground",
            "worldmap",
            "digits",
            "convolution",
            "optimizers",
            "generalization",
            "lesson",
            "losses",
            "runs",
            "live",
            "experiments",
        ],
        help="take only these screenshots",
    )
    args = parser.parse_args()
    out = args.out.resolve()
    chromium = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Chromium is needed: apt-get install chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with server.running(artifacts / "screenshots-server.log") as running:
        url = running.url
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": WIDTH, "height": 1000}, locale="en-US")
            page = context.new_page()
            page.set_default_timeout(APP_TIMEOUT_MS)
            shots = {
                "home": lambda: home(page, url, out),
                "playground": lambda: playground(page, url, out, args.seconds),
                "worldmap": lambda: worldmap(page, url, out),
                "digits": lambda: digits(page, url, out),
                "convolution": lambda: convolution(page, url, out),
                "optimizers": lambda: optimizers(page, url, out),
                "generalization": lambda: generalization(page, url, out),
                "lesson": lambda: lesson(page, url, out),
                "losses": lambda: losses(page, url, out),
                "runs": lambda: runs(page, url, out),
                "live": lambda: live_training(page, url, out),
                "experiments": lambda: experiments(page, url, out),
            }
            for name in args.only or shots:
                shots[name]()
            browser.close()


if __name__ == "__main__":
    main()
