"""Every screen at 80×24, compared with the picture a person looked at and accepted.

Run `pytest tests/tui/test_snapshots.py --snapshot-update` after a deliberate change, then look
at the report (snapshot_report.html) or the SVG files before committing them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from factories import TODAY
from pilots import settle
from textual.pilot import Pilot

from store.demo import write_demo
from store.store import Store
from tui.app import NhandaoApp


@pytest.fixture(scope="session")
def demo_commune(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The commune demo (seed 1), made once for all the pictures."""
    path = tmp_path_factory.mktemp("snapshots") / "commune"
    write_demo(path, seed=1, scale="commune").close()
    return path


@pytest.fixture
def app_on(tmp_path: Path, demo_commune: Path) -> Iterator[Callable[[], NhandaoApp]]:
    """A fresh copy of the demo store opened in the app, today fixed, the cursor steady."""
    stores: list[Store] = []

    def make() -> NhandaoApp:
        copy = tmp_path / "store"
        shutil.copytree(demo_commune, copy, ignore=shutil.ignore_patterns("nhandao.lock*"))
        store = Store.open(copy, today=lambda: TODAY)
        stores.append(store)
        return NhandaoApp(store, cursor_blink=False)

    yield make
    for store in stores:
        store.close()


async def figures_counted(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_home(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(), run_before=figures_counted, terminal_size=(80, 24))


def test_addresses_searched_without_accents(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(), press=["a", *"nguyen thi h"], terminal_size=(80, 24))


def test_new_address_form(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(), press=["a", "ctrl+n"], terminal_size=(80, 24))


def test_address_form_with_problems(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    async def fill(pilot: Pilot) -> None:
        await pilot.press("a", "ctrl+n", *"Hoang Van Be", "enter", "enter", "backspace", "3")
        await pilot.press("ctrl+s")

    assert snap_compare(app_on(), run_before=fill, terminal_size=(80, 24))


def test_duplicates_before_saving(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(), press=["a", "ctrl+n", *"Nguyen Thi Anh", "ctrl+s"],
                        terminal_size=(80, 24))  # fmt: skip


def test_address_detail_with_an_amount_typed(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    press = [
        "a",
        *"nguyen thi anh",
        "enter",
        "enter",
        "ctrl+t",
        "enter",
        "enter",
        "enter",
        *"1,5tr",
    ]
    assert snap_compare(app_on(), press=press, terminal_size=(80, 24))


def test_helpers(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(), press=["h"], terminal_size=(80, 24))


def test_models(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(), press=["m"], terminal_size=(80, 24))


def test_assessment(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(), press=["d", "enter"], terminal_size=(80, 24))


def test_yearly_review(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(), press=["r"], terminal_size=(80, 24))


def test_results(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    async def counted(pilot: Pilot) -> None:
        await pilot.press("t")
        await settle(pilot)  # the figures are counted in a thread

    assert snap_compare(app_on(), run_before=counted, terminal_size=(80, 24))


def test_help(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(), press=["a", "f1"], terminal_size=(80, 24))


def test_delete_asks_first(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(), press=["a", "enter", "delete"], terminal_size=(80, 24))


def test_addresses_in_a_wide_terminal(snap_compare, app_on) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(), press=["a"], terminal_size=(140, 30))
