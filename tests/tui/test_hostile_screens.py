"""Issue 13, "text from people and files is data", on screen: every screen of the interface,
driven with Pilot at 80×24 on stores whose names and notes hold markup brackets, emoji codes,
escape sequences, NUL and direction marks.

Each test reads what is painted (the strips the screens render, and the text of the Static
widgets and notifications, which may wrap) and checks that the app is still running, that the
hostile text is shown literally (`hostile.shown_as`: brackets and «:fire:» as typed, controls
as visible placeholders), and that no painted segment carries a control character to the
terminal. Stores come two ways: `imported`, through today's entry rules, and `planted`, as a
store written by an older version (or a hostile folder) holds text those rules refuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from craft import Key, bundle, jsonl, line, version
from factories import TODAY, address, aid, helper
from hostile import (
    BARE_ESC,
    BRACKETS,
    CLEAR,
    CLICK,
    CLOSE,
    CLOSE_NAMED,
    COLOUR,
    CSI,
    EMOJI,
    ISOLATE,
    NFD,
    NUL,
    OPEN,
    OVERRIDE,
    STYLE,
    TITLE,
    ZERO_WIDTH,
    code_point,
    describe_controls,
    planted,
    raw_controls,
    rename_units,
    shown_as,
)
from offices import chain, make_office
from pilots import settle
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Static

from store.store import Store
from sync import keys, quarantine, send
from sync.receive import import_bundle
from tui.app import NhandaoApp
from tui.drives import Place
from tui.screens import exchange
from tui.screens.address_detail import AddressDetail
from tui.screens.addresses import AddressesScreen
from tui.screens.dialogs import ConfirmScreen
from tui.screens.forms import AddressForm, DuplicatesScreen, HelperForm
from tui.screens.lists import HelpersScreen, ModelsScreen
from tui.screens.province import ConflictDetail, ConflictsScreen, QuarantineFix, QuarantineScreen
from tui.screens.review import ReviewScreen, StopReasonScreen

SIZE = (80, 24)
COMMUNE = "25456"  # Phường 1
LINK_SHORT = "[link=x]Sáu[/link]"  # a link short enough for the narrowest name column


# ----------------------------------------------------------------------------- reading screens


def painted(app: App) -> list:
    """The strips every screen of the stack paints, top to bottom: the segments the driver
    writes to the terminal (Textual has no public way to read them but its compositor)."""
    return [strip for screen in app.screen_stack for strip in screen._compositor.render_strips()]


def screen_text(app: App) -> str:
    """What the screens show: each painted line, then the text of every Static shown on the
    current screen (a label, a message, a notification), whole even where it wraps."""
    lines = [strip.text for strip in painted(app)]
    statics = [
        str(widget.render())
        for widget in app.screen.walk_children()
        if isinstance(widget, Static) and widget.display  # toasts too (not found by type name)
    ]
    return "\n".join(lines + statics)


def assert_safe(app: App) -> None:
    """The app is running and nothing it paints would drive the terminal."""
    assert app.is_running
    found = {
        ch
        for strip in painted(app)
        for segment in strip
        if not segment.control
        for ch in raw_controls(segment.text)
    }
    assert not found, describe_controls(found)
    assert "🔥" not in screen_text(app)  # «:fire:» is never an emoji


def assert_literal(app: App, *texts: str) -> None:
    """Each text is on screen as `shown_as` says, and nothing painted is a control."""
    assert_safe(app)
    shown = screen_text(app)
    for text in texts:
        assert shown_as(text) in shown, (shown_as(text), shown)


def run(app: App):  # type: ignore[no-untyped-def]
    """The app at 80×24, with its notifications painted like any widget."""
    return app.run_test(size=SIZE, notifications=True)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type as a terminal sends it (see test_flows.py)."""
    from textual._xterm_parser import XTermParser

    await pilot.pause()
    for event in XTermParser().feed(text):
        pilot.app.post_message(event)
    await pilot.pause()


async def paste(pilot: Pilot, text: str) -> None:
    """Paste into the focused box, as a terminal's bracketed paste delivers it: whatever the
    clipboard held, controls included."""
    await pilot.pause()
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


async def calm(pilot: Pilot) -> None:
    """Wait for the screen to catch up with what was pressed, notifications included: one
    raised as a dialog closes can land on the dialog's toast rack, so the rack of the screen
    now shown is brought up to date (as the next refresh of notifications would)."""
    await pilot.pause()
    pilot.app._refresh_notifications()
    await pilot.pause()
    await pilot.pause()


