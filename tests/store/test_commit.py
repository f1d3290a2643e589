"""One operation, one commit: a batch over several unit files is saved whole or not at all,
whatever write fails, and a commit cut short is finished or undone when the store opens."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from disk import files_of
from factories import TODAY, address, aid, helper

from store import commit
from store.errors import BrokenStoreError, StoreWriteError
from store.records_file import import_records
from store.store import Store

COMMUNES = ["25456", "25459", "25462", "25465"]


def batch(tmp_path: Path, tag: str = "") -> Path:
    """A records file touching four unit files: one address, helper and aid in each commune."""
    records = {"format": "nhandao-records", "version": 1, "addresses": [], "helpers": [], "aid": []}
    for n, unit in enumerate(COMMUNES):
        records["addresses"].append(address(f"a{n}{tag}", unit=unit, name=f"Địa chỉ {n}{tag}"))
        records["helpers"].append(helper(f"h{n}{tag}", unit=unit))
        records["aid"].append(aid(f"x{n}{tag}", address=f"a{n}{tag}", helper=f"h{n}{tag}"))
    path = tmp_path / f"batch{tag}.json"
    path.write_bytes(orjson.dumps(records))
    return path


def counts(store: Store) -> tuple[int, int, int]:
    return store.count("address"), store.count("helper"), store.count("aid")


def reopen(store_path: Path) -> Store:
    return Store.open(store_path, today=lambda: TODAY)


class FailAt:
    """Raise `error` at the n-th call of a function of store/commit.py, else call it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, n: int, error: BaseException):
        self.real, self.n, self.error, self.calls = getattr(commit, name), n, error, 0
        monkeypatch.setattr(commit, name, self)

    def __call__(self, *args: object) -> object:
        self.calls += 1
        if self.calls == self.n:
            raise self.error
        return self.real(*args)


def test_a_batch_over_several_unit_files_is_one_commit(store: Store, tmp_path: Path) -> None:
    import_records(store, batch(tmp_path))
    assert counts(store) == (4, 4, 4)
    assert sorted(p.stem for p in (store.path / "units").glob("*.json")) == COMMUNES
    assert not (store.path / commit.JOURNAL).exists()
    assert list(store.path.rglob("*.new")) == []


@pytest.mark.parametrize("write", range(1, 6))  # the four temporaries, then the journal
@pytest.mark.parametrize("errno, says", [(28, "No space left"), (5, "Input/output error")])
def test_a_write_failing_anywhere_before_the_journal_saves_nothing(
    store: Store, store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    write: int, errno: int, says: str,
) -> None:  # fmt: skip
    import_records(store, batch(tmp_path, "-old"))
    before, remembered = files_of(store_path), counts(store)
    if write <= len(COMMUNES):
        FailAt(monkeypatch, "_write_durably", write, OSError(errno, says))
    else:
        FailAt(monkeypatch, "write_atomic", 1, OSError(errno, says))
    with pytest.raises(StoreWriteError, match=says) as failed:
        import_records(store, batch(tmp_path))
    assert "Dữ liệu đã lưu trước đó vẫn nguyên vẹn" in str(failed.value)
    assert files_of(store_path) == before  # no temporary left either
    assert counts(store) == remembered  # memory holds what the files hold
    monkeypatch.undo()
    store.close()
    with reopen(store_path) as again:
        assert counts(again) == remembered and again.repairs == []
        import_records(again, batch(tmp_path))  # the same batch, once there is room
        assert counts(again) == (8, 8, 8)


@pytest.mark.parametrize("renamed", range(0, 4))
def test_a_commit_cut_short_after_its_journal_is_finished_on_open(
    store: Store, store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, renamed: int
) -> None:
    # A kill after the journal, with `renamed` of the four files already replaced.
    FailAt(monkeypatch, "replace", renamed + 1, SystemExit("killed"))
    with pytest.raises(SystemExit):
        import_records(store, batch(tmp_path))
    assert (store_path / commit.JOURNAL).exists()
    store.close()
    monkeypatch.undo()
    with reopen(store_path) as again:
        assert counts(again) == (4, 4, 4)
        assert again.repairs == [
            "Một thao tác ghi bị ngắt giữa chừng đã được ghi nốt (4 tệp): kho có đủ mọi thay đổi "
            "của thao tác đó."
        ]
        assert again.verify() == []
    assert not (store_path / commit.JOURNAL).exists() and list(store_path.rglob("*.new")) == []


def test_temporaries_without_a_journal_are_an_undecided_commit_and_are_removed(
    store: Store, store_path: Path, tmp_path: Path
) -> None:
    import_records(store, batch(tmp_path, "-old"))
    store.close()
    before = files_of(store_path)
    # What a kill before the journal leaves: the new unit files written beside their targets.
    shutil.copytree(store_path, tmp_path / "elsewhere")
    with reopen(tmp_path / "elsewhere") as elsewhere:
        import_records(elsewhere, batch(tmp_path))
    for unit in COMMUNES:
        new = (tmp_path / "elsewhere" / "units" / f"{unit}.json").read_bytes()
        (store_path / "units" / f".{unit}.json.0123456789ab.new").write_bytes(new)
    with reopen(store_path) as again:
        assert counts(again) == (4, 4, 4)
        assert again.repairs == [
            "Một thao tác ghi bị ngắt trước khi xong đã được bỏ: kho giữ nguyên như trước thao "
            "tác đó."
        ]
    assert files_of(store_path) == before


