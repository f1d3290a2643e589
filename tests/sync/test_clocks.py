"""Wrong clocks, on either side: one PC whose clock is years off never poisons the others.

The computer's clock is injected (`hlc.now_ms`); the records' own dates are those of the
fixtures (`TODAY`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from craft import Key, bundle, jsonl, line, version
from factories import address, aid
from offices import files_of, make_office

from store import hlc
from store.store import Store
from sync import keys, minisign, send
from sync.ledger import Quarantine
from sync.receive import import_bundle
from tui.cli import main

YEAR_MS = 365 * 24 * 60 * 60 * 1000
NOW = int(datetime(2026, 11, 30, 9).timestamp() * 1000)


def at(milliseconds: int, n: int = 0, node: str = "25456-test") -> str:
    return hlc.format_version(milliseconds, n, node)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """This computer's clock: set `clock[0]`."""
    now = [NOW]
    monkeypatch.setattr(hlc, "now_ms", lambda: now[0])
    return now


@pytest.fixture
def province(tmp_path: Path, clock: list[int]) -> Store:
    with make_office(tmp_path / "province", "72") as store:
        yield store


def signed(tmp_path: Path, key: Key, lines: list[dict], name: str, sequence: int = 1) -> Path:
    path = tmp_path / name
    path.write_bytes(bundle(key, "25456", {"records/25456.jsonl": jsonl(lines)}, sequence=sequence))
    return path


@pytest.fixture
def commune_key(province: Store) -> Key:
    key = Key()
    keys.enrol(province, minisign.parse_public_key(key.pub_file()), "25456")
    return key


def test_a_record_from_a_clock_years_ahead_is_held_and_moves_no_clock(
    province: Store, commune_key: Key, tmp_path: Path, clock: list[int]
) -> None:
    future = at(NOW + 9 * YEAR_MS)  # a PC whose clock says 2035
    lines = [line("address", address(), "25456", future),
             line("address", address("a2", name="Lê Văn Hai"), "25456", version(5))]  # fmt: skip
    report = import_bundle(province, signed(tmp_path, commune_key, lines, "b.zip"))
    assert report.status == "merged" and report.total("new") == 1
    assert [(h.id, h.ahead) for h in report.held] == [("a1", True)]
    assert "muộn hơn giờ của máy này hơn một ngày" in report.held[0].reasons[0]
    assert any("được giữ lại, chưa nhập" in warning for warning in report.warnings)
    assert province.get("address", "a1") is None
    # The province's own next version is of its own time, not of 2035.
    saved = province.save("address", address("a3", name="Võ Thị Ba"))
    assert hlc.parse(saved["v"])[0] <= NOW + 1000


def test_a_record_held_for_the_clock_comes_in_by_itself_once_the_clock_is_right(
    province: Store, commune_key: Key, tmp_path: Path, clock: list[int]
) -> None:
    # The province's PC thinks it is 2024: a record made today looks two years ahead.
    clock[0] = NOW - 2 * YEAR_MS
    made_now = at(NOW)
    lines = [line("address", address(), "25456", made_now)]
    assert import_bundle(province, signed(tmp_path, commune_key, lines, "1.zip")).held
    assert province.get("address", "a1") is None
    clock[0] = NOW  # the clock is set right; the next bundle that arrives
    later = [line("aid", aid(helper=None), "25456", at(NOW, 1))]
    report = import_bundle(province, signed(tmp_path, commune_key, later, "2.zip", sequence=2))
    assert report.status == "merged" and report.held == []
    assert "1 bản ghi trước đây bị giữ lại" in report.warnings[0]
    assert province.get("address", "a1")["v"] == made_now  # type: ignore[index]
    assert province.get("aid", "x1") is not None and Quarantine(province).records == []


def test_a_version_too_wide_for_its_time_is_held_not_a_crash(
    province: Store, commune_key: Key, tmp_path: Path
) -> None:
    wide = "10000000000000-0000-25456-test"  # 9999999999999 + 1: fourteen digits
    lines = [line("address", address(), "25456", wide)]
    report = import_bundle(province, signed(tmp_path, commune_key, lines, "b.zip"))
    assert report.status == "merged" and [h.id for h in report.held] == ["a1"]
    assert hlc.parse(wide)[0] == 10**13


def test_a_receiver_whose_clock_is_behind_what_it_holds_is_told_before_importing(
    province: Store, commune_key: Key, tmp_path: Path, clock: list[int]
) -> None:
    province.save("address", address("a9", name="Đã có"))
    clock[0] = NOW - 21 * YEAR_MS  # the CMOS battery died: the PC says 2005
    before = files_of(province.path)
    lines = [line("address", address(), "25456", version(5))]
    report = import_bundle(province, signed(tmp_path, commune_key, lines, "b.zip"))
    assert report.status == "refused" and report.refusal is not None
    assert report.refusal.reason == "clock"
    assert "Đồng hồ của máy này đang chỉ" in str(report.refusal)
    assert "Chưa nhập gì vào kho" in str(report.refusal)
    assert files_of(province.path) == before


def test_records_made_on_a_clock_ahead_are_repaired_by_check_fix_clock(
    tmp_path: Path, clock: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    with make_office(tmp_path / "province", "72") as province:
        district = make_office(tmp_path / "district", "703", province)
        keys.enrol(province, keys.office_key(district).public, "703")
        clock[0] = NOW + 9 * YEAR_MS  # the district's PC said 2035 for a while
        district.save("address", address())
        wrong = district.get("address", "a1")["v"]  # type: ignore[index]
        clock[0] = NOW  # set right
        district.close()
        assert main(["check", "--store", str(tmp_path / "district")]) == 1
        assert "1 bản ghi mang giờ ghi muộn hơn giờ của máy này" in capsys.readouterr().out
        assert main(["check", "--fix-clock", "--store", str(tmp_path / "district")]) == 0
        assert "cho 1 bản ghi mang giờ tương lai" in capsys.readouterr().out
        with Store.open(tmp_path / "district") as district:
            fixed = district.get("address", "a1")
            assert fixed is not None and not hlc.is_ahead(fixed["v"])
            assert fixed["prev"] == wrong  # made on top of the wrong one: it replaces it
            (tmp_path / "usb").mkdir()
            sent = send.export_records(district, tmp_path / "usb")
        report = import_bundle(province, sent.path)
        assert report.status == "merged" and report.held == []
        assert province.get("address", "a1")["v"] == fixed["v"]  # type: ignore[index]
