"""The browser's player: frames recorded while the server trains, drawn at a steady pace in the browser.

A `st.components.v2` component (inline JS and CSS read from the files beside this one, no
iframe, no build step) keeps its node across reruns; each rerun hands it the frames it has
not had yet. It reports `ready` once mounted: from then on this browser draws the boundary
and the network itself, and the page skips its static pictures (AppTest, which runs no
JavaScript, and a browser still loading the component keep them).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from nnlab.frames import FrameLog, encode_frame, frames_to_send
from nnlab.ui.controls import control
from nnlab.ui.i18n import language, t
from nnlab.ui.links import linked, one_of

if TYPE_CHECKING:  # the race imports TensorFlow; this module must not
    from nnlab.race import RaceFrames

HERE = Path(__file__).parent
PLAYER = st.components.v2.component(
    "nnlab_player",
    js=(HERE / "player.js").read_text(),
    css=(HERE / "player.css").read_text(),
)
PACES = (10, 30, 100, 300, 0)  # epochs per second the player shows; 0: as fast as training goes
DEFAULT_PACE = 30  # TF Playground's pace: every epoch drawn
MAX_FRAMES_PER_SECOND = 30  # faster paces record every k-th epoch instead of more frames


def pace_control(page: str) -> int:
    """The Speed control (epochs per second, 0 = fastest), kept in the link as `v.pace`; a lesson link can hide it."""
    key = linked(page, "pace", DEFAULT_PACE, one_of(PACES, int))
    value = control(
        page,
        "pace",
        lambda: st.segmented_control(
            t("pace"), PACES, format_func=_pace_label, key=key, help=t("pace_help"), required=True
        ),
    )
    return DEFAULT_PACE if value is None else value


def _pace_label(pace: int) -> str:
    return t("pace_fastest") if pace == 0 else t("pace_value", pace=pace)


def record_every(pace: int, epochs_per_second: float) -> int:
    """k: record every k-th epoch, so the player gets at most ~30 frames a second."""
    rate = pace if pace > 0 else epochs_per_second
    return max(1, math.ceil(rate / MAX_FRAMES_PER_SECOND))


def player_labels() -> dict[str, str]:
    """The player's own texts (nnlab/locales/*/player.toml, boundary.toml) under the layout's label keys; a page's
    labels win.

    `dead_links` keeps its `{n}`: the player fills in the count of the frame on screen.
    """
    return {
        "train_r2": t("player_train_r2"),
        "test_r2": t("player_test_r2"),
        "test_rmse": t("player_test_rmse"),
        "click_help": t("player_click_help"),
        "dead_links": t("player_dead_links", n="{n}"),
        "dead_link": t("player_dead_link_help"),
        # The colour key under the plane (nnlab/locales/*/boundary.toml).
        "key_two": t("boundary_key_two"),
        "key_classes": t("boundary_key_classes"),
        "key_paler": t("boundary_key_paler"),
        "key_value": t("boundary_key_value"),
    }


def player(page: str, log: FrameLog | RaceFrames, layout: dict, playing: bool, pace: int, editable: bool):
    """Mount the player and hand it the frames it lacks; returns its result (`ready`, `edit`, `history`, `click`).

    `click`: None, or where the student clicked on the paused plane, `{"x1", "x2", "serial"}` in data
    coordinates, once per click (a serial already returned is not returned again).
    """
    key = f"{page}.player"
    state = st.session_state.setdefault(f"{key}.sent", {"log": None, "serial": -1})
    layout = layout | {"labels": player_labels() | layout.get("labels", {})}
    if state["log"] != log.run_id:  # a new run (Reset) or a new model: the browser starts over
        state.update(log=log.run_id, serial=-1)
    frames = frames_to_send(log.since(state["serial"]))
    newest = log.newest_serial
    if not playing and not frames and newest >= 0:
        # Stopped with everything sent: the model as it is goes along again (the browser drops a frame it has),
        # so a message lost to a page rerun cannot leave the picture short of the last epoch.
        frames = log.since(newest - 1)
    if frames:
        state["serial"] = frames[-1].serial
    # `upto`: the newest frame the server has, sent or still waiting. A stopped player asks for the
    # rest, so a backlog never strands it short of the last epoch once the ticks have ended.
    data = {
        "run": log.run_id,
        "upto": newest,
        "playing": playing,
        "pace": pace,
        "editable": editable,
        "layout": layout,
        "frames": [encode_frame(f) for f in frames],
        "locale": language(),  # the player writes its numbers as the page does
    }
    result = PLAYER(
        key=key,
        data=data,
        on_ready_change=_ignore,
        on_edit_change=_ignore,
        on_history_change=_ignore,
        on_click_change=_ignore,
    )
    result["click"] = _new_click(state, result.get("click"))
    if isinstance(result.history, int) and -1 <= result.history < newest:
        # The browser lacks frames after its newest (a reopened page, a message lost to a rerun, frames
        # still waiting when the run stopped): send them.
        state["serial"] = min(result.history, state["serial"])
        # In a whole-page run (the rerun after a run stops by itself, say) Streamlit refuses a fragment rerun,
        # and rerunning the page would only meet the same report again: the browser asks again within
        # ASK_AGAIN_MS, from inside the fragment, and that run sends the frames.
        if in_fragment_run():
            st.rerun(scope="fragment")
    return result


def in_fragment_run() -> bool:
    """Whether this script run reruns fragments only (where st.rerun(scope="fragment") is allowed)."""
    ctx = get_script_run_ctx()
    return ctx is not None and bool(ctx.fragment_ids_this_run)


def rerun_fragment() -> None:
    """Rerun the fragment this code runs in; during a whole-page run, the page.

    The player runs inside the live fragment, and that fragment also runs as part of a page run, where
    Streamlit refuses scope="fragment" with an error box on the page.
    """
    st.rerun(scope="fragment" if in_fragment_run() else "app")


def _new_click(state: dict, click: object) -> dict | None:
    """A click on the plane not returned before, with its coordinates as numbers; None otherwise."""
    if not isinstance(click, dict):
        return None
    try:
        x1, x2, serial = float(click["x1"]), float(click["x2"]), int(click["serial"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(x1) and math.isfinite(x2)) or serial <= state.get("click", -1):
        return None
    state["click"] = serial
    return {"x1": x1, "x2": x2, "serial": serial}


def _ignore() -> None:
    """Events are read from the component's result; a callback only has to exist."""
