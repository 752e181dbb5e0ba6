"""The player in a real headless Chromium: frames go forward every epoch, replay, weights typed by hand, a phone,
regression's diverging plane, L1's dead links, points added by clicking on the plane.

The server trains and records frames; the browser draws them (nnlab/ui/player.js). These
tests read what the browser drew: the player's `data-epoch` and the pixels of its canvases.
Speed is measured in bench/live.py, not here: these tests poll for conditions, never time them.
A few tests mount player.js alone on a blank page (`mounted`), fed frames made here, so they
check the drawing itself whatever the app's pages offer.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from browsertools import (
    CANVAS_PIXELS,
    assert_no_errors,
    holds,
    keyed_button,
    open_page,
    player,
    player_epoch,
    poll,
    wait_for_app,
)

from bench.live import WATCH_PLAYER
from nnlab.catalogue import text
from nnlab.data.dataset import Dataset
from nnlab.frames import Frame, ProbeLayout, encode_frame
from nnlab.viz.images import probabilities_rgb
from nnlab.viz.palette import TF_BLUE, rgb
from nnlab.viz.player import network_layout, player_layout

SPIRAL = "/Playground?dataset=spiral&samples=200&hidden_layers=8:tanh,8:tanh&seed=3"


def canvas(page, name: str) -> dict:
    return player(page).locator(f"canvas.{name}").evaluate(CANVAS_PIXELS)


def open_player(page, server, path: str = SPIRAL) -> None:
    open_page(page, server, path)
    poll(lambda: player_epoch(page) is not None, 60, "the player never drew its first frame")


def type_weight(page, spot: dict, value: str) -> None:
    """Click a link or bias square on the network diagram and type a weight into the editor that opens."""
    player(page).locator("canvas.network").click(position=spot)
    editor = player(page).locator("input.edit")
    editor.wait_for(state="visible")
    editor.fill(value)
    editor.press("Enter")


def test_frames_go_forward_every_epoch_while_playing_and_stop_on_pause(page, server):
    open_player(page, server, SPIRAL + "&epochs=2000")
    assert player_epoch(page) == 0
    before = canvas(page, "boundary")
    assert before["coloured"] > 0.2 * before["width"] * before["height"], before  # a plane and points, not a blank
    network = canvas(page, "network")
    assert network["coloured"] > 2000, network
    page.evaluate(WATCH_PLAYER)
    play = keyed_button(page, "playground.play")
    play.click()
    poll(lambda: (player_epoch(page) or 0) >= 45, 60, "the player did not reach epoch 45")
    frames = page.evaluate("window.__frames")
    epochs = [epoch for _, epoch in frames]
    shown = [e for i, e in enumerate(epochs) if i == 0 or e != epochs[i - 1]]
    assert all(b > a for a, b in zip(shown, shown[1:])), f"frames went backwards: {shown}"
    assert max(b - a for a, b in zip(shown, shown[1:])) <= 2, f"epochs skipped at the default pace: {shown}"
    assert len(shown) >= 30, shown
    assert canvas(page, "boundary")["fingerprint"] != before["fingerprint"], "the boundary did not change"

    play.click()  # pause: the player plays out what it has, then stands still
    poll(lambda: "Play" in play.inner_text(), 15, "Pause did not turn back into Play")
    poll(lambda: _still(page), 15, "still moving after Pause")
    paused = player_epoch(page)
    assert paused >= 45

    # Replay: the scrubber shows any recorded epoch; the model itself stays where it is.
    scrubber = player(page).locator("input.scrub")
    scrubber.fill("0")
    poll(lambda: player_epoch(page) == 0, 10, "the scrubber did not go back to epoch 0")
    scrubber.fill(scrubber.get_attribute("max"))
    poll(lambda: player_epoch(page) == paused, 10, "the scrubber did not come back to the last frame")
    assert_no_errors(page)


def _still(page, seconds: float = 0.4) -> bool:
    """Whether the player's epoch stays put for `seconds` (a player playing out its queue moves sooner)."""
    epoch = player_epoch(page)
    try:
        holds(lambda: player_epoch(page) == epoch, seconds, "")
    except AssertionError:
        return False
    return True