def new_app(store: Store) -> NhandaoApp:
    return NhandaoApp(store, cursor_blink=False)


# ----------------------------------------------------------------------------- a commune's store


@dataclass(frozen=True)
class Names:
    """The names and notes of one hostile store."""

    helper: str  # h1, a member attached to a1 who gave x1
    donor: str  # h2, an outside organisation attached to a1 who gave x2
    addresses: tuple[str, ...]  # a1, a2, …
    place: str  # a1's
    stop_reason: str  # the last address's, stopped in 2015
    form: str  # x1's
    note: str  # x1's
    model: str
    objective: str


ACCEPTED = Names(
    helper=CLOSE_NAMED,
    donor=STYLE,
    addresses=(CLOSE, BRACKETS, EMOJI, CLICK, LINK_SHORT, NFD, ZERO_WIDTH),
    place=OPEN,
    stop_reason="Chuyển đi [/]",
    form="Gạo [/]",
    note="[b]ghi[/b] :fire:",
    model="[@click=app.quit]Bếp",
    objective="Mục tiêu [/]\n:fire: dòng hai",
)
PLANTED = Names(
    helper=TITLE,
    donor=COLOUR,
    addresses=(CLEAR, BARE_ESC, CSI, NUL, OVERRIDE, ISOLATE),
    place="Ấp\x1b[8m Bàu Sen",
    stop_reason="Chuyển\x1b[2J đi",
    form="Gạo\x07",
    note="Ghi\x1b[2J chú",
    model="Bếp\x1b]0;x\x07 ăn",
    objective="Mục tiêu\x00\ndòng hai",
)


def records_of(names: Names, unit: str = COMMUNE) -> list[tuple[str, dict]]:
    last = len(names.addresses)
    records: list[tuple[str, dict]] = [
        ("helper", helper("h1", unit=unit, name=names.helper)),
        ("helper", helper("h2", unit=unit, side="outside", kind="organisation",
                          name=names.donor)),
    ]  # fmt: skip
    for number, name in enumerate(names.addresses, start=1):
        fields: dict = {"name": name, "unit": unit}
        if number == 1:
            fields["place"] = names.place
        if number == last:
            fields.update(stopped_on="2015-01-01", stop_reason=names.stop_reason)
        records.append(("address", address(f"a{number}", **fields)))
    records += [
        ("attachment", {"id": "t1", "address": "a1", "helper": "h1", "from": "2010-01-01",
                        "until": None, "stop_reason": None}),
        ("attachment", {"id": "t2", "address": "a1", "helper": "h2", "from": "2011-01-01",
                        "until": "2012-01-01", "stop_reason": names.stop_reason}),
        ("aid", aid("x1", helper="h1", form=names.form, note=names.note)),
        ("aid", aid("x2", helper="h2", on="2011-06-01", form=names.form)),
        ("model", {"id": "m1", "unit": unit, "type": "charity_kitchen", "name": names.model,
                   "objective": names.objective, "method": None, "results": None,
                   "effect": None, "started_on": "2012-01-01"}),
    ]  # fmt: skip
    return records


def seed(store: Store, names: Names, how: str, unit: str = COMMUNE) -> None:
    records = records_of(names, unit)
    if how == "imported":
        store.save_many(records)
    else:
        for kind, record in records:
            planted(store, kind, record)


@dataclass
class Desk:
    store: Store
    names: Names
    how: str


@pytest.fixture(params=["imported", "planted"])
def desk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Desk]:
    """A commune office (Phường 1) whose records are named with hostile text."""
    names = ACCEPTED if request.param == "imported" else PLANTED
    with Store.create(tmp_path / "commune", COMMUNE, today=lambda: TODAY) as store:
        seed(store, names, request.param)
        yield Desk(store, names, request.param)


@pytest.fixture
def accepted(tmp_path: Path) -> Iterator[Desk]:
    with Store.create(tmp_path / "commune", COMMUNE, today=lambda: TODAY) as store:
        seed(store, ACCEPTED, "imported")
        yield Desk(store, ACCEPTED, "imported")


def live_names(desk: Desk) -> tuple[str, ...]:
    """The addresses the lists show: all but the last, which stopped."""
    return desk.names.addresses[:-1]


