"""The player in a real headless Chromium: frames go forward every epoch, replay, weights typed by hand, a phone.

The server trains and records frames; the browser draws them (nnlab/ui/player.js). These
tests read what the browser drew: the player's `data-epoch` and the pixels of its canvases.
Speed is measured in bench/live.py, not here: these tests poll for conditions, never time them.
"""

from __future__ import annotations

from browsertools import (  # noqa: F401  (fixtures are used by name)
    CANVAS_PIXELS, WATCH_PLAYER, assert_no_errors, browser, chromium, keyed_button, open_page, page, player,
    player_epoch, poll, server,
)

SPIRAL = "/Playground?dataset=spiral&samples=200&hidden_layers=8:tanh,8:tanh&seed=3"


def canvas(page, name: str) -> dict:
    return player(page).locator(f"canvas.{name}").evaluate(CANVAS_PIXELS)


def open_player(page, server, path: str = SPIRAL) -> None:
    open_page(page, server, path)
    poll(lambda: player_epoch(page) is not None, 60, "the player never drew its first frame")


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
    poll(lambda: (e := player_epoch(page)) == player_epoch(page) and _still(page, e), 15, "still moving after Pause")
    paused = player_epoch(page)
    assert paused >= 45

    # Replay: the scrubber shows any recorded epoch; the model itself stays where it is.
    scrubber = player(page).locator("input.scrub")
    scrubber.fill("0")
    poll(lambda: player_epoch(page) == 0, 10, "the scrubber did not go back to epoch 0")
    scrubber.fill(scrubber.get_attribute("max"))
    poll(lambda: player_epoch(page) == paused, 10, "the scrubber did not come back to the last frame")
    assert_no_errors(page)


def _still(page, epoch: int) -> bool:
    page.wait_for_timeout(400)
    return player_epoch(page) == epoch


def test_a_weight_typed_into_the_network_changes_the_boundary_and_step_trains_on(page, server):
    open_player(page, server)
    boundary = canvas(page, "boundary")
    # The output neuron's bias square sits at its lower left corner (player.js: drawNetwork).
    spot = player(page).evaluate("""el => {
      const g = el.player.geometryNow, out = g.nodes[g.nodes.length - 1][0];
      return {x: out.x, y: out.y + g.node};
    }""")
    player(page).locator("canvas.network").click(position=spot)
    editor = player(page).locator("input.edit")
    editor.wait_for(state="visible")
    editor.fill("6")
    editor.press("Enter")
    poll(lambda: canvas(page, "boundary")["fingerprint"] != boundary["fingerprint"], 30,
         "the boundary did not change after the output bias was set to 6")
    assert player_epoch(page) == 0
    keyed_button(page, "playground.step").click()
    poll(lambda: player_epoch(page) == 1, 30, "Step did not train on from the edited weights")
    assert_no_errors(page)


def test_on_a_phone_the_player_and_play_are_on_the_first_screen(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="en-US")
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
