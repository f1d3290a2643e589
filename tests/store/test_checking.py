"""`nhandao check` one unit file at a time (store/checking.py) finds what the check of the
loaded store finds, and reads again exactly the files whose verdict no longer holds: changed
bytes, changed rules or units, a record they refer to changed in another file, another day."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import orjson
import pytest
from disk import run_cli

from store import checking
from store.demo import write_demo
from store.national import Checked, check_by_province
from store.store import Store, data_of, table_of


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("checking") / "district"
    write_demo(path, seed=3, scale="district").close()
    return path


@pytest.fixture
def store_path(demo: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store"
    shutil.copytree(demo, path)
    return path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The unit files the next checks read and validate, by code."""
    read: list[str] = []
    validate = checking.file_problems

    def counted(code: str, *args: object) -> list[str]:
        read.append(code)
        return validate(code, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(checking, "file_problems", counted)
    return read


def full(path: Path, today: Callable[[], date] = date.today) -> Checked:
    with Store.open(path, reading=True, today=today) as store:
        return check_by_province(store)


def incremental(path: Path, today: Callable[[], date] = date.today) -> Checked:
    with Store.open(path, reading=True, records=False, today=today) as store:
        index = store.summary_index()
        assert index is not None and not store.records_loaded
        checked = checking.check_from_index(store, index)
        assert not store.records_loaded  # no record was held in memory beyond its file
        return checked


def edit(path: Path, code: str, change: Callable[[dict], None]) -> None:
    """Change a unit file by hand, as another program or a damaged disk would."""
    file = path / "units" / f"{code}.json"
    data = orjson.loads(file.read_bytes())
    change(data)
    file.write_bytes(orjson.dumps(data))


def documents(data: dict, collection: str) -> list[dict]:
    return [
        document
        for table, stored in data.items()
        if table.split(".", 1)[0] == collection
        for document in stored.values()
    ]


def test_a_sound_store_is_checked_once_then_only_hashed(store_path: Path, reads: list) -> None:
    expected = full(store_path)
    assert expected.problems == []
    first = incremental(store_path)
    assert (first.problems, first.files, first.addresses, first.aid) == (
        [], expected.files, expected.addresses, expected.aid
    )  # fmt: skip
    assert len(reads) == expected.files == 12
    reads.clear()
    again = incremental(store_path)
    assert again == first and reads == []


def test_damaged_records_are_named_as_by_the_full_check(store_path: Path, reads: list) -> None:
    def damage(data: dict) -> None:
        aid = documents(data, "aid")
        aid[0]["value"] = -5_000
        aid[1]["helper"] = "không-có-ai"
        documents(data, "reviews")[0]["year"] = 2001
        documents(data, "addresses")[0]["people"] = 0

    edit(store_path, "25459", damage)
    expected = full(store_path).problems
    assert len(expected) == 4
    assert any("không được âm" in p for p in expected)
    assert any("không tìm thấy người trợ giúp mang mã «không-có-ai»" in p for p in expected)
    assert sorted(incremental(store_path).problems) == sorted(expected)
    assert reads == sorted(set(reads))  # every file once
    reads.clear()
    assert sorted(incremental(store_path).problems) == sorted(expected)  # kept, same day
    assert reads == []


def test_a_change_elsewhere_reaches_the_files_that_refer_to_it(
    store_path: Path, reads: list
) -> None:
    assert incremental(store_path).problems == []
    with Store.open(store_path) as store:
        by_file: dict[str, set[str]] = {}
        for aid in store.records("aid"):
            helper = store.stored("helper", aid["helper"]) if aid.get("helper") else None
            if helper is not None and helper["owner"] != aid["owner"]:
                by_file.setdefault(helper["owner"], set()).add(aid["owner"])
    source, referring = next(iter(sorted(by_file.items())))
    with Store.open(store_path) as store:
        helpers = [h for h in store.records("helper") if h["owner"] == source]
        used = {a.get("helper") for a in store.records("aid") if a["owner"] in referring}
    gone = next(h["id"] for h in helpers if h["id"] in used)

    # Saved through the store: the files that looked the helper up are read again.
    reads.clear()
    with Store.open(store_path) as store:
        store.save("helper", {**data_of("helper", store.get("helper", gone)), "name": "Tên mới"})
    assert incremental(store_path).problems == []
    assert source in reads and set(reads) > {source}
    referrers = set(reads) - {source}

    # Removed by hand from its file: the unchanged files that refer to it find it missing.
    def remove(data: dict) -> None:
        for table in data.values():
            for doc_id in [k for k, d in table.items() if d.get("id") == gone]:
                del table[doc_id]

    edit(store_path, source, remove)
    reads.clear()
    found = incremental(store_path).problems
    assert sorted(found) == sorted(full(store_path).problems)
    assert any(f"không tìm thấy người trợ giúp mang mã «{gone}»" in p for p in found)
    assert set(reads) == {source} | referrers


def test_an_address_surveyed_later_in_another_file_is_found(store_path: Path) -> None:
    """An aid record kept in another unit's file than its address's (copied there by hand)
    is checked against that address; when the address changes, against what it is now."""
    assert incremental(store_path).problems == []
    moved: dict = {}

    def take(data: dict) -> None:
        helped = {a["address"] for a in documents(data, "aid")}
        address = next(a for a in documents(data, "addresses") if a["id"] in helped)
        moved["address"] = address["id"]
        moved["aid"] = min(
            (a for a in documents(data, "aid") if a["address"] == address["id"]),
            key=lambda a: a["on"],
        )
        address["surveyed_on"] = "2008-01-01"

    edit(store_path, "25459", take)

    def give(data: dict) -> None:
        copied = {**moved["aid"], "id": "copied-aid", "owner": "25462"}
        data.setdefault(table_of("aid", copied), {})["999999"] = copied

    edit(store_path, "25462", give)
    assert incremental(store_path).problems == full(store_path).problems == []

    def later(data: dict) -> None:
        address = next(a for a in documents(data, "addresses") if a["id"] == moved["address"])
        address["surveyed_on"] = date.today().isoformat()

    edit(store_path, "25459", later)
    found = incremental(store_path).problems
    assert [p for p in found if "copied-aid" in p]
    assert sorted(found) == sorted(full(store_path).problems)


def test_a_clean_verdict_holds_later_not_earlier(store_path: Path, reads: list) -> None:
    assert incremental(store_path, today=lambda: date(2030, 1, 1)).problems == []
    reads.clear()
    assert incremental(store_path, today=lambda: date(2031, 6, 1)).problems == []
    assert reads == []
    # A clock set years back: dates after it are in the future, as the full check says.
    back = lambda: date(2015, 1, 1)  # noqa: E731
    found = incremental(store_path, today=back).problems
    assert found and any("là ngày trong tương lai" in p for p in found)
    assert sorted(found) == sorted(full(store_path, today=back).problems)
    assert len(reads) == 12


def test_other_rules_or_units_check_every_file_again(
    store_path: Path, reads: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    incremental(store_path)
    reads.clear()
    digest = checking.rules_digest
    monkeypatch.setattr(checking, "rules_digest", lambda units: digest(units)[::-1])
    incremental(store_path)
    assert len(reads) == 12
    monkeypatch.setattr(checking, "rules_digest", digest)
    reads.clear()
    with Store.open(store_path) as store:
        unit = store.get("unit", "703-TH1")  # the demo's school
        assert unit is not None
        store.save("unit", {**data_of("unit", unit), "name": "Trường Tiểu học Đổi Tên"})
    incremental(store_path)
    assert len(reads) == 12


def test_the_command_line_check_and_full_check_agree(store_path: Path) -> None:
    edit(store_path, "25465", lambda data: documents(data, "aid")[0].update(value=-1))
    quick = run_cli("check", "--store", str(store_path))
    again = run_cli("check", "--store", str(store_path))
    whole = run_cli("check", "--full", "--store", str(store_path))
    assert quick.returncode == again.returncode == whole.returncode == 1
    assert "«Giá trị (đồng)» không được âm" in quick.stdout
    assert quick.stdout == again.stdout == whole.stdout
    assert (store_path / "cache" / "index.sqlite").is_file()


def test_without_the_program_s_code_to_read_nothing_is_used_again(
    store_path: Path, reads: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build whose sources cannot be read (frozen) cannot say its rules are unchanged."""
    incremental(store_path)
    monkeypatch.setattr(checking, "_RULES_SOURCES", (store_path / "no-such-source.py",))
    reads.clear()
    assert incremental(store_path).problems == []
    assert incremental(store_path).problems == []
    assert len(reads) == 24  # every file, each time
