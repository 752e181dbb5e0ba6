"""A class on one server: N students train the spiral at once while three real browsers watch their players.

A real `streamlit run app.py` on 127.0.0.1. N students speak Streamlit's own websocket protocol, as
the browser's frontend does (no browser): each opens the Playground spiral link with its own seed,
waits for its lab, presses Play at the fastest pace and waits for epoch 300. They keep the widget
states the server draws, answer the live fragment's `auto_rerun` timer and report the player as
mounted, so the server does for them what it does for a browser. Alongside them three niced
headless Chromium sessions open the same link (their own seeds), press Play at the default pace and
count the frames their players draw. A separate process probes `/_stcore/health` and samples the
server's memory every 0.25 s throughout.

The first visit imports TensorFlow; it is made before the class and not counted.
Runs only when named: `python -m nnlab bench classroom --students 30 --json`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import multiprocessing
import os
import re
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.live import (
    CHROMIUM_ARGS,
    SPIRAL,
    WATCH_PLAYER,
    WATCH_SECONDS,
    streamlit_server,
    summarise,
)
from nnlab.ui.i18n import STRINGS

PAGE_NAME = "Playground"  # the page's url path: what the browser sends as page_name on its first request
EPOCHS = 300  # the link's epoch limit (the Playground preset's): a student is done when it gets there
PROBE_SECONDS = 0.25
TIMEOUT_SECONDS = 600.0
BROWSERS = 3
PLAYER = "nnlab_player"
FINISHED_SUCCESSFULLY = 0  # ForwardMsg.ScriptFinishedStatus of a full run that ran to its end
WIDGET_KINDS = ("button", "button_group", "checkbox", "multiselect", "number_input", "radio", "selectbox", "slider")


def _english(key: str) -> str:
    """A label as an English-speaking student's page shows it."""
    return STRINGS[key][0]


def _busy_texts() -> frozenset[str]:
    """The 'server is busy' messages in every language (none if the app no longer has them)."""
    return frozenset(text for key in ("busy", "busy_step") for text in STRINGS.get(key, ()))


def _finished_text() -> str:
    """What the page says when a run has stopped at the epoch limit (its own word that epoch 300 is reached)."""
    return STRINGS["finished"][0].format(epochs=EPOCHS) if "finished" in STRINGS else ""


def spiral_link(seed: int) -> str:
    """The lesson link's query string with this student's own seed."""
    return re.sub(r"seed=\d+", f"seed={seed}", SPIRAL)


# --- What a student's page holds: pure, fed one ForwardMsg at a time ---------------------------------


def widget_value(kind: str, proto, known: bool):
    """The WidgetState the browser holds after the server draws this widget, or None to leave it as it is.

    The frontend takes the server's value when it sets one (`set_value`: a link, a callback), the
    default when the widget is new, and otherwise keeps what it had. Buttons hold no value (a press is
    a one-off trigger), nor do widgets this client does not know.
    """
    if kind == "button" or kind not in WIDGET_KINDS or (known and not proto.set_value):
        return None
    state, fresh = WidgetState(id=proto.id), proto.set_value
    if kind == "checkbox":
        state.bool_value = proto.value if fresh else proto.default
    elif kind in ("selectbox", "radio"):
        if fresh and proto.HasField("raw_value"):
            state.string_value = proto.raw_value
        elif proto.HasField("default"):
            state.string_value = proto.options[proto.default]
        else:
            return None
    elif kind == "multiselect":
        state.string_array_value.data[:] = proto.raw_values if fresh else [proto.options[i] for i in proto.default]
    elif kind == "button_group":
        state.string_array_value.data[:] = (
            proto.raw_values if fresh else [proto.options[i].content for i in proto.default]
        )
    elif kind == "slider" and proto.options:  # a select_slider: the chosen options' labels
        state.string_array_value.data[:] = proto.raw_value if fresh else [proto.options[i] for i in proto.default]
    elif kind == "slider":
        state.double_array_value.data[:] = proto.value if fresh else proto.default
    elif kind == "number_input":
        if fresh and proto.HasField("value"):
            state.double_value = proto.value
        elif proto.HasField("default"):
            state.double_value = proto.default
        else:
            return None
    return state


