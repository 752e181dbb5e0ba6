"""A server-wide queue that hands out training turns fairly across the students who are training.

A class of thirty presses Play within seconds of each other, on a laptop with two cores. A turn
is one chunk of training for one student. Turns go first come, first served, and a student
asks for the next only after the last has been used, so everyone gets a turn in each round.
The chunk shrinks as the queue grows, so a round stays about `round_seconds` long and every
player keeps moving. Nobody is ever turned away; a student who leaves (`still_wanted` turns
False) leaves the queue at the next poll.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

ROUND_SECONDS = 1.0  # every student training gets a turn at least this often, whatever the class size
MIN_CHUNK_SECONDS = 0.04  # below this a chunk is mostly overhead (a call into the graph, handing frames over)
MAX_CHUNK_SECONDS = 0.35  # a small class trains this long per turn: long enough to beat overhead
POLL_SECONDS = 0.1  # how often a waiting student checks it is still wanted


@dataclass(frozen=True)
class Turn:
    """A granted turn: train for `seconds(...)`, then let the next student in."""

    contenders: int  # students training or waiting when the turn was granted, this one included
    slots: int
    round_seconds: float

    def seconds(self, longest: float = MAX_CHUNK_SECONDS) -> float:
        """How long to train: `longest` when the class is small, less as it grows."""
        return chunk_seconds(self.contenders, self.slots, self.round_seconds, longest)


def chunk_seconds(
    contenders: int, slots: int, round_seconds: float = ROUND_SECONDS, longest: float = MAX_CHUNK_SECONDS
) -> float:
    """A chunk length that lets every contender train once per round, within sensible bounds."""
    share = round_seconds * slots / max(1, contenders)
    return min(longest, max(MIN_CHUNK_SECONDS, share))


class FairQueue:
    """First come, first served training turns, `slots` at a time (one per core)."""

    def __init__(self, slots: int, round_seconds: float = ROUND_SECONDS) -> None:
        self.slots, self.round_seconds = slots, round_seconds
        self._changed = threading.Condition()
        self._waiting: deque[object] = deque()
        self._running = 0
        self.turns_granted = 0

    @property
    def waiting(self) -> int:
        with self._changed:
            return len(self._waiting)

    @property
    def running(self) -> int:
        with self._changed:
            return self._running

    @contextmanager
    def turn(self, still_wanted: Callable[[], bool] = lambda: True) -> Iterator[Turn | None]:
        """Wait for a turn and hold it for the block; None if the student left while waiting."""
        granted = self._wait(object(), still_wanted)
        if granted is None:
            yield None
            return
        try:
            yield granted
        finally:
            with self._changed:
                self._running -= 1
                self._changed.notify_all()

    def _wait(self, ticket: object, still_wanted: Callable[[], bool]) -> Turn | None:
        with self._changed:
            self._waiting.append(ticket)
            while not (self._running < self.slots and self._waiting[0] is ticket):
                self._changed.wait(POLL_SECONDS)
                if not still_wanted():
                    self._waiting.remove(ticket)
                    self._changed.notify_all()  # it may have been first in line
                    return None
            self._waiting.popleft()
            self._running += 1
            self.turns_granted += 1
            contenders = self._running + len(self._waiting)
            return Turn(contenders, self.slots, self.round_seconds)
