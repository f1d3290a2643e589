"""The interface opens on the store and shows the office, its counts and its summary table."""

from __future__ import annotations

from factories import address, aid, helper
from textual.widgets import DataTable, Static

from store.store import Store
from tui.app import NhandaoApp


async def test_home_shows_the_office_its_counts_and_its_summary(store: Store) -> None:
    store.save_many([("helper", helper()), ("address", address()), ("aid", aid(value=1_500_000))])
    app = NhandaoApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        office = str(app.query_one("#office", Static).content)
        assert "Văn phòng: Tỉnh Tây Ninh" in office
        assert "Địa chỉ: 1 · Người trợ giúp: 1 · Lần trợ giúp: 1" in office
        table = app.query_one("#summary", DataTable)
        assert table.row_count == 10
        first, total = table.get_row_at(0), table.get_row_at(9)
        assert first[1] == "Thành phố Tây Ninh" and str(first[2]) == "1"
        assert total[1] == "Tổng cộng" and str(total[7]) == "1.500.000"
        await pilot.press("q")
    assert app.return_code == 0