def test_a_weight_typed_into_the_network_changes_the_boundary_and_step_trains_on(page, server):
    open_player(page, server)
    boundary = canvas(page, "boundary")
    # The output neuron's bias square sits at its lower left corner (player.js: drawNetwork).
    spot = player(page).evaluate("""el => {
      const g = el.player.geometryNow, out = g.nodes[g.nodes.length - 1][0];
      return {x: out.x, y: out.y + g.node};
    }""")
    type_weight(page, spot, "6")
    poll(
        lambda: canvas(page, "boundary")["fingerprint"] != boundary["fingerprint"],
        30,
        "the boundary did not change after the output bias was set to 6",
    )
    assert player_epoch(page) == 0
    keyed_button(page, "playground.step").click()
    poll(lambda: player_epoch(page) == 1, 30, "Step did not train on from the edited weights")
    assert_no_errors(page)


def test_on_a_phone_the_player_and_play_are_on_the_first_screen(browser, server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2, locale="en-US"
    )
    page = context.new_page()
    try:
        open_player(page, server, SPIRAL)
        box = player(page).locator("canvas.boundary").bounding_box()
        play = keyed_button(page, "playground.play").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844, f"boundary not on the first screen: {box}"
        assert play["y"] + play["height"] <= 844, play
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], f"the page scrolls sideways: {width}"
        keyed_button(page, "playground.play").tap()
        poll(lambda: (player_epoch(page) or 0) > 5, 60, "no frames on the phone after Play")
        assert_no_errors(page)
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------
# player.js alone on a blank page: regression's plane, dead links, clicks (no app page needed)
# ---------------------------------------------------------------------------------------------

PLAYER_DIR = Path(__file__).resolve().parents[1] / "nnlab" / "ui"
EXTENT = 6.0
MOUNT = """async ({js, css, data}) => {
  const url = URL.createObjectURL(new Blob([js], {type: "text/javascript"}));
  const module = await import(url);
  const style = document.createElement("style");
  style.textContent = css;
  document.head.appendChild(style);
  const host = document.createElement("div");
  host.style.width = "900px";
  document.body.appendChild(host);
  window.__triggers = [];
  window.__mount = (d) => module.default({data: d, parentElement: host,
    setTriggerValue: (name, value) => window.__triggers.push([name, value]), setStateValue: () => {}});
  window.__mount(data);
}"""


def regression_data(editable: bool = True, playing: bool = False) -> dict:
    """A 2-3-1 regression network on the plane: output −1 on the left, +1 on the right; three dead links."""
    probe = ProbeLayout(20, 10, binary=False, regression=True)
    x = np.array([[-4.0, 0.0], [4.0, 0.0], [0.0, 4.0]], np.float32)
    y = np.array([-1.0, 1.0, 0.0], np.float32)
    points = Dataset("plane", x[:2], y[:2], x[2:], y[2:], ())
    keys = {
        "epoch": "epoch",
        "train_loss": "train_loss",
        "test_loss": "test_loss",
        "parameters": "parameters",
        "replay": "replay",
    }
    labels = {key: text(name, "en") for key, name in keys.items()} | {
        "test_r2": text("player_test_r2", "en"),
        "test_rmse": text("player_test_rmse", "en"),
        "click_help": text("player_click_help", "en"),
        "dead_links": text("player_dead_links", "en", n="{n}"),
        "dead_link": text("player_dead_link_help", "en"),
    }
    network = network_layout(
        ["x1", "x2"],
        ["X1", "X2"],
        [2, 3, 1],
        [True, True],
        ["Inputs", "3 tanh", "Output"],
        EXTENT,
        probe.neuron_resolution,
    )
    layout = player_layout(probe, EXTENT, points, True, labels, network, parameters=13)
    ramp = np.rint(np.linspace(0, 255, 20)).astype(np.uint8)  # columns: x1 from −extent (−1) to +extent (+1)
    boundary = np.tile(ramp, (20, 1)).reshape(20, 20, 1)
    neurons = np.tile(np.rint(np.linspace(0, 255, 10)).astype(np.uint8), (4, 10, 1))
    weights = np.array([0.5, 0.0, -0.7, 0.0, 0.9, 1.0, 0.1, 0.0, -0.1, 0.8, 0.0, -0.6, 0.2], np.float16)
    frame = Frame(0, 12, (0.2, 0.91, 0.25, 0.875), boundary, neurons, weights)  # trained: epoch 0 shows dashes
    return {
        "run": "r",
        "upto": 0,
        "playing": playing,
        "pace": 30,
        "editable": editable,
        "layout": layout,
        "frames": [encode_frame(frame)],
        "locale": "en",
    }


