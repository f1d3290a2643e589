"""The records file: import all or nothing, export, and the round trip between them."""

from __future__ import annotations

import hashlib
import tracemalloc
from pathlib import Path

import orjson
import pytest
from factories import TODAY, address, aid, helper

from store import records_file as records_module
from store.errors import ValidationError
from store.records_file import (
    RecordsFileError,
    export_records,
    import_records,
    read_records_file,
)
from store.store import Store


def records_file(path: Path, **collections: list) -> Path:
    document = {"format": "nhandao-records", "version": 1, **collections}
    path.write_bytes(orjson.dumps(document))
    return path


def fingerprint(store_path: Path) -> dict[str, str]:
    """Every file of the store with its hash, the lock files aside."""
    return {
        str(p.relative_to(store_path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(store_path.rglob("*"))
        if p.is_file() and not p.name.startswith("nhandao.lock")
    }


def test_a_file_is_imported_whole(store: Store, tmp_path: Path) -> None:
    path = records_file(tmp_path / "in.json", addresses=[address()], helpers=[helper()], aid=[aid()],
                        assessments=[{"unit": "703", "steering_board": True}])  # fmt: skip
    report = import_records(store, path)
    assert report.changed == 4
    assert report.in_file["aid"] == 1
    assert store.get("assessment", "703")["steering_board"] is True


def test_importing_the_same_file_twice_changes_nothing(
    store: Store, store_path: Path, tmp_path: Path
) -> None:
    path = records_file(tmp_path / "in.json", addresses=[address()], aid=[aid(helper=None)])
    import_records(store, path)
    before = fingerprint(store_path)
    assert import_records(store, path).changed == 0
    assert fingerprint(store_path) == before


def test_a_file_with_any_bad_record_changes_nothing_and_lists_every_problem(
    store: Store, store_path: Path, tmp_path: Path
) -> None:
    import_records(store, records_file(tmp_path / "ok.json", addresses=[address()]))
    before = fingerprint(store_path)
    bad = records_file(
        tmp_path / "bad.json",
        addresses=[address("a2"), address("a3", kind="individual", people=3), address("a4", groups=["rich"])],
        aid=[aid(helper=None), aid("x2", on="2008-01-01", helper=None), aid("x3", value=-1, helper=None)],
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        import_records(store, bad)
    messages = [str(p) for p in refused.value.problems]
    assert len(messages) == 4
    assert messages[0].startswith("Địa chỉ thứ 2 «Nguyễn Văn An» (mã a3)")
    assert messages[1].startswith("Địa chỉ thứ 3 «Nguyễn Văn An» (mã a4): nhóm đối tượng «rich»")
    assert messages[2].startswith("Lần trợ giúp thứ 2 (mã x2): «Ngày trợ giúp» 01/01/2008 trước")
    assert messages[3].startswith("Lần trợ giúp thứ 3 (mã x3): «Giá trị (đồng)» không được âm")
    assert fingerprint(store_path) == before


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        (
            b'{"format": "nhandao-records", "version": 1, "addresses": [',
            r"không phải JSON hợp lệ \(lỗi ở dòng 1",
        ),
        ('{"format": "nhandao-records", "x": "Tây"}'.encode("cp1258"), "bảng mã UTF-8"),
        (b"[]", "phải chứa một đối tượng JSON"),
        (b"", "không phải JSON hợp lệ"),
    ],
)
def test_files_that_are_not_records_files_are_refused(
    store: Store, store_path: Path, tmp_path: Path, payload: bytes, says: str
) -> None:
    before = fingerprint(store_path)
    path = tmp_path / "broken.json"
    path.write_bytes(payload)
    with pytest.raises(RecordsFileError, match=says):
        import_records(store, path)
    assert fingerprint(store_path) == before


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ({"format": "excel", "version": 1}, "«format» phải là «nhandao-records»"),
        ({"format": "nhandao-records", "version": 2}, "phiên bản định dạng «2»"),
        (
            {"format": "nhandao-records", "version": 1, "people": []},
            "có mục «people» không thuộc định dạng",
        ),
        (
            {"format": "nhandao-records", "version": 1, "aid": {"x": 1}},
            "Mục «aid» phải là một danh sách",
        ),
    ],
)
def test_records_files_of_the_wrong_shape_are_refused(
    store: Store, store_path: Path, tmp_path: Path, document: dict, says: str
) -> None:
    before = fingerprint(store_path)
    path = tmp_path / "odd.json"
    path.write_bytes(orjson.dumps(document))
    with pytest.raises(ValidationError, match=says):
        import_records(store, path)
    assert fingerprint(store_path) == before


