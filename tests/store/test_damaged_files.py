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


# ----------------------------------------------------------------- strict JSON in store files

JSON_FILES = [name for name in FILES if name.endswith(".json")]
TWICE = "xuất hiện hai lần trong cùng một đối tượng JSON"


def with_a_key_twice(payload: bytes, nested: bool) -> tuple[bytes, str]:
    """The file written again as orjson writes it, except that one object's first key comes
    twice, the real pair last (so a lenient reader reads the same content): the top object, or
    the last non-empty object below it. Returns the bytes and the key."""
    import orjson

    data = orjson.loads(payload)
    found: list[dict] = []

    def find(value: object, depth: int) -> None:
        if isinstance(value, dict):
            if value and (depth > 0) == nested:
                found.append(value)
            for child in value.values():
                find(child, depth + 1)
        elif isinstance(value, list):
            for child in value:
                find(child, depth + 1)

    find(data, 0)
    target = found[-1]
    key = next(iter(target))

    def emit(value: object) -> bytes:
        if isinstance(value, dict):
            pairs = [orjson.dumps(k) + b":" + emit(v) for k, v in value.items()]
            if value is target:
                pairs.insert(0, orjson.dumps(key) + b':"not this one"')
            return b"{" + b",".join(pairs) + b"}"
        if isinstance(value, list):
            return b"[" + b",".join(emit(v) for v in value) + b"]"
        return orjson.dumps(value)

    target = None  # type: ignore[assignment]
    assert emit(data) == payload  # the emitter writes exactly what orjson writes
    target = found[-1]
    damaged = emit(data)
    assert orjson.loads(damaged) == data
    return damaged, key


@pytest.mark.parametrize("nested", [False, True], ids=["top level", "nested"])
@pytest.mark.parametrize("name", JSON_FILES)
def test_a_store_file_with_a_key_twice_is_restored_from_its_backup_and_said(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, nested: bool
) -> None:
    """A key twice reads as intended with orjson, but is damage all the same: the file is
    restored like any damaged file, and the message names the key."""
    store = tmp_path / "store"
    shutil.copytree(office, store)
    target = store / name
    damaged, key = with_a_key_twice(target.read_bytes(), nested)
    target.write_bytes(damaged)
    backups = [p for p in (store / "backups").rglob("*") if p.is_file()]
    kept = {p: digest(p) for p in backups}

    code = main(["check", "--store", str(store)])
    said = capsys.readouterr()
    text = said.out + said.err
    assert code == 0, text
    assert f"{FILES[name]} (mục «{key}» {TWICE}; lưu lần cuối lúc" in text
    assert "Đã khôi phục từ bản sao lưu lúc" in text and "không có lỗi" in said.out
    assert {p: digest(p) for p in backups} == kept
    broken = list((store / "backups").rglob("broken-*.json"))
    assert [p.read_bytes() for p in broken] == [damaged]  # kept aside, never read
    assert target.read_bytes() != damaged
    assert main(["summary", "--json", "--store", str(store)]) == 0
    assert '"3": 1' in capsys.readouterr().out


def _set(path: str, value: object) -> Callable[[dict], None]:
    """Set a field of a parsed file, by a path of keys and list positions."""

    def change(data: dict) -> None:
        *parents, last = path.split(".")
        node: object = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
        node[int(last) if isinstance(node, list) else last] = value  # type: ignore[index]

    return change


@pytest.mark.parametrize(
    ("name", "change", "says"),
    [
        ("ledger.json", _set("next_sequence", True),
         "«next_sequence» phải là số nguyên từ 1 trở lên"),
        ("ledger.json", _set("next_sequence", 1.0),
         "«next_sequence» phải là số nguyên từ 1 trở lên"),
        ("ledger.json", _set("received.0.sequence", True),
         "«received», phần tử thứ 1, «sequence» phải là số nguyên từ 1 trở lên"),
        ("ledger.json", _set("received.0.counts", {"new": 1.0}),
         "«received», phần tử thứ 1, «counts» phải là một đối tượng JSON {...} của các số "
         "nguyên không âm (nếu có)"),
        ("ledger.json", _set("version", True),
         "«version» phải là số nguyên từ 1 trở lên (nếu có)"),
        ("office.json", _set("counters", {"sequence": True}),
         "«counters» phải là một đối tượng JSON {...} của các số nguyên không âm"),
        ("office.json", _set("counters", {"revision": 2.0}),
         "«counters» phải là một đối tượng JSON {...} của các số nguyên không âm"),
        ("office.json", _set("settings.period_from", True),
         "«settings» phải là một đối tượng JSON {...}: năm đầu và năm cuối giai đoạn là số "
         "nguyên, các tên là chuỗi, nơi nhận và căn cứ là danh sách chuỗi"),
        ("office.json", _set("settings.period_to", 2018.0),
         "«settings» phải là một đối tượng JSON {...}: năm đầu và năm cuối giai đoạn là số "
         "nguyên, các tên là chuỗi, nơi nhận và căn cứ là danh sách chuỗi"),
        ("office.json", _set("settings.recipients", "Tỉnh ủy"),
         "«settings» phải là một đối tượng JSON {...}: năm đầu và năm cuối giai đoạn là số "
         "nguyên, các tên là chuỗi, nơi nhận và căn cứ là danh sách chuỗi"),
        ("office.json", _set("settings.signer_name", 7),
         "«settings» phải là một đối tượng JSON {...}: năm đầu và năm cuối giai đoạn là số "
         "nguyên, các tên là chuỗi, nơi nhận và căn cứ là danh sách chuỗi"),
        ("office.json", _set("version", 1.0),
         "«version» phải là số nguyên từ 1 trở lên (nếu có)"),
        ("directory.json", _set("revision", False), "«revision» phải là số nguyên không âm"),
        ("directory.json", _set("revision", 0.0), "«revision» phải là số nguyên không âm"),
        ("conflicts.json", _set("version", True),
         "«version» phải là số nguyên từ 1 trở lên (nếu có)"),
        ("quarantine.json", _set("records.0.sequence", 1.0),
         "«records», phần tử thứ 1, «sequence» phải là số nguyên từ 1 trở lên (nếu có)"),
    ],
)  # fmt: skip
def test_a_store_file_with_a_number_that_is_not_an_integer_is_restored_and_names_it(
    office: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    change: Callable[[dict], None],
    says: str,
) -> None:
    """`true` is an int to Python and `1.0` equals 1: neither is a counter nor a sequence. The
    file is damaged: restored from its backup, and the message names the field."""
    import orjson

    store = tmp_path / "store"
    shutil.copytree(office, store)
    target = store / name
    data = orjson.loads(target.read_bytes())
    change(data)
    damaged = orjson.dumps(data)
    target.write_bytes(damaged)

    code = main(["check", "--store", str(store)])
    said = capsys.readouterr()
    text = said.out + said.err
    assert code == 0, text
    assert f"{FILES[name]} ({says}; lưu lần cuối lúc" in text
    assert [p.read_bytes() for p in (store / "backups").rglob("broken-*.json")] == [damaged]
    assert main(["summary", "--json", "--store", str(store)]) == 0
    assert '"3": 1' in capsys.readouterr().out