@pytest.fixture
def mounted(browser):
    """A blank page and a function that mounts player.js on it with `data`."""
    context = browser.new_context(viewport={"width": 1000, "height": 800}, locale="en-US")
    blank = context.new_page()
    errors = []
    blank.on("pageerror", lambda error: errors.append(str(error)))

    def mount(data: dict):
        blank.evaluate(
            MOUNT,
            {
                "js": (PLAYER_DIR / "player.js").read_text(),
                "css": (PLAYER_DIR / "player.css").read_text(),
                "data": json.loads(json.dumps(data)),
            },
        )
        poll(lambda: player_epoch(blank) is not None, 10, "the mounted player never drew its frame")
        return blank

    yield mount
    context.close()
    assert not errors, errors


def pixel(page, name: str, x: float, y: float) -> list[int]:
    """The colour at CSS pixel (x, y) of a player canvas."""
    return (
        player(page)
        .locator(f"canvas.{name}")
        .evaluate(
            """(canvas, [x, y]) => {
      const r = window.devicePixelRatio || 1;
      return [...canvas.getContext('2d').getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data];
    }""",
            [x, y],
        )
    )


def test_a_regression_plane_is_drawn_orange_to_blue_and_scored_with_r2(mounted):
    page = mounted(regression_data())
    drawn = canvas(page, "boundary")
    assert drawn["coloured"] > 0.5 * drawn["width"] * drawn["height"], drawn  # not blank: the whole plane coloured
    size = player(page).locator("canvas.boundary").bounding_box()["width"]
    left, middle, right = (pixel(page, "boundary", x, size * 0.15) for x in (6, size / 2, size - 6))
    assert left[0] > left[2] + 40, f"−1 should be orange: {left}"  # #f59322: red high, blue low
    assert right[2] > right[0] + 40, f"+1 should be blue: {right}"  # #0877bd
    assert min(middle[:3]) > 200, f"0 should be near white: {middle}"
    # Each point in the colour of its own value: the −1 point at (−4, 0) orange, the +1 point at (4, 0) blue.
    scale = lambda v: (v + EXTENT) / (2 * EXTENT) * size  # noqa: E731
    point_minus, point_plus = pixel(page, "boundary", scale(-4), size / 2), pixel(page, "boundary", scale(4), size / 2)
    assert point_minus[:3] == [245, 147, 34], point_minus
    assert point_plus[:3] == [8, 119, 189], point_plus
    stats = player(page).locator(".stats").inner_text()
    assert "Test R²" in stats and "0.875" in stats and "Test RMSE" in stats and "%" not in stats, stats


def test_dead_links_are_drawn_thin_dashed_grey_and_counted(mounted):
    page = mounted(regression_data())
    assert player(page).get_attribute("data-dead-links") == "3"
    # The dead link X1 → hidden 2 (kernel row 0, unit 1): grey along it, where a live link would be orange or blue.
    link = player(page).evaluate("""el => {
      const g = el.player.geometryNow, a = g.nodes[0][0], b = g.nodes[1][1];
      const at = t => ({x: a.x + g.node + t * (b.x - a.x - g.node), y: a.y + g.node / 2 + t * (b.y - a.y)});
      return [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6].map(at);
    }""")
    colours = [pixel(page, "network", p["x"], p["y"]) for p in link]
    grey = [c for c in colours if c[3] > 0 and abs(c[0] - c[2]) < 25 and c[0] < 235]
    blank = [c for c in colours if c[3] == 0 or min(c[:3]) > 235]
    assert grey and blank, f"a dashed grey line: some grey, some gaps: {colours}"
    player(page).locator("canvas.network").hover(position=link[3])
    assert "L1" in player(page).locator("canvas.network").get_attribute("title")


def test_a_click_on_the_paused_plane_is_returned_in_data_coordinates(mounted):
    page = mounted(regression_data())
    plane = player(page).locator("canvas.boundary")
    assert player(page).locator(".hint").is_visible()
    assert plane.evaluate("c => getComputedStyle(c).cursor") == "crosshair"
    size = plane.bounding_box()["width"]
    plane.click(position={"x": size / 4, "y": size / 4})
    plane.click(position={"x": size * 0.75, "y": size * 0.9})
    clicks = [value for name, value in page.evaluate("window.__triggers") if name == "click"]
    assert len(clicks) == 2, clicks
    assert clicks[0]["x1"] == pytest.approx(-EXTENT / 2, abs=0.1) and clicks[0]["x2"] == pytest.approx(
        EXTENT / 2, abs=0.1
    )
    assert clicks[1]["x1"] == pytest.approx(EXTENT / 2, abs=0.1) and clicks[1]["x2"] == pytest.approx(
        -0.8 * EXTENT, abs=0.1
    )
    assert clicks[1]["serial"] > clicks[0]["serial"]
    # Playing (or a page that cannot edit): clicks do nothing, and the hint goes.
    page.evaluate("data => window.__mount(data)", json.loads(json.dumps(regression_data(playing=True))))
    plane.click(position={"x": size / 2, "y": size / 2})
    assert len([1 for name, _ in page.evaluate("window.__triggers") if name == "click"]) == 2
    assert not player(page).locator(".hint").is_visible()


