"""A store file restored from its backup when the interface opens: the home screen says which
file, from when, and what must be typed again."""

from __future__ import annotations

from pathlib import Path

from factories import PROVINCE, TODAY, address
from pilots import settle
from textual.widgets import Static

from store.store import Store
from tui.app import NhandaoApp


async def test_the_home_screen_names_the_restored_file_and_what_to_type_again(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store"
    with Store.create(path, PROVINCE, today=lambda: TODAY) as store:
        store.save("address", address())
        store.save("address", address(place="Khu phố 2"))  # the backup holds the first save
    unit_file = path / "units" / "25456.json"
    unit_file.write_bytes(b'{"_default": {"1": [}')  # a kill in the middle of a write
    with Store.open(path, today=lambda: TODAY) as store:
        assert store.recoveries
        expected = store.describe_recovery(store.recoveries[0])
        app = NhandaoApp(store, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            attention = str(app.screen.query_one("#attention", Static).render())
            assert "Đã khôi phục 1 tệp từ bản sao lưu (25456.json)" in " ".join(attention.split())
            notices = [(n.title, n.message) for n in app._notifications]
            assert ("Đã khôi phục từ bản sao lưu", expected) in notices
            assert "hãy nhập lại" in expected and "25456.json" in expected
