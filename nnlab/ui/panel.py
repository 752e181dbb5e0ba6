"""The live-training transport every lab shares: Play / Pause / Step / Reset and a live fragment.

Training runs in bounded chunks inside `st.fragment(run_every=...)`, never in one blocking
`fit`: a closed tab stops costing CPU and buttons stay responsive. One per-session lock keeps
overlapping reruns apart, and a server-wide fair queue (nnlab.schedule) hands a crowded
classroom its chunks in turn: smaller chunks for a bigger class, and nobody turned away.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st

from nnlab.limits import WORK_CAP, epoch_cap, within_cap
from nnlab.schedule import FairQueue
from nnlab.train import Trainer
from nnlab.ui.chartview import altair_spec, show_chart
from nnlab.ui.i18n import error_text, failure_text, language, number, t

CHUNK_SECONDS = 0.35  # training per tick for a small class (a big one gets less: nnlab.schedule)
TICK_SECONDS = 0.2
# With a player the browser animates: a tick hands it half a second of frames, trained ahead by
# LEAD_SECONDS so its queue never runs dry between ticks.
PLAYER_TICK_SECONDS = 0.5
LEAD_SECONDS = 0.8
CONCURRENT_TRAININGS = 2  # one per core on a teacher's laptop
CONCURRENT_BUILDS = 1


@st.cache_resource
def training_queue() -> FairQueue:
    return FairQueue(CONCURRENT_TRAININGS)


@st.cache_resource
def _build_slots() -> threading.BoundedSemaphore:
    # One build at a time: tracing is Python holding the GIL, so two at once finish no sooner and
    # leave the event loop half the turns.
    return threading.BoundedSemaphore(CONCURRENT_BUILDS)


@st.cache_resource
def _drawing_slots() -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(CONCURRENT_TRAININGS)


@contextmanager
def building(message: str | None = None) -> Iterator[None]:
    """A spinner while a model is built, at most two builds at a time server-wide.

    Building traces TensorFlow graphs in Python and holds the GIL almost throughout: ten students
    opening a lab at once starved the server's event loop (health checks took over a second).
    A build waiting for its turn holds nothing.
    """
    with st.spinner(message or t("building")), _build_slots():
        yield


def _still_here() -> Callable[[], bool]:
    """Whether this browser tab is still connected (a closed tab leaves the training queue at once)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():  # AppTest: no server, nobody leaves
        return lambda: True
    runtime = Runtime.instance()
    return lambda: runtime.is_active_session(ctx.session_id)


def _state(key: str) -> dict:
    return st.session_state.setdefault(f"{key}.transport", {"playing": False, "step": False, "lock": threading.Lock()})


def stop(key: str) -> None:
    """Pause training (used when the model is replaced)."""
    _state(key)["playing"] = False


def _toggle_play(key: str) -> None:
    _state(key)["playing"] = not _state(key)["playing"]
    _state(key)["clock"] = None  # the pace is counted from this press


def is_playing(key: str) -> bool:
    return _state(key)["playing"]


def pace(key: str) -> int:
    """The player's pace in epochs per second (0: as fast as training goes)."""
    from nnlab.ui.player_widget import DEFAULT_PACE

    value = _state(key).get("pace")
    return DEFAULT_PACE if value is None else value


def edit_weight(key: str, trainer: Trainer, edit: object) -> None:
    """A weight typed into the paused player goes into the model; the player then shows the new boundary."""
    if _state(key)["playing"]:
        return
    try:
        layer, row, unit, value = (edit[name] for name in ("layer", "row", "unit", "value"))
        with _state(key)["lock"]:
            trainer.set_weight(int(layer), None if int(row) < 0 else int(row), int(unit), float(value))
    except (KeyError, TypeError, ValueError) as error:
        st.toast(t("edit_weight_failed", error=error_text(error)), icon="⚠️")
        return
    from nnlab.ui.player_widget import rerun_fragment

    rerun_fragment()


def _request_step(key: str) -> None:
    _state(key).update(step=True, playing=False)


def _reset(key: str, trainer: Trainer) -> None:
    with _state(key)["lock"]:
        trainer.reset()
    _state(key)["playing"] = False