# ---------------------------------------------------------------------------------------------
# The Playground page: a weight set to 0 by hand is a dead link; clicks on the paused plane
# ---------------------------------------------------------------------------------------------


def test_a_weight_typed_as_zero_is_drawn_as_a_dead_link(page, server):
    open_player(page, server)
    assert player(page).get_attribute("data-dead-links") == "0"
    # A link into the output: the last hidden layer's first unit → the output, halfway along.
    spot = player(page).evaluate("""el => {
      const g = el.player.geometryNow, a = g.nodes[g.nodes.length - 2][0], b = g.nodes[g.nodes.length - 1][0];
      return {x: (a.x + g.node + b.x) / 2, y: (a.y + b.y) / 2 + g.node / 2};
    }""")
    type_weight(page, spot, "0")
    poll(lambda: player(page).get_attribute("data-dead-links") == "1", 30, "the weight set to 0 is not a dead link")
    assert_no_errors(page)


def click_plane(page, fraction_x: float, fraction_y: float) -> dict:
    """Click the paused player's plane at a fraction of its size; returns where that is in data coordinates."""
    plane = player(page).locator("canvas.boundary")
    size = plane.bounding_box()["width"]
    extent = player(page).evaluate("el => el.player.layout.extent")
    plane.click(position={"x": size * fraction_x, "y": size * fraction_y})
    return {"x1": (2 * fraction_x - 1) * extent, "x2": (1 - 2 * fraction_y) * extent}


def test_clicks_on_the_paused_plane_are_sent_by_the_player(page, server):
    open_player(page, server)
    poll(lambda: player(page).locator(".hint").is_visible(), 10, "no hint that a click adds a point")
    first = click_plane(page, 0.25, 0.3)
    wait_for_app(page)
    second = click_plane(page, 0.7, 0.8)
    wait_for_app(page)
    sent = json.loads(player(page).get_attribute("data-clicks"))
    assert len(sent) == 2, sent
    for click, expected in zip(sent, (first, second)):
        assert click["x1"] == pytest.approx(expected["x1"], abs=0.1) and click["x2"] == pytest.approx(
            expected["x2"], abs=0.1
        )
    assert_no_errors(page)


def test_two_clicks_on_the_paused_plane_add_two_points(page, server):
    """Needs the LEAD's wiring: the Playground adds `player(...).click` with nnlab.ui.points_editor.add_click."""
    open_player(page, server)
    before = int(player(page).get_attribute("data-points"))
    click_plane(page, 0.2, 0.2)
    poll(lambda: int(player(page).get_attribute("data-points")) == before + 1, 30, "the first click added no point")
    click_plane(page, 0.8, 0.7)
    poll(lambda: int(player(page).get_attribute("data-points")) == before + 2, 30, "the second click added no point")
    assert_no_errors(page)


def test_an_embedded_lesson_link_hides_the_chrome_the_title_and_the_points_and_keeps_embed(page, server):
    """TF Playground's hideText in an LMS frame: Streamlit's ?embed=true with hide=text,points. The page
    rewrites its link on every run; Streamlit must keep embed=true in it, and the plane takes no clicks."""
    open_player(page, server, SPIRAL + "&embed=true&hide=text,points")
    assert not page.locator("h1").count()
    assert not page.get_by_test_id("stToolbar").is_visible()
    poll(lambda: not player(page).locator(".hint").is_visible(), 10, "the plane offers clicks the link hid")
    play = keyed_button(page, "playground.play")
    play.click()
    poll(lambda: (player_epoch(page) or 0) > 5, 60, "Play did not train in the embedded page")
    play.click()  # pause
    poll(lambda: "Play" in play.inner_text(), 15, "Pause did not turn back into Play")
    assert not player(page).locator(".hint").is_visible()  # paused, and still no clicks offered
    assert "embed=true" in page.url and "hide=text%2Cpoints" in page.url.replace(",", "%2C"), page.url
    assert_no_errors(page)