@dataclass
class PageState:
    """One session's page as its frontend sees it: widget states, the player's frames, timers, messages."""

    query_string: str
    busy_texts: frozenset[str] = frozenset()
    finished_text: str = ""  # the page's 'stopped at the epoch limit' message: the page is at EPOCHS
    page_hash: str = ""  # the page's script hash once the server has named it (sent instead of page_name)
    widgets: dict = field(default_factory=dict)  # widget id -> WidgetState the browser would send
    buttons: dict = field(default_factory=dict)  # label -> widget id
    groups: dict = field(default_factory=dict)  # label of a segmented control -> its proto
    auto_reruns: dict = field(default_factory=dict)  # fragment id -> seconds between the fragment's reruns
    player_id: str | None = None
    player_fragment: str = ""
    runs: set = field(default_factory=set)  # the player's runs: a second one means the lab was rebuilt
    frames: int = 0  # frames that reached this session
    epoch: int = -1  # the newest epoch among them
    page_epoch: int = -1  # the page's own word: its Epoch number, or EPOCHS once it says training stopped there
    busy: int = 0  # 'server is busy' toasts and alerts
    unresolved: int = 0  # messages sent by reference (this client reports no cache, so none expected)
    errors: list = field(default_factory=list)  # exceptions the page showed ("type: message")
    lab_drawn: bool = False  # the player arrived in this full run
    idle: bool = False  # a full run has finished and no fragment is ticking: nothing more will come
    seen: set = field(default_factory=set)  # widget ids drawn in this full run

    def apply(self, msg) -> str | None:
        """Take one ForwardMsg; returns its kind (`script_finished` of a run with the lab: `lab`)."""
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.idle = False
            if not msg.metadata.run.fragment_ids:  # a full run starts: the frontend stops its timers
                self.auto_reruns.clear()
                self.seen, self.lab_drawn = set(), False
        elif kind == "navigation" and msg.navigation.page_script_hash:
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for fragment in msg.stop_auto_rerun.fragment_ids:
                self.auto_reruns.pop(fragment, None)
        elif kind == "ref_hash":
            self.unresolved += 1
        elif kind == "delta":
            delta = msg.delta
            if delta.WhichOneof("type") == "new_element":
                self._element(delta.new_element, delta.fragment_id)
            elif delta.WhichOneof("type") == "new_transient":
                for element in delta.new_transient.elements:
                    self._element(element, delta.fragment_id)
        elif kind == "script_finished" and msg.script_finished == FINISHED_SUCCESSFULLY:
            self.widgets = {k: v for k, v in self.widgets.items() if k in self.seen}  # the frontend forgets the rest
            self.idle = not self.auto_reruns
            if self.lab_drawn:
                return "lab"
        return kind

    def _element(self, element, fragment_id: str) -> None:
        kind = element.WhichOneof("type")
        proto = getattr(element, kind) if kind else None
        if kind in WIDGET_KINDS:
            self.seen.add(proto.id)
            if kind == "button":
                self.buttons[proto.label] = proto.id
            elif kind == "button_group":
                self.groups[proto.label] = proto
            state = widget_value(kind, proto, known=proto.id in self.widgets)
            if state is not None:
                self.widgets[proto.id] = state
        elif kind == "bidi_component" and proto.component_name.endswith(PLAYER):
            self.seen.add(proto.id)
            self.player_id, self.player_fragment, self.lab_drawn = proto.id, fragment_id, True
            self._player_data(proto.json or proto.mixed.json)
        elif kind == "metric" and proto.label == _english("epoch"):
            digits = re.sub(r"\D", "", proto.body)
            self.page_epoch = int(digits) if digits else self.page_epoch
        elif kind in ("toast", "alert") and proto.body in self.busy_texts:
            self.busy += 1
        elif kind == "alert" and self.finished_text and proto.body == self.finished_text:
            self.page_epoch = max(self.page_epoch, EPOCHS)
        elif kind == "exception":
            self.errors.append(f"{proto.type}: {proto.message}")

    def _player_data(self, text: str) -> None:
        data = json.loads(text) if text else {}
        frames = data.get("frames", [])
        self.frames += len(frames)
        self.epoch = max([self.epoch, *(f["e"] for f in frames)])
        if data.get("run"):
            self.runs.add(data["run"])

    def reached(self, epoch: int) -> bool:
        """The player has a frame of `epoch`, or the page says training got there and its live fragment has
        stopped ticking (frames still waiting on the server reach a browser's player when it asks for
        them, which this client does not)."""
        return self.epoch >= epoch or (self.page_epoch >= epoch and (self.idle or not self.auto_reruns))

    def press(self, label: str, choices: dict[str, str] | None = None):
        """The ClientState of a click on the button `label`, with segmented controls set to `choices`
        (label -> option), as the browser sends it."""
        for group, option in (choices or {}).items():
            proto = self.groups[group]
            state = WidgetState(id=proto.id)
            state.string_array_value.data[:] = [option]
            self.widgets[proto.id] = state
        return self.client_state(trigger=self.buttons[label])

    def report_ready(self):
        """The ClientState the player's `setStateValue("ready", true)` sends once it is mounted."""
        self.widgets[self.player_id] = WidgetState(id=self.player_id, json_value=json.dumps({"ready": True}))
        return self.client_state(fragment_id=self.player_fragment)

    def client_state(self, fragment_id: str = "", trigger: str | None = None, auto: bool = False):
        """A rerun request: this page (by name until the server has named its hash), the link, every widget."""
        state = ClientState(query_string=self.query_string, fragment_id=fragment_id, is_auto_rerun=auto)
        if self.page_hash:
            state.page_script_hash = self.page_hash
        else:
            state.page_name = PAGE_NAME
        state.widget_states.widgets.extend(self.widgets.values())
        if trigger is not None:
            state.widget_states.widgets.append(WidgetState(id=trigger, trigger_value=True))
        return state


