"""The office's award choices on screen: chapters proposed on Kết quả › Khen thưởng, people and
donors proposed, joined and separated on the candidates screen; each choice a record."""

from __future__ import annotations

import pytest
from factories import address, helper
from pilots import settle
from rich.text import Text
from textual.widgets import DataTable, Static

from campaign.awards import awards
from store.store import Store
from tui.app import NhandaoApp
from tui.screens.awards import CandidatesScreen, JoinScreen, SplitScreen
from tui.screens.province import ResultsScreen


def cells(table: DataTable) -> list[list[str]]:
    return [
        [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(index)]
        for index in range(table.row_count)
    ]


def attach(helper_id: str, addresses: range, prefix: str) -> list[tuple[str, dict]]:
    return [
        ("attachment", {"id": f"{prefix}{i}", "address": f"a{i}", "helper": helper_id,
                        "from": "2012-01-01"})
        for i in addresses
    ]  # fmt: skip


@pytest.fixture
def office(store: Store) -> Store:
    """The province: a volunteer of Phường 1 attached to six addresses; «Công ty An Bình»
    registered by Phường 1 and by Phường 3 (one donor), and «Cty An Binh» by Phường 4."""
    store.save_many(
        [
            *[("address", address(f"a{i}")) for i in range(6)],
            ("helper", helper("h1", kind="volunteer", name="Lê Thị Mai")),
            ("helper", helper("o1", side="outside", kind="organisation", name="Công ty An Bình")),
            ("helper", helper("o2", side="outside", kind="organisation", name="Công ty An Bình",
                              unit="25459", awarded_before=True)),
            ("helper", helper("o3", side="outside", kind="organisation", name="Cty An Binh",
                              unit="25462")),
            *attach("h1", range(6), "t"),
            *attach("o1", range(2), "u"),
            *attach("o2", range(1, 3), "v"),
            *attach("o3", range(3, 4), "w"),
        ]
    )  # fmt: skip
    return store


async def open_results(pilot) -> ResultsScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ResultsScreen)
    return screen


async def test_a_chapter_is_proposed_and_withdrawn_on_the_awards_tab(office: Store) -> None:
    app = NhandaoApp(office, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_results(pilot)
        # On another tab the keys say where to choose, and choose nothing.
        await pilot.press("b")
        await pilot.pause()
        assert office.count("proposal") == 0
        await pilot.press("3", "b")
        await settle(pilot)
        table = screen.query_one("#awards-table", DataTable)
        first = cells(table)[0]
        assert first[-1] == "BK"
        chapter = awards(office.dataset(), "72").units[0]
        assert chapter.proposed == "central"
        assert f"đơn vị đã chọn: {chapter.proposal}." in str(
            screen.query_one("#awards-detail", Static).render()
        )
        await pilot.press("g")
        await settle(pilot)
        assert cells(table)[0][-1] == "GK"
        assert office.count("proposal") == 1  # the same record, changed
        await pilot.press("x")
        await settle(pilot)
        assert cells(table)[0][-1] == ""
        assert office.count("proposal") == 0  # a tombstone, kept to travel
        assert office.count("proposal", live=False) == 1


async def test_people_and_donors_are_proposed_on_the_candidates_screen(office: Store) -> None:
    app = NhandaoApp(office, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_results(pilot)
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CandidatesScreen)
        table = screen.query_one("#candidates", DataTable)
        # One row a person or organisation: the two «Công ty An Bình» are one donor.
        assert cells(table) == [
            ["", "BK", "Lê Thị Mai", "6", "Phường 1"],
            ["", "BK", "Công ty An Bình", "3", "Phường 1 và 1 đơn vị khác"],
            ["", "GK", "Cty An Binh", "1", "Phường 4"],
        ]
        assert table.virtual_size.width <= table.size.width  # within 80 columns
        await pilot.press("down", "g")
        await settle(pilot)
        assert cells(table)[1][0] == "GK"
        detail = str(screen.query_one("#candidate-detail", Static).render())
        assert "2 người trợ giúp ở 2 đơn vị là một" in detail
        assert "đã chọn: Đề nghị Tỉnh Hội tặng Giấy khen" in detail
        # Back on the results, the workbook to write holds the choice.
        await pilot.press("escape")
        await settle(pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen) and results.awards is not None
        assert [(p.id, p.proposed) for p in results.awards.proposed] == [("o1", "provincial")]


async def test_a_donor_is_joined_with_another_and_separated_again(office: Store) -> None:
    app = NhandaoApp(office, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_results(pilot)
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#candidates", DataTable)
        # «Cty An Binh» is the same company: join it to «Công ty An Bình».
        await pilot.press("down", "down", "n")
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen)
        await pilot.press(*"an binh")
        await pilot.pause()
        # Only donors are offered (a Red Cross person is never one with a donor).
        options = app.screen.query_one("#join-list")
        assert options.option_count == 1
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CandidatesScreen)
        assert cells(table) == [
            ["", "BK", "Lê Thị Mai", "6", "Phường 1"],
            ["", "BK", "Công ty An Bình", "4", "Phường 1 và 2 đơn vị khác"],
        ]
        assert office.get("link", "o3")["same_as"] == "o1"  # type: ignore[index]
        # Phường 3's «Công ty An Bình» is another company: separate it.
        await pilot.press("down", "t")
        await pilot.pause()
        assert isinstance(app.screen, SplitScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        # Awarded before, it is eligible for the central certificate: listed first.
        assert [row[1:] for row in cells(table)] == [
            ["BK", "Lê Thị Mai", "6", "Phường 1"],
            ["BK", "Công ty An Bình", "2", "Phường 3"],
            ["GK", "Công ty An Bình", "3", "Phường 1 và 1 đơn vị khác"],
        ]
        # And take back the join: «Cty An Binh» stands alone again.
        await pilot.press("down", "t")
        await pilot.pause()
        await pilot.press("down", "u")
        await settle(pilot)
        assert office.get("link", "o3")["deleted"] is True  # type: ignore[index]
        assert sorted(row[2] for row in cells(table)) == sorted(
            ["Công ty An Bình", "Công ty An Bình", "Cty An Binh", "Lê Thị Mai"]
        )


async def test_a_choice_refused_is_said_and_saves_nothing(office: Store) -> None:
    app = NhandaoApp(office, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_results(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("x")  # Lê Thị Mai was never proposed
        await pilot.pause()
        assert office.count("proposal", live=False) == 0
        assert any(
            "«Lê Thị Mai» chưa được chọn để đề nghị khen thưởng." in str(n.message)
            for n in app._notifications
        )


async def test_a_name_with_markup_or_controls_is_shown_as_typed(office: Store) -> None:
    office.save("helper", helper("o9", side="outside", kind="individual", name="[b]Bà Tư[/b]"))
    office.save_many(attach("o9", range(1), "z"))
    app = NhandaoApp(office, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_results(pilot)
        await pilot.press("4")
        await settle(pilot)
        names = [row[2] for row in cells(app.screen.query_one("#candidates", DataTable))]
        assert "[b]Bà Tư[/b]" in names
