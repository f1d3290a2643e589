"""The central office: a store whose root is the country, above the 63 provinces, that enrols
the provinces' keys, takes in their records bundles and counts the table by province."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from disk import run_cli
from factories import address, aid, helper
from offices import make_office

from campaign.dates import Period
from store import gazetteer
from store.gazetteer import NATIONAL
from store.store import Store
from sync import keys, send
from sync.errors import SyncError
from sync.receive import import_bundles

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
    with make_office(tmp_path / "72", "72") as province:
        with pytest.raises(SyncError, match="keys pin TỆP --national"):
            send.receiver_of(province)


def test_only_a_province_pins_the_central_key(tmp_path: Path) -> None:
    with make_office(tmp_path / "vn", NATIONAL) as national:
        with make_office(tmp_path / "703", "703") as district:
            with pytest.raises(SyncError, match="Chỉ văn phòng Tỉnh Hội"):
                keys.pin_national_key(district, keys.office_key(national).public)