# --- The arithmetic ------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile, interpolated between the nearest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise_class(
    students: int,
    open_seconds: list[float],
    done_seconds: list[float],
    health_ms: list[float],
    rss_before_kb: int,
    rss_kb: list[int],
    busy: int,
    cpu_seconds: float,
    frames_per_second: list[float],
) -> dict:
    """The benchmark's figures from the raw measurements (seconds from the links opening / from Play)."""
    return {
        "students": students,
        "open_p50_seconds": round(percentile(open_seconds, 50), 2),
        "open_max_seconds": round(max(open_seconds), 2),
        "train_all_seconds": round(max(done_seconds), 2),
        "health_max_ms": round(max(health_ms), 1),
        "health_p99_ms": round(percentile(health_ms, 99), 1),
        "memory_growth_mb": round((max([rss_before_kb, *rss_kb]) - rss_before_kb) / 1024, 1),
        "busy_messages": busy,
        "server_cpu_seconds_per_student": round(cpu_seconds / students, 2),
        "frames_per_second_min": min(frames_per_second),
    }


# --- The server seen from outside --------------------------------------------------------------------


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and of its children that have ended."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def resident_kb(pid: int) -> int:
    """The process's resident memory (VmRSS), kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def idle_health_ms(url: str, probes: int = 40) -> list[float]:
    """Health latency (ms) of the idle server, PROBE_SECONDS apart: the baseline the class's latency is set against."""
    latencies = []
    for _ in range(probes):
        start = time.perf_counter()
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=30) as response:
            response.read()
        latencies.append(1000 * (time.perf_counter() - start))
        time.sleep(PROBE_SECONDS)
    return latencies


def with_idle_baseline(report: dict, idle_ms: list[float]) -> dict:
    """The report plus the idle server's p99 health latency and how many times slower the class made it."""
    idle_p99 = percentile(idle_ms, 99)
    return report | {
        "health_idle_p99_ms": round(idle_p99, 1),
        "health_p99_ratio": round(report["health_p99_ms"] / max(idle_p99, 0.1), 1),
    }


def monitor(url: str, pid: int, stop, results) -> None:
    """A separate process: health latency (ms) and the server's RSS (kB) every PROBE_SECONDS until `stop`."""
    import threading

    health: list[float] = []
    rss: list[int] = []

    def probe_health() -> None:
        while not stop.is_set():
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=30) as response:
                    response.read()
            except OSError:
                pass  # a refused or timed-out probe still counts its wait
            elapsed = time.perf_counter() - start
            health.append(1000 * elapsed)
            stop.wait(max(0.0, PROBE_SECONDS - elapsed))

    thread = threading.Thread(target=probe_health)
    thread.start()
    while not stop.wait(PROBE_SECONDS):
        rss.append(resident_kb(pid))
    thread.join()
    results.send({"health_ms": health, "rss_kb": rss})