# ----------------------------------------------------------------------------- entry screens


async def test_the_addresses_list_shows_every_name_and_place_literally(desk: Desk) -> None:
    app = new_app(desk.store)
    async with run(app) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, AddressesScreen)
        await calm(pilot)
        assert_literal(app, *desk.names.addresses, desk.names.place)


async def test_the_address_detail_shows_the_address_its_helpers_and_aid_literally(
    desk: Desk,
) -> None:
    app = new_app(desk.store)
    async with run(app) as pilot:
        await pilot.press("a")
        app.push_screen(AddressDetail(desk.store, "a1"))
        await calm(pilot)
        assert isinstance(app.screen, AddressDetail)
        names = desk.names
        assert_literal(app, names.addresses[0], names.place, names.helper, names.donor, names.form)


async def test_a_stopped_address_shows_why_it_stopped_literally(desk: Desk) -> None:
    last = f"a{len(desk.names.addresses)}"
    app = new_app(desk.store)
    async with run(app) as pilot:
        app.push_screen(AddressDetail(desk.store, last))
        await calm(pilot)
        assert_literal(app, desk.names.addresses[-1], desk.names.stop_reason)


async def test_the_address_form_holds_the_stored_name_and_place(desk: Desk) -> None:
    app = new_app(desk.store)
    async with run(app) as pilot:
        await pilot.press("a")
        app.push_screen(AddressForm(desk.store, desk.store.get("address", "a1")))
        await calm(pilot)
        assert isinstance(app.screen, AddressForm)
        assert_safe(app)
        if desk.how == "imported":
            assert app.screen.query_one("#field-name Input", Input).value == CLOSE
            assert_literal(app, CLOSE, OPEN)


async def test_the_helpers_list_and_the_addresses_attached_are_shown_literally(
    desk: Desk,
) -> None:
    app = new_app(desk.store)
    async with run(app) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, HelpersScreen)
        await calm(pilot)
        # h1 (a member) comes first and is highlighted: its address a1 is listed below.
        assert_literal(app, desk.names.helper, desk.names.donor, desk.names.addresses[0])


async def test_the_helper_form_holds_the_stored_name(desk: Desk) -> None:
    app = new_app(desk.store)
    async with run(app) as pilot:
        await pilot.press("h", "enter")
        await calm(pilot)
        assert isinstance(app.screen, HelperForm)
        assert_safe(app)
        if desk.how == "imported":
            assert_literal(app, CLOSE_NAMED)


def deleted_or_told(app: App, record: dict, notice: str) -> None:
    """After «Có» to a deletion: the record is a tombstone and the notice says so literally;
    or (a record an older store holds, with text refused today) the app goes on and says in
    Vietnamese what stops it, naming the character."""
    assert_safe(app)
    if record["deleted"]:
        assert_literal(app, notice)
        return
    told = screen_text(app)
    assert "U+" in told and "ký tự" in told, f"not deleted, and nothing said: {told}"


