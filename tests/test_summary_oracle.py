"""The summary table as the program prints it (`nhandao summary --json`) against a clean-room
re-computation (tests/oracle.py), on hand-written hard cases and on random valid records files.

Everything goes through the real command line: `init --unit 72`, `records import`, `summary`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import oracle
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import main

LAST_DAY = date(2026, 11, 28)  # the latest date any record may carry (today is 2026-11-29)
EXCLUSIONS = ("emergency", "unaddressed", "organisation", "communication", "other_campaign")
RED_CROSS_KINDS = ("staff", "member", "volunteer", "youth", "chapter")
OUTSIDE_KINDS = ("organisation", "individual")
GROUPS = (
    "elderly", "disabled", "agent_orange", "poor", "near_poor", "policy_family",
    "ethnic_minority", "poor_women", "orphan", "serious_illness", "other",
)  # fmt: skip
LOCK_FILES = {"nhandao.lock", "nhandao.lock.json"}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- running the program ---------------------------------------------------------------------


@dataclass
class Ran:
    code: int
    out: str
    err: str


def cli(*args: object) -> Ran:
    """`nhandao ARGS` in this process, through the console script's entry point."""
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", write_through=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    out.flush()
    err.flush()
    return Ran(code, out_bytes.getvalue().decode("utf-8"), err_bytes.getvalue().decode("utf-8"))


def new_store(path: Path) -> Path:
    ran = cli("init", "--unit", "72", "--store", path)
    assert ran.code == 0, ran.err
    return path


def write_file(path: Path, records: dict) -> Path:
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load(store: Path, records: dict, name: str = "records.json") -> None:
    ran = cli("records", "import", write_file(store.parent / name, records), "--store", store)
    assert ran.code == 0, ran.out + ran.err


def program_summary(
    store: Path, unit: str | None = None, year_from: int | None = None, year_to: int | None = None
) -> list[dict]:
    args: list[object] = ["summary", "--store", store, "--json"]
    if unit is not None:
        args += ["--unit", unit]
    if year_from is not None:
        args += ["--from", year_from]
    if year_to is not None:
        args += ["--to", year_to]
    ran = cli(*args)
    assert ran.code == 0, ran.err
    return json.loads(ran.out)


def expected_summary(
    records: dict, unit: str | None = None, year_from: int | None = None, year_to: int | None = None
) -> list[dict]:
    return oracle.summary(
        records,
        unit or oracle.PROVINCE,
        2008 if year_from is None else year_from,
        2018 if year_to is None else year_to,
    )


def assert_agrees(store: Path, records: dict, unit=None, year_from=None, year_to=None) -> list:
    """The program's rows equal the oracle's; returns them for further checks."""
    expected = expected_summary(records, unit, year_from, year_to)
    actual = program_summary(store, unit, year_from, year_to)
    if actual != expected:
        differing = [(a, e) for a, e in zip(actual, expected, strict=False) if a != e]
        pytest.fail(
            f"summary unit={unit} {year_from}-{year_to} differs "
            f"({len(actual)} rows, expected {len(expected)}):\n"
            + "\n".join(f"  program {a}\n  oracle  {e}" for a, e in differing[:10])
        )
    return actual


def row_of(rows: list[dict], code: str | None) -> dict:
    (found,) = [r for r in rows if r["unit"] == code]
    return {column: found[column] for column in oracle.COLUMNS}


