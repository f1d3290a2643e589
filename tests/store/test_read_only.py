"""A store on a write-protected USB stick or a full disk: the commands that only read work,
the others say why they cannot write, and nothing is changed."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from disk import files_of
from factories import address

from store import lock
from store.store import Store
from tui.cli import main


class Unwritable:
    """A FileLock on a medium where no file can be made."""

    def __init__(self, path: object, timeout: float = 0) -> None:
        self.is_locked = False

    def acquire(self, timeout: float = 0) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    def release(self) -> None:
        raise AssertionError("never held")


@pytest.fixture
def read_only(store: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    store.save_many([("address", address()), ("address", address("a2", unit="25459"))])
    store.close()
    monkeypatch.setattr(lock, "FileLock", Unwritable)
    return store_path


@pytest.mark.parametrize(
    "command",
    [["check"], ["summary"], ["summary", "--json"], ["awards"], ["records", "export", "OUT"]],
)
def test_commands_that_only_read_work_on_a_write_protected_stick(
    read_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    before = files_of(read_only)
    command = [str(tmp_path / "out.json") if part == "OUT" else part for part in command]
    assert main([*command, "--store", str(read_only)]) == 0, capsys.readouterr().err
    assert files_of(read_only) == before


@pytest.mark.parametrize("command", [["records", "import", "IN"], ["awards", "--propose", "703"]])
def test_a_command_that_writes_says_the_stick_is_write_protected(
    read_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    before = files_of(read_only)
    records = tmp_path / "in.json"
    records.write_text('{"format": "nhandao-records", "version": 1}')
    command = [str(records) if part == "IN" else part for part in command]
    assert main([*command, "--store", str(read_only)]) == 1
    err = capsys.readouterr().err
    assert "Không ghi được vào thư mục kho" in err and "Read-only file system" in err
    assert "khoá chống ghi" in err and "Traceback" not in err
    assert files_of(read_only) == before


def test_on_a_full_disk_the_lock_is_held_without_its_information_file(
    store: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    real = Path.write_bytes

    def full(path: Path, data: bytes) -> int:
        if path.name == lock.INFO_NAME:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    with Store.open(store_path) as again:
        assert again.writable and again.office.unit == "72"
        assert not (store_path / lock.INFO_NAME).exists()


def test_a_store_needing_repair_on_a_write_protected_stick_says_so(
    read_only: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (read_only / "units" / "25456.json").write_bytes(b"{")
    before = files_of(read_only)

    def refused(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    from store import files

    monkeypatch.setattr(files, "write_atomic", refused)
    monkeypatch.setattr(files, "replace", refused)
    assert main(["summary", "--store", str(read_only)]) == 1
    err = capsys.readouterr().err
    assert "cần được sửa khi mở" in err and "mở khoá chống ghi của thẻ nhớ" in err
    assert files_of(read_only) == before
