"""One operation, one commit: every file an operation changes is replaced together, or none is.

An import, a merge or a move writes several files of the store (unit files, conflicts.json,
the ledger…). Written one after another, a kill or a full disk between two of them would leave
half a batch. So the writes of an operation are gathered (`gathering`), then committed the way
SQLite commits with a write-ahead journal, here a redo journal:

1. every new file is written beside its target as `.<name>.<commit id>.new`, flushed and
   fsynced; nothing the store reads has changed yet;
2. the journal `commit.json` is written durably (temporary file, fsync, rename, fsync of the
   folder): it names every file with its temporary, its backups folder, its SHA-256 and size.
   Once it is on disk the commit is decided;
3. each target's current copy goes to its backups, then the temporary replaces it;
4. the folders are fsynced and the journal is removed.

On open (`recover`), a journal that reads back whole is rolled forward: every temporary still
there, with the hash the journal names, replaces its target (step 3 again; a target already
replaced is recognised by its hash). Without a whole journal, the operation was not decided:
its temporaries are removed and the store is as it was before it. A commit of a single file is
one durable write (store/files.py), atomic by itself; it takes no journal.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import orjson

from store import strict_json
from store.errors import BrokenStoreError, StoreError
from store.files import GATHERING, BackedUpFile, fsync_folder, replace, write_atomic

JOURNAL = "commit.json"
FORMAT = "nhandao-commit"
VERSION = 1
_SUFFIX = ".new"
# Folders of the store that hold files a commit replaces (the store's root and its units).
_FOLDERS = ("", "units")
_UNDONE = (
    "Một thao tác ghi bị ngắt trước khi xong đã được bỏ: kho giữ nguyên như trước thao tác đó."
)


class CommitPendingError(StoreError):
    """The commit was decided (its journal is on disk) but not every file was replaced."""

    def __init__(self, error: OSError) -> None:
        super().__init__(
            f"Dữ liệu đã được ghi nhận nhưng chưa chép xong vào các tệp của kho "
            f"({error.strerror or error}). Hãy đóng chương trình rồi mở lại: khi mở, kho sẽ ghi "
            "nốt phần còn lại, không mất gì."
        )


@dataclass(frozen=True)
class _Entry:
    target: Path
    temporary: Path
    backups: Path
    sha256: str
    size: int


class Commit:
    """The files one operation writes, staged in memory until `commit`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staged: dict[Path, tuple[BackedUpFile, bytes]] = {}
        self.decided = False

    def covers(self, path: Path) -> bool:
        return self.root in path.parents

    def stage(self, file: BackedUpFile, payload: bytes) -> None:
        self.staged[file.path] = (file, payload)

    def staged_payload(self, path: Path) -> bytes | None:
        staged = self.staged.get(path)
        return staged[1] if staged else None

    def commit(self) -> None:
        """Replace every staged file, all or none (see the module's docstring)."""
        if not self.staged:
            return
        if len(self.staged) == 1:
            ((file, payload),) = self.staged.values()
            file.keep_backup()
            write_atomic(file.path, payload)
            self.decided = True
            file.written()
            return
        tag = secrets.token_hex(6)
        entries: list[_Entry] = []
        try:
            for path, (file, payload) in self.staged.items():
                entry = _Entry(path, path.with_name(f".{path.name}.{tag}{_SUFFIX}"), file.backups,
                               hashlib.sha256(payload).hexdigest(), len(payload))  # fmt: skip
                entries.append(entry)
                _write_durably(entry.temporary, payload)
            for folder in {entry.target.parent for entry in entries}:
                fsync_folder(folder)
            write_atomic(self.root / JOURNAL, orjson.dumps(self._journal(tag, entries)))
        except BaseException:
            for entry in entries:
                entry.temporary.unlink(missing_ok=True)
            raise
        self.decided = True
        try:
            _roll_forward(
                self.root, entries, {path: file for path, (file, _) in self.staged.items()}
            )
        except OSError as error:
            raise CommitPendingError(error) from error

    def _journal(self, tag: str, entries: list[_Entry]) -> dict:
        def relative(path: Path) -> str:
            return path.relative_to(self.root).as_posix()

        return {"format": FORMAT, "version": VERSION, "commit": tag,
                "files": [{"file": relative(e.target), "temporary": relative(e.temporary),
                           "backups": relative(e.backups), "sha256": e.sha256, "size": e.size}
                          for e in entries]}  # fmt: skip


