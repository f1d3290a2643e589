"""Issue 13, "text from people and files is data": every way text gets in, and every command
that prints it.

On entry (`campaign.validation.check`, which forms, the records import and bundles all use) a
text is made NFC, its zero-width characters dropped and its spaces folded; a text holding a
control, direction or format character is refused with a Vietnamese message naming the field
and the code point; markup brackets and emoji codes are kept as typed. Wherever a text is shown
(here: every `nhandao` command) it is shown literally, its controls as visible placeholders,
and nothing from the data reaches the terminal as ESC, CSI, NUL or BEL, even from a store
written by an older version that holds text refused today.
"""

from __future__ import annotations

import json
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest
from factories import PROVINCE, TODAY, address, aid, helper
from hostile import (
    ACCEPTED,
    BARE_ESC,
    BOM,
    BRACKETS,
    CLEAR,
    CLICK,
    CLOSE,
    CLOSE_NAMED,
    COLOUR,
    CSI,
    EMOJI,
    INVISIBLE,
    ISOLATE,
    LINK,
    LONG,
    NFD,
    NUL,
    OPEN,
    OVERRIDE,
    REFUSED,
    REFUSED_CODE,
    STYLE,
    TITLE,
    ZERO_WIDTH,
    code_point,
    describe_controls,
    first_forbidden,
    hostile_text,
    is_forbidden,
    planted,
    raw_controls,
    rename_units,
    shown_as,
    stored_as,
)
from hypothesis import HealthCheck, given, settings
from offices import make_office

from campaign.records import KINDS
from campaign.units import UnitTree
from campaign.validation import MAX_LINE_LENGTH, MAX_PROSE_LENGTH, Known, check
from store.store import Store
from sync import keys
from tui.cli import main

# ----------------------------------------------------------------------------- entry

UNITS = UnitTree(
    [
        {"code": "72", "name": "Tỉnh Tây Ninh", "kind": "province", "parent": None},
        {"code": "703", "name": "Thành phố Tây Ninh", "kind": "district", "parent": "72"},
        {"code": "25456", "name": "Phường 1", "kind": "commune", "parent": "703"},
    ]
)
KNOWN = Known(
    units=UNITS.as_mapping(),
    addresses={"a1": address()},
    helpers={"h1": helper()},
    today=TODAY,
)
# A valid record of every kind, to put hostile text into.
VALID: dict[str, dict] = {
    "unit": {"code": "703-TH9", "name": "Trường THPT", "kind": "school", "parent": "703"},
    "address": address(),
    "helper": helper(),
    "attachment": {"id": "t1", "address": "a1", "helper": "h1", "from": "2010-01-01",
                   "until": "2012-01-01", "stop_reason": "Đã thoát nghèo"},
    "aid": aid(note="Ghi chú"),
    "review": {"id": "r1", "address": "a1", "year": 2012, "on": "2012-05-01",
               "outcome": "continue"},
    "model": {"id": "m1", "unit": "25456", "type": "charity_kitchen", "name": "Bếp ăn",
              "objective": "Mục tiêu", "method": None, "results": None, "effect": None,
              "started_on": "2012-01-01"},
    "assessment": {"unit": "25456", "steering_board": True, "directive": False,
                   "typical_model": False, "followed_guidance": True},
    "link": {"helper": "h1", "unit": "72", "same_as": "h1"},
    "proposal": {"id": "p1", "unit": "72", "year_from": 2008, "year_to": 2018,
                 "award": "central", "chapter": None, "helper": "h1"},
    "return": {"id": "bc-25456-2008-2018", "unit": "25456", "year_from": 2008,
               "year_to": 2018, "dossiers": 3, "red_cross": 1, "outside": 1, "helped": 2,
               "people": 2, "value": 10, "source": "bang-tong-hop.xlsx", "sha256": "ab" * 32,
               "accepted_by": "72-a91f", "accepted_on": "2018-11-01", "problems": None},
}  # fmt: skip
assert set(VALID) == set(KINDS), "a kind of record has no example here"
TEXT_FIELDS = [
    (kind, spec)
    for kind, record_kind in KINDS.items()
    for spec in record_kind.fields
    if spec.type in ("text", "line", "prose")
]
TEXT_IDS = [f"{kind}.{spec.name}" for kind, spec in TEXT_FIELDS]
# Fields that are not free text: a hostile value is refused, named shortly and visibly.
OTHER_FIELDS = [
    (kind, spec)
    for kind, record_kind in KINDS.items()
    for spec in record_kind.fields
    if spec.type not in ("text", "line", "prose", "bool", "int", "date", "date?")
]
OTHER_IDS = [f"{kind}.{spec.name}" for kind, spec in OTHER_FIELDS]
MESSAGE_LIMIT = 2_000


