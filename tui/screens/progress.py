"""A dialog with a progress bar, shown while a worker thread writes or merges."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar, Static

from tui.literal import literal


class ProgressScreen(ModalScreen[None]):
    """Blocks the keys while slow work runs (the store is not to be touched meanwhile); the
    worker reports with `advance` through `App.call_from_thread` and closes it with `done`."""

    def __init__(self, title: str, total: int | None = None) -> None:
        super().__init__()
        self.heading = title
        self.total = total

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.heading, id="question")
            yield ProgressBar(total=self.total, show_eta=False, id="bar")
            yield Static("", id="progress-detail", classes="muted")

    def advance(self, done: int, total: int, detail: str = "") -> None:
        bar = self.query_one("#bar", ProgressBar)
        bar.update(total=total, progress=done)
        self.query_one("#progress-detail", Static).update(literal(detail))

    def done(self) -> None:
        self.dismiss(None)