def active(root: Path) -> bool:
    """True when this thread is inside an operation gathering the writes of the store at `root`."""
    current = GATHERING.get()
    return isinstance(current, Commit) and current.root == root


@contextmanager
def gathering(root: Path) -> Iterator[Commit]:
    """Stage every write of a store file under `root` until the caller commits."""
    pending = Commit(root)
    token = GATHERING.set(pending)
    try:
        yield pending
    finally:
        GATHERING.reset(token)


def recover(root: Path) -> str | None:
    """Finish or undo an operation a kill or power cut interrupted; what was done, in
    Vietnamese, or None when there was nothing to do."""
    journal = root / JOURNAL
    said = None
    if journal.exists():
        entries = _read_journal(root, journal)
        if entries is None:
            said = _UNDONE
        else:
            _roll_forward(root, entries)
            said = (
                f"Một thao tác ghi bị ngắt giữa chừng đã được ghi nốt ({len(entries)} tệp): "
                "kho có đủ mọi thay đổi của thao tác đó."
            )
        journal.unlink(missing_ok=True)
        fsync_folder(root)
    folders = [root / name for name in _FOLDERS if (root / name).is_dir()]
    leftovers = [path for folder in folders for path in folder.glob(f".*{_SUFFIX}")]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    if leftovers and said is None:
        said = _UNDONE
    return said


def _read_journal(root: Path, journal: Path) -> list[_Entry] | None:
    """The entries of a whole journal, or None when it is not one (never decided): one that
    does not parse strictly (a key twice: which value would be the file?), of another format,
    or whose version or sizes are not JSON integers."""
    try:
        data = strict_json.loads(journal.read_bytes())
        whole = data.get("format") == FORMAT and data.get("version").__class__ is int
        files = data["files"] if whole else None
        if not isinstance(files, list) or not files:
            return None
        entries = []
        for f in files:
            size = f["size"]
            if size.__class__ is not int or size < 0 or not isinstance(f["sha256"], str):
                return None
            entries.append(
                _Entry(
                    _inside(root, f["file"]),
                    _inside(root, f["temporary"]),
                    _inside(root, f["backups"]),
                    f["sha256"],
                    size,
                )
            )
        return entries
    except (OSError, orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError):
        return None


def _inside(root: Path, relative: object) -> Path:
    """A path the journal names, refused unless it is a plain path inside the store."""
    if not isinstance(relative, str):
        raise ValueError(relative)
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative:
        raise ValueError(relative)
    return root.joinpath(*parts)


def _roll_forward(
    root: Path, entries: list[_Entry], files: dict[Path, BackedUpFile] | None = None
) -> None:
    """Replace each target by its temporary (with the target's copy kept in its backups).
    Without `files` (the commit's own, which know their shapes), at open after a crash, each
    temporary is checked against the journal's hash first."""
    checked = files is None
    written = []
    for entry in entries:
        file = files[entry.target] if files else BackedUpFile(entry.target, entry.backups)
        if entry.temporary.exists():
            if checked and _digest(entry.temporary) != (entry.sha256, entry.size):
                raise BrokenStoreError(
                    f"Tệp tạm {entry.temporary} của một thao tác ghi bị ngắt đã hỏng, nên không "
                    f"ghi nốt được vào {entry.target.relative_to(root)}. Không có gì bị ghi đè; "
                    f"hãy chép lại thư mục kho từ bản lưu trữ gần nhất, hoặc xoá tệp {JOURNAL} "
                    "để bỏ thao tác đó."
                )
            file.keep_backup()
            replace(entry.temporary, entry.target)
            written.append(file)
        elif not entry.target.exists() or _digest(entry.target) != (entry.sha256, entry.size):
            raise BrokenStoreError(
                f"Một thao tác ghi bị ngắt giữa chừng, và tệp {entry.target.relative_to(root)} "
                "không còn bản nào để ghi nốt. Hãy chép lại thư mục kho từ bản lưu trữ gần nhất."
            )
    for folder in {entry.target.parent for entry in entries}:
        fsync_folder(folder)
    (root / JOURNAL).unlink(missing_ok=True)
    fsync_folder(root)
    for file in written:
        file.written()


def _digest(path: Path) -> tuple[str, int]:
    payload = path.read_bytes()
    return hashlib.sha256(payload).hexdigest(), len(payload)


def _write_durably(path: Path, payload: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags, 0o644), "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