def entered(kind: str, name: str, value: object) -> tuple[dict | None, list]:
    return check(kind, {**VALID[kind], name: value}, KNOWN)


def assert_messages_are_safe(problems: list) -> None:
    """Every message is short, and shows no character that would drive a terminal."""
    for problem in problems:
        message = str(problem)
        assert len(message) < MESSAGE_LIMIT, f"a message of {len(message):,} characters"
        assert not raw_controls(message), (describe_controls(raw_controls(message)), message)
        assert not raw_controls(problem.detail)


def test_every_kind_of_record_was_checked_with_a_valid_example() -> None:
    for kind, record in VALID.items():
        assert check(kind, record, KNOWN)[1] == [], kind


@pytest.mark.parametrize(("kind", "spec"), TEXT_FIELDS, ids=TEXT_IDS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text())
def test_hostile_text_in_any_text_field_is_refused_naming_the_character_or_stored_clean(
    kind: str, spec, text: str
) -> None:
    prose = spec.type == "prose"
    record, problems = entered(kind, spec.name, text)
    assert_messages_are_safe(problems)
    mine = [p for p in problems if p.field == spec.name]
    bad = first_forbidden(text, prose=prose)
    if bad is not None:
        assert any(code_point(bad) in p.message and f"«{spec.label}»" in p.message for p in mine), (
            code_point(bad),
            [p.message for p in mine],
        )
        return
    assert not any("U+" in p.detail for p in mine), [p.message for p in mine]
    expected = stored_as(text, prose=prose)
    limit = MAX_PROSE_LENGTH if prose else MAX_LINE_LENGTH
    if len(expected) > limit:
        assert any("dài quá" in p.message for p in mine)
        return
    if not expected:
        if spec.type == "text":  # a required name of nothing but invisible characters
            assert any("không được để trống" in p.message for p in mine), (text, record)
        else:
            assert not mine and record is not None and not record[spec.name]
        return
    assert not mine, [p.message for p in mine]
    assert record is not None
    assert record[spec.name] == expected
    assert unicodedata.is_normalized("NFC", record[spec.name])
    assert not INVISIBLE.intersection(record[spec.name])


@pytest.mark.parametrize(("kind", "spec"), TEXT_FIELDS, ids=TEXT_IDS)
def test_markup_brackets_and_emoji_codes_are_stored_literally_in_every_text_field(
    kind: str, spec
) -> None:
    for example in ACCEPTED.values():
        record, problems = entered(kind, spec.name, example)
        assert problems == [], (example, [str(p) for p in problems])
        assert record is not None
        assert record[spec.name] == stored_as(example, prose=spec.type == "prose")
    assert entered(kind, spec.name, CLOSE)[0][spec.name] == "Trường THCS Mới [/]"
    assert entered(kind, spec.name, LINK)[0][spec.name] == "[link=https://evil]Sáu[/link]"
    assert entered(kind, spec.name, EMOJI)[0][spec.name] == "Bếp :fire: ấm"


@pytest.mark.parametrize(("kind", "spec"), TEXT_FIELDS, ids=TEXT_IDS)
def test_zero_width_characters_are_dropped_and_decomposed_text_is_stored_precomposed(
    kind: str, spec
) -> None:
    assert entered(kind, spec.name, ZERO_WIDTH)[0][spec.name] == "ĐặngVăn Tư"
    assert entered(kind, spec.name, BOM)[0][spec.name] == "Hoàng Anh"
    assert entered(kind, spec.name, NFD)[0][spec.name] == "Nguyễn Thị Hằng"


