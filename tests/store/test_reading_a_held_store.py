"""A command that only reads («nhandao summary» beside the open interface) reads the store
another program holds: what that program has saved, read whole, with nothing written, repaired
or restored by the reader."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from disk import files_of, run_cli
from factories import address, aid

from store import commit
from store import store as store_module
from store.errors import BrokenStoreError, StoreBusyError, StoreLockedError
from store.files import ReadOnlyFileError
from store.store import Store


@pytest.fixture
def held(store: Store) -> Store:
    """The province's interface, open, with an address helped twice saved."""
    store.save("address", address("a1", name="Nguyễn Văn An"))
    store.save("aid", aid("g1", address="a1", helper=None, value=500_000))
    store.save("aid", aid("g2", address="a1", helper=None, value=1_500_000))
    return store


def test_summary_runs_beside_the_interface_and_says_what_it_reads(
    held: Store, store_path: Path
) -> None:
    before = files_of(store_path)
    result = run_cli("summary", "--store", str(store_path), "--json")
    assert result.returncode == 0, result.stderr
    assert "đang được mở bởi một chương trình nhandao khác" in result.stderr
    assert f"chương trình số {os.getpid()}" in result.stderr
    assert "đọc những gì đã được lưu đến lúc này, không ghi gì vào kho" in result.stderr
    figures = json.loads(result.stdout)
    city = next(row for row in figures if row["unit"] == "703")  # Phường 1 is in it
    assert (city["3"], city["6"], city["8"]) == (1, 1, 2_000_000)  # 500.000 đ + 1.500.000 đ
    assert files_of(store_path) == before
    held.close()  # the same figures once the interface is closed and the lock is taken
    alone = run_cli("summary", "--store", str(store_path), "--json")
    assert alone.returncode == 0 and json.loads(alone.stdout) == figures
    assert "đang được mở" not in alone.stderr


def test_the_snapshot_has_what_was_saved_and_writes_nothing(held: Store, store_path: Path) -> None:
    with Store.open(store_path, reading=True) as seen:
        assert seen.shared_with is not None and seen.shared_with["pid"] == os.getpid()
        assert not seen.writable
        assert [r["value"] for r in seen.records("aid")] == [500_000, 1_500_000]
        before = files_of(store_path)
        with pytest.raises(ReadOnlyFileError):
            seen.save("aid", aid("g3", address="a1", helper=None, value=1))
        assert files_of(store_path) == before
    # Closing the snapshot released nothing: the interface still holds the store.
    held.save("aid", aid("g3", address="a1", helper=None, value=2_000))
    with pytest.raises(StoreLockedError):
        Store.open(store_path)


def test_a_read_that_overlapped_a_save_is_read_again(
    held: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interface saves while the reader is between two files: the reader's first read
    mixes two moments, so it reads again and sees the save whole."""
    load = Store._load
    saves = []

    def load_while_saving(self: Store, records: bool = True) -> None:
        load(self, records)
        if self is not held and not saves:
            saves.append(held.save("aid", aid("g3", address="a1", helper=None, value=3_000_000)))

    monkeypatch.setattr(Store, "_load", load_while_saving)
    with Store.open(store_path, reading=True) as seen:
        assert sorted(r["id"] for r in seen.records("aid")) == ["g1", "g2", "g3"]


def test_a_commit_under_way_is_waited_for_and_left_to_the_holder(
    held: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = store_path / commit.JOURNAL
    journal.write_text('{"format": "nhandao-commit"}')  # decided, being applied by the holder
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            journal.unlink()  # the holder finished its commit

    monkeypatch.setattr(store_module.time, "sleep", sleep)
    with Store.open(store_path, reading=True) as seen:
        assert seen.count("aid") == 2 and seen.repairs == []
    assert len(waits) == 3


def test_a_store_written_without_pause_is_refused_clearly(
    held: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (store_path / commit.JOURNAL).write_text("{}")
    monkeypatch.setattr(store_module.time, "sleep", lambda _seconds: None)
    before = files_of(store_path)
    with pytest.raises(StoreBusyError, match="đang được một chương trình nhandao khác ghi"):
        Store.open(store_path, reading=True)
    assert files_of(store_path) == before  # the journal is the holder's: not rolled, not removed


def test_a_damaged_file_is_left_for_the_holder_to_restore(
    held: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module.time, "sleep", lambda _seconds: None)
    unit_file = next((store_path / "units").glob("*.json"))
    unit_file.write_bytes(b'{"addresses": {"1": {"id": "a1", "na')  # cut by a failing disk
    before = files_of(store_path)
    with pytest.raises(BrokenStoreError) as refused:
        Store.open(store_path, reading=True)
    message = str(refused.value)
    assert f"Tệp {unit_file} bị hỏng" in message
    assert "hãy đóng chương trình đó" in message
    assert files_of(store_path) == before  # not moved aside, not restored from its backup


def test_a_write_cut_short_is_not_settled_by_the_reader(held: Store, store_path: Path) -> None:
    leftover = store_path / "units" / ".72.json.4242.tmp"
    leftover.write_bytes(b"{}")
    with Store.open(store_path, reading=True) as seen:
        assert seen.count("address") == 1
    assert leftover.read_bytes() == b"{}"
