"""The records file: import all or nothing, export, and the round trip between them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
import pytest
from factories import TODAY, address, aid, helper

from store.errors import ValidationError
from store.records_file import RecordsFileError, export_records, import_records
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