async def test_deleting_a_helper_asks_with_its_name_literally_and_says_so_after(
    desk: Desk,
) -> None:
    app = new_app(desk.store)
    async with run(app) as pilot:
        await pilot.press("h", "delete")
        await calm(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert_literal(app, desk.names.helper)
        if desk.how == "imported":
            assert "«Nhà hảo tâm [/ẩn danh]»" in screen_text(app)
        await pilot.press("y")
        await calm(pilot)
        assert isinstance(app.screen, HelpersScreen)
        deleted_or_told(
            app, desk.store.get("helper", "h1"), f"Đã xoá người trợ giúp «{desk.names.helper}»"
        )


async def test_deleting_an_address_asks_with_its_name_literally_and_says_so_after(
    desk: Desk,
) -> None:
    app = new_app(desk.store)
    async with run(app) as pilot:
        await pilot.press("a")
        app.screen.query_one("#addresses").focus()
        await calm(pilot)
        key = app.screen.query_one("#addresses").current_key
        name = desk.store.get("address", key)["name"]
        await pilot.press("delete")
        await calm(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert_literal(app, name)
        await pilot.press("y")
        await calm(pilot)
        deleted_or_told(app, desk.store.get("address", key), f"Đã xoá địa chỉ «{name}»")


async def test_the_review_lists_names_the_address_when_stopping_and_says_what_was_saved(
    desk: Desk,
) -> None:
    app = new_app(desk.store)
    async with run(app) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen)
        await calm(pilot)
        assert_literal(app, *live_names(desk))
        key = app.screen.query_one("#due").current_key
        name = desk.store.get("address", key)["name"]
        await pilot.press("s")
        await calm(pilot)
        assert isinstance(app.screen, StopReasonScreen)
        assert_literal(app, f"Dừng trợ giúp «{name}»: ngày dừng và lý do dừng")
        await pilot.press("escape", "c")
        await calm(pilot)
        assert_literal(app, f"Đã lưu: «{name}» — tiếp tục.")
        # The next one stops, for a reason typed with brackets.
        key = app.screen.query_one("#due").current_key
        name = desk.store.get("address", key)["name"]
        await pilot.press("s", "enter")  # the date shown, kept
        await type_text(pilot, "Chuyển đi [/] :fire:")
        await pilot.press("enter")
        await calm(pilot)
        assert isinstance(app.screen, ReviewScreen)
        stopped = desk.store.get("address", key)
        if stopped["stopped_on"]:
            assert stopped["stop_reason"] == "Chuyển đi [/] :fire:"
            assert_literal(app, f"Đã lưu: «{name}» — dừng.")
        else:  # an address an older store holds, with a name refused today
            deleted_or_told(app, {"deleted": False}, "")


async def test_the_models_list_shows_names_and_objectives_literally(desk: Desk) -> None:
    app = new_app(desk.store)
    async with run(app) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, ModelsScreen)
        await calm(pilot)
        assert_safe(app)
        assert shown_as(desk.names.model) in screen_text(app)
        for line_of_text in desk.names.objective.splitlines():
            assert shown_as(line_of_text) in screen_text(app)


async def test_the_attachment_form_names_the_address_and_its_helper_literally(
    desk: Desk,
) -> None:
    app = new_app(desk.store)
    async with run(app) as pilot:
        app.push_screen(AddressDetail(desk.store, "a1"))
        await calm(pilot)
        app.screen.query_one("#attachments").focus()
        await pilot.press("enter")
        await calm(pilot)
        assert_literal(app, desk.names.addresses[0])
        if desk.how == "imported":
            assert_literal(app, desk.names.helper)


# ----------------------------------------------------------------------------- typing


async def test_a_name_typed_with_brackets_is_saved_literally_and_the_notice_says_so(
    accepted: Desk,
) -> None:
    app = new_app(accepted.store)
    async with run(app) as pilot:
        await pilot.press("a", "ctrl+n")
        await type_text(pilot, "Nhà [/ẩn danh] :fire: mới")
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert isinstance(app.screen, AddressesScreen)
        assert_literal(app, "Đã lưu địa chỉ «Nhà [/ẩn danh] :fire: mới»")
    names = [a["name"] for a in accepted.store.records("address")]
    assert "Nhà [/ẩn danh] :fire: mới" in names


async def test_a_name_like_one_stored_shows_the_possible_duplicate_literally(
    accepted: Desk,
) -> None:
    app = new_app(accepted.store)
    async with run(app) as pilot:
        await pilot.press("a", "ctrl+n")
        await type_text(pilot, CLOSE)
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        assert_literal(app, f"Có thể «{CLOSE}» đã có trong danh sách", CLOSE)


@pytest.mark.parametrize("pasted", [CLEAR, OVERRIDE], ids=["esc", "bidi"])
async def test_a_control_character_pasted_into_a_name_never_reaches_the_store(
    accepted: Desk, pasted: str
) -> None:
    """The box drops it, or saving refuses it naming the character; never stored, never
    painted raw."""
    app = new_app(accepted.store)
    before = accepted.store.count("address")
    async with run(app) as pilot:
        await pilot.press("a", "ctrl+n")
        await paste(pilot, pasted)
        assert_safe(app)
        typed = app.screen.query_one("#field-name Input", Input).value
        await pilot.press("ctrl+s")
        await calm(pilot)
        await calm(pilot)
        if isinstance(app.screen, DuplicatesScreen):
            await pilot.press("ctrl+s")
            await calm(pilot)
        assert_safe(app)
        if raw_controls(typed):
            assert isinstance(app.screen, AddressForm), "a name with a control was saved"
            error = str(app.screen.query_one("#field-name .field--error", Static).render())
            assert "ký tự" in error, error  # Vietnamese: «… có ký tự điều khiển …»
            assert any(code_point(ch) in error for ch in raw_controls(typed)), error
    stored = [a["name"] for a in accepted.store.records("address")]
    assert all(not raw_controls(name) for name in stored)
    assert accepted.store.count("address") in (before, before + 1)


