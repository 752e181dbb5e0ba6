"""The fair training queue: turns in arrival order, shorter chunks for a bigger class, nobody turned away."""

from __future__ import annotations

import threading
import time

import pytest

from nnlab.schedule import MIN_CHUNK_SECONDS, FairQueue, chunk_seconds


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


@pytest.mark.parametrize(
    ("contenders", "expected"), [(1, 0.35), (2, 0.35), (6, 1 / 3), (30, 2 / 30), (1000, MIN_CHUNK_SECONDS)]
)
def test_a_round_lasts_about_a_second_whatever_the_class_size(contenders, expected):
    assert chunk_seconds(contenders, slots=2, round_seconds=1.0, longest=0.35) == pytest.approx(expected)


def test_turns_go_round_robin_across_students():
    queue, order = FairQueue(slots=1), []
    first = queue.turn()
    assert first.__enter__() is not None  # student "a" holds the only slot while the others line up
    order.append("a")
    workers = []

    def student(name: str, turns: int) -> None:
        for _ in range(turns):
            with queue.turn() as turn:
                assert turn is not None
                order.append(name)

    for name in "bc":
        workers.append(threading.Thread(target=student, args=(name, 2)))
        workers[-1].start()
        waiting = len(workers)
        wait_until(lambda n=waiting: queue.waiting == n)
    workers.append(threading.Thread(target=student, args=("a", 1)))  # "a" asks again: behind b and c
    workers[-1].start()
    wait_until(lambda: queue.waiting == 3)
    first.__exit__(None, None, None)
    for worker in workers:
        worker.join(10)
    assert order[:4] == ["a", "b", "c", "a"]
    assert sorted(order) == ["a", "a", "b", "b", "c", "c"]
    assert queue.running == 0 and queue.waiting == 0


def test_a_turn_knows_how_crowded_the_class_is():
    queue = FairQueue(slots=2, round_seconds=1.0)
    with queue.turn() as alone:
        assert alone.contenders == 1 and alone.seconds(0.35) == pytest.approx(0.35)


def test_a_closed_tab_leaves_the_queue_and_the_next_student_goes_on():
    queue = FairQueue(slots=1)
    holder = queue.turn()
    holder.__enter__()
    here = threading.Event()
    here.set()
    results: dict[str, object] = {}

    def wait(name: str, still_wanted) -> None:
        with queue.turn(still_wanted) as turn:
            results[name] = turn

    leaver = threading.Thread(target=wait, args=("leaver", here.is_set))
    leaver.start()
    wait_until(lambda: queue.waiting == 1)
    stayer = threading.Thread(target=wait, args=("stayer", lambda: True))
    stayer.start()
    wait_until(lambda: queue.waiting == 2)
    here.clear()  # the first in line closes the tab
    leaver.join(5)
    assert results["leaver"] is None and queue.waiting == 1
    holder.__exit__(None, None, None)
    stayer.join(5)
    assert results["stayer"] is not None and queue.waiting == 0 and queue.running == 0


def test_a_crowd_is_served_with_no_one_turned_away():
    queue, served = FairQueue(slots=2), []
    lock = threading.Lock()

    def student(index: int) -> None:
        for _ in range(3):
            with queue.turn() as turn:
                assert turn is not None and queue.running <= 2
                with lock:
                    served.append(index)

    workers = [threading.Thread(target=student, args=(i,)) for i in range(30)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert sorted(served) == sorted(list(range(30)) * 3)
    assert queue.turns_granted == 90