@pytest.mark.parametrize(("kind", "spec"), TEXT_FIELDS, ids=TEXT_IDS)
def test_a_letter_split_from_its_marks_by_a_zero_width_character_is_stored_precomposed(
    kind: str, spec
) -> None:
    record, problems = entered(kind, spec.name, "Nguye\u200b\u0302\u0303n")
    assert problems == []
    assert record[spec.name] == "Nguyễn"


@pytest.mark.parametrize(("kind", "spec"), TEXT_FIELDS, ids=TEXT_IDS)
def test_each_refused_example_is_refused_in_vietnamese_naming_field_and_code_point(
    kind: str, spec
) -> None:
    for name, example in REFUSED.items():
        _record, problems = entered(kind, spec.name, example)
        mine = [str(p) for p in problems if p.field == spec.name]
        assert len(mine) == 1, (name, mine)
        assert f"«{spec.label}»" in mine[0] and REFUSED_CODE[name] in mine[0], mine[0]
        assert "ký tự" in mine[0]  # Vietnamese: «có ký tự điều khiển …»
        assert_messages_are_safe(problems)


@pytest.mark.parametrize(("kind", "spec"), TEXT_FIELDS, ids=TEXT_IDS)
def test_a_required_name_of_only_invisible_characters_is_refused_as_empty(kind: str, spec) -> None:
    _record, problems = entered(kind, spec.name, "\u200b\ufeff\u2060")
    mine = [str(p) for p in problems if p.field == spec.name]
    if spec.type == "text":
        assert mine and "không được để trống" in mine[0], mine
    else:
        assert mine == []


@pytest.mark.parametrize(("kind", "spec"), TEXT_FIELDS, ids=TEXT_IDS)
def test_a_megabyte_value_is_refused_with_a_short_message(kind: str, spec) -> None:
    for value in (LONG, LONG + "\x1b[2J", "\x1b[2J" + LONG):
        _record, problems = entered(kind, spec.name, value)
        assert [p for p in problems if p.field == spec.name]
        assert_messages_are_safe(problems)


@pytest.mark.parametrize(("kind", "spec"), OTHER_FIELDS, ids=OTHER_IDS)
@settings(max_examples=25, deadline=None)
@given(text=hostile_text())
def test_hostile_codes_references_and_choices_are_refused_shortly_and_visibly(
    kind: str, spec, text: str
) -> None:
    value = [text] if spec.type == "groups" else text
    _record, problems = entered(kind, spec.name, value)
    assert_messages_are_safe(problems)
    if any(is_forbidden(ch) for ch in text.strip()):
        assert [p for p in problems if p.field == spec.name], text


@settings(max_examples=25, deadline=None)
@given(name=hostile_text(), note=hostile_text())
def test_a_record_named_hostilely_is_named_shortly_and_visibly_in_every_message(
    name: str, note: str
) -> None:
    # Every other problem of the record names it: «Địa chỉ «…» (mã …): …».
    raw = address(name=name, people=0, unit="nowhere", kind="bad", place=note)
    _record, problems = check("address", raw, KNOWN, position=3)
    assert len(problems) >= 3
    assert_messages_are_safe(problems)


# ----------------------------------------------------------------------------- the commands

# Units of Tây Ninh renamed by the directory: what the rules accept (brackets, emoji codes)…
ACCEPTED_UNITS = {
    "72": "Tỉnh [Tây Ninh] :fire:",
    "703": "Thành phố Tây Ninh [/]",
    "705": "Huyện Tân Biên [cơ sở 2]",
    "706": "[bold red]Huyện Tân Châu",
    "707": "Huyện :fire: Dương Minh Châu",
    "708": "[link=https://evil]Châu Thành[/link]",
    "709": "[@click=app.quit]Hòa Thành",
    "25456": "Phường [/ẩn danh]",
}
# … and what an older or hostile directory may hold.
PLANTED_UNITS = {
    "72": "Tỉnh\x1b[2J Tây Ninh",
    "703": "Thành phố\x1b]0;pwned\x1b\\ Tây Ninh",
    "705": "\x1b[31mHuyện Tân Biên",
    "706": "Huyện\x9bTân Châu",
    "707": "Huyện\x00Dương Minh Châu",
    "708": "Châu\u202eThành",
    "709": "\u2066Hòa Thành",
    "25456": "Phường\x1b1",
}
CHAPTERS = ("703", "705", "706", "707", "708", "709")  # rows of the province's summary


