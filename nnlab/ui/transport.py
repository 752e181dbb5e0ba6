"""The live-training transport every lab shares: Play / Pause / Step / Reset and a live fragment.

Training runs in bounded chunks inside `st.fragment(run_every=...)`, never in one blocking
`fit`: a closed tab stops costing CPU and buttons stay responsive. One per-session lock keeps
overlapping reruns apart; each chunk waits its turn in the server's fair queue (ui/slots.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import streamlit as st

from nnlab.limits import WORK_CAP, epoch_cap
from nnlab.train import Trainer
from nnlab.ui.i18n import error_text, number, t
from nnlab.ui.player_widget import DEFAULT_PACE, pace_control, record_every, rerun_fragment
from nnlab.ui.run_history import log_finished
from nnlab.ui.slots import drawing_slots, still_here, training_queue

CHUNK_SECONDS = 0.35  # training per tick for a small class (a big one gets less: nnlab.schedule)
TICK_SECONDS = 0.2
# With a player the browser animates: a tick hands it half a second of frames, trained ahead by
# LEAD_SECONDS so its queue never runs dry between ticks.
PLAYER_TICK_SECONDS = 0.5
LEAD_SECONDS = 0.8


def transport_state(key: str) -> dict:
    """A lab's transport: playing, a Step asked for, the pace, and the lock its model is changed under."""
    return st.session_state.setdefault(f"{key}.transport", {"playing": False, "step": False, "lock": threading.Lock()})


def stop(key: str) -> None:
    """Pause training (used when the model is replaced)."""
    transport_state(key)["playing"] = False


def _set_playing(key: str, playing: bool) -> None:
    """Play or Pause as the button read when it was pressed, never a toggle.

    Streamlit 1.67 can run one press's callback twice: a press landing during a live tick ran in that
    fragment run and again in the page run that followed it (about one Pause in thirty during the
    Optimizers race). A toggle then undid the student's Pause; setting the state is the same twice.
    """
    transport_state(key)["playing"] = playing
    transport_state(key)["clock"] = None  # the pace is counted from this press


def is_playing(key: str) -> bool:
    return transport_state(key)["playing"]


def pace(key: str) -> int:
    """The player's pace in epochs per second (0: as fast as training goes)."""
    value = transport_state(key).get("pace")
    return DEFAULT_PACE if value is None else value


def edit_weight(key: str, trainer: Trainer, edit: object) -> None:
    """A weight typed into the paused player goes into the model; the player then shows the new boundary."""
    if transport_state(key)["playing"]:
        return
    try:
        layer, row, unit, value = (edit[name] for name in ("layer", "row", "unit", "value"))
        with transport_state(key)["lock"]:
            trainer.set_weight(int(layer), None if int(row) < 0 else int(row), int(unit), float(value))
    except (KeyError, TypeError, ValueError) as error:
        st.toast(t("edit_weight_failed", error=error_text(error)), icon="⚠️")
        return
    rerun_fragment()


def _request_step(key: str) -> None:
    transport_state(key).update(step=True, playing=False)


def _reset(key: str, trainer: Trainer) -> None:
    with transport_state(key)["lock"]:
        trainer.reset()
    transport_state(key)["playing"] = False


def transport(key: str, trainer: Trainer, pace: bool = False) -> None:
    """Play/Pause, Step and Reset buttons in one row that wraps on a phone; their callbacks run before
    the page redraws. `pace`: the player's Speed control beside them (epochs per second)."""
    playing = transport_state(key)["playing"]
    row = st.container(horizontal=True, vertical_alignment="bottom")
    play, step, reset = row, row, row
    play.button(
        t("pause") if playing else t("play"),
        key=f"{key}.play",
        on_click=_set_playing,
        args=(key, not playing),
        help=t("play_help"),
        type="primary",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        width="stretch",
    )
    step.button(
        t("step"),
        key=f"{key}.step",
        on_click=_request_step,
        args=(key,),
        help=t("step_help"),
        icon=":material/skip_next:",
        width="stretch",
    )
    reset.button(
        t("reset"),
        key=f"{key}.reset",
        on_click=_reset,
        args=(key, trainer),
        help=t("reset_help"),
        icon=":material/restart_alt:",
        width="stretch",
    )
    if pace:
        with row:
            transport_state(key)["pace"] = pace_control(key)