def test_a_missing_file_is_named(store: Store, tmp_path: Path) -> None:
    with pytest.raises(RecordsFileError, match="Không mở được tệp"):
        import_records(store, tmp_path / "nope.json")


def test_a_file_saved_by_notepad_with_a_byte_order_mark_is_read(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + orjson.dumps({"format": "nhandao-records", "version": 1,
                                                      "addresses": [address()]}))  # fmt: skip
    assert import_records(store, path).changed == 1


def test_export_then_import_elsewhere_gives_the_same_records(store: Store, tmp_path: Path) -> None:
    school = {"code": "703-TH1", "name": "Trường THPT Tây Ninh", "kind": "school", "parent": "703"}
    store.save_many([
        ("unit", school), ("helper", helper()), ("address", address(unit="703-TH1")),
        ("aid", aid()), ("aid", aid("x2", deleted=True)),
        ("review", {"id": "r1", "address": "a1", "year": 2012, "on": "2012-12-01", "outcome": "change"}),
        ("model", {"id": "m1", "unit": "703", "type": "cow_bank", "name": "Ngân hàng bò",
                   "objective": "Sinh kế\nlâu dài", "started_on": "2010-01-01"}),
        ("assessment", {"unit": "703", "directive": True}),
        ("attachment", {"id": "g1", "address": "a1", "helper": "h1", "from": "2009-02-01"}),
    ])  # fmt: skip
    first = tmp_path / "first.json"
    counts = export_records(store, first)
    assert counts["units"] == 106 and counts["aid"] == 2
    exported = orjson.loads(first.read_bytes())
    assert exported["aid"][1] == {**aid("x2"), "deleted": True}
    assert exported["models"][0]["objective"] == "Sinh kế\nlâu dài"
    with Store.create(tmp_path / "other", "72", today=lambda: TODAY) as other:
        import_records(other, first)
        second = tmp_path / "second.json"
        export_records(other, second)
    assert second.read_bytes() == first.read_bytes()


def test_an_export_is_written_as_it_goes_not_held_in_memory(store: Store, tmp_path: Path) -> None:
    """At province scale the file is 75 MB: an export that built it in memory first took 1.3 GB
    for it. Written record by record, what it holds at once is a small part of the file."""
    store.save_many([("address", address(f"a{n}", name=f"Người {n}")) for n in range(500)])
    store.save_many(
        [("aid", aid(f"x{n}", address=f"a{n % 500}", helper=None, note="x" * 200))
         for n in range(3000)]
    )  # fmt: skip
    path = tmp_path / "records.json"
    tracemalloc.start()
    try:
        counts = export_records(store, path)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert counts["aid"] == 3000 and counts["addresses"] == 500
    assert peak < path.stat().st_size / 5, (peak, path.stat().st_size)
    assert len(orjson.loads(path.read_bytes())["aid"]) == 3000