@dataclass(frozen=True)
class Texts:
    """The names and notes of one hostile store."""

    units: dict[str, str]
    school: str  # a unit added by a records file
    helpers: tuple[str, str, str]  # a member, an outside organisation, a volunteer
    addresses: tuple[str, str, str, str, str]
    place: str
    form: str
    note: str
    model: str
    objective: str


ACCEPTED_TEXTS = Texts(
    units=ACCEPTED_UNITS,
    school="Trường THPT [/] mới",
    helpers=(CLOSE_NAMED, STYLE, EMOJI),
    addresses=(CLOSE, BRACKETS, LINK, CLICK, NFD),
    place=OPEN,
    form="Gạo [/]",
    note="[link=https://evil]x[/link] :fire:",
    model="[@click=app.quit]Bếp ăn",
    objective="Mục tiêu [/]\nDòng hai :fire:",
)
PLANTED_TEXTS = Texts(
    units=PLANTED_UNITS,
    school="Trường\x1b[5m THPT",
    helpers=(TITLE, COLOUR, CSI),
    addresses=(CLEAR, BARE_ESC, NUL, OVERRIDE, ISOLATE),
    place="Ấp\x1b[8m Bàu Sen",
    form="Gạo\x07",
    note="Ghi chú\x1b[2J",
    model="Bếp ăn\x1b]0;x\x07",
    objective="Mục tiêu\x00",
)


def records_of(texts: Texts, prefix: str = "") -> list[tuple[str, dict]]:
    """Records of Phường 1 (25456) and a school of Thành phố Tây Ninh, named with `texts`:
    the first helper is attached to five addresses (an individual to propose), the second is
    an outside donor."""
    p = prefix
    member, donor, volunteer = texts.helpers
    records: list[tuple[str, dict]] = [
        ("unit", {"code": f"703-TH{p or '9'}", "name": texts.school, "kind": "school",
                  "parent": "703"}),
        ("helper", helper(f"{p}h1", name=member)),
        ("helper", helper(f"{p}h2", side="outside", kind="organisation", name=donor,
                          awarded_before=True)),
        ("helper", helper(f"{p}h3", kind="volunteer", name=volunteer)),
    ]  # fmt: skip
    for number, name in enumerate(texts.addresses, start=1):
        records.append(("address", address(f"{p}a{number}", name=name, place=texts.place)))
        records.append(
            ("attachment", {"id": f"{p}t{number}", "address": f"{p}a{number}",
                            "helper": f"{p}h1", "from": "2010-01-01", "until": None,
                            "stop_reason": None})
        )  # fmt: skip
        records.append(
            ("aid", aid(f"{p}x{number}", address=f"{p}a{number}", helper=f"{p}h1",
                        form=texts.form, note=texts.note))
        )  # fmt: skip
    records += [
        ("attachment", {"id": f"{p}t9", "address": f"{p}a1", "helper": f"{p}h2",
                        "from": "2011-01-01", "until": None, "stop_reason": None}),
        ("aid", aid(f"{p}x9", address=f"{p}a2", helper=f"{p}h2", on="2012-02-02",
                    value=2_000_000, form=texts.form, note=texts.note)),
        ("review", {"id": f"{p}r1", "address": f"{p}a1", "year": 2012, "on": "2012-05-01",
                    "outcome": "continue"}),
        ("model", {"id": f"{p}m1", "unit": "25456", "type": "charity_kitchen",
                   "name": texts.model, "objective": texts.objective, "method": None,
                   "results": None, "effect": None, "started_on": "2012-01-01"}),
        ("assessment", {"unit": "703", "steering_board": True, "directive": True,
                        "typical_model": False, "followed_guidance": True}),
    ]  # fmt: skip
    return records


