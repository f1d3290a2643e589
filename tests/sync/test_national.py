"""The central office: a store whose root is the country, above the 63 provinces, that enrols
the provinces' keys, takes in their records bundles and counts the table by province."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from disk import run_cli
from factories import address, aid, helper
from offices import make_office

from campaign.dates import Period
from campaign.tally import tally
from store import gazetteer
from store.gazetteer import NATIONAL
from store.index import SummaryIndex
from store.national import check_by_province, tally_by_province
from store.store import Store
from sync import keys, send
from sync.errors import SyncError
from sync.receive import import_bundles
from tui import cli

PERIOD = Period(2008, 2018)


def _province_with_records(path: Path, code: str, unit: str, people: int) -> Store:
    province = make_office(path, code)
    province.save_many(
        [
            ("helper", helper(id=f"h-{code}", unit=unit)),
            ("address", address(id=f"a-{code}", unit=unit, kind="collective", people=people)),
            ("aid", aid(id=f"x-{code}", address=f"a-{code}", helper=f"h-{code}")),
        ]
    )
    return province


@pytest.fixture
def country(tmp_path: Path):
    """The central office with Tây Ninh (72) and Hà Nội (01) enrolled, each holding one helped
    address, and the central office's key pinned at both."""
    national = make_office(tmp_path / "vn", NATIONAL)
    tay_ninh = _province_with_records(tmp_path / "72", "72", "25456", 3)
    ha_noi = _province_with_records(tmp_path / "01", "01", "00004", 5)
    for province in (tay_ninh, ha_noi):
        keys.pin_national_key(province, keys.office_key(national).public)
        keys.enrol(national, keys.office_key(province).public, province.office.unit)
    yield national, tay_ninh, ha_noi
    for store in (national, tay_ninh, ha_noi):
        store.close()


def test_the_central_office_holds_every_province_under_its_root(tmp_path: Path) -> None:
    with make_office(tmp_path / "vn", NATIONAL) as national:
        provinces = national.units.children(NATIONAL)
        assert len(provinces) == 63
        assert national.units.path("25456") == (
            "Phường 1, Thành phố Tây Ninh, Tỉnh Tây Ninh, Việt Nam"
        )
        assert national.office.settings["organisation"] == "HỘI CHỮ THẬP ĐỎ VIỆT NAM"
        with pytest.raises(SyncError, match="cấp cao nhất"):
            send.receiver_of(national)
        with pytest.raises(SyncError, match="không gửi gói danh mục"):
            send.export_directory(national, tmp_path / "out")


def test_provinces_send_up_and_the_table_is_by_province(country, tmp_path: Path) -> None:
    national, tay_ninh, ha_noi = country
    (tmp_path / "out").mkdir()
    sent = [send.export_records(p, tmp_path / "out") for p in (tay_ninh, ha_noi)]
    assert [s.to for s in sent] == [NATIONAL, NATIONAL]
    reports = import_bundles(national, [s.path for s in sent])
    assert [r.status for r in reports] == ["merged", "merged"]
    national.close()
    result = run_cli("summary", "--json", "--store", str(national.path))
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)
    assert [row["unit"] for row in table[:-1]] == [code for code, _ in gazetteer.provinces()]
    rows = {row["unit"]: row for row in table}
    assert (rows["72"]["3"], rows["72"]["6"], rows["72"]["7"]) == (1, 1, 3)
    assert (rows["01"]["3"], rows["01"]["6"], rows["01"]["7"]) == (1, 1, 5)
    assert rows["79"]["3"] == 0
    assert (table[-1]["name"], table[-1]["3"], table[-1]["7"]) == ("Tổng cộng", 2, 8)


def test_a_province_without_the_central_key_is_told_how_to_pin_it(tmp_path: Path) -> None:
    with (
        make_office(tmp_path / "72", "72") as province,
        pytest.raises(SyncError, match="keys pin TỆP --national"),
    ):
        send.receiver_of(province)


def test_only_a_province_pins_the_central_key(tmp_path: Path) -> None:
    with (
        make_office(tmp_path / "vn", NATIONAL) as national,
        make_office(tmp_path / "703", "703") as district,
        pytest.raises(SyncError, match="Chỉ văn phòng Tỉnh Hội"),
    ):
        keys.pin_national_key(district, keys.office_key(national).public)