def test_an_export_cut_short_leaves_the_earlier_file_whole(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save("address", address())
    path = tmp_path / "records.json"
    export_records(store, path)
    earlier = path.read_bytes()
    store.save("address", address("a2"))

    dumps = orjson.dumps

    def full_disk(record: object) -> bytes:
        if isinstance(record, dict) and record.get("id") == "a2":
            raise OSError(28, "No space left on device")
        return dumps(record)

    monkeypatch.setattr(records_module.orjson, "dumps", full_disk)
    with pytest.raises(OSError, match="No space left"):
        export_records(store, path)
    assert path.read_bytes() == earlier
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _two_communes(store: Store) -> None:
    store.save_many([
        ("helper", helper()), ("address", address()), ("address", address("b1", unit="25459")),
        ("aid", aid()), ("aid", aid("x2", address="b1")), ("aid", aid("x3", deleted=True)),
        ("review", {"id": "r1", "address": "a1", "year": 2012, "on": "2012-12-01", "outcome": "change"}),
        ("review", {"id": "r2", "address": "b1", "year": 2013, "on": "2013-12-01", "outcome": "continue"}),
    ])  # fmt: skip


def test_an_unloaded_store_is_exported_file_by_file_as_a_loaded_one(
    store: Store, tmp_path: Path
) -> None:
    _two_communes(store)
    loaded = tmp_path / "loaded.json"
    counts = export_records(store, loaded)
    store.close()
    streamed = tmp_path / "streamed.json"
    with Store.open(store.path, reading=True, records=False) as unloaded:
        assert export_records(unloaded, streamed) == counts
        assert not unloaded.records_loaded  # one unit file at a time, never the store
    assert streamed.read_bytes() == loaded.read_bytes()
    exported = orjson.loads(streamed.read_bytes())
    # Unit by unit (25456, then 25459), each unit's records in key order.
    assert [r["id"] for r in exported["aid"]] == ["x1", "x3", "x2"]
    assert [r["id"] for r in exported["reviews"]] == ["r1", "r2"]
    assert counts["aid"] == 3 and counts["units"] == 105  # Tây Ninh's province, districts, communes
    assert not list(tmp_path.glob("nhandao-export-*"))


def test_a_record_left_in_two_files_is_exported_once(store: Store, tmp_path: Path) -> None:
    """A copy a move cut short left behind (an older program): the store, loaded, keeps one."""
    _two_communes(store)
    store.close()
    units = store.path / "units"
    first = orjson.loads((units / "25456.json").read_bytes())
    second = orjson.loads((units / "25459.json").read_bytes())
    review = next(d for d in first["reviews.2012"].values() if d["id"] == "r1")
    second.setdefault("reviews.2012", {})["99"] = {**review, "owner": "25459"}
    (units / "25459.json").write_bytes(orjson.dumps(second))
    path = tmp_path / "records.json"
    with Store.open(store.path, records=False) as unloaded:
        counts = export_records(unloaded, path)
        assert unloaded.records_loaded and unloaded.repairs  # and says what it mended
    assert counts["reviews"] == 2
    assert [r["id"] for r in orjson.loads(path.read_bytes())["reviews"]] == ["r1", "r2"]


def test_a_full_disk_while_spooling_leaves_the_earlier_file_and_no_spool(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_communes(store)
    path = tmp_path / "records.json"
    export_records(store, path)
    earlier = path.read_bytes()
    store.close()
    monkeypatch.setattr(records_module.tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    dumps = orjson.dumps

    def full_disk(record: object) -> bytes:
        if isinstance(record, dict) and record.get("id") == "r2":
            raise OSError(28, "No space left on device")
        return dumps(record)

    monkeypatch.setattr(records_module.orjson, "dumps", full_disk)
    with Store.open(store.path, reading=True, records=False) as unloaded:
        with pytest.raises(OSError, match="No space left"):
            export_records(unloaded, path)
        assert not unloaded.records_loaded
    assert path.read_bytes() == earlier
    assert list((tmp_path / "temp").iterdir()) == []


# ----------------------------------------------------------------- strict JSON

TWICE = "xuất hiện hai lần trong cùng một đối tượng JSON"


def test_an_exported_file_is_read_without_the_strict_second_pass(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader knows the export's layout: a file as we write it costs one more
    serialisation, never the standard library's slower pass."""
    from store import strict_json

    store.save_many([("helper", helper()), ("address", address()), ("aid", aid())])
    path = tmp_path / "out.json"
    export_records(store, path)

    def never(_text: str) -> None:
        raise AssertionError("second pass")

    monkeypatch.setattr(strict_json, "_second_pass", never)
    assert read_records_file(path)["aid"] == [aid()]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        # A record with its id twice: orjson keeps the last, another reader the first.
        ((b'{"id":"a1"', b'{"id":"a-other","id":"a1"'), f"mục «id» {TWICE} (dòng {{line}}, cột 1)"),
        ((b'"people":1', b'"people":50,"people":1'), f"mục «people» {TWICE} (dòng {{line}}, cột 1)"),
        ((b'"aid": [', b'"aid": [], "aid": ['), f"mục «aid» {TWICE} (dòng 1, cột 1)"),
        ((b'"value":500000', b'"value":500000000000000000000'),
         "số nguyên «500000000000000000000» vượt quá giới hạn 64 bit"),
    ],
    ids=["id twice", "people twice", "a collection twice", "integer beyond 64 bits"],
)  # fmt: skip
def test_a_key_twice_or_a_huge_integer_refuses_the_file_and_says_where(
    store: Store, store_path: Path, tmp_path: Path, change: tuple[bytes, bytes], says: str
) -> None:
    with Store.create(tmp_path / "other", "72", today=lambda: TODAY) as other:
        other.save_many([("helper", helper()), ("address", address()), ("aid", aid())])
        export_records(other, tmp_path / "good.json")
    good = (tmp_path / "good.json").read_bytes()
    assert change[0] in good
    path = tmp_path / "changed.json"
    path.write_bytes(good.replace(*change, 1))
    line = good[: good.index(change[0])].count(b"\n") + 1  # the record's line in the file
    before = fingerprint(store_path)
    with pytest.raises(RecordsFileError) as refused:
        import_records(store, path)
    message = str(refused.value)
    assert message.startswith(f"Tệp {path} không dùng được: {says.format(line=line)}.")
    assert "hãy sửa tệp rồi nhập lại" in message
    assert fingerprint(store_path) == before
    assert store.get("address", "a1") is None


@pytest.mark.parametrize(
    ("version", "says"),
    [
        (True, "«version» phải là số nguyên 1, không phải «true»."),
        (1.0, "«version» phải là số nguyên 1, không phải «1.0»."),
        ("1", '«version» phải là số nguyên 1, không phải «"1"».'),
    ],
)
def test_a_format_version_that_is_not_an_integer_is_refused(
    store: Store, store_path: Path, tmp_path: Path, version: object, says: str
) -> None:
    path = tmp_path / "odd.json"
    path.write_bytes(orjson.dumps({"format": "nhandao-records", "version": version,
                                   "addresses": [address()]}))  # fmt: skip
    before = fingerprint(store_path)
    with pytest.raises(ValidationError) as refused:
        import_records(store, path)
    assert [p.message for p in refused.value.problems] == [says]
    assert fingerprint(store_path) == before


def test_text_that_looks_like_the_export_layout_is_read_back_as_written(
    store: Store, tmp_path: Path
) -> None:
    """A note holding «},{» or «": [{» does not fit the fast path's guess (the second pass
    runs); the file reads back exactly, and a key twice in it is still found."""
    tricky = 'a},{"aid": [{b}]'
    store.save_many([("helper", helper()), ("address", address()),
                     ("aid", aid(note=tricky))])  # fmt: skip
    path = tmp_path / "out.json"
    export_records(store, path)
    assert read_records_file(path)["aid"][0]["note"] == tricky
    twice = path.read_bytes().replace(b'{"id":"x1"', b'{"id":"x9","id":"x1"', 1)
    path.write_bytes(twice)
    with pytest.raises(RecordsFileError, match=f"mục «id» {TWICE}"):
        read_records_file(path)
