"""The base of the screens that work on the office's store."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from store.errors import StoreError
from store.store import Store
from tui.screens.progress import ProgressScreen


def goes_up(store: Store) -> bool:
    """Whether what this office saves travels to an office above it (a province has none)."""
    return not store.is_province_office()


def attempted(screen: Screen, action: Callable[[], object]) -> bool:
    """Run a save or a deletion asked for on `screen`; a refusal (StoreError: a record the
    rules refuse, a full disk) is its Vietnamese message on screen, not a crash. True if done."""
    try:
        action()
    except StoreError as error:
        screen.notify(str(error), title="Chưa lưu", severity="error", timeout=15)
        return False
    return True


class OfficeScreen(Screen[None]):
    """A screen over the office's store; its `back` action (bound to Escape) closes it.

    F1 comes first in every footer: at 80 columns a footer may not hold every key, and F1
    lists them all («Phím tắt»).

    Its workers (`@work(..., exit_on_error=False)`) never take the app down: one that fails
    closes its progress dialog and its error is shown, the store's own Vietnamese message when
    it has one; the app goes on."""

    BINDINGS = [Binding("f1", "app.help", "Phím tắt", id="office.help")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def action_back(self) -> None:
        self.dismiss(None)

    def store_changed(self) -> None:
        """The store changed under this screen (Ctrl+Z): show it as on coming back to it."""
        resume = getattr(self, "on_screen_resume", None)
        if callable(resume):
            resume()

    def read_first(self) -> None:
        """Read, before the screen is shown, the files of the store it shows that may be broken
        beyond repair (StoreError): the app then says so instead of opening it."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        while isinstance(self.app.screen, ProgressScreen):
            self.app.pop_screen()
        error = event.worker.error
        if isinstance(error, StoreError):
            message = str(error)  # SyncError and the store's errors are sentences for the user
        else:
            message = (
                f"Có lỗi không lường trước, việc đang làm chưa xong ({type(error).__name__}: "
                f"{error}). Dữ liệu đã lưu trước đó vẫn nguyên vẹn; hãy thử lại, và nếu lỗi lặp "
                "lại, hãy chạy «nhandao check»."
            )
        self.notify(message, title="Chưa làm xong", severity="error", timeout=30, markup=False)
