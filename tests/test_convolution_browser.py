"""The Convolution page in a real headless Chromium: the first-layer filters the player draws change while the
network trains (the browser draws the frames the server records; nothing here sleeps, every wait polls)."""

from __future__ import annotations

from browsertools import CANVAS_PIXELS, assert_no_errors, keyed_button, open_page, player, player_epoch, poll

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
