"""Durable files: atomic replacement, backups, and recovery of a unit file that does not parse."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from factories import TODAY, address

from store.errors import BrokenStoreError
from store.files import DAILY_BACKUPS_KEPT, BackedUpFile, write_atomic
from store.store import Store


def reopen(path: Path) -> Store:
    return Store.open(path, today=lambda: TODAY)


def test_an_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    write_atomic(target, b"{}")
    write_atomic(target, b'{"a": 1}')
    assert target.read_bytes() == b'{"a": 1}'
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_a_failed_write_keeps_the_old_file_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.json"
    write_atomic(target, b"old")

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_each_save_keeps_the_previous_copy_and_one_copy_a_day(tmp_path: Path) -> None:
    file = BackedUpFile(tmp_path / "u.json", tmp_path / "backups")
    file.write(b"1")
    file.write(b"2")
    file.write(b"3")
    assert (tmp_path / "backups" / "last.json").read_bytes() == b"2"
    # The day's copy is the first one kept that day.
    [daily] = file.daily_backups()
    assert daily.read_bytes() == b"1"


def test_old_daily_copies_are_pruned(tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    for day in range(1, 21):
        (backups / f"2020-01-{day:02d}.json").write_bytes(b"{}")
    file = BackedUpFile(tmp_path / "u.json", backups)
    file.write(b"{}")
    file.write(b"{}")
    kept = file.daily_backups()
    assert len(kept) == DAILY_BACKUPS_KEPT
    assert kept[-1].name == "2020-01-08.json"


def make_store_with_two_saves(store: Store) -> None:
    store.save("address", address(place="Khu phố 1"))
    store.save("address", address(place="Khu phố 2"))


def test_a_truncated_unit_file_is_restored_from_its_backup(store: Store, store_path: Path) -> None:
    make_store_with_two_saves(store)
    store.close()
    unit_file = store_path / "units" / "25456.json"
    damaged = unit_file.read_bytes()[:-40]
    unit_file.write_bytes(damaged)
    with reopen(store_path) as again:
        [recovery] = again.recoveries
        # The last good copy is the save before the last one: that is what was lost.
        assert again.get("address", "a1")["place"] == "Khu phố 1"
        message = again.describe_recovery(recovery)
        assert message.startswith("Tệp units/25456.json (dữ liệu của Phường 1) không đọc được")
        assert "những gì lưu sau thời điểm đó đã mất" in message
        # The unreadable file is kept, byte for byte, not overwritten.
        assert recovery.broken_copy is not None and recovery.broken_copy.read_bytes() == damaged
        assert str(recovery.broken_copy.relative_to(store_path)) in message
    with reopen(store_path) as third:
        assert third.recoveries == []


def test_what_was_restored_at_the_open_is_still_said_after_a_failed_save(
    store: Store, store_path: Path
) -> None:
    """A save that fails (here: refused midway) reads the store's files again; the home
    screen's «Đã khôi phục …» line, made from `recoveries`, must not go with it."""
    make_store_with_two_saves(store)
    store.close()
    unit_file = store_path / "units" / "25456.json"
    unit_file.write_bytes(unit_file.read_bytes()[:-40])
    with reopen(store_path) as again:
        assert len(again.recoveries) == 1
        with pytest.raises(RuntimeError), again.transaction():
            again.save("address", address("a2"))
            raise RuntimeError("the operation failed after staging a write")
        assert again.get("address", "a2") is None
        assert len(again.recoveries) == 1


def test_a_unit_file_of_zeros_after_a_power_cut_is_restored(store: Store, store_path: Path) -> None:
    make_store_with_two_saves(store)
    store.close()
    unit_file = store_path / "units" / "25456.json"
    unit_file.write_bytes(b"\0" * unit_file.stat().st_size)
    with reopen(store_path) as again:
        assert len(again.recoveries) == 1
        assert again.count("address") == 1


def test_a_unit_file_of_the_wrong_shape_is_restored(store: Store, store_path: Path) -> None:
    make_store_with_two_saves(store)
    store.close()
    (store_path / "units" / "25456.json").write_bytes(b"[1, 2, 3]")
    with reopen(store_path) as again:
        assert len(again.recoveries) == 1


def test_a_deleted_unit_file_comes_back_from_its_backup(store: Store, store_path: Path) -> None:
    make_store_with_two_saves(store)
    store.close()
    (store_path / "units" / "25456.json").unlink()
    with reopen(store_path) as again:
        [recovery] = again.recoveries
        assert recovery.broken_copy is None
        assert again.count("address") == 1
        assert "Tệp đã bị mất" in again.describe_recovery(recovery)