def cols(c3: int, c4: int, c5: int, c7: int, c8: int) -> dict:
    """Expected columns 3–8 of a row (6 is 4 + 5)."""
    return {"3": c3, "4": c4, "5": c5, "6": c4 + c5, "7": c7, "8": c8}


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under the store folder but the lock files."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in LOCK_FILES
    }


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A fresh Tây Ninh province store made with `nhandao init --unit 72`."""
    return new_store(tmp_path / "store")


# --- building records files ------------------------------------------------------------------


def records_file(**collections: list) -> dict:
    document: dict = {"format": "nhandao-records", "version": 1}
    for name in ("units", "addresses", "helpers", "attachments", "aid", "reviews"):
        document[name] = list(collections.pop(name, []))
    assert not collections, collections
    return document


def address(id: str, unit: str = "25456", **fields: object) -> dict:
    record = {
        "id": id,
        "unit": unit,
        "name": f"Nguyễn Văn {id}",
        "kind": "individual",
        "people": 1,
        "place": "Khu phố 1",
        "groups": ["poor"],
        "surveyed_on": "2008-01-01",
        "dossier_on": "2008-01-01",
        "stopped_on": None,
        "stop_reason": None,
    }
    record.update(fields)
    return record


def collective(id: str, people: int, unit: str = "25456", **fields: object) -> dict:
    return address(id, unit, kind="collective", people=people, name=f"Hộ gia đình {id}", **fields)


def helper(id: str, side: str = "red_cross", unit: str = "25456", **fields: object) -> dict:
    kind = "member" if side == "red_cross" else "organisation"
    record = {
        "id": id,
        "unit": unit,
        "name": f"Trần Thị {id}",
        "side": side,
        "kind": kind,
        "awarded_before": False,
    }
    record.update(fields)
    return record


def aid(
    id: str,
    address: str,
    helper: str | None = None,
    on: str = "2010-06-01",
    value: int = 100_000,
    **fields: object,
) -> dict:
    record = {
        "id": id,
        "address": address,
        "helper": helper,
        "on": on,
        "form": "Tiền mặt",
        "value": value,
        "excluded": None,
        "note": None,
    }
    record.update(fields)
    return record


# --- the oracle's own footing ----------------------------------------------------------------


def test_oracle_directory_is_the_stores_directory(office: Path) -> None:
    """The oracle reads the official tree from the GSO file; a fresh store exports the same
    units in the same (directory) order."""
    exported = office.parent / "export.json"
    assert cli("records", "export", exported, "--store", office).code == 0
    units = json.loads(exported.read_text(encoding="utf-8"))["units"]
    assert units == list(oracle.official_units())


def test_empty_store_has_a_zero_row_for_each_district(office: Path) -> None:
    rows = assert_agrees(office, records_file())
    assert [r["unit"] for r in rows] == ["703", *(str(c) for c in range(705, 713)), None]
    assert all(row_of(rows, r["unit"]) == cols(0, 0, 0, 0, 0) for r in rows)


# --- hand-written hard cases -----------------------------------------------------------------


def test_names_and_places_typed_in_nfd_are_stored_and_shown_in_nfc(office: Path) -> None:
    school = {
        "code": "703-TH1",
        "name": nfd("Trường  Tiểu học Lê Lợi"),
        "kind": "school",
        "parent": "703",
    }
    records = records_file(
        units=[school],
        addresses=[address("a1", "703-TH1", name=nfd("Nguyễn Thị Hoà"), place=nfd("Ấp Phước Hội"))],
        helpers=[
            helper(
                "h1", name=nfd("Đoàn Thanh niên xã Tân Bình"), side="outside", kind="organisation"
            )
        ],
        aid=[aid("x1", "a1", "h1", note=nfd("Gạo và dầu ăn"), form=nfd("Gạo, nhu yếu phẩm"))],
    )
    load(office, records)
    rows = assert_agrees(office, records, unit="703")
    assert rows[-2]["name"] == "Trường Tiểu học Lê Lợi"
    assert unicodedata.is_normalized("NFC", rows[-2]["name"])
    assert row_of(rows, "703-TH1") == cols(1, 0, 1, 1, 100_000)
    exported = office.parent / "export.json"
    assert cli("records", "export", exported, "--store", office).code == 0
    text = exported.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    for typed in ("Nguyễn Thị Hoà", "Ấp Phước Hội", "Đoàn Thanh niên xã Tân Bình", "Gạo và dầu ăn"):
        assert typed in text


def test_address_helped_by_both_sides_counts_once_in_column_4(office: Path) -> None:
    records = records_file(
        addresses=[address("a1"), address("a2")],
        helpers=[helper("rc"), helper("out", side="outside")],
        aid=[
            aid("x1", "a1", "out", on="2009-03-01", value=1_000_000),
            aid("x2", "a1", "rc", on="2015-03-01", value=2_000_000),
            aid("x3", "a1", "out", on="2016-03-01", value=500_000),
            aid("x4", "a2", "out", on="2016-03-01", value=300_000),
        ],
    )
    load(office, records)
    rows = assert_agrees(office, records, unit="703")
    assert row_of(rows, "25456") == cols(2, 1, 1, 2, 3_800_000)


def test_red_cross_aid_outside_the_period_leaves_the_address_in_column_5(office: Path) -> None:
    records = records_file(
        addresses=[address("a1")],
        helpers=[helper("rc"), helper("out", side="outside", kind="individual")],
        aid=[
            aid("x1", "a1", "rc", on="2019-01-01", value=1_000_000),
            aid("x2", "a1", "out", on="2012-01-01", value=200_000),
        ],
    )
    load(office, records)
    assert row_of(assert_agrees(office, records), "703") == cols(1, 0, 1, 1, 200_000)
    rows = assert_agrees(office, records, year_from=2012, year_to=2019)
    assert row_of(rows, "703") == cols(1, 1, 0, 1, 1_200_000)


@pytest.mark.parametrize("kind", RED_CROSS_KINDS)
def test_every_red_cross_kind_of_helper_counts_in_column_4(office: Path, kind: str) -> None:
    records = records_file(
        addresses=[address("a1")], helpers=[helper("h1", kind=kind)], aid=[aid("x1", "a1", "h1")]
    )
    load(office, records)
    assert row_of(assert_agrees(office, records), "703") == cols(1, 1, 0, 1, 100_000)


def test_collectives_count_all_their_people(office: Path) -> None:
    records = records_file(
        addresses=[
            collective("c1", 10_000),
            collective("c2", 250, unit="25459"),
            collective("c3", 37, unit="25486"),  # district 705
            collective("c4", 9_999),  # never helped
            address("a1"),
        ],
        helpers=[helper("rc")],
        aid=[
            aid("x1", "c1", "rc", value=10_000_000_000),
            aid("x2", "c1", "rc", value=10_000_000_000),  # a second aid: people counted once
            aid("x3", "c2", None),
            aid("x4", "c3", "rc"),
            aid("x5", "a1", None),
        ],
    )
    load(office, records)
    rows = assert_agrees(office, records)
    assert row_of(rows, "703") == cols(4, 1, 2, 10_251, 20_000_200_000)
    assert row_of(rows, "705") == cols(1, 1, 0, 37, 100_000)
    assert row_of(rows, None) == cols(5, 2, 2, 10_288, 20_000_300_000)
    rows = assert_agrees(office, records, unit="703")
    assert row_of(rows, "25456") == cols(3, 1, 1, 10_001, 20_000_100_000)


@pytest.mark.parametrize("reason", EXCLUSIONS)
def test_excluded_aid_adds_no_value_and_does_not_make_an_address_helped(
    office: Path, reason: str
) -> None:
    records = records_file(
        addresses=[address("a1"), collective("c1", 40), address("a3")],
        helpers=[helper("rc"), helper("out", side="outside")],
        aid=[
            aid("x1", "a1", "rc", value=5_000_000, excluded=reason),  # only excluded aid
            aid("x2", "c1", "rc", value=7_000_000, excluded=reason),  # excluded red cross aid…
            aid("x3", "c1", "out", value=300_000),  # …and counted outside aid: column 5
            aid("x4", "a3", "out", value=100_000, excluded=reason),
            aid("x5", "a3", "rc", value=200_000),
        ],
    )
    load(office, records)
    rows = assert_agrees(office, records, unit="703")
    assert row_of(rows, "25456") == cols(3, 1, 1, 41, 500_000)


def test_aid_outside_the_period_is_not_counted(office: Path) -> None:
    records = records_file(
        addresses=[
            address("a1", surveyed_on="2005-01-01", dossier_on="2005-02-01"),
            address("a2"),
        ],
        helpers=[helper("rc")],
        aid=[
            aid("x1", "a1", "rc", on="2005-06-01", value=1_000_000),
            aid("x2", "a1", "rc", on="2007-12-31", value=2_000_000),
            aid("x3", "a2", "rc", on="2019-01-01", value=3_000_000),
            aid("x4", "a2", "rc", on="2026-11-28", value=4_000_000),
        ],
    )
    load(office, records)
    rows = assert_agrees(office, records)
    assert row_of(rows, "703") == cols(2, 0, 0, 0, 0)


def test_aid_on_the_first_and_last_day_of_the_period_is_counted(office: Path) -> None:
    records = records_file(
        addresses=[
            address("a1", surveyed_on="2007-01-01", dossier_on="2007-01-01"),
            address("a2", surveyed_on="2007-01-01", dossier_on="2007-01-01"),
        ],
        helpers=[helper("rc"), helper("out", side="outside")],
        aid=[
            aid("x1", "a1", "rc", on="2008-01-01", value=1),
            aid("x2", "a1", "rc", on="2007-12-31", value=10),
            aid("x3", "a2", "out", on="2018-12-31", value=100),
            aid("x4", "a2", "rc", on="2019-01-01", value=1_000),
        ],
    )
    load(office, records)
    rows = assert_agrees(office, records)
    assert row_of(rows, "703") == cols(2, 1, 1, 2, 101)
    rows = assert_agrees(office, records, year_from=2019, year_to=2019)
    assert row_of(rows, "703") == cols(2, 1, 0, 1, 1_000)
    rows = assert_agrees(office, records, year_from=2007, year_to=2007)
    assert row_of(rows, "703") == cols(2, 1, 0, 1, 10)


def test_deleted_address_and_its_aid_are_not_counted(office: Path) -> None:
    records = records_file(
        addresses=[
            address("a1", deleted=True),
            collective("c1", 12, deleted=True),
            address("a2"),
        ],
        helpers=[helper("rc")],
        aid=[
            aid("x1", "a1", "rc", value=1_000),
            aid("x2", "c1", None, value=2_000),
            aid("x3", "a2", None, value=4_000),
        ],
    )
    load(office, records)
    rows = assert_agrees(office, records)
    assert row_of(rows, "703") == cols(1, 0, 1, 1, 4_000)


def test_deleted_aid_is_not_counted(office: Path) -> None:
    records = records_file(
        addresses=[address("a1"), address("a2")],
        helpers=[helper("rc"), helper("out", side="outside")],
        aid=[
            aid("x1", "a1", "rc", value=1_000, deleted=True),
            aid("x2", "a1", "out", value=2_000),
            aid("x3", "a2", "rc", value=4_000, deleted=True),
        ],
    )
    load(office, records)
    rows = assert_agrees(office, records)
    assert row_of(rows, "703") == cols(2, 0, 1, 1, 2_000)


def test_aid_from_a_deleted_red_cross_helper_counts_as_outside(office: Path) -> None:
    records = records_file(
        addresses=[address("a1"), address("a2")],
        helpers=[helper("gone", deleted=True), helper("rc")],
        aid=[
            aid("x1", "a1", "gone", value=1_000),
            aid("x2", "a2", "gone", value=2_000),
            aid("x3", "a2", "rc", value=4_000),
        ],
    )
    load(office, records)
    rows = assert_agrees(office, records)
    assert row_of(rows, "703") == cols(2, 1, 1, 2, 7_000)


def test_aid_without_a_helper_counts_as_outside(office: Path) -> None:
    records = records_file(
        addresses=[address("a1"), collective("c1", 5)],
        aid=[aid("x1", "a1", None, value=0), aid("x2", "c1", None, value=9)],
    )
    load(office, records)
    rows = assert_agrees(office, records)
    assert row_of(rows, "703") == cols(2, 0, 2, 6, 9)


def test_address_with_a_dossier_after_the_period_is_not_in_column_3_but_its_help_counts(
    office: Path,
) -> None:
    records = records_file(
        addresses=[
            address("late", surveyed_on="2016-05-01", dossier_on="2019-01-01"),
            address("edge", surveyed_on="2016-05-01", dossier_on="2018-12-31"),
            address("none", surveyed_on="2016-05-01", dossier_on=None),
            address("unsurveyed", surveyed_on=None, dossier_on=None),
            address("early", surveyed_on="2001-01-01", dossier_on="2001-01-02"),
        ],
        helpers=[helper("rc")],
        aid=[
            aid("x1", "late", "rc", on="2017-01-01", value=10),
            aid("x2", "none", None, on="2017-01-01", value=20),
            aid("x3", "unsurveyed", "rc", on="2000-01-01", value=40),
        ],
    )
    load(office, records)
    rows = assert_agrees(office, records)
    assert row_of(rows, "703") == cols(2, 1, 1, 2, 30)
    rows = assert_agrees(office, records, year_from=2000, year_to=2019)
    assert row_of(rows, "703") == cols(3, 2, 1, 3, 70)


def test_stopped_address_with_a_dossier_still_counts(office: Path) -> None:
    records = records_file(
        addresses=[address("a1", stopped_on="2012-01-01", stop_reason="Đã thoát nghèo")],
        aid=[aid("x1", "a1", None, on="2010-01-01", value=50)],
    )
    load(office, records)
    assert row_of(assert_agrees(office, records), "703") == cols(1, 0, 1, 1, 50)


def test_school_added_by_the_file_under_a_district_is_a_row_after_its_communes(
    office: Path,
) -> None:
    records = records_file(
        units=[
            {"code": "703-TH1", "name": "Trường THCS Nguyễn Du", "kind": "school", "parent": "703"},
            {"code": "705-C1", "name": "Xã Mới", "kind": "commune", "parent": "705"},
            {
                "code": "705-C1-TH",
                "name": "Trường Tiểu học Xã Mới",
                "kind": "school",
                "parent": "705-C1",
            },
            {
                "code": "72-BV",
                "name": "Bệnh viện Đa khoa tỉnh",
                "kind": "affiliated",
                "parent": "72",
            },
        ],
        addresses=[
            collective("s1", 120, unit="703-TH1"),
            address("s2", unit="705-C1-TH"),
            address("s3", unit="72-BV"),
            address("a1", unit="25459"),
        ],
        helpers=[helper("rc", unit="703-TH1")],
        aid=[
            aid("x1", "s1", "rc", value=6),
            aid("x2", "s2", None, value=7),
            aid("x3", "s3", "rc", value=8),
        ],
    )
    load(office, records)
    rows = assert_agrees(office, records, unit="703")
    assert [r["unit"] for r in rows[-3:]] == ["25483", "703-TH1", None]
    assert row_of(rows, "703-TH1") == cols(1, 1, 0, 120, 6)
    assert row_of(rows, "25459") == cols(1, 0, 0, 0, 0)
    rows = assert_agrees(office, records)
    assert [r["unit"] for r in rows[-3:]] == ["712", "72-BV", None]
    assert row_of(rows, "703") == cols(2, 1, 0, 120, 6)
    assert row_of(rows, "705") == cols(1, 0, 1, 1, 7)
    rows = assert_agrees(office, records, unit="705")
    assert row_of(rows, "705-C1") == cols(1, 0, 1, 1, 7)
    rows = assert_agrees(office, records, unit="705-C1")
    assert [r["unit"] for r in rows] == ["705-C1-TH", None]


def test_unit_at_a_district_lists_its_communes_with_another_period(office: Path) -> None:
    records = records_file(
        addresses=[
            address("a1", unit="25456", surveyed_on="2003-01-01", dossier_on="2003-01-01"),
            address("a2", unit="25459", surveyed_on="2003-01-01", dossier_on="2011-01-01"),
            collective("c1", 8, unit="25459", surveyed_on="2003-01-01", dossier_on="2004-01-01"),
            address("b1", unit="25486", surveyed_on="2003-01-01", dossier_on="2003-01-01"),
        ],
        helpers=[helper("rc"), helper("out", side="outside")],
        aid=[
            aid("x1", "a1", "rc", on="2004-12-31", value=1),
            aid("x2", "a1", "out", on="2005-01-01", value=2),
            aid("x3", "a2", "out", on="2010-12-31", value=4),
            aid("x4", "c1", "out", on="2011-01-01", value=8),
            aid("x5", "b1", "rc", on="2006-01-01", value=16),
        ],
    )
    load(office, records)
    rows = assert_agrees(office, records, unit="703", year_from=2005, year_to=2010)
    assert rows[0]["unit"] == "25456" and rows[0]["name"] == "Phường 1"
    assert len(rows) == 11  # ten wards and communes, then the totals
    assert row_of(rows, "25456") == cols(1, 0, 1, 1, 2)
    assert row_of(rows, "25459") == cols(1, 0, 1, 1, 4)
    assert row_of(rows, None) == cols(2, 0, 2, 2, 6)
    rows = assert_agrees(office, records, unit="703", year_from=2004, year_to=2004)
    assert row_of(rows, None) == cols(2, 1, 0, 1, 1)
    assert "25486" not in {r["unit"] for r in rows}
    rows = assert_agrees(office, records, year_from=2006, year_to=2011)
    assert row_of(rows, "703") == cols(3, 0, 2, 9, 12)
    assert row_of(rows, "705") == cols(1, 1, 0, 1, 16)


def test_addresses_kept_by_the_unit_itself_get_their_own_row(office: Path) -> None:
    records = records_file(
        addresses=[address("d1", unit="703"), address("a1", unit="25456")],
        aid=[aid("x1", "d1", None, value=3), aid("x2", "a1", None, value=5)],
    )
    load(office, records)
    rows = assert_agrees(office, records, unit="703")
    assert rows[-2]["unit"] == "703" and row_of(rows[-2:], "703") == cols(1, 0, 1, 1, 3)
    assert row_of(rows, None) == cols(2, 0, 2, 2, 8)
    assert row_of(assert_agrees(office, records), "703") == cols(2, 0, 2, 2, 8)


def test_a_tombstone_in_a_later_import_removes_the_address(office: Path) -> None:
    first = records_file(
        addresses=[address("a1"), address("a2")],
        helpers=[helper("rc")],
        aid=[aid("x1", "a1", "rc", value=10), aid("x2", "a2", "rc", value=20)],
    )
    load(office, first)
    row = row_of(assert_agrees(office, first), "703")
    assert row == cols(2, 2, 0, 2, 30)
    second = records_file(
        addresses=[address("a1", deleted=True)],
        helpers=[helper("rc", deleted=True)],
        aid=[aid("x2", "a2", "rc", value=25)],
    )
    load(office, second, "second.json")
    merged = records_file(
        addresses=[address("a1", deleted=True), address("a2")],
        helpers=[helper("rc", deleted=True)],
        aid=[aid("x1", "a1", "rc", value=10), aid("x2", "a2", "rc", value=25)],
    )
    assert row_of(assert_agrees(office, merged), "703") == cols(1, 0, 1, 1, 25)


def test_importing_the_same_file_twice_changes_nothing(office: Path) -> None:
    records = records_file(
        addresses=[address("a1"), collective("c1", 3)],
        helpers=[helper("rc")],
        aid=[aid("x1", "a1", "rc"), aid("x2", "c1", None)],
    )
    load(office, records)
    before = tree_digest(office / "units")
    load(office, records)
    assert tree_digest(office / "units") == before
    assert row_of(assert_agrees(office, records), "703") == cols(2, 1, 1, 4, 200_000)


# --- a refused import ------------------------------------------------------------------------


def invalid_file() -> tuple[dict, list[tuple[str, str]]]:
    """A records file with valid records and seven invalid ones; for each problem, the
    record's id and a Vietnamese phrase its message must carry."""
    records = records_file(
        addresses=[
            address("ok1", surveyed_on="2010-01-01", dossier_on="2010-02-01"),
            address("bad-people", people=3),
            address("bad-group", groups=["poor", "martian"]),
            address("bad-dossier", dossier_on="2099-01-01"),
        ],
        helpers=[helper("rc"), helper("bad-side", side="outside", kind="member")],
        aid=[
            aid("ok-aid", "ok1", "rc", on="2011-01-01"),
            aid("bad-early", "ok1", "rc", on="2009-01-01"),
            aid("bad-value", "ok1", "rc", on="2011-01-01", value=-5),
            aid("bad-ref", "nowhere", None),
        ],
    )
    problems = [
        ("bad-people", "Số người"),
        ("bad-group", "martian"),
        ("bad-dossier", "tương lai"),
        ("bad-side", "không thuộc phía"),
        ("bad-early", "trước «Ngày khảo sát»"),
        ("bad-value", "không được âm"),
        ("bad-ref", "không tìm thấy địa chỉ mang mã «nowhere»"),
    ]
    return records, problems