# ---------------------------------------------------------------------------------------------
# Readable from the back of the room (issue 20): strong regions, the colour key, training points on top
# ---------------------------------------------------------------------------------------------

# Mean HSV saturation of a plane's pixels, and the share of pixels at least 0.5 saturated.
SATURATION = """(canvas, size) => {
  const r = window.devicePixelRatio || 1, n = Math.round(size * r);
  const data = canvas.getContext('2d').getImageData(0, 0, n, n).data;
  let total = 0, strong = 0, count = 0;
  for (let i = 0; i < data.length; i += 4) {
    const hi = Math.max(data[i], data[i + 1], data[i + 2]), lo = Math.min(data[i], data[i + 1], data[i + 2]);
    const s = hi ? (hi - lo) / hi : 0;
    total += s; strong += s >= 0.5 ? 1 : 0; count++;
  }
  return {mean: total / count, strong: strong / count};
}"""


def plane_saturation(page) -> dict:
    plane = player(page).locator("canvas.boundary")
    return plane.evaluate(SATURATION, plane.bounding_box()["width"])


def classification_data(probabilities: np.ndarray, train: list[tuple], test: list[tuple]) -> dict:
    """The player on its own for a k-class lab: the plane coloured by `probabilities` (r, r, k), rows from the top;
    points as (x1, x2, class). Labels as nnlab.ui.player_widget.player_labels gives them in English."""

    r, k = probabilities.shape[0], probabilities.shape[-1]
    probe = ProbeLayout(r, 0, binary=k == 2)

    def split(rows):
        return (np.array([row[:2] for row in rows], np.float32).reshape(-1, 2), np.array([row[2] for row in rows], int))

    points = Dataset("toy", *split(train), *split(test), tuple(f"class {c}" for c in range(k)))
    labels = {"epoch": "Epoch", "replay": "Replay"} | {
        key: text(f"boundary_{key}", "en") for key in ("key_two", "key_classes", "key_paler", "key_value")
    }
    layout = player_layout(probe, EXTENT, points, True, labels)
    shares = probabilities[..., 1:] if k == 2 else probabilities
    frame = Frame(
        0,
        0,
        (0.1, 0.95, 0.1, 0.95),
        np.rint(shares * 255).astype(np.uint8),
        np.zeros(0, np.uint8),
        np.zeros(0, np.float16),
    )
    return {
        "run": "c",
        "upto": 0,
        "playing": False,
        "pace": 30,
        "editable": False,
        "layout": layout,
        "frames": [encode_frame(frame)],
        "locale": "en",
    }


def circle_probabilities(r: int = 20) -> np.ndarray:
    """A trained circle: class 1 sure inside radius 3, class 0 sure outside, a narrow band between."""
    centres = (np.arange(r) + 0.5) / r * 2 * EXTENT - EXTENT
    x1, x2 = np.meshgrid(centres, centres[::-1])
    p1 = 1 / (1 + np.exp(4 * (np.hypot(x1, x2) - 3)))
    return np.stack([1 - p1, p1], axis=-1)


def expected_cell(probabilities: np.ndarray) -> np.ndarray:
    """What nnlab.viz.images draws for these probabilities, quantised to bytes as the frames carry them."""
    k = probabilities.shape[-1]
    if k == 2:
        p1 = np.rint(probabilities[..., 1] * 255) / 255
        probabilities = np.stack([1 - p1, p1], axis=-1)
    else:
        probabilities = np.rint(probabilities * 255) / 255
    return probabilities_rgb(probabilities).astype(int)


@pytest.mark.parametrize("k", [2, 3])
def test_the_players_plane_is_the_static_charts_colours_and_strong_where_sure(mounted, k):
    if k == 2:
        probabilities = circle_probabilities()
    else:  # three sure regions side by side, with unsure bands between
        columns = np.linspace(0, 1, 20)
        logits = np.stack([-12 * (columns - c) ** 2 * 10 for c in (0.1, 0.5, 0.9)], axis=-1)
        row = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
        probabilities = np.tile(row, (20, 1, 1))
    page = mounted(classification_data(probabilities, train=[], test=[]))
    size = player(page).locator("canvas.boundary").bounding_box()["width"]
    cell = size / 20
    expected = expected_cell(probabilities)
    for row, column in [(0, 0), (10, 10), (10, 6), (5, 14), (19, 3), (9, 9), (10, 13)]:
        drawn = pixel(page, "boundary", (column + 0.5) * cell, (row + 0.5) * cell)[:3]
        assert np.abs(np.array(drawn) - expected[row, column]).max() <= 4, (row, column, drawn, expected[row, column])
    seen = plane_saturation(page)
    assert seen["mean"] >= 0.5 and seen["strong"] >= 0.6, seen