# --- The browsers: real players drawing frames while the class trains -------------------------------


WATCH_TOASTS = """(texts) => {
  window.__busy = 0;
  new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((node) => {
    if (node.nodeType === 1 && node.matches("[data-testid=stToast], [data-testid=stAlert]")
        && texts.some((t) => node.textContent.includes(t))) window.__busy += 1;
  }))).observe(document.body, {childList: true, subtree: true});
}"""


def browsers(url: str, seeds: list[int], busy_texts: list[str], channel) -> None:
    """A separate, niced process: Chromium pages open the link, then on `go` press Play and count frames drawn.

    Sends "ready" once every player is on screen, then {"frames_per_second": [...], "epochs_per_second": [...],
    "busy": n}: frames (and epochs) drawn per second from a second after each player's first frame until
    WATCH_SECONDS after the last one started (bench.live.summarise). Few frames showing ~30 epochs/s: the
    player skips epochs (its browser is short of CPU); few epochs too: the frames come late from the server.
    """
    from playwright.sync_api import sync_playwright

    os.nice(10)  # Chromium inherits it: the browsers must not take the server's CPU
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            pages = []
            for seed in seeds:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{url}/{PAGE_NAME}?{spiral_link(seed)}")
                page.evaluate(WATCH_TOASTS, busy_texts)
                pages.append(page)
            for page in pages:
                page.wait_for_selector("[data-testid=nnlab-player][data-epoch]", timeout=1000 * TIMEOUT_SECONDS)
            channel.send("ready")
            if channel.recv() != "go":  # the class failed to open
                return
            clicked = []
            for page in pages:
                clicked.append(page.evaluate(WATCH_PLAYER))
                page.locator(".st-key-playground-play button").filter(visible=True).click()
            for page in pages:  # a crowded server may start them late: watch each for WATCH_SECONDS of playing
                page.wait_for_function("window.__frames.length > 0", timeout=1000 * TIMEOUT_SECONDS)
            time.sleep(WATCH_SECONDS)
            drawn = [summarise(page.evaluate("window.__frames"), at) for page, at in zip(pages, clicked)]
            busy = sum(page.evaluate("window.__busy") for page in pages)
            recreated = [page.evaluate("window.__recreated") for page in pages]
            if any(recreated):
                print(f"classroom: the players were re-created {recreated} times while watched", file=sys.stderr)
            browser.close()
        channel.send(
            {
                key: [0.0 if math.isnan(d[key]) else d[key] for d in drawn]  # NaN: one frame after a second
                for key in ("frames_per_second", "epochs_per_second")
            }
            | {"busy": busy}
        )
    except Exception as error:
        channel.send({"error": f"{type(error).__name__}: {error}"})


# --- The students ------------------------------------------------------------------------------------