def seed(store: Store, texts: Texts, how: str, prefix: str = "") -> None:
    """Rename the units and write the records: through the store's checks (`imported`, as a
    records file or a form would), or as an older store holds them (`planted`)."""
    rename_units(store, texts.units)
    store.update_settings(organisation=f"HỘI CHỮ THẬP ĐỎ {texts.units['72'].upper()}")
    records = records_of(texts, prefix)
    if how == "imported":
        store.save_many(records)
    else:
        for kind, record in records:
            planted(store, kind, record)


@pytest.fixture(autouse=True)
def _wide_plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide enough that no name wraps in a table; no colour forced on."""
    monkeypatch.setenv("COLUMNS", "250")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


@dataclass
class Offices:
    texts: Texts
    province: Path  # Tây Ninh (72): records of Phường 1 and the district's key enrolled
    district: Path  # Thành phố Tây Ninh (703): its own records of Phường 1, the province pinned
    folder: Path


@pytest.fixture(params=["imported", "planted"])
def offices(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Offices]:
    texts = ACCEPTED_TEXTS if request.param == "imported" else PLANTED_TEXTS
    province = make_office(tmp_path / "province", PROVINCE)
    with province, make_office(tmp_path / "district", "703", province) as district:
        keys.enrol(province, keys.office_key(district).public, "703")
        seed(province, texts, request.param)
        seed(district, texts, request.param, prefix="d")
    yield Offices(texts, tmp_path / "province", tmp_path / "district", tmp_path)


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run `nhandao` with `args`; its exit code and what it printed, checked to hold nothing
    that would drive a terminal."""
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert "Traceback" not in stream, stream
        assert not raw_controls(stream), (describe_controls(raw_controls(stream)), stream)
        assert "🔥" not in stream  # «:fire:» is never an emoji
    return code, captured.out, captured.err


def assert_shown(output: str, *texts: str) -> None:
    for text in texts:
        assert shown_as(text) in output, (shown_as(text), output)


def test_units_lists_every_unit_name_literally(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "units", "--store", offices.province)
    assert code == 0
    assert_shown(out, *offices.texts.units.values(), offices.texts.school)
    code, out, _err = run(capsys, "units", "--search", "tan bien", "--store", offices.province)
    assert code == 0
    assert_shown(out, offices.texts.units["705"])


def test_units_that_match_nothing_name_the_search_literally(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "units", "--search", "[/] :fire:", "--store", offices.province)
    assert code == 1
    assert "[/] :fire:" in out + err


def test_summary_prints_every_unit_name_literally(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "summary", "--store", offices.province)
    assert code == 0
    assert_shown(out, offices.texts.units["72"], *(offices.texts.units[c] for c in CHAPTERS))
    if offices.texts is ACCEPTED_TEXTS:
        assert "[cơ sở 2]" in out and "[/]" in out and ":fire:" in out


def test_summary_of_a_district_names_its_communes_literally(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "summary", "--unit", "703", "--store", offices.province)
    assert code == 0
    assert_shown(out, offices.texts.units["703"], offices.texts.units["25456"])


def test_summary_json_carries_the_names_exactly_and_no_raw_control(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "summary", "--json", "--store", offices.province)
    assert code == 0
    names = {row["unit"]: row["name"] for row in json.loads(out)}
    with Store.open(offices.province) as store:
        for unit in CHAPTERS:
            assert names[unit] == store.units.name(unit)