async def test_an_unknown_helper_typed_for_an_aid_is_named_literally(accepted: Desk) -> None:
    app = new_app(accepted.store)
    async with run(app) as pilot:
        app.push_screen(AddressDetail(accepted.store, "a1"))
        await calm(pilot)
        await pilot.press("ctrl+t", "enter")
        await type_text(pilot, "Bà [/ẩn danh] khác")
        await pilot.press("enter")
        await type_text(pilot, "Gạo")
        await pilot.press("enter")
        await type_text(pilot, "500k")
        await pilot.press("enter")
        await calm(pilot)
        assert_literal(app, "Không có người trợ giúp tên «Bà [/ẩn danh] khác»")
    assert accepted.store.count("aid") == 2


async def test_an_aid_saved_for_a_helper_named_with_brackets_says_so_literally(
    accepted: Desk,
) -> None:
    app = new_app(accepted.store)
    async with run(app) as pilot:
        app.push_screen(AddressDetail(accepted.store, "a1"))
        await calm(pilot)
        await pilot.press("ctrl+t", "enter")
        await type_text(pilot, "nha hao tam")
        await pilot.pause(0.1)
        await pilot.press("right", "enter")
        await type_text(pilot, "Gạo [/] :fire:")
        await pilot.press("enter")
        await type_text(pilot, "500k")
        await pilot.press("enter")
        await calm(pilot)
        assert_literal(app, "Đã lưu lần trợ giúp 500.000 đ", "Gạo [/] :fire:", CLOSE_NAMED)
    forms = {a.get("form") for a in accepted.store.records("aid")}
    assert "Gạo [/] :fire:" in forms


# ----------------------------------------------------------------------------- the office's units

ACCEPTED_UNITS = {
    "72": "Tỉnh [Tây Ninh] :fire:",
    "703": "Thành phố [/ẩn danh]",
    "25456": "Phường [cơ sở 2]",
    "25459": "Phường [/]",
    "25462": "[bold red]Phường 4",
    "25465": "Xã :fire: Bình Minh",
}
PLANTED_UNITS = {
    "72": "Tỉnh\x1b[2J Tây Ninh",
    "703": "Thành phố\x1b]0;x\x1b\\ Tây Ninh",
    "25456": "Phường\x1b[31m 1",
    "25459": "Phường\x9b3",
    "25462": "Phường\x00 4",
    "25465": "Xã\u202eBình Minh",
}


@pytest.fixture(params=["imported", "planted"])
def district(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, dict]]:
    """Thành phố Tây Ninh's office (703), its units renamed by the directory; Phường 1 holds
    the records of `desk`."""
    units = ACCEPTED_UNITS if request.param == "imported" else PLANTED_UNITS
    names = ACCEPTED if request.param == "imported" else PLANTED
    with Store.create(tmp_path / "district", "703", today=lambda: TODAY) as store:
        rename_units(store, units)
        seed(store, names, request.param)
        yield store, units


async def test_home_header_and_unit_filter_name_the_office_and_its_units_literally(
    district: tuple[Store, dict],
) -> None:
    store, units = district
    children = [u["name"] for u in store.units.children("703")[:6]]
    app = new_app(store)
    async with run(app) as pilot:
        await settle(pilot)
        assert_literal(app, units["703"])
        shown = screen_text(app)
        for name in children:
            assert shown_as(name) in shown, name
        # The addresses: the filter of units offers each by name.
        await pilot.press("a")
        await calm(pilot)
        assert_safe(app)
        app.screen.query_one("#filter-unit").focus()
        await pilot.press("enter")
        await calm(pilot)
        assert_literal(app, units["25456"], units["25459"])


async def test_the_assessment_of_each_unit_names_it_literally(
    district: tuple[Store, dict],
) -> None:
    store, units = district
    app = new_app(store)
    async with run(app) as pilot:
        await pilot.press("d")
        await calm(pilot)
        assert_literal(app, units["25456"], units["25459"])
        key = app.screen.query_one("#units").current_key
        await pilot.press("enter")
        await calm(pilot)
        assert_literal(app, store.units.name(key))
        await pilot.press("ctrl+s")
        await calm(pilot)
        assert_literal(app, f"Đã lưu đánh giá của {store.units.name(key)}.")


