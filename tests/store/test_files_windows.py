"""Durable files on Windows, with the system calls mocked: the rename is written through, and a
file held for a moment by another program (a virus scanner, the indexer) is waited for."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from store import files
from store.files import BackedUpFile, write_atomic

SHARING_VIOLATION, DISK_FULL = 32, 112


class FakeKernel32:
    """MoveFileExW that fails with the given Windows errors first, then renames."""

    def __init__(self, failures: list[int]) -> None:
        self.failures = list(failures)
        self.calls: list[tuple[str, str, int]] = []
        self.last_error = 0

    def MoveFileExW(self, source: str, target: str, flags: int) -> int:
        self.calls.append((source, target, flags))
        if self.failures:
            self.last_error = self.failures.pop(0)
            return 0
        os.replace(source, target)
        return 1


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """The Windows code paths of store/files.py, with a fake kernel32 and no real sleeping."""
    state = SimpleNamespace(kernel32=FakeKernel32([]), waits=[])
    monkeypatch.setattr(files, "sys", SimpleNamespace(platform="win32"))
    monkeypatch.setattr(files, "_kernel32", lambda: state.kernel32)
    monkeypatch.setattr(files, "_last_error", lambda: state.kernel32.last_error)
    monkeypatch.setattr(files.time, "sleep", state.waits.append)
    return state


def test_a_save_on_windows_is_renamed_with_write_through(
    tmp_path: Path, windows: SimpleNamespace
) -> None:
    target = tmp_path / "25456.json"
    write_atomic(target, b'{"a": 1}')
    ((source, renamed, flags),) = windows.kernel32.calls
    assert renamed == str(target) and Path(source).name.endswith(".tmp")
    assert flags == 0x1 | 0x8  # MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH
    assert target.read_bytes() == b'{"a": 1}'
    assert [p.name for p in tmp_path.iterdir()] == ["25456.json"]


def test_a_file_held_by_a_virus_scanner_is_waited_for(
    tmp_path: Path, windows: SimpleNamespace
) -> None:
    target = tmp_path / "25456.json"
    target.write_bytes(b"old")
    windows.kernel32 = FakeKernel32([SHARING_VIOLATION] * 3)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert len(windows.kernel32.calls) == 4 and windows.waits == pytest.approx([0.05, 0.1, 0.15])


def test_a_file_held_for_good_fails_the_save_and_keeps_the_old_copy(
    tmp_path: Path, windows: SimpleNamespace
) -> None:
    target = tmp_path / "25456.json"
    target.write_bytes(b"old")
    windows.kernel32 = FakeKernel32([SHARING_VIOLATION] * 100)
    with pytest.raises(PermissionError):
        write_atomic(target, b"new")
    assert len(windows.kernel32.calls) == files._HELD_ATTEMPTS
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["25456.json"]  # no temporary left


def test_a_full_disk_is_not_retried(tmp_path: Path, windows: SimpleNamespace) -> None:
    target = tmp_path / "25456.json"
    target.write_bytes(b"old")
    windows.kernel32 = FakeKernel32([DISK_FULL])
    with pytest.raises(OSError, match="Windows error 112") as failed:
        write_atomic(target, b"new")
    assert not isinstance(failed.value, PermissionError)
    assert len(windows.kernel32.calls) == 1 and windows.waits == []
    assert target.read_bytes() == b"old"


def test_the_backup_rotation_waits_for_a_held_backup(
    tmp_path: Path, windows: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = BackedUpFile(tmp_path / "25456.json", tmp_path / "backups")
    unit.write(b"first")
    unit.write(b"second")
    held = {"count": 2}
    unlink = Path.unlink

    def scanned_unlink(path: Path, missing_ok: bool = False) -> None:
        if path.name == "last.json" and held["count"]:
            held["count"] -= 1
            raise PermissionError(13, "held by another process", str(path))
        unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", scanned_unlink)
    unit.write(b"third")
    assert held["count"] == 0 and windows.waits == [0.05, 0.1]
    assert (tmp_path / "backups" / "last.json").read_bytes() == b"second"
    assert unit.path.read_bytes() == b"third"


def test_on_linux_a_refused_replace_is_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(files, "sys", SimpleNamespace(platform="linux"))
    monkeypatch.setattr(files.time, "sleep", waits.append)

    def refused(source: object, target: object) -> None:
        raise PermissionError(13, "read-only medium")

    monkeypatch.setattr(files.os, "replace", refused)
    with pytest.raises(PermissionError):
        write_atomic(tmp_path / "25456.json", b"new")
    assert waits == [] and list(tmp_path.iterdir()) == []
