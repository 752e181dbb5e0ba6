"""How much training one request may ask of a shared server.

Thirty students share a teacher's laptop. A run's work is the number of training examples it
feeds through the network: epochs × training examples × runs. One request may not ask for more
than WORK_CAP of them (about a minute and a half of the map page's reference network, 25,000
epochs of the Playground's largest data set), so no single session can hold the server for a
lesson. The command line has no cap: there the machine is the user's own.
"""

from __future__ import annotations

WORK_CAP = 20_000_000  # training examples per request


def work(epochs: int, examples_per_epoch: int, runs: int = 1) -> int:
    """Training examples a request feeds through its networks."""
    return epochs * examples_per_epoch * runs


def epoch_cap(examples_per_epoch: int, runs: int = 1) -> int:
    """The most epochs each of `runs` runs on `examples_per_epoch` examples may train (at least 1)."""
    return max(1, WORK_CAP // max(1, examples_per_epoch * runs))


def within_cap(epochs: int, examples_per_epoch: int, runs: int = 1) -> bool:
    return work(epochs, examples_per_epoch, runs) <= WORK_CAP