def transport(key: str, trainer: Trainer, pace: bool = False) -> None:
    """Play/Pause, Step and Reset buttons in one row that wraps on a phone; their callbacks run before
    the page redraws. `pace`: the player's Speed control beside them (epochs per second)."""
    from nnlab.ui.player_widget import pace_control

    playing = _state(key)["playing"]
    row = st.container(horizontal=True, vertical_alignment="bottom")
    play, step, reset = row, row, row
    play.button(
        t("pause") if playing else t("play"),
        key=f"{key}.play",
        on_click=_toggle_play,
        args=(key,),
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
            _state(key)["pace"] = pace_control(key)


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
    state = _state(key)
    paced = state.get("pace") is not None
    every = (PLAYER_TICK_SECONDS if paced else TICK_SECONDS) if state["playing"] else None

    @st.fragment(run_every=every)
    def tick() -> None:
        if state["step"] or state["playing"]:
            _train_once(state, trainer, max_epochs)
            if experiment is not None and (trainer.epoch >= max_epochs or trainer.stopped_reason):
                _log_finished(key, state, trainer, experiment)
        # Drawing is Python (charts to Vega-Lite JSON) and holds the GIL: two at a time server-wide,
        # so a class of students drawing at once leaves the event loop its turn.
        with _drawing_slots():
            start = time.perf_counter()
            render(trainer)
            state["render_seconds"] = time.perf_counter() - start
        if every is not None and not state["playing"]:
            # Stopped by itself: redraw the Play button and end the ticking now. Waiting for one more
            # timer tick lost the rerun whenever that tick was lost; the rerun's player is sent the
            # newest frame again, so no frame is lost either way.
            st.rerun()

    tick()


RUNS_KEY = "nnlab.runs"
SESSION_RUNS = 200  # a session's history is bounded like everything else on a shared server


def session_runs() -> list:
    """This session's finished runs, oldest first (all labs)."""
    return st.session_state.setdefault(RUNS_KEY, [])


def _log_finished(key: str, state: dict, trainer: Trainer, experiment) -> None:
    """Record a run once when it finishes (epoch limit or divergence)."""
    from nnlab.runlog import record_run

    # Not id(trainer): a rebuilt lab's trainer can reuse a freed one's id. A weak reference, the trainer's
    # restart count (Reset) and the epoch say "this very run, already logged".
    logged = state.get("logged")
    if logged is not None and logged[0]() is trainer and logged[1:] == (trainer.restarts, trainer.epoch):
        return
    state["logged"] = (weakref.ref(trainer), trainer.restarts, trainer.epoch)
    record = record_run(key, experiment, trainer)
    if record is not None:
        runs = session_runs()
        runs.append(record)
        del runs[: max(0, len(runs) - SESSION_RUNS)]


def _train_once(state: dict, trainer: Trainer, max_epochs: int) -> None:
    stepping = state["step"]
    epochs = 1 if stepping else max_epochs - trainer.epoch
    state["step"] = False
    if epochs <= 0 or trainer.stopped_reason:
        state["playing"] = False
        return
    # Everyone waits their turn, a Step included; nobody is told the server is busy.
    with training_queue().turn(_still_here()) as turn:
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
    from nnlab.ui.player_widget import record_every

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


CHART_REFRESH_SECONDS = 1.0  # while playing, curves and matrices are rebuilt at most this often


def empty_note(text: str | None = None) -> None:
    """What a chart with no data yet shows instead of empty axes: one short line (default: press Play or Step)."""
    st.caption(text or t("untrained"), help=None)


def live_chart(
    key: str,
    playing: bool,
    build: Callable[[], object],
    model: object = None,
    empty: bool = False,
    width: str = "content",
) -> None:
    """An Altair chart (or a Vega-Lite spec: nnlab.viz.charts's kept specs) of a model that changes while
    training, rebuilt only when it must.

    Building one costs 35–50 ms of server Python holding the GIL. So the last spec is sent again
    (the browser keeps it as it is) when `model` has not changed since (a rerun for a toggle, the
    player reporting in), and, while playing, until CHART_REFRESH_SECONDS have passed. `empty`: nothing
    to draw yet (no epoch trained): `empty_note` instead of axes with nothing on them. `width`: Streamlit's
    ("stretch" fills the column, for a chart that must also fit a phone).
    """
    if empty:
        empty_note()
        return
    cached = st.session_state.get(f"{key}.spec")
    now, version = time.monotonic(), _version(model)
    fresh = cached is not None and version is not None and cached[1] == version
    recent = cached is not None and playing and now - cached[0] < CHART_REFRESH_SECONDS
    if not (fresh or recent):
        built = build()
        cached = st.session_state[f"{key}.spec"] = (
            now,
            version,
            built if isinstance(built, dict) else altair_spec(built),
        )
    show_chart(st, cached[2], key=key, width=width)


def _version(model: object) -> tuple | None:
    """What a chart of `model` depends on: which model, its run, its epoch, hand edits, the language."""
    if model is None:
        return None
    return (id(model), getattr(model, "restarts", 0), model.epoch, len(getattr(model, "changes", ())), language())


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


def session_model(page: str, key: tuple, build: Callable[[], object], keep: Callable[[object], None]):
    """The session's lab for `page`: kept (and `keep` applied) while `key` is unchanged, else rebuilt.

    A setting that cannot work (a SpecError, a country the table lacks) is shown and gives None.
    """
    lab = st.session_state.get(f"{page}.lab")
    if lab is not None and st.session_state.get(f"{page}.lab_key") == key:
        keep(lab)
        apply_imported_weights(page, lab)
        return lab
    stop(page)
    try:
        with building():
            st.session_state.pop(f"{page}.lab", None)
            lab = build()
    except ValueError as error:
        st.error(t("bad_setting", error=error_text(error)), icon="⚠️")
        return None
    st.session_state[f"{page}.lab"], st.session_state[f"{page}.lab_key"] = lab, key
    apply_imported_weights(page, lab)
    return lab


def apply_imported_weights(page: str, lab) -> None:
    """Weights of a run the student imported (validated by nnlab.runfile) go into the rebuilt model."""
    run = st.session_state.pop(f"{page}.pending_weights", None)
    if run is None:
        return
    stop(page)
    with _state(page)["lock"]:
        lab.trainer.reset()
        try:
            lab.trainer.load_weights(run.weights)
        except ValueError as error:
            lab.trainer.reset()
            st.error(t("import_failed", error=error_text(error)), icon="⚠️")


def affordable(epochs: int, examples_per_epoch: int, runs: int = 1) -> bool:
    """True if a batch of runs fits the server's work cap; else say why on the page (nothing is trained)."""
    if within_cap(epochs, examples_per_epoch, runs):
        return True
    st.error(
        t(
            "work_refused",
            runs=runs,
            epochs=epochs,
            examples=examples_per_epoch,
            limit=number(WORK_CAP, ","),
            cap=epoch_cap(examples_per_epoch, runs),
        ),
        icon="⏱️",
    )
    return False


@st.cache_resource(show_spinner=False)
def app_executor():
    """The server's sweep executor: one worker process per core, or the Dask cluster in NNLAB_DASK_SCHEDULER."""
    from nnlab.sweep import executor_for

    return executor_for()


def run_all(fn: Callable, calls: list[tuple], label: Callable[[int], str] | None = None) -> list | None:
    """Every call through the sweep executor, with a progress bar as each finishes; results in call order.

    A failed run is shown and the rest are cancelled (None). Leaving the page mid-way cancels the
    runs that have not started (the script is interrupted; `finally` runs).
    """
    from nnlab.sweep import Batch, Failed

    executor = app_executor()
    progress = st.progress(0.0, text=t("runs_waiting", total=len(calls), where=executor.describe()))
    results: list = [None] * len(calls)
    batch = Batch(executor, fn, calls)
    try:
        for done, (index, result) in enumerate(batch.results(), start=1):
            if isinstance(result, Failed):
                st.error(t("run_failed", message=failure_text(result)), icon="⚠️")
                return None
            results[index] = result
            text = label(index) if label else ""
            progress.progress(done / len(calls), text=t("runs_progress", done=done, total=len(calls), last=text))
    finally:
        batch.cancel()
    progress.empty()
    return results