def run_import_process(store: Path, path: Path) -> subprocess.CompletedProcess:
    """`nhandao records import` as a separate process, output to pipes (not a terminal)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "records", "import", str(path), "--store", str(store)],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_a_file_with_invalid_records_is_refused_whole_and_every_problem_listed(
    office: Path,
) -> None:
    records, problems = invalid_file()
    path = write_file(office.parent / "invalid.json", records)
    before = tree_digest(office)
    ran = run_import_process(office, path)
    assert ran.returncode != 0
    assert tree_digest(office) == before
    err = ran.stderr.decode("utf-8")
    assert f"Có {len(problems)} lỗi, chưa lưu gì vào kho" in err
    # One item per problem; Rich may fold a long item over several lines: join them back.
    items: list[str] = []
    for line in err.splitlines()[1:]:
        if line.startswith("- "):
            items.append(line[2:])
        elif items:
            items[-1] += " " + line.strip()
    items = [" ".join(item.split()) for item in items]
    assert len(items) == len(problems), err
    for key, phrase in problems:
        assert any(f"(mã {key})" in item and phrase in item for item in items), (key, err)
    assert not any(item.isascii() for item in items)  # Vietnamese sentences
    assert row_of(program_summary(office), None) == cols(0, 0, 0, 0, 0)


def test_a_refused_import_prints_each_problem_on_one_line(office: Path) -> None:
    """With its error output going to a file or a pipe (a log, an office's batch script),
    each problem should stay on one line: one `- ` line per problem, nothing folded."""
    records, problems = invalid_file()
    ran = run_import_process(office, write_file(office.parent / "invalid.json", records))
    lines = ran.stderr.decode("utf-8").splitlines()
    assert lines[0].startswith(f"Có {len(problems)} lỗi")
    assert lines[1:] == [line for line in lines[1:] if line.startswith("- ")], lines
    assert len(lines) == 1 + len(problems), lines


def test_refused_in_process_too_and_store_unchanged(office: Path) -> None:
    """The in-process entry point refuses the same file, and a valid file afterwards loads."""
    records, problems = invalid_file()
    before = tree_digest(office)
    ran = cli(
        "records", "import", write_file(office.parent / "bad.json", records), "--store", office
    )
    assert ran.code != 0
    assert tree_digest(office) == before
    assert ran.err.count("\n- ") + ran.err.startswith("- ") == len(problems)
    fixed = records_file(addresses=[address("ok1")], aid=[aid("x1", "ok1", None)])
    load(office, fixed)
    assert row_of(assert_agrees(office, fixed), "703") == cols(1, 0, 1, 1, 100_000)


# --- random valid records files --------------------------------------------------------------

FIRST_DAY = date(2000, 1, 1)
BOUNDARIES = tuple(
    date.fromisoformat(day)
    for day in (
        "2000-01-01", "2007-12-31", "2008-01-01", "2010-12-31", "2011-01-01", "2015-12-31",
        "2016-01-01", "2018-12-31", "2019-01-01", "2026-11-28",
    )
)  # fmt: skip
OFFICIAL_COMMUNES = (
    "25456",
    "25459",
    "25486",
    *(
        next(u["code"] for u in oracle.official_units() if u["parent"] == district)
        for district in ("706", "712")
    ),
)
FILE_UNITS = (  # code, name, kind, parent: parents listed before their children
    ("703-TH1", "Trường Tiểu học Phường 1", "school", "703"),
    ("25486-TH", "Trường THCS Thị trấn Tân Biên", "school", "25486"),
    ("705-C1", "Xã Thạnh Hòa Mới", "commune", "705"),
    ("705-C1-TH", "Trường Mẫu giáo Hoa Sen", "school", "705-C1"),
    ("72-BV", "Bệnh viện Đa khoa tỉnh", "affiliated", "72"),
)
NAMES = ("Nguyễn Văn Ấn", "Trần Thị Hoà", "Lê Đức Thọ", "Phạm Thị Ước", "Võ Văn Kiệt",
         "Hộ ông Huỳnh Văn Ửng", "Lớp 5A trường Kim Đồng")  # fmt: skip


@st.composite
def days(draw, not_before: date | None = None) -> date:
    """A day from 2000 to the last allowed day, often a period boundary, never before
    `not_before`."""
    low = not_before or FIRST_DAY
    day = draw(
        st.one_of(
            st.sampled_from(BOUNDARIES),
            st.dates(FIRST_DAY, LAST_DAY),
            st.dates(date(2008, 1, 1), date(2018, 12, 31)),  # the default period
        )
    )
    return max(day, low)


@st.composite
def optional_days(draw, not_before: date | None = None) -> date | None:
    return draw(st.one_of(st.none(), days(not_before)))


def iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


@st.composite
def text(draw, choices: tuple[str, ...]) -> str:
    chosen = draw(st.sampled_from(choices))
    return nfd(chosen) if draw(st.booleans()) else chosen


@st.composite
def valid_records(draw) -> dict:
    chosen = draw(st.sets(st.sampled_from(range(len(FILE_UNITS)))))
    if 3 in chosen:
        chosen.add(2)  # the school of the new commune needs the commune
    units = [
        {"code": code, "name": draw(text((name,))), "kind": kind, "parent": parent}
        for i, (code, name, kind, parent) in enumerate(FILE_UNITS)
        if i in chosen
    ]
    homes = st.one_of(
        st.sampled_from(OFFICIAL_COMMUNES + tuple(u["code"] for u in units)),
        st.sampled_from(("703", "72")),  # addresses kept by a district or the province itself
    )
    tombstone = st.sampled_from((False,) * 6 + (True,))  # about one in seven is deleted

    addresses = []
    surveyed: dict[str, date | None] = {}
    for i in range(draw(st.integers(0, 30))):
        individual = draw(st.booleans())
        people = 1 if individual else draw(st.one_of(st.integers(1, 60), st.just(10_000)))
        survey = draw(optional_days())
        dossier = draw(optional_days(survey))
        stopped = draw(optional_days(dossier or survey))
        record = {
            "id": f"a{i}",
            "unit": draw(homes),
            "name": draw(text(NAMES)),
            "kind": "individual" if individual else "collective",
            "people": people,
            "place": draw(st.one_of(st.none(), text(("Ấp Bình Hòa", "Khu phố 3")))),
            "groups": draw(st.lists(st.sampled_from(GROUPS), max_size=3, unique=True)),
            "surveyed_on": iso(survey),
            "dossier_on": iso(dossier),
            "stopped_on": iso(stopped),
            "stop_reason": "Đã thoát nghèo" if stopped else None,
        }
        if draw(tombstone):
            record["deleted"] = True
        addresses.append(record)
        surveyed[record["id"]] = survey

    helpers = []
    for i in range(draw(st.integers(0, 8))):
        side = draw(st.sampled_from(("red_cross", "outside")))
        kinds = RED_CROSS_KINDS if side == "red_cross" else OUTSIDE_KINDS
        record = {
            "id": f"h{i}",
            "unit": draw(st.sampled_from((*OFFICIAL_COMMUNES, "703", "72"))),
            "name": draw(text(NAMES)),
            "side": side,
            "kind": draw(st.sampled_from(kinds)),
            "awarded_before": draw(st.booleans()),
        }
        if draw(st.sampled_from((False, False, True))):
            record["deleted"] = True
        helpers.append(record)

    aid_records, attachments, reviews = [], [], []
    if addresses:
        ids = [a["id"] for a in addresses]
        helper_ids = st.sampled_from([None, *(h["id"] for h in helpers)])
        values = st.one_of(
            st.integers(0, 5_000_000),
            st.sampled_from((0, 10_000_000_000)),
            st.integers(0, 10_000_000_000),
        )
        for i in range(draw(st.integers(0, 100))):
            to = draw(st.sampled_from(ids))
            record = {
                "id": f"x{i}",
                "address": to,
                "helper": draw(helper_ids),
                "on": iso(draw(days(surveyed[to]))),
                "form": draw(text(("Gạo", "Tiền mặt"))),
                "value": draw(values),
                "excluded": draw(st.sampled_from((None,) * 5 + EXCLUSIONS)),
                "note": None,
            }
            if draw(tombstone):
                record["deleted"] = True
            aid_records.append(record)
        if helpers:
            linked: set[tuple[str, str]] = set()
            for i in range(draw(st.integers(0, 5))):
                start = draw(days())
                pair = (
                    draw(st.sampled_from(ids)),
                    draw(st.sampled_from([h["id"] for h in helpers])),
                )
                if pair in linked:  # two links of one helper to one address may overlap: refused
                    continue
                linked.add(pair)
                attachments.append(
                    {
                        "id": f"g{i}",
                        "address": pair[0],
                        "helper": pair[1],
                        "from": iso(start),
                        "until": iso(draw(optional_days(start))),
                        "stop_reason": None,
                    }
                )
        for i in range(draw(st.integers(0, 5))):
            year = draw(st.integers(2000, 2026))
            reviews.append(
                {
                    "id": f"r{i}",
                    "address": draw(st.sampled_from(ids)),
                    "year": year,
                    "on": iso(draw(days(date(year, 1, 1)))),
                    "outcome": draw(st.sampled_from(("continue", "stop", "change"))),
                }
            )
    return records_file(
        units=units,
        addresses=addresses,
        helpers=helpers,
        attachments=attachments,
        aid=aid_records,
        reviews=reviews,
    )


@st.composite
def periods(draw) -> tuple[int, int]:
    first = draw(st.integers(2000, 2026))
    return first, draw(st.integers(first, 2026))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(records=valid_records(), period=periods())
def test_program_summary_equals_the_oracle_on_random_files(
    records: dict, period: tuple[int, int]
) -> None:
    with tempfile.TemporaryDirectory(prefix="nhandao-oracle-") as folder:
        store = new_store(Path(folder) / "store")
        load(store, records)
        assert_agrees(store, records)
        assert_agrees(store, records, unit="703")
        assert_agrees(store, records, unit="705", year_from=period[0], year_to=period[1])
        assert_agrees(store, records, year_from=period[0], year_to=period[1])
        assert_agrees(store, records, unit="25486", year_from=period[0], year_to=period[1])
        if any(u["code"] == "705-C1" for u in records["units"]):
            assert_agrees(store, records, unit="705-C1")
