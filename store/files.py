"""Durable files: atomic replacement, backups of the last good copy, and recovery from them.

A write goes to a temporary file in the same folder, is flushed and fsynced, then replaces the
file with `os.replace` and the folder is fsynced (POSIX), or with `MoveFileExW` written through
(Windows, retried while a virus scanner holds the file), so that a power cut leaves either the
old file or the new one, never a mix. Before a file is replaced, its current copy is kept in
`backups/<name>/last.json` and, once a day, `backups/<name>/<date>.json` (hard links where the
file system has them, so a backup costs no copy). A file that does not parse is never
overwritten: it is moved to `backups/<name>/broken-<time>.json` and the newest backup that
parses takes its place. "Parses" is strict (store/strict_json.py): a key twice in one object
or an integer beyond 64 bits is damage like any other.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import orjson

from store import strict_json

DAILY_BACKUPS_KEPT = 14
_HELD_ATTEMPTS = 10  # 2.25 s of waiting in all (0.05 s, 0.10 s, … 0.45 s)


class Gathering(Protocol):
    """Writes held back to be committed together (store/commit.py)."""

    def covers(self, path: Path) -> bool: ...
    def stage(self, file: BackedUpFile, payload: bytes) -> None: ...
    def staged_payload(self, path: Path) -> bytes | None: ...


# What gathers the writes of the current operation in this thread (each thread, a worker of the
# interface for one, has its own); None when each write stands alone.
GATHERING: ContextVar[Gathering | None] = ContextVar("nhandao_gathering", default=None)


class BrokenFileError(Exception):
    """A file that does not parse and could not be restored from a backup."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