def test_a_damaged_temporary_of_a_decided_commit_stops_the_store_and_overwrites_nothing(
    store: Store, store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    FailAt(monkeypatch, "replace", 1, SystemExit("killed"))
    with pytest.raises(SystemExit):
        import_records(store, batch(tmp_path))
    store.close()
    monkeypatch.undo()
    temporary = sorted(store_path.glob("units/.*.new"))[0]
    temporary.write_bytes(temporary.read_bytes()[:-10])
    before = files_of(store_path)
    with pytest.raises(BrokenStoreError, match="của một thao tác ghi bị ngắt đã hỏng"):
        reopen(store_path)
    assert files_of(store_path) == before


@pytest.mark.parametrize(
    "journal",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"format": "nhandao-commit", "files": []}',
        b'{"format": "nhandao-commit", "files": [{"file": "../../etc/passwd", "temporary": '
        b'"units/.x.new", "backups": "backups/x", "sha256": "00", "size": 1}]}',
        b'{"format": "nhandao-commit", "files": [{"file": "/etc/passwd", "temporary": '
        b'"units/.x.new", "backups": "backups/x", "sha256": "00", "size": 1}]}',
        b'{"format": "nhandao-commit", "files": [{"file": "units/x.json"}]}',
    ],
)
def test_a_journal_that_is_not_whole_is_an_undecided_commit(
    store: Store, store_path: Path, tmp_path: Path, journal: bytes
) -> None:
    import_records(store, batch(tmp_path))
    store.close()
    before = files_of(store_path)
    (store_path / commit.JOURNAL).write_bytes(journal)
    (store_path / "units" / ".25456.json.abc.new").write_bytes(b'{"a": 1}')
    with reopen(store_path) as again:
        assert counts(again) == (4, 4, 4)
        assert again.repairs[0].startswith("Một thao tác ghi bị ngắt trước khi xong đã được bỏ")
    assert files_of(store_path) == before


def test_a_bundle_merge_and_its_ledger_entry_are_one_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from offices import chain

    from sync import send
    from sync.ledger import Ledger
    from sync.receive import import_bundle

    with chain(tmp_path) as offices:
        commune, district = offices.commune, offices.district
        commune.save_many([("address", address("a1")), ("address", address("a2", name="Lê Thị B"))])
        (tmp_path / "usb").mkdir()
        sent = send.export_records(commune, tmp_path / "usb")
        before = files_of(district.path)
        FailAt(monkeypatch, "write_atomic", 1, OSError(28, "No space left on device"))
        with pytest.raises(StoreWriteError):
            import_bundle(district, sent.path)
        assert files_of(district.path) == before
        assert district.get("address", "a1") is None and Ledger(district).received == []
        monkeypatch.undo()
        assert import_bundle(district, sent.path).status == "merged"
        assert district.get("address", "a2") is not None and len(Ledger(district).received) == 1


@pytest.mark.parametrize(
    "damage",
    [
        None,
        lambda j: j.replace(b'{"format"', b'{"commit":"000000000000","format"', 1),
        lambda j: j.replace(b'"size":', b'"size":0,"size":', 1),
        lambda j: re.sub(rb'"size":(\d+)', rb'"size":\1.0', j, count=1),
        lambda j: j.replace(b'"version":1', b'"version":true', 1),
    ],
    ids=["control: whole", "commit twice", "a file's size twice", "size 1234.0", "version true"],
)
def test_a_journal_with_a_key_twice_or_a_size_not_an_integer_is_not_whole(
    store: Store,
    store_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[bytes], bytes] | None,
) -> None:
    """A journal is written by orjson in one durable write: one with a key twice or a size
    that is not an integer was not written here whole, and is undone like one cut short."""
    import_records(store, batch(tmp_path, "-old"))

    def live(path: Path) -> dict[str, str]:  # (the kill came after a backup was kept)
        return {
            name: sha for name, sha in files_of(path).items() if name.split("/")[0] != "backups"
        }

    before = live(store_path)
    FailAt(monkeypatch, "replace", 1, SystemExit("killed"))  # killed right after the journal
    with pytest.raises(SystemExit):
        import_records(store, batch(tmp_path))
    store.close()
    monkeypatch.undo()
    journal = store_path / commit.JOURNAL
    if damage is not None:
        damaged = damage(journal.read_bytes())
        assert damaged != journal.read_bytes()
        journal.write_bytes(damaged)
    with reopen(store_path) as again:
        if damage is None:
            assert counts(again) == (8, 8, 8)
            assert again.repairs[0].startswith("Một thao tác ghi bị ngắt giữa chừng đã được ghi")
            return
        assert counts(again) == (4, 4, 4)
        assert again.repairs == [
            "Một thao tác ghi bị ngắt trước khi xong đã được bỏ: kho giữ nguyên như trước thao "
            "tác đó."
        ]
    assert live(store_path) == before
