"""The base of the screens that work on the office's store."""

from __future__ import annotations

from textual.screen import Screen

from store.store import Store


class OfficeScreen(Screen[None]):
    """A screen over the office's store; its `back` action (bound to Escape) closes it."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def action_back(self) -> None:
        self.dismiss(None)