class ReadOnlyFileError(Exception):
    """A write to a file opened only to be read (a reading command reached a write: a
    programming error, never a state of the disk)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is open read only")
        self.path = path


@dataclass(frozen=True)
class Recovery:
    """A file that did not parse and was restored from a backup."""

    path: Path
    broken_copy: Path | None  # where the unreadable file was kept (None when it was missing)
    restored_from: Path
    broken_saved_at: datetime | None  # when the unreadable file was last written
    restored_saved_at: datetime  # when the backup that replaced it was written
    # What was wrong with it, as a Vietnamese phrase, when that can be said (a key twice, a
    # field of the wrong type); None otherwise.
    reason: str | None = None


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable on POSIX. On Windows a folder cannot be opened to be
    synced; the rename itself is written through instead (`_move_file_write_through`)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# MoveFileExW flags (winbase.h). os.replace passes only the first: without the second, Windows
# may acknowledge the rename before it reaches the disk, and a power cut then undoes a save.
_MOVEFILE_REPLACE_EXISTING = 0x1
_MOVEFILE_WRITE_THROUGH = 0x8
# Windows errors that mean another program (a virus scanner, the search indexer, a backup tool)
# has the file open for a moment: ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION,
# ERROR_LOCK_VIOLATION.
_HELD = frozenset({5, 32, 33})


def _kernel32() -> Any:  # pragma: no cover - the real DLL exists only on Windows (and Wine)
    import ctypes

    return ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]


def _last_error() -> int:  # pragma: no cover - as above
    import ctypes

    return ctypes.get_last_error()  # type: ignore[attr-defined]


def _move_file_write_through(source: Path, target: Path) -> None:
    """os.replace, with the rename written through to the disk before it returns (Windows)."""
    flags = _MOVEFILE_REPLACE_EXISTING | _MOVEFILE_WRITE_THROUGH
    if _kernel32().MoveFileExW(str(source), str(target), flags):
        return
    code = _last_error()
    # Held files are retried by the caller; the rest are plain failures (a full disk…).
    error = PermissionError if code in _HELD else OSError
    raise error(errno.EACCES if code in _HELD else errno.EIO, f"MoveFileExW: Windows error {code}",
                str(source), None, str(target))  # fmt: skip


def _retrying_while_held(action: Callable[[], None]) -> None:
    """Run `action`, again after a pause while Windows says another program holds the file."""
    for attempt in range(_HELD_ATTEMPTS):
        try:
            action()
            return
        except PermissionError:
            if sys.platform != "win32" or attempt == _HELD_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def replace(source: Path, target: Path) -> None:
    """os.replace, durable and patient on Windows (see above)."""
    if sys.platform == "win32":
        _retrying_while_held(lambda: _move_file_write_through(source, target))
    else:
        os.replace(source, target)


def write_atomic(path: Path, payload: bytes | Iterable[bytes], mode: int | None = None) -> None:
    """Replace `path` with `payload` (bytes, or pieces written as they come) durably: temp
    file, fsync, replace, fsync the folder.

    With `mode` (e.g. 0o600 for a private key) the file is created with those permissions
    from the start, so that its content is never readable by others, even for a moment."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if mode is None:
            handle = open(temporary, "wb")  # noqa: SIM115 (closed by the with below)
        else:
            temporary.unlink(missing_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            handle = os.fdopen(os.open(temporary, flags, mode), "wb")
        with handle:
            if isinstance(payload, bytes):
                handle.write(payload)
            else:
                handle.writelines(payload)
            handle.flush()
            os.fsync(handle.fileno())
        replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def settle_temporaries(
    folder: Path, shape_of: Callable[[str], Callable[[object], bool] | None]
) -> list[Path]:
    """Deal with the temporary files a write cut short left in `folder`; the files adopted.

    A temporary beside its target is a write that never happened: removed. A whole one (it
    parses and has its file's shape, `shape_of(name)`) whose target is missing is a write
    that happened but whose rename did not reach the disk (a FAT32 stick unplugged): it takes
    the target's place, being newer than any backup."""
    adopted = []
    for leftover in folder.glob(".*.tmp"):
        name = leftover.name[1:].rsplit(".", 2)[0]  # «.25456.json.1234.tmp» → «25456.json»
        target = folder / name
        shape = shape_of(name) if not target.exists() else None
        if shape is not None:
            try:
                whole = shape(strict_json.loads(leftover.read_bytes()))
            except (OSError, orjson.JSONDecodeError):
                whole = False
            if whole:
                replace(leftover, target)
                adopted.append(target)
                continue
        leftover.unlink(missing_ok=True)
    return adopted


def _link_or_copy(source: Path, target: Path) -> None:
    """Make `target` the same file as `source`: a hard link, or a copy where links are not had.

    The old `target` goes first; a crash in between leaves no backup for a moment, never a
    wrong one (the file being backed up is still in place).
    """
    _retrying_while_held(lambda: target.unlink(missing_ok=True))
    try:
        os.link(source, target)
    except OSError:
        staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(source, staging)
        replace(staging, target)


def _anything(_data: object) -> bool:
    return True


class BackedUpFile:
    """A JSON file of the store with its backups folder and its shape (store/shapes.py): what
    does not parse or is not of that shape is broken, restored from a backup, and never
    rotated into the backups itself."""

    def __init__(
        self,
        path: Path,
        backups: Path,
        accept: Callable[[object], bool] = _anything,
        *,
        read_only: bool = False,
    ) -> None:
        self.path = path
        self.backups = backups
        self.accept = accept
        # Read while another program holds the store: never written, never restored here.
        self.read_only = read_only
        # (size, mtime) of the copy last read whole or written here: still that copy, it is
        # good without being parsed again.
        self._good: tuple[int, int] | None = None

    def keep_backup(self) -> None:
        """Keep the current copy as the last good one, and as today's if there is none yet.

        A current copy that is broken (changed by something else since it was read) is kept
        aside instead, and the backups stay as they are: they hold the newest good copy."""
        if not self.path.exists():
            return
        self.backups.mkdir(parents=True, exist_ok=True)
        if not self._is_good():
            replace(self.path, self.backups / f"broken-{datetime.now():%Y%m%dT%H%M%S%f}.json")
            return
        _link_or_copy(self.path, self.backups / "last.json")
        daily = self.backups / f"{datetime.now():%Y-%m-%d}.json"
        if not daily.exists():
            _link_or_copy(self.path, daily)
            for old in self.daily_backups()[DAILY_BACKUPS_KEPT:]:
                old.unlink(missing_ok=True)

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_size, stat.st_mtime_ns

    def _is_good(self) -> bool:
        if self._good is not None and self._good == self._stamp():
            return True
        try:
            return self.accept(strict_json.loads(self.path.read_bytes()))
        except (OSError, orjson.JSONDecodeError):
            return False

    def daily_backups(self) -> list[Path]:
        """Daily backups, newest first."""
        return sorted(self.backups.glob("????-??-??.json"), reverse=True)

    def write(self, payload: bytes) -> None:
        """Replace the file durably, keeping its last copy; inside an operation that gathers its
        writes (store/commit.py), the write waits for the operation's commit."""
        if self.read_only:
            raise ReadOnlyFileError(self.path)
        gathering = GATHERING.get()
        if gathering is not None and gathering.covers(self.path):
            gathering.stage(self, payload)
            return
        self.keep_backup()
        write_atomic(self.path, payload)
        self.written()

    def written(self) -> None:
        """After the file was replaced whole: remember it as good, and make sure it has a
        backup, so that a file written once (a new unit, the office) survives damage too. The
        first backup is a copy, not a link: a link would share whatever damages the file."""
        self._good = self._stamp()
        last = self.backups / "last.json"
        if not last.exists():
            self.backups.mkdir(parents=True, exist_ok=True)
            staging = last.with_name(f".{last.name}.{os.getpid()}.tmp")
            shutil.copyfile(self.path, staging)
            replace(staging, last)

    def read(self) -> tuple[object, Recovery | None]:
        """The parsed file, restoring it from the newest good backup if it is broken.

        Raises FileNotFoundError when there is neither file nor backup, BrokenFileError when
        nothing usable is left. A write the current operation has staged is what it reads.
        """
        gathering = GATHERING.get()
        staged = gathering.staged_payload(self.path) if gathering is not None else None
        if staged is not None:
            return strict_json.loads(staged), None
        reason = None
        try:
            stamp = self._stamp()
            data = strict_json.loads(self.path.read_bytes())
            if self.accept(data):
                self._good = stamp
                return data, None
            detail = "unexpected structure"
            explain = getattr(self.accept, "problem", None)
            reason = explain(data) if explain is not None else None
        except FileNotFoundError:
            if not self.backups.is_dir():
                raise
            detail = "missing"
        except orjson.JSONDecodeError as error:
            detail = f"not JSON ({error})"
            if isinstance(error, strict_json.StrictJSONError):  # a key twice, a huge integer
                reason = error.msg
        return self._restore(detail, reason)

    def _restore(self, detail: str, reason: str | None = None) -> tuple[object, Recovery]:
        if self.read_only:  # the program that holds the store restores it, not a reader
            raise BrokenFileError(self.path, f"{detail}; not restored while read only")
        candidates = [self.backups / "last.json", *self.daily_backups()]
        for candidate in candidates:
            try:
                payload = candidate.read_bytes()
                data = strict_json.loads(payload)
            except (OSError, orjson.JSONDecodeError):
                continue
            if not self.accept(data):
                continue
            broken_copy = broken_saved_at = None
            if self.path.exists():
                broken_saved_at = datetime.fromtimestamp(self.path.stat().st_mtime)
                broken_copy = self.backups / f"broken-{datetime.now():%Y%m%dT%H%M%S%f}.json"
                replace(self.path, broken_copy)
            write_atomic(self.path, payload)
            self._good = self._stamp()
            restored_at = datetime.fromtimestamp(candidate.stat().st_mtime)
            return data, Recovery(
                self.path, broken_copy, candidate, broken_saved_at, restored_at, reason
            )
        if not self.path.exists():
            raise FileNotFoundError(self.path)
        raise BrokenFileError(self.path, f"{detail}; no backup parses")