def test_a_broken_file_without_a_usable_backup_stops_the_store_and_is_left_alone(
    store: Store, store_path: Path
) -> None:
    store.save("address", address())
    store.close()
    unit_file = store_path / "units" / "25456.json"
    unit_file.write_bytes(b'{"addresses": {"1": ')
    for backup in (store_path / "backups" / "unit-25456").glob("*.json"):
        backup.write_bytes(b"{}")  # backups damaged too (a failing disk)
    with pytest.raises(BrokenStoreError, match="không có bản sao lưu nào đọc được"):
        reopen(store_path)
    assert unit_file.read_bytes() == b'{"addresses": {"1": '


def test_a_file_written_once_has_a_backup_from_its_first_write(
    store: Store, store_path: Path
) -> None:
    store.save("address", address())  # the unit's file is new: nothing earlier to keep
    store.close()
    unit_file = store_path / "units" / "25456.json"
    backup = store_path / "backups" / "unit-25456" / "last.json"
    assert backup.read_bytes() == unit_file.read_bytes()
    assert backup.stat().st_ino != unit_file.stat().st_ino  # a copy: damage cannot reach it
    for name in ("office", "directory"):
        assert (store_path / "backups" / name / "last.json").exists()
    unit_file.write_bytes(unit_file.read_bytes()[:40])
    with reopen(store_path) as again:
        assert again.get("address", "a1") is not None


def test_a_broken_office_file_is_restored_too(store: Store, store_path: Path) -> None:
    store.update_settings(province_name="Tây Ninh")
    store.close()
    (store_path / "office.json").write_bytes(b"{")
    with reopen(store_path) as again:
        assert again.office.unit == "72"
        assert len(again.recoveries) == 1


def test_temporary_files_left_by_a_killed_writer_are_removed(
    store: Store, store_path: Path
) -> None:
    store.save("address", address())
    store.close()
    leftover = store_path / "units" / ".25456.json.12345.tmp"
    leftover.write_bytes(b'{"half')
    with reopen(store_path) as again:
        assert not leftover.exists()
        assert again.count("address") == 1


@pytest.mark.parametrize("name", ["units/25456.json", "office.json", "ledger.json"])
def test_a_whole_temporary_beside_a_missing_file_takes_its_place(
    store: Store, store_path: Path, name: str
) -> None:
    # What a FAT32 stick unplugged after a write leaves: the new file complete under its
    # temporary name, the rename lost, the old file gone.
    store.save("address", address())
    store.save("address", address(place="Khu phố 9"))
    store.close()
    if name == "ledger.json":
        (store_path / name).write_bytes(
            b'{"format": "nhandao-ledger", "version": 1, '
            b'"next_sequence": 7, "sent": [], "received": []}'
        )
    target = store_path / name
    newest = target.read_bytes()
    temporary = target.with_name(f".{target.name}.4242.tmp")
    target.rename(temporary)
    with reopen(store_path) as again:
        assert target.read_bytes() == newest and not temporary.exists()
        assert again.get("address", "a1")["place"] == "Khu phố 9"  # type: ignore[index]
        assert again.repairs == [
            f"Tệp {name} bị mất khi đang được ghi (máy tắt hay thẻ nhớ bị rút giữa chừng); đã "
            "dùng bản vừa ghi xong còn lại bên cạnh, mới hơn mọi bản sao lưu."
        ]
        assert again.recoveries == []


def test_a_temporary_of_the_wrong_shape_beside_a_missing_file_is_not_used(
    store: Store, store_path: Path
) -> None:
    store.save("address", address())
    store.save("address", address(place="Khu phố 9"))
    store.close()
    target = store_path / "units" / "25456.json"
    target.rename(target.with_name(".25456.json.4242.tmp"))
    target.with_name(".25456.json.4242.tmp").write_bytes(b"{}")
    with reopen(store_path) as again:
        assert again.get("address", "a1") is not None  # from the backup
        assert len(again.recoveries) == 1 and again.repairs == []


def test_two_copies_left_by_a_cut_short_move_keep_the_later_version(
    store: Store, store_path: Path
) -> None:
    store.save("address", address())
    store.save("address", address(unit="25459"))
    store.close()
    # Put the old copy back, as if the process died between writing the new file and the old.
    old = orjson.loads((store_path / "backups" / "unit-25456" / "last.json").read_bytes())
    (store_path / "units" / "25456.json").write_bytes(orjson.dumps(old))
    with reopen(store_path) as again:
        assert again.get("address", "a1")["unit"] == "25459"
        assert again.count("address") == 1
        assert len(again.repairs) == 1
    with reopen(store_path) as third:
        assert third.repairs == []