def _reading(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The unit files the store reads from now on, in order."""
    read: list[str] = []
    load = Store._load_unit_file

    def spy(self: Store, code: str) -> None:
        read.append(code)
        load(self, code)

    monkeypatch.setattr(Store, "_load_unit_file", spy)
    return read


def _unit_files(store_path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((store_path / "units").glob("*.json"))}


def test_the_central_office_reads_only_the_sending_province(
    country, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    national, tay_ninh, ha_noi = country
    (tmp_path / "out").mkdir()
    first = [send.export_records(p, tmp_path / "out") for p in (tay_ninh, ha_noi)]
    # A copy of the central office that takes the bundles in with every record loaded.
    national.close()
    shutil.copytree(national.path, tmp_path / "whole")
    with Store.open(tmp_path / "whole") as whole:
        assert [r.status for r in import_bundles(whole, [s.path for s in first])] == [
            "merged",
            "merged",
        ]
        # Tây Ninh then edits its address; the edit goes up in a second bundle.
        tay_ninh.save("address", address(id="a-72", unit="25456", kind="collective", people=4))
        second = send.export_records(tay_ninh, tmp_path / "out")
        assert second is not None
        assert import_bundles(whole, [second.path])[0].counts["25456"]["updated"] == 1

    read = _reading(monkeypatch)
    with Store.open(national.path, records=False) as scoped:
        reports = import_bundles(scoped, [s.path for s in first])
        assert [r.status for r in reports] == ["merged", "merged"]
        assert read == []  # each province's files were new: nothing to read
        assert not scoped.records_loaded
        report = import_bundles(scoped, [second.path])[0]
        assert report.counts["25456"]["updated"] == 1
        assert read == ["25456"]  # Tây Ninh's file only, never Hà Nội's
        assert not scoped.records_loaded
    # The same files as the office that read everything, and the index knows them.
    assert _unit_files(national.path) == _unit_files(tmp_path / "whole")
    result = run_cli("summary", "--json", "--store", str(national.path))
    rows = {row["unit"]: row for row in json.loads(result.stdout)}
    assert (rows["72"]["7"], rows["01"]["7"]) == (4, 5)


def test_a_record_held_for_another_province_is_refused_as_with_every_record_read(
    country, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    national, tay_ninh, ha_noi = country
    (tmp_path / "out").mkdir()
    sent = send.export_records(tay_ninh, tmp_path / "out")
    assert import_bundles(national, [sent.path])[0].status == "merged"
    # Hà Nội's office sends an address under the id Tây Ninh's already has at the centre.
    ha_noi.save("address", address(id="a-72", unit="00004"))
    stray = send.export_records(ha_noi, tmp_path / "out")
    national.close()
    shutil.copytree(national.path, tmp_path / "whole")
    with Store.open(tmp_path / "whole") as whole:
        expected = import_bundles(whole, [stray.path])[0]
    assert expected.status == "refused"
    read = _reading(monkeypatch)
    with Store.open(national.path, records=False) as scoped:
        report = import_bundles(scoped, [stray.path])[0]
        assert report.status == "refused"
        assert str(report.refusal) == str(expected.refusal)
        assert "25456" in read  # the index said where a-72 is held
    assert _unit_files(national.path) == _unit_files(tmp_path / "whole")


def test_bundle_import_at_the_central_office_on_the_command_line(country, tmp_path: Path) -> None:
    national, tay_ninh, ha_noi = country
    (tmp_path / "out").mkdir()
    for province in (tay_ninh, ha_noi):
        send.export_records(province, tmp_path / "out")
    national.close()
    result = run_cli("bundle", "import", str(tmp_path / "out"), "--store", str(national.path))
    assert result.returncode == 0, result.stderr
    assert "Đã nhập 2 trên 2 gói." in result.stdout
    table = json.loads(run_cli("summary", "--json", "--store", str(national.path)).stdout)
    assert table[-1]["7"] == 8


def _more_records(province: Store, unit: str) -> None:
    """Aid over several years, an address that stopped, aid that does not count."""
    code = province.office.unit
    stopped = address(
        id=f"b-{code}", unit=unit, dossier_on="2012-05-01", stopped_on="2015-06-30",
        stop_reason="Đã ổn định",
    )  # fmt: skip
    yearly = [
        ("aid", aid(id=f"y{year}-{code}", address=f"b-{code}", helper=f"o-{code}",
                    on=f"{year}-04-01", value=100_000 * (year - 2000)))
        for year in (2012, 2013, 2015)
    ]  # fmt: skip
    left_out = aid(
        id=f"z-{code}", address=f"a-{code}", helper=f"h-{code}", on="2011-01-01",
        excluded="emergency",
    )  # fmt: skip
    province.save_many(
        [
            ("helper", helper(id=f"o-{code}", unit=unit, side="outside", kind="organisation")),
            ("address", stopped),
            *yearly,
            ("aid", left_out),
        ]
    )


def test_the_central_workbook_counts_a_province_at_a_time_as_all_at_once(
    country, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    national, tay_ninh, ha_noi = country
    _more_records(tay_ninh, "25456")
    _more_records(ha_noi, "00004")
    (tmp_path / "out").mkdir()
    for province in (tay_ninh, ha_noi):
        send.export_records(province, tmp_path / "out")
    national.close()
    assert run_cli("bundle", "import", str(tmp_path / "out"), "--store", str(national.path))
    with Store.open(national.path) as whole:
        expected = tally(whole.dataset(), NATIONAL, PERIOD)
    read = _reading(monkeypatch)
    with Store.open(national.path, records=False) as scoped:
        found, models = tally_by_province(scoped, NATIONAL, PERIOD)
        assert not scoped.records_loaded
    assert sorted(read) == ["00004", "25456"]
    assert models == []
    assert found.rows == expected.rows
    assert found.total == expected.total
    assert [(y.year, y.helped, y.new, y.continued, y.resumed) for y in found.years] == [
        (y.year, y.helped, y.new, y.continued, y.resumed) for y in expected.years
    ]
    assert sorted(s.id for y in found.years for s in y.stopped + y.lapsed) == sorted(
        s.id for y in expected.years for s in y.stopped + y.lapsed
    )
    assert any(y.stopped for y in found.years) and any(y.lapsed for y in found.years)

    target = tmp_path / "toan-quoc.xlsx"
    result = run_cli("summary", "--xlsx", str(target), "--store", str(national.path))
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(target).worksheets[0]
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"] in cells
    assert any("Tỉnh, thành phố trực thuộc trung ương" in row for row in cells)
    assert any("của Trung ương Hội Chữ thập đỏ Việt Nam" in str(c) for row in cells for c in row)
    by_name = {row[1]: row[2:] for row in cells if len(row) == 8 and isinstance(row[0], int)}
    assert len(by_name) == 63
    figures = expected.rows[[r.unit for r in expected.rows].index("72")].columns()
    assert by_name["Tỉnh Tây Ninh"] == [figures[c] for c in ("3", "4", "5", "6", "7", "8")]
    assert by_name["Tỉnh Cà Mau"] == [0, 0, 0, 0, 0, 0]


def test_check_at_the_central_office_goes_a_province_at_a_time(
    country, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    national, tay_ninh, ha_noi = country
    (tmp_path / "out").mkdir()
    for province in (tay_ninh, ha_noi):
        send.export_records(province, tmp_path / "out")
    reports = import_bundles(national, sorted((tmp_path / "out").iterdir()))
    assert [r.status for r in reports] == ["merged", "merged"]
    national.close()
    result = run_cli("check", "--store", str(national.path))
    assert result.returncode == 0, result.stderr
    assert "2 tệp đơn vị, 2 địa chỉ, 2 lần trợ giúp; không có lỗi." in result.stdout
    # A record whose envelope names another unit than its file's, in Hà Nội's file.
    path = national.path / "units" / "00004.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    table = next(name for name in data if name.startswith("address"))
    document = next(iter(data[table].values()))
    document["owner"] = "00007"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    read = _reading(monkeypatch)
    with Store.open(national.path, records=False) as scoped:
        checked = check_by_province(scoped)
        assert not scoped.records_loaded
    assert read == ["00004", "25456"]  # Hà Nội (01) comes first in the list, each alone
    assert checked.problems == [
        "Tệp units/00004.json: Địa chỉ mã «a-01» ghi thuộc đơn vị «00007» nhưng nằm trong tệp "
        "của «00004»."
    ]
    result = run_cli("check", "--store", str(national.path))
    assert result.returncode == 1
    assert "«00007» nhưng nằm trong tệp của «00004»" in result.stdout


def test_the_interface_does_not_open_the_central_store(tmp_path: Path) -> None:
    make_office(tmp_path / "vn", NATIONAL).close()
    result = run_cli("--store", str(tmp_path / "vn"))
    assert result.returncode == 2
    assert "giao diện không mở kho cấp này" in result.stderr
    assert "«nhandao bundle import THƯ_MỤC»" in result.stderr


@pytest.mark.parametrize(
    "command", [["records", "export", "x.jsonl"], ["report"], ["awards"], ["conflicts"]]
)
def test_commands_that_would_read_the_country_are_refused_with_what_to_use(
    tmp_path: Path, command: list[str]
) -> None:
    make_office(tmp_path / "vn", NATIONAL).close()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = run_cli(*command, "--store", str(tmp_path / "vn"))
    assert result.returncode == 2
    assert result.stderr.startswith("Lệnh này không dùng cho kho của Trung ương Hội (cả nước).")
    assert "«nhandao summary --xlsx TỆP»" in result.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_the_central_office_keeps_its_settings(tmp_path: Path) -> None:
    make_office(tmp_path / "vn", NATIONAL).close()
    result = run_cli("settings", "--store", str(tmp_path / "vn"))
    assert result.returncode == 0, result.stderr
    assert "HỘI CHỮ THẬP ĐỎ VIỆT NAM" in result.stdout


def test_the_central_office_acknowledges_and_a_province_then_sends_only_what_is_new(
    country, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    national, tay_ninh, _ha_noi = country
    (tmp_path / "up").mkdir()
    (tmp_path / "down").mkdir()
    first = send.export_records(tay_ninh, tmp_path / "up")
    national.close()
    assert (
        run_cli("bundle", "import", str(first.path), "--store", str(national.path)).returncode == 0
    )
    read = _reading(monkeypatch)
    assert (
        cli.main(["bundle", "ack", "--to", str(tmp_path / "down"), "--store", str(national.path)])
        == 0
    )
    assert read == []  # acknowledging reads no record
    (ack,) = (tmp_path / "down").iterdir()
    assert ack.name.startswith("nhandao-VN-den-72-")
    assert import_bundles(tay_ninh, [ack])[0].status == "merged"
    assert send.export_records(tay_ninh, tmp_path / "up") is None  # the centre has it all
    tay_ninh.save("address", address(id="c-72", unit="25456"))
    again = send.export_records(tay_ninh, tmp_path / "up")
    assert again is not None and again.records == 1


def test_a_delta_reads_the_files_it_touches_and_those_it_refers_to(
    country, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    national, tay_ninh, _ha_noi = country
    # A helper of the province's own office, and an address of a second commune.
    tay_ninh.save_many(
        [
            ("helper", helper(id="h-prov", unit="72", side="outside", kind="organisation")),
            ("address", address(id="a-25459", unit="25459")),
        ]
    )
    (tmp_path / "out").mkdir()
    first = send.export_records(tay_ninh, tmp_path / "out")
    national.close()
    with Store.open(national.path, records=False) as central:
        assert import_bundles(central, [first.path])[0].status == "merged"
    (tmp_path / "down").mkdir()
    assert (
        cli.main(["bundle", "ack", "--to", str(tmp_path / "down"), "--store", str(national.path)])
        == 0
    )
    assert import_bundles(tay_ninh, list((tmp_path / "down").iterdir()))[0].status == "merged"
    assert sorted(p.stem for p in (national.path / "units").glob("*.json")) == [
        "25456", "25459", "72",
    ]  # fmt: skip
    # Then an aid in Phường 1 from the province's helper: one new record.
    tay_ninh.save("aid", aid(id="x-new", address="a-72", helper="h-prov", on="2012-01-01"))
    delta = send.export_records(tay_ninh, tmp_path / "out")
    assert delta is not None and delta.records == 1
    read = _reading(monkeypatch)
    with Store.open(national.path, records=False) as central:
        report = import_bundles(central, [delta.path])[0]
    assert report.status == "merged" and report.counts["25456"]["new"] == 1
    assert sorted(read) == ["25456", "72"]  # not 25459, which the aid does not touch
    table = json.loads(run_cli("summary", "--json", "--store", str(national.path)).stdout)
    row = next(r for r in table if r["unit"] == "72")
    assert (row["5"], row["8"]) == (0, 1_000_000)  # two aid to a-72, counted once as helped


def test_enrolling_at_the_central_office_speaks_of_no_directory(tmp_path: Path) -> None:
    make_office(tmp_path / "vn", NATIONAL).close()
    make_office(tmp_path / "72", "72").close()
    pub = tmp_path / "72" / "keys" / "office.pub"
    result = run_cli("keys", "enrol", str(pub), "--unit", "72", "--store", str(tmp_path / "vn"))
    assert result.returncode == 0, result.stderr
    assert "Đã đăng ký khoá" in result.stdout and "cho Tỉnh Tây Ninh" in result.stdout
    assert "gói danh mục" not in result.stdout


def test_an_index_that_fails_during_an_import_makes_it_read_every_record(
    country, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    national, tay_ninh, _ha_noi = country
    (tmp_path / "out").mkdir()
    sent = send.export_records(tay_ninh, tmp_path / "out")
    national.close()

    def damaged(self: SummaryIndex, ids: object) -> set[str]:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(SummaryIndex, "files_holding", damaged)
    with Store.open(national.path, records=False) as central:
        report = import_bundles(central, [sent.path])[0]
        assert report.status == "merged" and report.counts["25456"]["new"] == 3
        assert central.records_loaded  # read whole instead, the import unchanged


def test_a_problem_of_the_whole_tree_is_named_once_not_once_a_province(
    country, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    national, _tay_ninh, _ha_noi = country
    national.close()
    clash = "Đơn vị «th-a» và «TH-A»: hai mã chỉ khác nhau ở chữ hoa, chữ thường…"
    monkeypatch.setattr(Store, "verify", lambda self: [clash])
    with Store.open(national.path, records=False) as central:
        assert check_by_province(central).problems == [clash]
