"""A matrix of damaged files: every kind of file of a store, damaged every way a PC damages
files (cut short, emptied, replaced by valid JSON of the wrong shape, copied from another unit,
deleted, not UTF-8). Each time `check` says in Vietnamese what happened, the newest good copy
comes back, and nothing that could be recovered was overwritten."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from factories import address, aid, helper

from tui.cli import main

DAMAGES: dict[str, Callable[[bytes], bytes] | None] = {
    "cut short": lambda data: data[: len(data) // 2],
    "emptied": lambda _data: b"",
    "{}": lambda _data: b"{}",
    "[]": lambda _data: b"[]",
    "not UTF-8": lambda _data: b"\xff\xfe\x00\x80 h\xe1ng",
    "deleted": None,
}
# Each file of a store, with what `check` says once it is back.
FILES = {
    "office.json": "Tệp office.json không đọc được",
    "directory.json": "Tệp directory.json không đọc được",
    "units/25456.json": "Tệp units/25456.json (dữ liệu của Phường 1) không đọc được",
    "conflicts.json": "Tệp conflicts.json không đọc được",
    "ledger.json": "Tệp ledger.json không đọc được",
    "keys/office.key": "Đã sửa: Tệp khoá riêng keys/office.key bị",
    "keys/office.pub": "Đã sửa: Tệp khoá công khai keys/office.pub bị mất hoặc bị hỏng",
    "keys/province.pub": "Đã sửa: Tệp khoá đã ghim của Tỉnh Hội keys/province.pub bị hỏng",
    "quarantine.json": "Tệp quarantine.json không đọc được",
    "acked.json": "Tệp acked.json không đọc được",
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A district office that received a commune's bundle and holds a conflict."""
    from offices import chain

    from store.records_file import import_records  # noqa: F401 (the records path is covered)
    from sync import send
    from sync.ledger import Acked, Quarantine
    from sync.receive import import_bundle

    folder = tmp_path_factory.mktemp("office")
    with chain(folder) as offices:
        commune, district = offices.commune, offices.district
        commune.save_many([("address", address()), ("aid", aid(helper=None))])
        (folder / "usb").mkdir()
        assert (
            import_bundle(district, send.export_records(commune, folder / "usb").path).status
            == "merged"
        )
        # Both edit the address: the district keeps the loser in conflicts.json.
        district.save("address", address(place="Khu phố 2"))
        commune.save("address", address(place="Khu phố 3"))
        bundle = send.export_records(commune, folder / "usb").path
        assert import_bundle(district, bundle).conflicts
        district.save("address", address(place="Khu phố 4"))  # a second save: last.json ≠ file
        district.save("helper", helper("h703", unit="703", name="Hội CTĐ thành phố"))
        # A record held back, and what the province acknowledged holding: their own files.
        held = Quarantine(district)
        held.records.append({"kind": "aid", "id": "x9", "v": "1733000000000-0000-25456-x",
                             "owner": "25456", "reasons": ["Thử."], "sender": "25456"})  # fmt: skip
        held.save()
        acked = Acked(district)
        acked.add("72", [("address", "a1", district.get("address", "a1")["v"])])  # type: ignore[index]
        acked.save()
        path = district.path
    return path


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("name", FILES)
def test_a_damaged_file_is_restored_and_said(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, damage: str
) -> None:
    store = tmp_path / "store"
    shutil.copytree(office, store)
    target = store / name
    good = target.read_bytes()
    backups = [p for p in (store / "backups").rglob("*") if p.is_file()]
    kept = {p: digest(p) for p in backups}
    harm = DAMAGES[damage]
    if harm is None:
        target.unlink()
    else:
        target.write_bytes(harm(good))
        if target.read_bytes() == good:
            pytest.fail("the damage changed nothing")  # guards the matrix itself

    code = main(["check", "--store", str(store)])
    said = capsys.readouterr()
    text = said.out + said.err
    assert code == 0, text
    assert FILES[name] in text and "không có lỗi" in said.out
    assert "Traceback" not in text
    # Every backup is still there, unchanged: restoring takes a copy, never overwrites one.
    assert {p: digest(p) for p in backups} == kept
    if harm is not None and name.endswith(".json"):
        broken = [p for p in (store / "backups").rglob("broken-*.json")]
        assert [p.read_bytes() for p in broken] == [harm(good)]  # the damaged copy is kept aside
    # And the store works: a summary of the district, with the commune's address counted.
    assert main(["summary", "--json", "--store", str(store)]) == 0
    assert '"3": 1' in capsys.readouterr().out


def test_a_unit_file_copied_under_another_units_name_is_kept_aside_and_nothing_is_lost(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    shutil.copytree(office, store)
    real = (store / "units" / "25456.json").read_bytes()
    (store / "units" / "25459.json").write_bytes(real)  # 25459 never had a file here
    assert main(["check", "--store", str(store)]) == 0
    said = capsys.readouterr().out
    assert "Tệp units/25459.json không phải tệp dữ liệu của đơn vị «25459»" in said
    assert (store / "units" / "25456.json").read_bytes() == real  # the real file untouched
    (aside,) = (store / "backups" / "stray").glob("25459-*.json")
    assert aside.read_bytes() == real
    assert main(["summary", "--json", "--store", str(store)]) == 0
    assert '"3": 1' in capsys.readouterr().out


def test_a_unit_file_copied_over_another_units_file_is_restored_from_its_backup(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    shutil.copytree(office, store)
    (store / "units" / "703.json").write_bytes((store / "units" / "25456.json").read_bytes())
    assert main(["check", "--store", str(store)]) == 0
    assert (
        "Tệp units/703.json (dữ liệu của Thành phố Tây Ninh) không đọc được"
        in capsys.readouterr().err
    )
    assert (store / "units" / "25456.json").read_bytes() == (
        office / "units" / "25456.json"
    ).read_bytes()
    assert main(["summary", "--json", "--store", str(store)]) == 0
    assert '"3": 1' in capsys.readouterr().out


def test_of_two_copies_of_one_version_the_one_in_its_owners_file_wins(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import orjson

    store = tmp_path / "store"
    shutil.copytree(office, store)
    owner_file, stray_file = store / "units" / "703.json", store / "units" / "25456.json"
    owner = orjson.loads(owner_file.read_bytes())
    stray = orjson.loads(stray_file.read_bytes())
    # A copy of the city's helper, same version, slipped into the ward's file (read first).
    (copy,) = owner["helpers"].values()
    stray["helpers"] = {"1": copy}
    stray_file.write_bytes(orjson.dumps(stray))
    before = owner_file.read_bytes()
    assert main(["check", "--store", str(store)]) == 0
    assert "Người trợ giúp mã h703: bỏ bản cũ còn sót ở tệp 25456" in capsys.readouterr().out
    assert owner_file.read_bytes() == before  # the owner's file is never emptied
    assert orjson.loads(stray_file.read_bytes())["helpers"] == {}  # the stray copy is gone