# ----------------------------------------------------------------------------- exchange screens


@pytest.fixture
def usb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The only place offered for bundles: a USB stick whose label and folder have brackets."""
    folder = tmp_path / "media" / "[bold]USB :fire:"
    folder.mkdir(parents=True)
    monkeypatch.setattr(exchange, "places", lambda: [Place(folder, "USB [cơ sở 2] [/]", True)])
    return folder


@pytest.fixture(params=["imported", "planted"])
def offices(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[object, dict]]:
    """Province, Thành phố Tây Ninh and Phường 1 with their keys enrolled, every directory
    renaming the units; Phường 1 holds the records of `desk`."""
    units = ACCEPTED_UNITS if request.param == "imported" else PLANTED_UNITS
    names = ACCEPTED if request.param == "imported" else PLANTED
    with chain(tmp_path / "offices") as made:
        for store in (made.province, made.district, made.commune):
            rename_units(store, units)
        seed(made.commune, names, request.param)
        yield made, units


async def test_sending_names_the_office_above_the_place_and_the_bundle_literally(
    offices: tuple, usb: Path
) -> None:
    made, units = offices
    app = new_app(made.commune)
    async with run(app) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await calm(pilot)
        assert_literal(app, units["703"], "USB [cơ sở 2] [/]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_literal(app, units["703"], str(usb))
    assert any(usb.iterdir())


async def test_receiving_names_files_senders_units_and_an_unknown_key_literally(
    offices: tuple, usb: Path
) -> None:
    made, units = offices
    sent = send.export_records(made.commune, usb)
    assert sent is not None
    good = sent.path.rename(usb / "[bold]gói :fire:.zip")
    broken = usb / "[cơ sở 2] hỏng.zip"
    broken.write_bytes(b"not a zip")
    stranger = usb / "la [bold].zip"  # signed by a key nobody enrolled, claiming Phường 1
    stranger.write_bytes(
        bundle(Key(), COMMUNE, {"records/25456.jsonl": jsonl([])}, to="703", sequence=7)
    )
    app = new_app(made.district)
    async with run(app) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await calm(pilot)
        assert_literal(app, good.name, broken.name, stranger.name)
        screen = app.screen
        screen.query_one("#picker").chosen.extend([good, broken, stranger])
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert_literal(app, good.name, broken.name, stranger.name)
        table = screen.query_one("#reports")
        rows = {Path(report.source).name: str(i) for i, report in enumerate(screen.reports)}
        # Each row explained below the list: the units of the good one, why the others failed.
        table.move_to(rows[good.name])
        await calm(pilot)
        assert_literal(app, units["25456"])
        table.move_to(rows[broken.name])
        await calm(pilot)
        assert_safe(app)
        table.move_to(rows[stranger.name])
        await calm(pilot)
        await pilot.press("ctrl+e")
        await calm(pilot)
        assert_literal(app, units["25456"])


async def test_the_keys_screen_names_each_unit_literally(offices: tuple) -> None:
    made, units = offices
    app = new_app(made.district)
    async with run(app) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await calm(pilot)
        assert_literal(app, units["25456"])
        await pilot.press("delete")
        await calm(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await calm(pilot)
        assert_safe(app)


# ----------------------------------------------------------------------------- province screens


@dataclass
class Held:
    store: Store
    names: tuple[str, ...]


@pytest.fixture(params=["brackets", "controls"])
def held(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Held]:
    """Thành phố Tây Ninh's office holding records Phường 1 signed that break the rules (a
    negative number of people), named with hostile text."""
    names = (CLOSE, CLOSE_NAMED) if request.param == "brackets" else (CLEAR, OVERRIDE)
    with chain(tmp_path / "offices") as made:
        commune_key = Key(keys.office_key(made.commune).private)
        lines = [
            line("address", address(f"a{n}", name=name, people=-3), COMMUNE, version(n))
            for n, name in enumerate(names, start=1)
        ]
        payload = bundle(commune_key, COMMUNE, {"records/25456.jsonl": jsonl(lines)},
                         to="703", sequence=101)  # fmt: skip
        path = tmp_path / "held.zip"
        path.write_bytes(payload)
        assert import_bundle(made.district, path).status == "merged"
        assert len(quarantine.held(made.district)) == len(names)
        yield Held(made.district, names)


async def test_held_records_their_reasons_fix_and_drop_name_them_literally(held: Held) -> None:
    app = new_app(held.store)
    async with run(app) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await calm(pilot)
        assert isinstance(app.screen, QuarantineScreen)
        assert_literal(app, *held.names)
        await pilot.press("enter")
        await calm(pilot)
        assert isinstance(app.screen, QuarantineFix)
        assert_safe(app)
        await pilot.press("escape")
        await calm(pilot)
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
            await calm(pilot)
        await pilot.press("delete")
        await calm(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert any(shown_as(name) in screen_text(app) for name in held.names)
        assert_safe(app)
        await pilot.press("y")
        await calm(pilot)
        assert_safe(app)


# The versions made elsewhere at the same time as here, in use once they arrive (later clock).
CONFLICTING = {
    "imported": ("Hộ [/ẩn danh]", "[bold red]Bà Tư"),
    "planted": ("Hộ\x1b[2J Tư", "\x1b]0;x\x07Bà Tư"),
}


@pytest.fixture(params=["imported", "planted"])
def conflicted(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Desk]:
    """A commune store where a1 and h1 were edited elsewhere at the same time as here: the
    versions made here are kept aside as conflicts."""
    names = ACCEPTED if request.param == "imported" else PLANTED
    address_name, helper_name = CONFLICTING[request.param]
    with Store.create(tmp_path / "commune", COMMUNE, today=lambda: TODAY) as store:
        seed(store, names, request.param)
        planted(store, "address", address("a1", name=address_name, place=names.note))
        planted(store, "helper", helper("h1", name=helper_name))
        assert len(store.conflicts()) == 2
        yield Desk(store, names, request.param)


async def test_conflicts_and_their_two_versions_are_shown_literally(conflicted: Desk) -> None:
    app = new_app(conflicted.store)
    async with run(app) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await calm(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        names = conflicted.names
        address_name, helper_name = CONFLICTING[conflicted.how]
        assert_literal(app, address_name, helper_name)
        first = app.screen.query_one("#conflicts").current_key or ""
        await pilot.press("enter")
        await calm(pilot)
        assert isinstance(app.screen, ConflictDetail)
        # The two versions side by side: the one in use, and the one kept aside.
        if "address" in first:
            assert_literal(app, address_name, names.addresses[0], names.note, names.place)
        else:
            assert_literal(app, helper_name, names.helper)


@pytest.fixture(params=["imported", "planted"])
def province(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, dict]]:
    """The province's office, its districts renamed, the records of `desk` in Phường 1."""
    names = ACCEPTED if request.param == "imported" else PLANTED
    districts = {
        "imported": {"703": "Thành phố [/]", "705": "Huyện [cơ sở 2]", "706": ":fire: Tân Châu"},
        "planted": {"703": "Thành\x1b[2J phố", "705": "Huyện\x9bTân Biên", "706": "\u202eTân"},
    }[request.param]
    with make_office(tmp_path / "province", "72") as store:
        rename_units(store, districts)
        seed(store, names, request.param)
        yield store, districts


async def test_who_has_reported_names_every_unit_below_literally(
    province: tuple[Store, dict],
) -> None:
    store, districts = province
    app = new_app(store)
    async with run(app) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await calm(pilot)
        assert_literal(app, *districts.values())


async def test_the_results_name_every_unit_literally_and_writing_to_a_bad_folder_says_so(
    province: tuple[Store, dict], tmp_path: Path
) -> None:
    store, districts = province
    app = new_app(store)
    async with run(app) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert_literal(app, *districts.values())
        await pilot.press("2")
        await settle(pilot)
        assert_safe(app)
        await pilot.press("3")
        await settle(pilot)
        assert_literal(app, districts["703"])
        await pilot.press("ctrl+s")
        await calm(pilot)
        missing = tmp_path / "không có [/ẩn danh] :fire:"
        await pilot.press("tab")
        await type_text(pilot, str(missing))
        await pilot.press("enter")
        await calm(pilot)
        # The dialog offers to make the folder, naming it as typed (markup and all).
        assert_literal(app, "không có [/ẩn danh] :fire:»", "Tạo thư mục này")
        await pilot.press("n")
        await calm(pilot)
        assert not missing.exists()
