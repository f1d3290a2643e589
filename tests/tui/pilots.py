"""Helpers for driving the app with Textual's Pilot."""

from __future__ import annotations

import contextlib

from textual.pilot import Pilot
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

# The worker groups of the app's screens (tui/screens): counting, sending, receiving, writing.
OWN_GROUPS = {"home-figures", "send", "receive", "results", "results-figures", "results-awards",
              "candidates", "migrate"}  # fmt: skip


async def settle(pilot: Pilot) -> None:
    """Wait until the app's own workers are done, then for the screen to catch up.

    A DirectoryTree's loader runs for as long as the tree lives, so only the app's own groups
    are waited for; a worker replaced by a newer one of its group counts as done."""

    def busy() -> list[Worker]:
        return [
            w
            for w in pilot.app.workers
            if w.group in OWN_GROUPS and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]

    while waiting := busy():
        for worker in waiting:
            with contextlib.suppress(WorkerCancelled, WorkerFailed):  # shown by the app
                await worker.wait()
    await pilot.pause()
    await pilot.pause()
