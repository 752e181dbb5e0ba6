"""The one way NN Lab's tools start a real Streamlit server: tests, docs/screenshots.py and the benchmarks.

`streamlit run app.py` on a free 127.0.0.1 port, in its own process group (so Streamlit's children
go with it), its output in a log file, polled on /_stcore/health until it answers.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
START_SECONDS = 60  # a cold disk and a busy machine: Streamlit's imports alone can take 10 s


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    """Whether Streamlit's health endpoint answers 200 within 2 s."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path | None

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, chars: int = 3000) -> str:
        if self.log is None or not self.log.exists():
            return "(no log kept)"
        return self.log.read_text(errors="replace")[-chars:]

    def problem(self) -> str | None:
        """Why the server cannot answer (it exited, or stopped answering), with its log's tail; None if fine."""
        if self.process.poll() is not None:
            reason = f"streamlit exited with code {self.process.returncode}"
        elif not healthy(self.url):
            reason = f"streamlit (pid {self.process.pid}) no longer answers {self.url}/_stcore/health"
        else:
            return None
        return f"{reason}; last lines of {self.log}:\n{self.log_tail()}"


def start(log: Path | None = None) -> Server:
    """A healthy server on a free port; raises RuntimeError (with the log's tail) if it never answers."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py"]
    command += ["--server.port", str(port), "--server.address", HOST, "--server.headless", "true"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(log or os.devnull, "wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True, env=environment
        )
    server = Server(f"http://{HOST}:{port}", process, log)
    deadline = time.monotonic() + START_SECONDS
    while not healthy(server.url):
        if process.poll() is not None or time.monotonic() > deadline:
            problem = server.problem() or f"streamlit not healthy after {START_SECONDS} s:\n{server.log_tail()}"
            stop(server)
            raise RuntimeError(problem)
        time.sleep(0.25)
    return server


def stop(server: Server) -> None:
    """SIGTERM to the whole process group, SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if server.process.poll() is not None:
            return
        try:
            os.killpg(server.process.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def running(log: Path | None = None) -> Iterator[Server]:
    """A started server for the `with` block; stopped however the block ends."""
    server = start(log)
    try:
        yield server
    finally:
        stop(server)