def live_training(
    key: str, trainer: Trainer, max_epochs: int, render: Callable[[Trainer], None], experiment=None
) -> None:
    """Train a chunk per tick while playing (one epoch on Step), then `render` the trainer.

    A run stops at the server's work cap (nnlab.limits) even if its epoch limit is higher; the page says so.
    With `experiment`, a run that finishes goes into the session's run history (the Runs page).
    """
    cap = epoch_cap(trainer.examples_per_epoch)
    if max_epochs > cap:
        st.warning(t("work_capped", cap=cap, limit=number(WORK_CAP, ","), epochs=max_epochs), icon="⏱️")
        max_epochs = cap
    state = transport_state(key)
    paced = state.get("pace") is not None
    every = (PLAYER_TICK_SECONDS if paced else TICK_SECONDS) if state["playing"] else None

    @st.fragment(run_every=every)
    def tick() -> None:
        if state["step"] or state["playing"]:
            _train_once(state, trainer, max_epochs)
            if experiment is not None and (trainer.epoch >= max_epochs or trainer.stopped_reason):
                log_finished(key, state, trainer, experiment)
        # Drawing is Python (charts to Vega-Lite JSON) and holds the GIL: two at a time server-wide,
        # so a class of students drawing at once leaves the event loop its turn.
        with drawing_slots():
            start = time.perf_counter()
            render(trainer)
            state["render_seconds"] = time.perf_counter() - start
        if every is not None and not state["playing"]:
            # Stopped by itself: redraw the Play button and end the ticking now. Waiting for one more
            # timer tick lost the rerun whenever that tick was lost; the rerun's player is sent the
            # newest frame again, so no frame is lost either way.
            st.rerun()

    tick()


def _train_once(state: dict, trainer: Trainer, max_epochs: int) -> None:
    stepping = state["step"]
    epochs = 1 if stepping else max_epochs - trainer.epoch
    state["step"] = False
    if epochs <= 0 or trainer.stopped_reason:
        state["playing"] = False
        return
    # Everyone waits their turn, a Step included; nobody is told the server is busy.
    with training_queue().turn(still_here()) as turn:
        if turn is None:  # the tab was closed while it waited
            return
        with state["lock"]:
            if state.get("pace") is not None and not stepping:
                _train_paced(state, trainer, epochs, turn.seconds(CHUNK_SECONDS))
            else:
                # Train at least as long as drawing takes, so drawing never costs more than half the time.
                seconds = turn.seconds(CHUNK_SECONDS)
                trainer.run(epochs, max_seconds=max(seconds, min(state.get("render_seconds", 0.0), CHUNK_SECONDS)))
    if trainer.stopped_reason or trainer.epoch >= max_epochs:
        state["playing"] = False
        trainer.record_final()  # the player's last frame is the epoch the page says it stopped at


def _train_paced(state: dict, trainer: Trainer, epochs_left: int, seconds: float = CHUNK_SECONDS) -> None:
    """Train to where the browser's player will be LEAD_SECONDS from now at the chosen pace (0: flat out).

    The recorder keeps every k-th epoch, k chosen so the player gets about 30 frames a second.
    `seconds`: the training turn's length (shorter when many students are training).
    """
    pace, now = state["pace"], time.monotonic()
    speed = trainer.epochs_per_second or 100.0
    trainer.record_every(record_every(pace, speed * seconds / PLAYER_TICK_SECONDS))
    if pace == 0:
        trainer.run(epochs_left, max_seconds=seconds)
        return
    clock = state.get("clock")
    if clock is None or clock[2] != pace or clock[1] + pace * (now - clock[0]) - trainer.epoch > 3 * pace:
        clock = state["clock"] = (now, trainer.epoch, pace)  # (re)start counting: Play, a new pace, or far behind
    target = clock[1] + int(pace * (now - clock[0] + LEAD_SECONDS))
    epochs = min(epochs_left, target - trainer.epoch)
    if epochs > 0:
        trainer.run(epochs, max_seconds=seconds)


def training_status(trainer: Trainer, max_epochs: int) -> None:
    """Why training stopped, if it did: divergence or the epoch limit.

    Always one element, a message or an empty slot: what follows keeps its place in the page, so the
    player below it is never re-created (and never shown twice) when the message comes or goes.
    """
    slot = st.empty()
    if trainer.stopped_reason == "diverged":
        slot.error(t("diverged", epoch=trainer.epoch + 1, lr=trainer.train_spec.learning_rate), icon="⚠️")
    elif trainer.epoch >= max_epochs:
        slot.info(t("finished", epochs=max_epochs))
    elif trainer.epoch == 0:
        slot.caption(t("untrained"))
