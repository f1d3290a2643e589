"""A worker that fails never takes the app down: its progress dialog closes, the store's own
Vietnamese message is shown (as text), and the keys work again."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import address
from pilots import settle

from store.store import Store
from tui.app import NhandaoApp
from tui.screens.home import HomeScreen
from tui.screens.progress import ProgressScreen


def notices(app: NhandaoApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_a_broken_file_found_by_a_worker_is_a_message_not_a_crash(
    store: Store, store_path: Path
) -> None:
    store.save("address", address())
    # conflicts.json and every copy of it damaged (a failing disk): it cannot be restored.
    (store_path / "conflicts.json").write_bytes(b"[/bold]{")
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.is_running
        (message,) = notices(app)
        assert message.startswith(f"Tệp {store_path / 'conflicts.json'} bị hỏng")
        await pilot.press("a")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "AddressesScreen"


async def test_an_unexpected_error_in_a_worker_closes_its_progress_dialog_and_says_so(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)

        def broken() -> None:
            raise RuntimeError("[red]disk[/] went away")

        monkeypatch.setattr(store, "dataset", broken)
        app.push_screen(ProgressScreen("Đang đếm…"))
        await pilot.pause()
        home.count_figures()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.is_running
        # Once, and once more when the home screen, uncovered, counts again.
        (message,) = set(notices(app))
        assert "Có lỗi không lường trước, việc đang làm chưa xong" in message
        assert "RuntimeError: [red]disk[/] went away" in message  # shown as text, not markup


@pytest.mark.parametrize("key, name", [("o", "ledger.json"), ("i", "quarantine.json")])
async def test_a_screen_whose_file_is_broken_beyond_repair_says_so_and_closes(
    store: Store, store_path: Path, key: str, name: str
) -> None:
    (store_path / name).write_bytes(b"[not json")  # and no backup of it
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.is_running
        assert any(m.startswith(f"Tệp {store_path / name} bị hỏng") for m in notices(app))
