"""The results screen shows the same figures as the tallies."""

from __future__ import annotations

from pathlib import Path

from factories import TODAY, address, aid, helper
from pilots import settle
from textual.widgets import DataTable

from campaign.tally import tally
from store.store import Store
from tui.app import NhandaoApp
from tui.screens.province import ResultsScreen


async def test_the_results_screen_shows_the_tally_of_the_office(store: Store) -> None:
    store.save_many([("helper", helper()), ("address", address()), ("aid", aid(value=1_500_000)),
                     ("aid", aid("x2", value=70_000, excluded="communication"))])  # fmt: skip
    app = NhandaoApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await settle(pilot)  # the figures are counted in a thread
        assert isinstance(app.screen, ResultsScreen)
        table = app.screen.query_one("#summary-table", DataTable)
        expected = tally(store.dataset(), "72")
        assert table.row_count == len(expected.rows) + 1
        first, total = table.get_row_at(0), table.get_row_at(table.row_count - 1)
        assert str(first[0]) == "Thành phố Tây Ninh" and str(first[6]) == "1.500.000"
        assert str(total[0]) == "Tổng cộng" and [str(c) for c in total[1:]] == [
            "1",
            "1",
            "0",
            "1",
            "1",
            "1.500.000",
        ]
        excluded = str(app.screen.query_one("#summary-excluded").render())
        assert "1 lần, 70.000 đ" in excluded
        years = app.screen.query_one("#years-table", DataTable)
        assert years.row_count == len(expected.years) == 11  # 2008–2018
        helped_in = {row[0]: str(row[1]) for row in map(years.get_row_at, range(years.row_count))}
        assert helped_in["2010"] == "1" and helped_in["2011"] == "0"
        ranked = app.screen.query_one("#awards-table", DataTable)
        assert str(ranked.get_row_at(0)[1]) == "Thành phố Tây Ninh"
        await pilot.press("escape")
        assert not isinstance(app.screen, ResultsScreen)


async def test_the_province_sends_its_directory_down_and_others_send_up(
    store: Store, tmp_path: Path
) -> None:
    async with NhandaoApp(store).run_test(size=(80, 24)) as pilot:
        menu = "\n".join(str(s.render()) for s in pilot.app.screen.query("#menu Static"))
        assert "Gửi danh mục xuống cấp dưới" in menu and "Nhận dữ liệu từ cấp dưới" in menu
    with Store.create(tmp_path / "district", "703", today=lambda: TODAY) as district:
        async with NhandaoApp(district).run_test(size=(80, 24)) as pilot:
            menu = "\n".join(str(s.render()) for s in pilot.app.screen.query("#menu Static"))
            assert "Gửi dữ liệu lên cấp trên" in menu and "Nhận dữ liệu từ cấp dưới" in menu
