"""Demo data: realistic, deterministic, and never written over a real office's store."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from campaign.tally import tally
from campaign.text import fold
from store.demo import make_demo, write_demo
from store.errors import StoreError
from store.records_file import export_records
from store.store import Store


def test_the_same_seed_gives_the_same_records(tmp_path: Path) -> None:
    exports = []
    for name in ("one", "two"):
        with write_demo(tmp_path / name, seed=7, scale="commune") as store:
            export_records(store, tmp_path / f"{name}.json")
        exports.append((tmp_path / f"{name}.json").read_bytes())
    assert exports[0] == exports[1]
    assert make_demo(8, "commune").records != make_demo(7, "commune").records


def test_commune_scale_is_two_thousand_addresses_in_one_unit_file(tmp_path: Path) -> None:
    with write_demo(tmp_path / "demo", seed=1, scale="commune") as store:
        assert store.office.demo and store.office.unit == "25456"
        assert store.count("address") == 2000
        assert 17_000 <= store.count("aid") <= 23_000
        assert [p.name for p in store.files()] == ["25456.json"]
        assert store.verify() == []


def test_the_demo_looks_like_the_campaign() -> None:
    data = make_demo(1, "district").records
    names = [a["name"] for a in data["addresses"]]
    assert any(name != fold(name) for name in names), "names carry diacritics"
    assert Counter(a["kind"] for a in data["addresses"])["collective"] > 100
    assert {h["side"] for h in data["helpers"]} == {"red_cross", "outside"}
    assert {h["kind"] for h in data["helpers"]} >= {"staff", "member", "volunteer", "youth", "chapter",
                                                     "organisation", "individual"}  # fmt: skip
    assert {a["excluded"] for a in data["aid"]} >= {None, "emergency", "other_campaign"}
    assert any(a["stop_reason"] for a in data["addresses"])
    assert {r["outcome"] for r in data["reviews"]} == {"continue", "stop", "change"}
    assert data["models"] and data["assessments"]
    assert [u["kind"] for u in data["units"]] == ["school"]


def test_the_province_scale_is_about_twenty_thousand_addresses() -> None:
    data = make_demo(1, "province").records
    assert 18_000 <= len(data["addresses"]) <= 23_000
    assert 180_000 <= len(data["aid"]) <= 230_000


def test_the_demo_summary_covers_every_child_of_the_office(tmp_path: Path) -> None:
    with write_demo(tmp_path / "demo", seed=1, scale="district") as store:
        result = tally(store.dataset(), store.office.unit)
    assert [row.name for row in result.rows][-1] == "Trường THPT Tây Ninh"
    assert all(row.helped > 0 for row in result.rows)
    assert result.total.helped == result.total.red_cross + result.total.outside


def test_a_demo_is_never_written_over_a_real_store(tmp_path: Path) -> None:
    with Store.create(tmp_path / "real", "72"):
        pass
    with pytest.raises(StoreError, match="đang chứa kho dữ liệu thật của văn phòng Tỉnh Tây Ninh"):
        write_demo(tmp_path / "real", scale="commune")
    assert Store.open(tmp_path / "real").office.demo is False


def test_a_demo_store_is_replaced_by_a_new_demo(tmp_path: Path) -> None:
    write_demo(tmp_path / "demo", seed=1, scale="commune").close()
    with write_demo(tmp_path / "demo", seed=2, scale="district") as store:
        assert store.office.unit == "703"


def test_a_folder_with_other_files_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "report.docx").write_bytes(b"x")
    with pytest.raises(StoreError, match="thư mục trống"):
        write_demo(tmp_path / "docs", scale="commune")