class Student:
    """One student at the protocol level: a websocket, its page, and the timers its live fragment asks for."""

    def __init__(self, url: str, seed: int, busy_texts: frozenset[str] = frozenset(), finished_text: str = ""):
        self.stream = url.replace("http://", "ws://") + "/_stcore/stream"
        self.page = PageState(spiral_link(seed), busy_texts, finished_text)
        self.timers: dict[str, tuple[float, asyncio.Task]] = {}
        self.opened = asyncio.Event()
        self.trained = asyncio.Event()
        self.opened_at = self.trained_at = None
        self.socket = self.reader = None

    async def open(self) -> None:
        """Connect and ask for the page, as a browser opening the link does."""
        import websockets

        # A browser sends no pings; a busy server must not lose a student for answering one late.
        self.socket = await websockets.connect(
            self.stream, subprotocols=["streamlit"], max_size=None, ping_interval=None, open_timeout=TIMEOUT_SECONDS
        )
        self.reader = asyncio.create_task(self._read())
        await self._send(self.page.client_state())

    async def play(self) -> None:
        """Press Play with the Speed control at Fastest, in one rerun."""
        await self._send(self.page.press(_english("play"), {_english("pace"): _english("pace_fastest")}))

    async def close(self) -> None:
        for _, timer in self.timers.values():
            timer.cancel()
        if self.reader is not None:
            self.reader.cancel()
        if self.socket is not None:
            await self.socket.close()

    async def _send(self, client_state) -> None:
        await self.socket.send(BackMsg(rerun_script=client_state).SerializeToString())

    async def _read(self) -> None:
        async for raw in self.socket:
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            if self.page.apply(msg) == "lab" and not self.opened.is_set():
                self.opened_at = time.monotonic()
                self.opened.set()
                await self._send(self.page.report_ready())  # the player mounted: this browser draws from now on
            if self.page.reached(EPOCHS) and not self.trained.is_set():
                self.trained_at = time.monotonic()
                self.trained.set()
            self._keep_timers()

    def _keep_timers(self) -> None:
        """Run a timer for every fragment the server asked to rerun, as the frontend's setInterval does."""
        for fragment, (interval, timer) in list(self.timers.items()):
            if self.page.auto_reruns.get(fragment) != interval:
                timer.cancel()
                del self.timers[fragment]
        for fragment, interval in self.page.auto_reruns.items():
            if fragment not in self.timers:
                self.timers[fragment] = (interval, asyncio.create_task(self._auto_rerun(fragment, interval)))

    async def _auto_rerun(self, fragment: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self._send(self.page.client_state(fragment_id=fragment, auto=True))


async def _until(events: list[asyncio.Event], what: str, students: list[Student], deadline: float) -> None:
    """Wait for every event (the times are taken as messages arrive), or fail saying why: a student still
    waiting was shown an exception instead of its lab, or the deadline passed (with how far they got).

    An exception while training is only counted: the live fragment ticks again and may carry on.
    """
    while not all(e.is_set() for e in events):
        broken = [s.page.errors[0] for s in students if s.page.errors and not s.opened.is_set()]
        if broken:
            raise RuntimeError(f"a student's page showed an exception instead of the lab: {broken[0]}")
        if time.monotonic() > deadline:
            done = sum(e.is_set() for e in events)
            epochs = sorted(max(s.page.epoch, s.page.page_epoch) for s in students)
            waiting = [
                (s.page.epoch, s.page.page_epoch, s.page.idle, dict(s.page.auto_reruns), s.page.errors[-1:])
                for s, e in zip(students, events)
                if not e.is_set()
            ]
            raise RuntimeError(
                f"only {done} of {len(events)} students {what} within {TIMEOUT_SECONDS:.0f} s "
                f"(their epochs: {epochs}; still waiting (frame epoch, page epoch, idle, "
                f"fragment timers, last error): {waiting[:5]})"
            )
        await asyncio.sleep(0.1)


async def _visit(url: str) -> None:
    """One student opens the lab and leaves: the server imports TensorFlow and traces its first model."""
    student = Student(url, 99)
    await student.open()
    await _until([student.opened], "opened the lab", [student], time.monotonic() + TIMEOUT_SECONDS)
    await student.close()


async def _class(url: str, n: int, go_browsers) -> dict:
    """All links open at once; once every lab is up, everyone presses Play; wait for epoch 300 everywhere."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    students = [Student(url, 100 + i, _busy_texts(), _finished_text()) for i in range(n)]
    links = time.monotonic()
    try:
        await asyncio.gather(*(s.open() for s in students))
        await _until([s.opened for s in students], "opened the lab", students, deadline)
        _say(f"{n} labs open after {time.monotonic() - links:.1f} s")
        await asyncio.to_thread(go_browsers)  # the browsers press Play with the class
        play = time.monotonic()
        await asyncio.gather(*(s.play() for s in students))
        await _until([s.trained for s in students], f"reached epoch {EPOCHS}", students, deadline)
        done = sorted(s.trained_at - play for s in students)
        _say(f"{n} students at epoch {EPOCHS} {done[0]:.1f}–{done[-1]:.1f} s after Play (median {done[n // 2]:.1f} s)")
    finally:
        await asyncio.gather(*(s.close() for s in students), return_exceptions=True)
    pages = [s.page for s in students]
    short = sorted(p.epoch for p in pages if p.epoch < EPOCHS)
    odd = {
        "exceptions shown on students' pages (the server's log has them)": sum(len(p.errors) for p in pages),
        "messages sent by reference": sum(p.unresolved for p in pages),
        "labs rebuilt while playing": sum(len(p.runs) > 1 for p in pages),
        f"players whose last frame is short of epoch {EPOCHS} (the page says it was reached): {short}": len(short),
    }
    for what, count in odd.items():
        if count:
            _say(f"{count} {what}")
    return {
        "open_seconds": [s.opened_at - links for s in students],
        "done_seconds": [s.trained_at - play for s in students],
        "busy": sum(p.busy for p in pages),
        "frames": sorted(p.frames for p in pages),
    }


def _say(text: str) -> None:
    """Progress on stderr: a class takes minutes, and stdout carries only the result."""
    print(f"classroom: {text}", file=sys.stderr, flush=True)


def _receive(connection, process, what: str, timeout: float = TIMEOUT_SECONDS):
    """The next message from a helper process, or a clear failure if it died or said nothing in time."""
    deadline = time.monotonic() + timeout
    while not connection.poll(1.0):
        if not process.is_alive():
            raise RuntimeError(f"{what} ended (exit code {process.exitcode}) without an answer")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} gave no answer within {timeout:.0f} s")
    answer = connection.recv()
    if isinstance(answer, dict) and "error" in answer:
        raise RuntimeError(f"{what} failed: {answer['error']}")
    return answer


def run(students: int = 30) -> dict:
    """One JSON object: opening, training and the server's health, memory and CPU for a class of `students`."""
    spawn = multiprocessing.get_context("spawn")
    with streamlit_server() as (url, pid):
        asyncio.run(_visit(url))
        idle_ms = idle_health_ms(url)
        _say("server up, TensorFlow imported, idle health measured; the class opens its links")
        stop = spawn.Event()
        probes_end, probes_channel = spawn.Pipe(duplex=False)
        browsers_end, browsers_channel = spawn.Pipe()
        prober = spawn.Process(target=monitor, args=(url, pid, stop, probes_channel))
        viewer = spawn.Process(
            target=browsers, args=(url, [200 + j for j in range(BROWSERS)], sorted(_busy_texts()), browsers_channel)
        )
        rss_before, cpu_before = resident_kb(pid), process_cpu_seconds(pid)
        prober.start()
        viewer.start()
        probes_channel.close(), browsers_channel.close()  # the children's ends: a dead child reads as EOF
        try:

            def go_browsers() -> None:
                _receive(browsers_end, viewer, "the Chromium sessions")  # "ready": every player is on screen
                _say("Chromium sessions ready; everyone presses Play")
                browsers_end.send("go")

            measured = asyncio.run(_class(url, students, go_browsers))
            watched = _receive(browsers_end, viewer, "the Chromium sessions")
            cpu = process_cpu_seconds(pid) - cpu_before
            stop.set()
            probes = _receive(probes_end, prober, "the health probe", timeout=60)
        finally:
            stop.set()
            with contextlib.suppress(OSError):  # if it still waits for "go", it closes Chromium and ends
                browsers_end.send("stop")
            for process in (prober, viewer):
                process.join(timeout=60)
                if process.is_alive():
                    process.kill()
    _say(
        f"frames received per student {measured['frames'][0]}–{measured['frames'][-1]}; Chromium players drew "
        f"{watched['frames_per_second']} frames/s showing {watched['epochs_per_second']} epochs/s (pace 30)"
    )
    report = summarise_class(
        students,
        measured["open_seconds"],
        measured["done_seconds"],
        probes["health_ms"],
        rss_before,
        probes["rss_kb"],
        measured["busy"] + watched["busy"],
        cpu,
        watched["frames_per_second"],
    )
    return with_idle_baseline(report, idle_ms)


def describe(result: dict) -> str:
    """The result in one readable line."""
    return (
        f"classroom ({result['students']} protocol students + {BROWSERS} Chromium, Playground spiral): labs open in "
        f"{result['open_p50_seconds']} s (median), {result['open_max_seconds']} s (last); all at epoch {EPOCHS} "
        f"{result['train_all_seconds']} s after Play; health {result['health_p99_ms']} ms p99, "
        f"{result['health_max_ms']} ms max ({result['health_p99_ratio']}x the idle server's p99 of "
        f"{result['health_idle_p99_ms']} ms); memory +{result['memory_growth_mb']} MB; "
        f"{result['server_cpu_seconds_per_student']} CPU-s per student; {result['busy_messages']} busy messages; "
        f"browsers drew at least {result['frames_per_second_min']} frames/s"
    )
