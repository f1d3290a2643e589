"""The TinyDB storage: durable writes, one write per batch, and only changed tables serialised."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from tinydb import TinyDB

from store.storage import AtomicJSONStorage


def open_db(path: Path) -> TinyDB:
    return TinyDB(path, storage=AtomicJSONStorage)


def test_tinydb_reads_back_what_it_wrote(tmp_path: Path) -> None:
    db = open_db(tmp_path / "u.json")
    db.table("aid").insert({"id": "x1", "form": "Gạo"})
    db.table("aid").update({"form": "Tiền mặt"}, doc_ids=[1])
    db.close()
    again = open_db(tmp_path / "u.json")
    assert again.table("aid").all() == [{"id": "x1", "form": "Tiền mặt"}]


def test_the_file_matches_a_plain_dump_after_many_partial_changes(tmp_path: Path) -> None:
    db = open_db(tmp_path / "u.json")
    for year in range(2008, 2012):
        db.table(f"aid.{year}").insert_multiple(
            {"id": f"{year}-{i}", "value": i} for i in range(50)
        )
    db.table("aid.2009").update({"value": -1}, doc_ids=[3])
    db.table("aid.2010").remove(doc_ids=[1, 2])
    db.drop_table("aid.2011")
    written = (tmp_path / "u.json").read_bytes()
    assert written == orjson.dumps(db.storage.read())
    assert orjson.loads(written)["aid.2009"]["3"]["value"] == -1
    assert "aid.2011" not in orjson.loads(written)


def test_a_batch_is_one_write_and_a_failed_batch_writes_nothing(tmp_path: Path) -> None:
    db = open_db(tmp_path / "u.json")
    storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
    db.table("a").insert({"n": 0})
    before = (tmp_path / "u.json").read_bytes()
    with pytest.raises(RuntimeError), storage.batch():
        db.table("a").insert({"n": 1})
        db.table("b").insert({"n": 2})
        raise RuntimeError("stop")
    assert (tmp_path / "u.json").read_bytes() == before
    assert db.table("a").all() == [{"n": 0}]  # memory was read again from the file
    with storage.batch():
        db.table("a").insert({"n": 1})
        db.table("b").insert({"n": 2})
        assert (tmp_path / "u.json").read_bytes() == before
    written = orjson.loads((tmp_path / "u.json").read_bytes())
    # (TinyDB does not reuse the ids the failed batch took; ids are internal to the file.)
    assert [list(table.values()) for table in written.values()] == [
        [{"n": 0}, {"n": 1}],
        [{"n": 2}],
    ]


def test_a_failed_write_leaves_the_file_and_forgets_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_db(tmp_path / "u.json")
    db.table("a").insert({"n": 0})
    storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]

    def disk_full(_payload: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.file, "write", disk_full)
    with pytest.raises(OSError):
        db.table("a").insert({"n": 1})
    monkeypatch.undo()
    assert db.table("a").all() == [{"n": 0}]
    db.table("a").insert({"n": 2})
    assert list(orjson.loads((tmp_path / "u.json").read_bytes())["a"].values()) == [
        {"n": 0},
        {"n": 2},
    ]