def test_training_points_are_drawn_over_test_points_larger_and_ringed_white(mounted):
    ground = np.zeros((20, 20, 2))
    ground[..., 0] = 0.98  # class 0 (orange) sure everywhere
    ground[..., 1] = 0.02
    # A training point (class 1) exactly on a test point (class 0); a lone test and a lone training point of class 1.
    page = mounted(
        classification_data(ground, train=[(0.0, 0.0, 1), (-3.0, -3.0, 1)], test=[(0.0, 0.0, 0), (3.0, 3.0, 1)])
    )
    size = player(page).locator("canvas.boundary").bounding_box()["width"]
    at = lambda x1, x2: ((x1 + EXTENT) / (2 * EXTENT) * size, (EXTENT - x2) / (2 * EXTENT) * size)  # noqa: E731
    blue = list(rgb(TF_BLUE))
    assert pixel(page, "boundary", *at(0, 0))[:3] == blue, "the training point is not on top of the test point"
    assert pixel(page, "boundary", *at(-3, -3))[:3] == blue  # training points: full colour
    lone_test = pixel(page, "boundary", *at(3, 3))[:3]
    assert lone_test != blue and lone_test[2] > lone_test[0], f"a test point is lighter, still blue: {lone_test}"
    floor = [int(v) for v in expected_cell(ground)[0, 0]]
    # 5 px right of each centre: on a training point's white ring, beside a (smaller) test point's.
    x, y = at(-3, -3)
    ring = max((pixel(page, "boundary", x + dx, y)[:3] for dx in (4.5, 5, 5.5)), key=min)  # its lightest
    assert min(ring) > min(floor) + 80, f"no white ring around the training point: {ring} on {floor}"
    x, y = at(3, 3)
    beside = pixel(page, "boundary", x + 5, y)[:3]
    assert np.abs(np.array(beside) - floor).max() <= 6, (
        f"a test point as large as a training point: {beside} vs {floor}"
    )


def test_a_colour_key_under_the_plane_says_what_the_shades_mean(mounted):
    page = mounted(classification_data(circle_probabilities(), train=[(0.0, 0.0, 1)], test=[]))
    box = player(page).locator("canvas.boundary").bounding_box()
    size = box["width"]
    assert box["height"] >= size + 25, f"no room for the key under the plane: {box}"
    key_y = size + 9  # the bar's middle row (player.js: drawKey, 4 px under the plane, 10 px high)
    left, middle, right = (pixel(page, "boundary", x, key_y)[:3] for x in (26, size / 2, size - 26))
    assert left[0] > left[2] + 80, f"the bar's 0 end is not orange: {left}"
    assert right[2] > right[0] + 80, f"the bar's 1 end is not blue: {right}"
    assert min(middle) > 235, f"p = 0.5 is white: {middle}"
    # Its words: some dark text pixels in the row under the bar (the title).
    words = (
        player(page)
        .locator("canvas.boundary")
        .evaluate(
            """(canvas, [top, width]) => {
      const r = window.devicePixelRatio || 1;
      const data = canvas.getContext('2d').getImageData(0, Math.round(top * r), Math.round(width * r),
                                                         Math.round(16 * r)).data;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && data[i] < 120) dark++;
      return dark;
    }""",
            [size + 15, size],
        )
    )
    assert words > 30, "no title under the colour bar"


def test_a_trained_playground_boundary_is_strongly_coloured(page, server):
    open_player(
        page, server, "/Playground?dataset=circle&features=x1,x2,x1%5E2,x2%5E2&hidden_layers=4:tanh&epochs=100&seed=1"
    )
    before = plane_saturation(page)
    keyed_button(page, "playground.play").click()
    poll(lambda: (player_epoch(page) or 0) >= 100, 60, "the circle never reached epoch 100")
    wait_for_app(page)
    after = plane_saturation(page)
    page.screenshot(path=str(Path(__file__).resolve().parents[1] / "artifacts" / "player-circle-trained.png"))
    assert after["mean"] >= 0.45 and after["strong"] >= 0.5, (before, after)
    assert_no_errors(page)