def test_summary_workbook_is_written_with_the_names_shown_literally(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    target = offices.folder / "bang [bold] tong hop :fire:.xlsx"
    code, out, _err = run(capsys, "summary", "--xlsx", target, "--store", offices.province)
    assert code == 0
    assert_shown(out, offices.texts.units["72"])
    assert str(target) in out
    cells = workbook_text(target)
    for unit in CHAPTERS:
        assert shown_as(offices.texts.units[unit]) in cells, unit
    assert not raw_controls(cells), describe_controls(raw_controls(cells))


def workbook_text(path: Path) -> str:
    """Every cell of every sheet of a workbook, as text."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    return "\n".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def test_records_export_round_trips_the_names_exactly(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    target = offices.folder / "ban ghi [bold].json"
    code, out, _err = run(capsys, "records", "export", target, "--store", offices.province)
    assert code == 0 and str(target) in out
    exported = orjson.loads(target.read_bytes())
    names = {a["id"]: a["name"] for a in exported["addresses"]}
    with Store.open(offices.province) as store:
        assert names == {a["id"]: a["name"] for a in store.records("address")}


def test_check_names_each_stored_control_character_and_prints_none(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "check", "--store", offices.province)
    if offices.texts is ACCEPTED_TEXTS:
        assert code == 0 and "không có lỗi" in out
        return
    assert code == 1
    for name in offices.texts.addresses:
        assert first_forbidden(name) is not None
        assert code_point(first_forbidden(name)) in out
    for line in out.splitlines():
        assert len(line) < MESSAGE_LIMIT


def test_awards_show_chapters_people_and_donors_literally(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "awards", "--store", offices.province)
    assert code == 0
    texts = offices.texts
    assert_shown(out, *(texts.units[c] for c in CHAPTERS), texts.helpers[0], texts.helpers[1])
    code, out, _err = run(capsys, "awards", "--people", "--store", offices.province)
    assert code == 0
    assert_shown(out, texts.helpers[0], texts.helpers[1], texts.units["25456"])
    code, out, _err = run(capsys, "awards", "--json", "--people", "--store", offices.province)
    assert code == 0
    people = json.loads(out)
    names = {person["name"] for person in people["individuals"] + people["donors"]}
    with Store.open(offices.province) as store:
        assert {store.get("helper", "h1")["name"], store.get("helper", "h2")["name"]} <= names
    # The chapters as JSON: every name exactly, and (as `run` checks) no C1 or bidi character
    # raw in the output.
    code, out, _err = run(capsys, "awards", "--json", "--store", offices.province)
    assert code == 0
    chapters = {chapter["unit"]: chapter["name"] for chapter in json.loads(out)}
    with Store.open(offices.province) as store:
        assert chapters == {unit: store.units.name(unit) for unit in chapters}
        assert set(CHAPTERS) <= set(chapters)


def test_awards_workbook_is_written_with_names_shown_literally(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    target = offices.folder / "khen [thuong].xlsx"
    code, out, _err = run(capsys, "awards", "--xlsx", target, "--store", offices.province)
    assert code == 0 and str(target) in out
    cells = workbook_text(target)
    assert shown_as(offices.texts.helpers[0]) in cells
    assert shown_as(offices.texts.units["703"]) in cells
    assert not raw_controls(cells), describe_controls(raw_controls(cells))


def test_report_is_written_and_its_message_names_the_office_literally(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    target = offices.folder / "bao cao [bold] :fire:.docx"
    code, out, _err = run(capsys, "report", "--docx", target, "--store", offices.province)
    assert code == 0
    office = offices.texts.units["72"]  # «Tỉnh X» is «Hội Chữ thập đỏ tỉnh X» in a sentence
    in_text = "tỉnh " + office.removeprefix("Tỉnh ") if office.startswith("Tỉnh ") else office
    assert shown_as(f"Hội Chữ thập đỏ {in_text}") in out
    with zipfile.ZipFile(target) as document:
        body = document.read("word/document.xml").decode("utf-8")
    assert not raw_controls(body), describe_controls(raw_controls(body))
    plain = docx_text(target)
    assert shown_as(offices.texts.units["703"]) in plain


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_keys_commands_name_the_units_literally(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = offices.texts
    code, out, _err = run(capsys, "keys", "show", "--store", offices.district)
    assert code == 0
    assert_shown(out, texts.units["703"])
    code, out, _err = run(capsys, "keys", "list", "--store", offices.province)
    assert code == 0
    assert_shown(out, texts.units["703"])
    with make_office(offices.folder / "commune", "25456") as commune:
        public = keys.public_key_path(commune)
    code, out, _err = run(
        capsys, "keys", "enrol", public, "--unit", "25456", "--store", offices.province
    )
    assert code == 0
    assert_shown(out, texts.units["72"], texts.units["703"], texts.units["25456"])
    with Store.open(offices.district) as district:
        key_id = keys.office_key(district).public.id_text
    code, out, _err = run(capsys, "keys", "revoke", key_id, "--store", offices.province)
    assert code == 0
    assert_shown(out, texts.units["703"])


def test_the_other_key_and_store_commands_run_cleanly_on_a_hostile_store(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "check", "--fix-clock", "--store", offices.district)
    assert code == (0 if offices.texts is ACCEPTED_TEXTS else 1)
    assert "Không có bản ghi nào mang giờ muộn" in out
    code, _out, err = run(
        capsys, "keys", "pin", offices.province / "keys" / "office.pub", "--replace",
        "--store", offices.district,
    )  # fmt: skip
    assert code == 0, err
    outbox = offices.folder / "thu [bold] :fire:"
    outbox.mkdir()
    code, out, err = run(
        capsys, "bundle", "export", "--to", outbox, "--armor", "--full", "--store",
        offices.district,
    )  # fmt: skip
    assert code == 0, err
    assert_shown(out, offices.texts.units["72"])
    assert str(outbox) in out
    code, out, err = run(capsys, "keys", "new", "--store", offices.district)
    assert code == 0, err
    assert str(offices.district) in out


def test_bundles_sent_up_verified_imported_and_acknowledged_print_names_literally(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = offices.texts
    outbox = offices.folder / "usb [E:]"
    outbox.mkdir()
    code, out, _err = run(capsys, "bundle", "export", "--to", outbox, "--store", offices.district)
    assert code == 0
    assert_shown(out, texts.units["72"])
    [sent] = sorted(outbox.iterdir())
    code, out, err = run(capsys, "bundle", "verify", sent, "--store", offices.province)
    assert code == 0, err
    assert_shown(out, texts.units["703"])
    code, out, err = run(capsys, "bundle", "import", sent, "--dry-run", "--store", offices.province)
    assert code == 0, err
    assert_shown(out, texts.units["703"], texts.units["25456"])
    code, out, err = run(capsys, "bundle", "import", sent, "--store", offices.province)
    assert code == 0, err
    assert_shown(out, texts.units["703"])
    code, out, err = run(capsys, "bundle", "quarantine", "--store", offices.province)
    assert code == 0, err
    if offices.texts is PLANTED_TEXTS:  # held back: the records break today's rules
        for name in texts.addresses:
            assert code_point(first_forbidden(name)) in out
    acks = offices.folder / "acks [bold]"
    acks.mkdir()
    code, out, err = run(capsys, "bundle", "ack", "--to", acks, "--store", offices.province)
    assert code == 0, err
    assert_shown(out, texts.units["703"])
    [ack] = sorted(acks.iterdir())
    code, out, err = run(capsys, "bundle", "import", ack, "--store", offices.district)
    assert code == 0, err
    assert_shown(out, texts.units["72"])


def test_the_directory_sent_down_names_its_revision_and_the_import_the_province(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    down = offices.folder / "xuong [bold]"
    down.mkdir()
    code, _out, err = run(capsys, "bundle", "directory", "--to", down, "--store", offices.province)
    assert code == 0, err
    [directory] = sorted(down.iterdir())
    code, _out, err = run(capsys, "bundle", "import", directory, "--store", offices.district)
    if offices.texts is ACCEPTED_TEXTS:
        assert code == 0, err
        return
    # A directory is an entry point too: unit names holding controls are refused, named safely.
    assert code == 1
    assert "U+001B" in err and shown_as(offices.texts.units["72"]) in err


def test_a_store_folder_named_with_brackets_and_emoji_codes_is_named_literally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "kho [bold] :fire: [cơ sở 2]"
    code, out, _err = run(capsys, "init", "--unit", "25456", "--store", folder)
    assert code == 0 and str(folder) in out
    code, out, _err = run(capsys, "check", "--store", folder)
    assert code == 0 and str(folder) in out
    code, _out, err = run(capsys, "summary", "--store", tmp_path / "không có [bold]")
    assert code == 1 and str(tmp_path / "không có [bold]") in err


def test_demo_names_its_folder_literally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "thu [bold] :fire:"
    code, _out, err = run(capsys, "demo", "--scale", "commune", "--no-open", "--store", folder)
    assert code == 0 and str(folder) in err


# ----------------------------------------------------------------------------- records import


def records_file(path: Path, **lists: list[dict]) -> Path:
    path.write_bytes(orjson.dumps({"format": "nhandao-records", "version": 1, **lists}))
    return path


@pytest.fixture
def commune(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "commune"
    assert main(["init", "--unit", "25456", "--store", str(path)]) == 0
    capsys.readouterr()
    return path


def test_a_records_file_of_accepted_hostile_text_is_stored_literally(
    commune: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = list(ACCEPTED.values())
    source = records_file(
        tmp_path / "[bad].json",
        helpers=[helper("h1", name=CLOSE_NAMED)],
        addresses=[address(f"a{i}", name=name, place=OPEN) for i, name in enumerate(names)],
        aid=[aid("x1", address="a0", note=LINK, form="Gạo [/]")],
    )
    code, out, _err = run(capsys, "records", "import", source, "--store", commune)
    assert code == 0
    assert str(source) in out
    with Store.open(commune) as store:
        stored = {a["id"]: a["name"] for a in store.records("address")}
        assert stored == {f"a{i}": shown_as(name) for i, name in enumerate(names)}
        assert store.get("helper", "h1")["name"] == "Nhà hảo tâm [/ẩn danh]"
        assert store.get("aid", "x1")["note"] == LINK


@pytest.mark.parametrize("name", sorted(REFUSED), ids=sorted(REFUSED))
def test_a_records_file_with_a_control_character_is_refused_and_nothing_is_stored(
    commune: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    before = files_of(commune)
    source = records_file(
        tmp_path / "tệp [bold].json",
        addresses=[address("a1", name="Lê Văn Tám"), address("a2", name=REFUSED[name])],
    )
    code, _out, err = run(capsys, "records", "import", source, "--store", commune)
    assert code == 1
    assert "chưa lưu gì vào kho" in err
    assert "Địa chỉ thứ 2" in err and "«Tên địa chỉ»" in err and REFUSED_CODE[name] in err
    assert shown_as(REFUSED[name]) in err  # the record is named, its controls visible
    assert files_of(commune) == before


def test_a_records_file_with_a_megabyte_name_is_refused_in_a_short_message(
    commune: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files_of(commune)
    source = records_file(
        tmp_path / "lon.json",
        addresses=[address("a1", name=LONG), address("a2", name="\x1b]0;x\x07" + LONG)],
        helpers=[helper("h1", name=LONG + "\x1b[2J")],
    )
    code, _out, err = run(capsys, "records", "import", source, "--store", commune)
    assert code == 1 and "chưa lưu gì vào kho" in err
    assert len(err) < 3 * MESSAGE_LIMIT, f"{len(err):,} characters"
    assert files_of(commune) == before


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=hostile_text(surrogates=False), note=hostile_text(long=False, surrogates=False))
def test_any_hostile_records_file_is_stored_literally_or_refused_with_nothing_stored(
    commune: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, note: str
) -> None:
    before = files_of(commune)
    source = records_file(
        tmp_path / "hostile.json",
        addresses=[address("a1", name=name)],
        aid=[aid("x1", helper=None, note=note)],
    )
    code, _out, err = run(capsys, "records", "import", source, "--store", commune)
    assert len(err) < 3 * MESSAGE_LIMIT
    name_ok = first_forbidden(name) is None and 0 < len(stored_as(name)) <= MAX_LINE_LENGTH
    note_ok = first_forbidden(note) is None and len(stored_as(note)) <= MAX_LINE_LENGTH
    if name_ok and note_ok:
        assert code == 0, err
        with Store.open(commune) as store:
            assert store.get("address", "a1")["name"] == stored_as(name)
            assert (store.get("aid", "x1")["note"] or "") == stored_as(note)
        return
    assert code == 1 and "chưa lưu gì vào kho" in err, err
    assert files_of(commune) == before


def files_of(path: Path) -> dict[str, bytes]:
    """Every file of a store but its lock, to tell that nothing changed."""
    return {
        str(p.relative_to(path)): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file() and not p.name.startswith("nhandao.lock")
    }
