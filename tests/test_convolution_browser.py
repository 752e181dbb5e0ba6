"""The Convolution page in a real headless Chromium: the first-layer filters the player draws change while the
network trains (the browser draws the frames the server records; nothing here sleeps, every wait polls)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from browsertools import CANVAS_PIXELS, assert_no_errors, keyed_button, open_page, player, player_epoch, poll
from test_player_browser import MOUNT, PLAYER_DIR, pixel

from nnlab.frames import Frame, ProbeLayout, encode_frame
from nnlab.viz.player import tiles_layout

# The 8×8 digits work offline; 1,000 training images and a short run keep it quick on two cores.
DIGITS = "/Convolution?dataset=digits&samples=1200&epochs=60"


def filters(page) -> dict:
    return player(page).locator("canvas.boundary").evaluate(CANVAS_PIXELS)


def test_the_filter_pictures_change_while_training(page, server):
    open_page(page, server, DIGITS)
    poll(lambda: player_epoch(page) is not None, 60, "the player never drew its first frame")
    assert player_epoch(page) == 0
    first = filters(page)
    assert first["coloured"] > 0.3 * first["width"] * first["height"], first  # eight tiles, not a blank canvas
    keyed_button(page, "conv.play").click()
    early = poll(lambda: (player_epoch(page) or 0) >= 3 and filters(page), 60, "no frame of epoch 3")
    assert early["fingerprint"] != first["fingerprint"], "the filters did not change after three epochs"
    epoch = player_epoch(page)
    later = poll(
        lambda: (player_epoch(page) or 0) > epoch + 5 and filters(page), 60, "the player stopped before the limit"
    )
    assert later["fingerprint"] != early["fingerprint"], "the filters stood still while training went on"
    assert_no_errors(page)


@pytest.fixture
def blank(browser):
    """A blank page to mount player.js on, as tests/test_player_browser.py does; no script error allowed."""
    context = browser.new_context(viewport={"width": 1000, "height": 800}, locale="en-US")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def mount(page, data: dict):
    files = {name: (PLAYER_DIR / f"player.{name}").read_text() for name in ("js", "css")}
    page.evaluate(MOUNT, files | {"data": json.loads(json.dumps(data))})
    poll(lambda: player_epoch(page) is not None, 10, "the mounted player never drew its frame")
    return page


def test_colour_filters_are_drawn_in_their_own_colours(blank):
    """A CIFAR-10 network's filters come as RGB bytes: a red filter is drawn red, a blue one blue (grey filters
    keep the orange-blue diverging colours of a weight)."""
    probe = ProbeLayout(0, 0, binary=False, tiles=3, weights=False, filters=True)
    layout = tiles_layout(probe, 2, {"epoch": "Epoch"}, ("epoch",), channels=3)
    red, blue = np.zeros((3, 3, 3), np.uint8), np.zeros((3, 3, 3), np.uint8)
    red[..., 0], blue[..., 2] = 255, 255
    frame = Frame(0, 1, (1.0, 0.5, 1.0, 0.5), np.zeros((0, 0, 1), np.uint8), np.stack([red, blue]), np.zeros(0))
    data = {"run": "r", "upto": 0, "playing": False, "pace": 30, "editable": False, "layout": layout}
    page = mount(blank, data | {"frames": [encode_frame(frame)], "locale": "en"})
    width = player(page).locator("canvas.boundary").evaluate("canvas => canvas.getBoundingClientRect().width")
    cell = (width - 4) / 2  # two tiles side by side, 4 px apart (player.js drawTiles)
    assert pixel(page, "boundary", cell / 2, cell / 2)[:3] == [255, 0, 0]
    assert pixel(page, "boundary", cell + 4 + cell / 2, cell / 2)[:3] == [0, 0, 255]
