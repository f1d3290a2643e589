"""The 2025 list of units (34 provinces, 3,321 communes, wards and special zones, no district
level) beside the 2019 list, and the offices made on it."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from campaign.units import UnitTree
from exporters.letterhead import PROVINCE_RECIPIENTS, default_recipients, letterhead
from exporters.workbook import rows_heading
from store import gazetteer
from store.store import Store
from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_2025_list_has_the_official_counts() -> None:
    provinces = gazetteer.provinces("2025")
    assert len(provinces) == 34
    units = gazetteer.all_units("2025")
    communes = [u for u in units if u["kind"] == "commune"]
    assert len(communes) == 3321
    assert {u["kind"] for u in units} == {"province", "commune"}  # no district level
    by_type = Counter(u["name"].split(" ")[0] for u in communes)
    assert by_type == {"Xã": 2621, "Phường": 687, "Đặc": 13}  # «Đặc khu …»
    assert all(u["name"].startswith("Đặc khu ") for u in communes if u["name"].startswith("Đặc"))
    # Every commune straight under its province.
    assert {u["parent"] for u in communes} == {code for code, _name in provinces}
    # Tây Ninh today: the old Long An and Tây Ninh, 96 communes and wards.
    tay_ninh = gazetteer.province_units("80-2025")
    assert tay_ninh[0]["name"] == "Tỉnh Tây Ninh"
    assert len(tay_ninh) == 1 + 96
    assert dict(gazetteer.provinces("2019"))["80"] == "Tỉnh Long An"


def test_the_lists_reuse_codes_so_2025_codes_carry_their_list() -> None:
    old = {u["code"]: u for u in gazetteer.all_units("2019")}
    new = {u["code"]: u for u in gazetteer.all_units("2025")}
    assert old["00004"]["name"] == "Phường Trúc Bạch"
    assert new["00004-2025"]["name"] == "Phường Ba Đình"
    assert all(code.endswith("-2025") for code in new)
    assert not set(old) & set(new)
    UnitTree([*old.values(), *new.values()])  # one tree may hold both: no code twice
    assert gazetteer.official_code("00004-2025") == "00004"
    assert gazetteer.list_of("80-2025") == "2025" and gazetteer.list_of("80") == "2019"
    assert gazetteer.province_of("25459-2025") == "80-2025"
    assert gazetteer.province_of("25459") == "72"


def test_the_conversion_table_names_only_known_units() -> None:
    table = json.loads(
        resources.files("store").joinpath("data", "vn-units-2024-to-2025.json").read_bytes()
    )
    new = {gazetteer.official_code(u["code"]) for u in gazetteer.all_units("2025")}
    whole, divided = table["communes"], table["divided"]
    assert not set(whole) & set(divided)
    targets = set(whole.values()) | {code for parts in divided.values() for code in parts}
    targets |= set(table["districts"].values())
    assert targets == new - {gazetteer.official_code(c) for c, _ in gazetteer.provinces("2025")}
    assert all(len(parts) >= 2 for parts in divided.values())
    assert len(whole) + len(divided) + len(table["districts"]) == 10040  # the units of 2024
    # Of the 2019 list's 95 communes of Tây Ninh, only Phước Lưu (merged before 2024) is missing.
    tay_ninh = [u["code"] for u in gazetteer.province_units("72") if u["kind"] == "commune"]
    missing = [code for code in tay_ninh if code not in whole and code not in divided]
    assert missing == ["25726"]


def test_the_data_says_where_it_comes_from_and_under_which_licence() -> None:
    data = resources.files("store").joinpath("data")
    for name in ("vn-admin-units-2025.json", "vn-units-2024-to-2025.json"):
        source = json.loads(data.joinpath(name).read_bytes())["source"]
        assert "vietnamadminunits 1.0.4 (MIT)" in source
    licence = data.joinpath("vietnamadminunits-LICENSE.txt").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Tran Ngoc Minh Hieu" in licence


def test_units_lists_either_list_with_its_own_codes(capsys: pytest.CaptureFixture[str]) -> None:
    none = "/nonexistent/store"
    code, out, _ = run(capsys, "units", "--units", "2025", "--province", "80", "--store", none)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 97
    assert lines[0].split() == ["80", "Tỉnh", "Tây", "Ninh", "(Tỉnh", "Hội)"]
    assert "25459    Phường Tân Ninh  (Xã, phường, đặc khu)" in out
    assert "-2025" not in out  # a named list shows the GSO's codes
    code, out, _ = run(capsys, "units", "--units", "2019", "--province", "80", "--store", none)
    assert code == 0 and out.splitlines()[0].split()[:3] == ["80", "Tỉnh", "Long"]
    assert "(Huyện, thành Hội)" in out and "(Xã, phường, thị trấn)" in out
    code, out, _ = run(
        capsys,
        "units",
        "--units",
        "2025",
        "--province",
        "all",
        "--search",
        "con dao",
        "--store",
        none,
    )
    assert code == 0 and "Đặc khu Côn Đảo" in out
    code, _out, err = run(capsys, "units", "--units", "2025", "--province", "72", "--store", none)
    assert code == 2
    assert "Không có tỉnh, thành phố mang mã «72» trong danh mục năm 2025" in err
    assert "80 Tỉnh Tây Ninh" in err


def test_the_help_says_which_list_a_code_is_of(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("init", "units"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "2019" in text and "2025" in text and "34 tỉnh" in text
    with pytest.raises(SystemExit):
        main(["init", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "80 là Long An năm 2019 nhưng là Tây Ninh năm 2025" in text


def test_init_makes_an_office_of_a_2025_province(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tay-ninh"
    code, out, err = run(capsys, "init", "--unit", "80", "--units", "2025", "--store", str(path))
    assert code == 0, err
    assert f"Đã tạo kho dữ liệu cho Tỉnh Tây Ninh ở {path}." in out
    with Store.open(path) as store:
        assert store.office.unit == "80-2025"
        children = store.units.children("80-2025")
        assert len(children) == 96 and {u["kind"] for u in children} == {"commune"}
        assert store.office.period.year_from == 2025
        recipients = default_recipients(store.units, "80-2025")
        assert "Hội CTĐ các xã, phường, đặc khu" in recipients
        assert not any("huyện" in line for line in recipients)
    code, out, _ = run(capsys, "summary", "--json", "--store", str(path))
    rows = json.loads(out)
    assert len(rows) == 96 + 1 and rows[0]["name"] == "Phường Tân Ninh"
    assert rows[0]["unit"] == "25459-2025" and rows[-1]["name"] == "Tổng cộng"
    # The GSO's code is enough where the store holds only one unit of that code.
    code, out, err = run(capsys, "summary", "--unit", "25459", "--json", "--store", str(path))
    assert code == 0, err
    assert json.loads(out)[0]["unit"] == "25459-2025"


def test_init_of_a_2025_commune_and_a_code_that_is_not_in_the_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "con-dao"
    code, _out, err = run(
        capsys, "init", "--unit", "26732", "--units", "2025", "--store", str(path)
    )
    assert code == 0, err
    with Store.open(path) as store:
        unit = store.office.unit
        assert store.units.name(unit) == "Đặc khu Côn Đảo"
        head = letterhead(store.units, unit, store.office.document_settings)
        assert head.chapter == "HỘI CHỮ THẬP ĐỎ ĐẶC KHU CÔN ĐẢO"
        assert head.superior == "HỘI CHỮ THẬP ĐỎ THÀNH PHỐ HỒ CHÍ MINH"
        assert head.place == "Côn Đảo"
        assert head.recipients[0] == "Hội Chữ thập đỏ thành phố Hồ Chí Minh (để báo cáo)"
    bad = tmp_path / "bad"
    code, _out, err = run(capsys, "init", "--unit", "27523", "--units", "2025", "--store", str(bad))
    assert code != 0
    assert "Không có đơn vị mang mã «27523» trong danh mục đơn vị hành chính năm 2025" in err
    assert not (bad / "office.json").exists()


def test_a_2019_office_is_as_before(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "long-an"
    assert run(capsys, "init", "--unit", "80", "--store", str(path))[0] == 0
    with Store.open(path) as store:
        assert store.office.unit == "80"
        assert store.units.name("80") == "Tỉnh Long An"
        assert store.office.period.year_from == 2008
        assert default_recipients(store.units, "80") == PROVINCE_RECIPIENTS


def test_the_central_office_of_the_2025_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "vn"
    assert run(capsys, "init", "--unit", "VN", "--units", "2025", "--store", str(path))[0] == 0
    with Store.open(path, records=False) as store:
        provinces = store.units.children("VN")
        assert [u["code"] for u in provinces] == [c for c, _ in gazetteer.provinces("2025")]
        assert len(store.units) == 1 + 34 + 3321


def test_the_workbook_of_a_2025_province_names_its_rows_communes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "tay-ninh"
    run(capsys, "init", "--unit", "80", "--units", "2025", "--store", str(path))
    target = tmp_path / "bang.xlsx"
    code, _out, err = run(capsys, "summary", "--xlsx", str(target), "--store", str(path))
    assert code == 0, err
    cells = [c for row in load_workbook(target).worksheets[0].iter_rows(values_only=True)
             for c in row if c is not None]  # fmt: skip
    assert "Xã, phường, đặc khu, đơn vị trực thuộc" in cells
    assert "Huyện, thành phố, đơn vị trực thuộc" not in cells
    assert "Phường Tân Ninh" in cells and "Đặc khu Côn Đảo" not in cells
    old = UnitTree(gazetteer.province_units("72"))
    assert rows_heading(old, "72") == "Huyện, thành phố, đơn vị trực thuộc"
