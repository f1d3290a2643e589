"""The local store: a folder holding the office, the unit directory and one TinyDB file per unit.

    office.json       who this office is (its unit, its id) and its settings
    directory.json    the unit tree (from the official list, later from the province)
    units/<code>.json one TinyDB file per unit that owns records
    backups/          the last good copy of every file, daily copies, unreadable files kept aside
    keys/             this office's keys (made by the sync module)
    conflicts.json    versions that lost to a concurrent edit, kept for a person to look at
    ledger.json, quarantine.json, acked.json, outbox/   kept by the sync module (bundles)
    nhandao.lock      held while a program has the store open

Every record is kept with an envelope: `id`, `owner` (the unit whose file holds it), `v` (a
hybrid logical clock), `prev` (the version it replaced), `deleted` (a tombstone) and `by` (the
office that wrote it). A record is never erased: deleting writes a tombstone.
"""

from __future__ import annotations

import gc
import os
import secrets
import sqlite3
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson
import platformdirs
from tinydb import TinyDB

from campaign import records as schema
from campaign.dataset import Dataset
from campaign.dates import Period, format_date
from campaign.money import format_number
from campaign.records import KIND_ORDER, KINDS
from campaign.text import visible
from campaign.units import UnitTree, case_clashes
from campaign.validation import Known, Problem, check, overlapping_attachments
from store import commit, gazetteer, hlc, shapes
from store.errors import (
    BrokenStoreError,
    NoStoreError,
    StoreBusyError,
    StoreError,
    StoreExistsError,
    StoreLockedError,
    StorePathTooLongError,
    StoreWriteError,
    ValidationError,
)
from store.files import (
    BackedUpFile,
    BrokenFileError,
    Recovery,
    replace,
    settle_temporaries,
)
from store.hlc import HybridClock
from store.index import SummaryIndex
from store.lock import StoreLock
from store.merge import (
    MISMATCH,
    NEW,
    UNCHANGED,
    Merged,
    MergeResult,
    ancestry,
    decide,
    descends_from,
    lineage,
)
from store.storage import AtomicJSONStorage

STORE_ENV = "NHANDAO_STORE"
UNDO_STEPS = 50
SNAPSHOT_ATTEMPTS = 20  # reads of a store another program holds, 5 s of waiting in all
FORMAT_VERSION = 1
SEED_PLAN = "Kèm theo Kế hoạch số 61/KH-CTĐ ngày 16/10/2018 của Hội Chữ thập đỏ tỉnh Tây Ninh"


def default_path() -> Path:
    """Where the office's store lives unless told otherwise (per user, per platform)."""
    return Path(platformdirs.user_data_dir("nhandao", appauthor=False))


def resolve_path(option: str | os.PathLike | None = None) -> Path:
    """The store folder: the --store option, else $NHANDAO_STORE, else the default."""
    if option:
        return Path(option).expanduser()
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV]).expanduser()
    return default_path()


def default_settings(province: schema.Unit, year: int | None = None) -> dict[str, Any]:
    """Settings of a new office: names used in documents and the period of the review (the
    campaign's 2008–2018 review, or from 2025 to `year` for an office of the 2025 list)."""
    name = province["name"]
    short = name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
    if province["code"] == gazetteer.NATIONAL:  # the central office writes from Hà Nội
        short = "Hà Nội"
    settings: dict[str, Any] = {
        "province_name": short,
        "organisation": f"HỘI CHỮ THẬP ĐỎ {name.upper()}",
        "plan_reference": SEED_PLAN if province["code"] == gazetteer.DEFAULT_PROVINCE else "",
        "period_from": 2008,
        "period_to": 2018,
        "report_deadline": "2018-11-09",
    }
    if gazetteer.list_of(province["code"]) == gazetteer.LIST_2025 and year is not None:
        settings.update(period_from=2025, period_to=max(year, 2025), report_deadline=None)
    return settings


@dataclass
class Office:
    """This office: the unit it works for, its id (in every version it writes), its settings."""

    id: str
    unit: str
    created_at: str
    demo: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    # Numbers that must never go back (the last bundle sequence sent, the last directory
    # revision made), kept here as well as in the files that use them, so that restoring one
    # of those files from an older backup cannot make a number be used twice.
    counters: dict[str, int] = field(default_factory=dict)
    # The office's unit before it moved to the units of the 2025 list (store/reform.py).
    former_unit: str | None = None

    @property
    def period(self) -> Period:
        return Period(int(self.settings["period_from"]), int(self.settings["period_to"]))

    @property
    def document_settings(self) -> dict[str, Any]:
        """The settings as documents read them: with the office's own unit, to which the
        signer, the place and the recipients apply (`exporters.letterhead`)."""
        return {**self.settings, "office_unit": self.unit}

    def to_json(self) -> dict:
        return {"format": "nhandao-office", "version": FORMAT_VERSION, "id": self.id,
                "unit": self.unit, "created_at": self.created_at, "demo": self.demo,
                "settings": self.settings, "counters": self.counters,
                **({"former_unit": self.former_unit} if self.former_unit else {})}  # fmt: skip

    def units_served(self, tree: UnitTree) -> set[str]:
        """The units this office keeps records for: its unit's subtree, and after a move to
        the 2025 list, its former unit's too (the records it keeps there) and the new units
        it went to (a divided commune's); for a unit of the 2025 list, the old units that went
        to it, whose records it takes in until they are moved (store/reform.py)."""
        served = set(tree.subtree(self.unit)) if self.unit in tree else set()
        if self.former_unit is not None and self.former_unit in tree:
            served.update(tree.subtree(self.former_unit))
        for code in list(served):
            if gazetteer.list_of(code) == gazetteer.LIST_2025:
                others = gazetteer.predecessors(code)
            else:  # a divided commune's records that went to another new unit
                others = tuple(gazetteer.successors(code)) if code == self.former_unit else ()
            for other in others:
                if other in tree and other not in served:
                    served.update(tree.subtree(other))
        return served


def table_of(kind: str, record: Mapping) -> str:
    """The TinyDB table a record lives in. Aid and reviews are split by year, so that a save
    rewrites the keys of one year's table rather than ten years' (TinyDB re-keys a whole table
    on every change)."""
    if kind == "aid":
        return f"aid.{record['on'][:4]}"
    if kind == "review":
        return f"reviews.{record['year']}"
    return KINDS[kind].collection


# The version of a change made alike by several offices: (kind, key, the current stored version
# or None, the new version's document, its `v` and `by` empty) → its `v`.
Stamp = Callable[[str, str, "Mapping | None", dict], str]
_ENVELOPE_ONLY = frozenset({"id", "owner", "v", "prev", "history", "by"})
_KIND_OF_COLLECTION = {spec.collection: spec.name for spec in KINDS.values()}
_META = shapes.META


def kind_of_table(name: str) -> str | None:
    return _KIND_OF_COLLECTION.get(name.split(".", 1)[0])


def data_of(kind: str, record: Mapping) -> dict:
    """The interchange fields of a stored record (no envelope), with `deleted` when it is set."""
    data = KINDS[kind].complete(record)
    if record.get("deleted"):
        data["deleted"] = True
    return data


def _compact(document: dict) -> dict:
    """What is stored: fields that are None or False are left out (a third of the memory)."""
    return {
        name: value for name, value in document.items() if value is not None and value is not False
    }


# Values repeated across many records, shared in memory after loading rather than kept once per
# record: units, dates, forms, kinds, and the ids that aid and reviews refer to.
SHARED_VALUES = frozenset(
    {
        "owner",
        "by",
        "unit",
        "address",
        "helper",
        "on",
        "form",
        "kind",
        "side",
        "place",
        "outcome",
        "from",
        "until",
        "stop_reason",
        "excluded",
    }
)


def share_values(document: dict) -> None:
    """Make the values that repeat from record to record (owners, units, dates…) one object
    each, whatever text they were read from: a province's records hold millions of them."""
    intern = sys.intern
    for name, value in document.items():
        if name in SHARED_VALUES and value.__class__ is str:
            document[name] = intern(value)  # replacing a value keeps the iteration valid


@dataclass(slots=True)
class _Entry:
    record: dict  # the stored document, owned by the storage: never mutate outside a write
    file: str
    table: str
    doc_id: int


@dataclass
class _UnitFile:
    code: str
    storage: AtomicJSONStorage
    db: TinyDB


@dataclass
class _Step:
    """One action `undo` can take back: each record it changed, as (kind, key, fields before
    or None for a new record, version written), and the conflict it settled, if it was a
    resolution."""

    changes: list[tuple[str, str, dict | None, str]]
    # (kind, key, the versions kept aside, the versions only they descend from)
    settled: tuple[str, str, tuple[Mapping, ...], frozenset[str]] | None = None


@dataclass
class _Change:
    kind: str
    key: str
    entry: _Entry | None
    document: dict
    table: str


class _Records(Mapping):
    """A read-only view of one kind's current records by key, with records of a batch on top."""

    def __init__(self, entries: dict[str, _Entry], batch: dict[str, dict] | None = None) -> None:
        self._entries = entries
        self.batch: dict[str, dict] = {} if batch is None else batch

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        found = self.batch.get(key)
        if found is not None:
            return found
        entry = self._entries.get(key)
        return default if entry is None else entry.record

    def __getitem__(self, key: str) -> dict:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found  # type: ignore[return-value]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries.keys() | self.batch.keys())

    def __len__(self) -> int:
        return len(self._entries.keys() | self.batch.keys())


# Windows opens no path longer than 259 characters unless long paths are turned on for the PC,
# which offices cannot count on. The longest path a store makes below its folder is a broken
# copy kept in a unit's backups: «\\backups\\unit-<32-character code>\\broken-<26>.json».
WINDOWS_MAX_PATH = 259
_LONGEST_INSIDE = len("/backups/unit-") + 32 + len("/broken-20261201T235959999999.json")
MAX_STORE_PATH = WINDOWS_MAX_PATH - _LONGEST_INSIDE


def check_path_length(path: Path, platform: str | None = None) -> None:
    """Refuse, on Windows, a store folder so deep that its files could not all be made."""
    if (platform or sys.platform) == "win32" and len(str(path.absolute())) > MAX_STORE_PATH:
        raise StorePathTooLongError(path.absolute(), MAX_STORE_PATH)


_ATTACHMENTS = KINDS["attachment"].collection


def _rank(entry: _Entry) -> tuple[str, bool]:
    return entry.record["v"], entry.file == entry.record["owner"]


# The shape of each file of the store's folder written by this module.
_SHAPES = {"office": shapes.OFFICE, "directory": shapes.DIRECTORY, "conflicts": shapes.CONFLICTS}


def _root_shape(name: str) -> shapes.Shape | None:
    """The shape of a file of the store's folder, for a temporary left in its place: this
    module's own, or (for the sync module's ledger and the like) its format's name."""
    stem = name.removesuffix(".json")
    if not name.endswith(".json") or name == commit.JOURNAL:
        return None  # a journal whose rename did not reach the disk was never decided
    return _SHAPES.get(stem) or shapes.of_format(f"nhandao-{stem}")


def _unit_shape(name: str) -> shapes.Shape | None:
    return shapes.unit_file(name.removesuffix(".json")) if name.endswith(".json") else None


class Store:
    """An open store. Use `Store.open` or `Store.create`, and `close()` (or `with`)."""

    def __init__(self, path: Path, lock: StoreLock, today: Callable[[], date]) -> None:
        self.path = path
        self._lock = lock
        self.today = today
        self.recoveries: list[Recovery] = []
        self.repairs: list[str] = []
        self.writable = True  # False when opened to read on a medium that takes no writes
        # Who holds the lock, when this store was opened only to read while another program
        # has it open (`open(reading=True)`): a snapshot of what that program has saved.
        self.shared_with: dict | None = None
        self.office: Office
        self.directory: dict
        self.units: UnitTree
        self.clock: HybridClock
        self._files: dict[str, _UnitFile] = {}
        self._index: dict[str, dict[str, _Entry]] = {kind: {} for kind in KIND_ORDER}
        # Attachment ids by (helper, address), made when first needed (`_attachments_of`).
        self._pairs: dict[tuple[object, object], list[str]] | None = None
        self._dataset: Dataset | None = None
        # Held by a commit (its files and what memory holds of them change together) and while
        # a reader takes its snapshot: a worker counting figures while the interface saves, or
        # the interface reading while a merge runs, sees every record before or after it.
        self._moment = threading.RLock()
        self._conflicts: dict[tuple[str, str], tuple[Mapping, ...]] | None = None
        self._newest: str | None = None  # the latest version held, once asked ("" for none)
        # What this program's saves, deletions and resolutions replaced, last UNDO_STEPS of
        # them, for `undo`. Kept in memory only: closing the program forgets it.
        self.journal: list[_Step] = []
        self._undoing = False
        self.records_loaded = False  # False when opened without `records`, until loaded
        self._scope: frozenset[str] | None = None  # the units whose files `scoped` read
        self._summary_index: SummaryIndex | None = None

    # ----------------------------------------------------------------- opening and closing

    @classmethod
    def create(
        cls,
        path: str | os.PathLike,
        unit: str,
        *,
        demo: bool = False,
        units: str = "2019",
        today: Callable[[], date] = date.today,
    ) -> Store:
        """Make a new store for the office of `unit` (a code of `gazetteer`, which names its
        list; `units` says which list the central office's «VN» means) and open it."""
        path = Path(path)
        check_path_length(path)
        if (path / "office.json").exists():
            raise StoreExistsError(path)
        units = gazetteer.tree_of(unit, units)
        if units is None:
            raise StoreError(
                f"Không có đơn vị mang mã «{gazetteer.official_code(unit)}» trong danh mục "
                f"đơn vị hành chính năm {gazetteer.list_of(unit)}. "
                "Hãy tìm mã bằng lệnh «nhandao units --search TÊN»."
            )
        for folder in (path, path / "units", path / "backups"):
            folder.mkdir(parents=True, exist_ok=True)
        (path / "keys").mkdir(mode=0o700, exist_ok=True)
        lock = StoreLock(path)
        lock.acquire()
        try:
            # `province` names the root of the tree: the province, or the country's root at
            # the central office.
            directory = {"format": "nhandao-directory", "version": FORMAT_VERSION, "revision": 0,
                         "province": units[0]["code"], "units": units, "keys": []}  # fmt: skip
            office = Office(
                id=f"{unit}-{secrets.token_hex(3)}",
                unit=unit,
                created_at=datetime.now().isoformat(timespec="seconds"),
                demo=demo,
                settings=default_settings(units[0], today().year),
            )
            store = cls(path, lock, today)
            store._file("directory").write(orjson.dumps(directory))
            store._file("office").write(orjson.dumps(office.to_json()))
            store._load()
        except BaseException:
            lock.release()
            raise
        return store

    @classmethod
    def open(
        cls,
        path: str | os.PathLike,
        *,
        today: Callable[[], date] = date.today,
        reading: bool = False,
        records: bool = True,
    ) -> Store:
        """Open an existing store, restoring from backups any file that is broken.

        With `reading` (for commands that only read), a store on a write-protected medium or a
        full disk opens without its lock file; `writable` then says False, and a store that
        would need repairs says so instead of failing to write them. Without `records`, the
        unit files are not read yet: `summary_index` counts the table from the derived index,
        and `load_records` reads them when something else is asked for."""
        path = Path(path)
        check_path_length(path)
        if not (path / "office.json").exists() and not (path / "backups" / "office").is_dir():
            if (path / "units").is_dir() or (path / "directory.json").exists():
                raise BrokenStoreError(
                    f"Thư mục {path} có dữ liệu của một kho nhưng thiếu tệp office.json (văn "
                    "phòng nào giữ kho này) và bản sao lưu của nó. Dữ liệu chưa bị đụng đến; "
                    "hãy chép lại office.json từ bản lưu trữ gần nhất của kho."
                )
            raise NoStoreError(path)
        lock = StoreLock(path)
        try:
            writable = lock.acquire(reading=reading)
        except StoreLockedError as locked:
            if not reading:
                raise
            return cls._snapshot(path, lock, today, locked, records)
        store = cls(path, lock, today)
        store.writable = writable
        try:
            store._load(records)
        except OSError as error:
            lock.release()
            raise _repair_refused(path, error) from error
        except BaseException:
            lock.release()
            raise
        return store

    @classmethod
    def _snapshot(
        cls,
        path: Path,
        lock: StoreLock,
        today: Callable[[], date],
        locked: StoreLockedError,
        records: bool = True,
    ) -> Store:
        """The store as the program holding it last saved it, read without its lock and
        without writing anything: no repair, no restore, no roll-forward (that program does
        those). A commit under way (its journal on disk) is waited for, and a read that
        overlapped a write (a file's size, time or identity changed meanwhile) is done again.
        """
        store = cls(path, lock, today)
        store.writable = False
        store.shared_with = locked.holder
        store._read_snapshot(lambda: store._load(records))
        return store

    def _read_snapshot(self, read: Callable[[], object]) -> None:
        """Do `read` (of a store another program holds) until it overlapped no write."""
        problem: Exception | None = None
        for attempt in range(SNAPSHOT_ATTEMPTS):
            if attempt:
                time.sleep(min(0.05 * attempt, 0.5))
            before = _stamps(self.path)
            if before is None:
                continue
            try:
                read()
            except (BrokenStoreError, OSError) as error:
                problem = error
                self._forget()
                continue
            if _stamps(self.path) == before:
                self.repairs = []  # what the holder will repair; nothing was written here
                return
            self._forget()
        assert self.shared_with is not None
        if isinstance(problem, BrokenStoreError):
            raise BrokenStoreError(
                f"{problem} Kho đang được mở bởi một chương trình nhandao khác: hãy đóng chương "
                "trình đó (khi mở lại, nó sẽ khôi phục tệp từ bản sao lưu) rồi chạy lại lệnh."
            ) from problem
        raise StoreBusyError(self.path, self.shared_with)

    def close(self) -> None:
        if self._summary_index is not None:
            self._summary_index.close()
        for unit_file in self._files.values():
            unit_file.db.close()
        self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit every file the enclosed block writes together, or none (store/commit.py).

        Inside another transaction of this store, the block joins it. When the block raises or
        the commit fails before it is decided, nothing changes on disk and what memory holds is
        read again from the files; a failed write is raised as StoreWriteError."""
        if commit.active(self.path):
            yield
            return
        pending = None
        with self._moment:
            try:
                with commit.gathering(self.path) as pending:
                    yield
                pending.commit()
            except BaseException as error:
                if pending is not None and pending.staged and not pending.decided:
                    self._reload_all()
                if isinstance(error, OSError):
                    raise StoreWriteError(self.path, error) from error
                raise

    def _reload_all(self) -> None:
        """Forget what memory holds of the files and read them again (the clock is kept)."""
        clock, records = self.clock, self.records_loaded
        self._forget()
        self._load(records)
        self.clock = clock

    def _forget(self) -> None:
        for unit_file in self._files.values():
            unit_file.db.close()
        self._files = {}
        self._index = {kind: {} for kind in KIND_ORDER}
        self._pairs = None
        self._dataset = None
        self._conflicts = None
        self._newest = None
        self.records_loaded = False

    def _file(self, name: str) -> BackedUpFile:
        return BackedUpFile(
            self.path / f"{name}.json",
            self.path / "backups" / name,
            _SHAPES[name],
            read_only=self.shared_with is not None,
        )

    def _unit_backups(self, code: str) -> Path:
        return self.path / "backups" / f"unit-{code}"

    def _unit_file(self, code: str) -> BackedUpFile:
        return BackedUpFile(
            self.path / "units" / f"{code}.json",
            self._unit_backups(code),
            shapes.unit_file(code),
            read_only=self.shared_with is not None,
        )

    def _read(self, file: BackedUpFile) -> object:
        try:
            data, recovery = file.read()
        except FileNotFoundError:
            raise BrokenStoreError(
                f"Thiếu tệp {file.path} và không có bản sao lưu. Kho dữ liệu không dùng được; "
                "hãy chép lại thư mục kho từ bản lưu trữ gần nhất."
            ) from None
        except BrokenFileError:
            raise BrokenStoreError(
                f"Tệp {file.path} bị hỏng và không có bản sao lưu nào đọc được. Tệp được giữ "
                "nguyên, chưa bị ghi đè; hãy chép lại tệp này từ bản lưu trữ gần nhất."
            ) from None
        if recovery is not None:
            self.recoveries.append(recovery)
        return data

    def _load(self, records: bool = True) -> None:
        """Read every file of the store (without `records`, all but the unit files)."""
        with _collector_paused():
            self._load_files()
            if records:
                self._load_unit_files()

    def load_records(self) -> None:
        """Read the unit files of a store opened without `records` (nothing when read). Every
        reader of records calls it: such a store reads them when first asked."""
        if self.records_loaded or self._scope is not None:
            return
        if self.shared_with is not None:
            self._forget()
            self._read_snapshot(self._load)
            return
        try:
            with _collector_paused():
                self._load_unit_files()
        except OSError as error:
            raise _repair_refused(self.path, error) from error

    @contextmanager
    def scoped(self, units: Collection[str]) -> Iterator[None]:
        """Within, the store holds the records of the files of `units` only, as if it had no
        others: a store opened without `records` (the central office's) takes in a province's
        bundle reading the files it touches, not the country's. Readers see those records,
        and a change may write only those files; the unit tree keeps every unit it had (from
        the summary index). Afterwards memory holds no record again. A store whose records are
        loaded already is used as it is."""
        if self.records_loaded or self._scope is not None:
            yield
            return
        tree = self.units
        self._scope = frozenset(units)
        try:
            try:
                files, backed_up_only = self.units_on_disk()
                with _collector_paused():
                    for code in sorted((files.keys() | backed_up_only) & self._scope):
                        self._load_unit_file(code)
            except OSError as error:
                raise _repair_refused(self.path, error) from error
            # The units the files read hold, and the others the tree had (from the index).
            held = [entry.record for entry in self._index["unit"].values()]
            codes = {record["code"] for record in held}
            self.units = unit_tree(
                self.directory, [*held, *(u for u in tree if u["code"] not in codes)]
            )
            yield
            tree = self._reindex() or tree
        finally:
            self._forget()
            self._scope = None
            self.units = tree

    def _reindex(self) -> UnitTree | None:
        """At the end of `scoped`, the index made to hold again the files of the scope's units
        as they are now; the unit tree it then gives, or None without an index (then
        `summary_index` makes it again when asked)."""
        index = self._summary_index
        if index is None:
            return None
        now, _backed_up_only = self.units_on_disk()
        assert self._scope is not None
        touched = {code: now[code] for code in now.keys() & self._scope}
        try:
            if index.refresh(touched, partial=True):
                return unit_tree(self.directory, index.units())
        except (OSError, sqlite3.Error):
            pass
        index.close()
        self._summary_index = None
        return None

    def summary_index(self) -> SummaryIndex | None:
        """The derived index (store/index.py), made to hold exactly the unit files' records,
        for a store opened without `records`; None after reading the records instead, when the
        index cannot be used (a broken file to restore, a record in two files, a folder that
        takes no writes…) or when they were read already."""
        if self._summary_index is not None or self.records_loaded:
            return self._summary_index
        # A reader of a store another program holds writes nothing, not even the index.
        index = SummaryIndex.open(
            self.path, read_only=not self.writable or self.shared_with is not None
        )
        if index is not None:
            found: list[bool] = []

            def read() -> None:
                files = self._unit_paths()
                found.append(files is not None and index.refresh(files))

            if self.shared_with is None:
                try:
                    read()
                except OSError:  # a unit file that cannot be read: the loader says why
                    found.append(False)
            else:
                # `_read_snapshot` repeats the read until no save of the holder overlapped it.
                try:
                    self._read_snapshot(read)
                except StoreBusyError:
                    found.append(False)
            if found and found[-1]:
                try:
                    self.units = unit_tree(self.directory, index.units())
                except sqlite3.Error:
                    pass
                else:
                    self._summary_index = index
                    return index
            index.close()
        self.load_records()
        return None

    def _unit_paths(self) -> dict[str, Path] | None:
        """Each unit file by code; None when a unit's file is missing but its backups are
        there, which only `load_records` reads (it restores the file)."""
        files, backed_up_only = self.units_on_disk()
        return None if backed_up_only else files

    def units_on_disk(self) -> tuple[dict[str, Path], set[str]]:
        """The unit files by code, and the codes of units that have backups but no file."""
        files = {p.stem: p for p in (self.path / "units").glob("*.json")}
        backups = self.path / "backups"
        backed_up = {d.name.removeprefix("unit-") for d in backups.glob("unit-*") if d.is_dir()}
        return files, backed_up - files.keys()

    def _load_files(self) -> None:
        reading_only = self.shared_with is not None
        finished = None if reading_only else commit.recover(self.path)
        if finished is not None:
            self.repairs.append(finished)
        for folder, shape_of in ((self.path, _root_shape), (self.path / "units", _unit_shape)):
            if folder.is_dir() and not reading_only:
                for adopted in settle_temporaries(folder, shape_of):
                    self.repairs.append(
                        f"Tệp {adopted.relative_to(self.path)} bị mất khi đang được ghi (máy tắt "
                        "hay thẻ nhớ bị rút giữa chừng); đã dùng bản vừa ghi xong còn lại bên "
                        "cạnh, mới hơn mọi bản sao lưu."
                    )
        office = self._read(self._file("office"))
        assert isinstance(office, dict)
        self.office = Office(
            office["id"],
            office["unit"],
            office["created_at"],
            bool(office.get("demo")),
            dict(office.get("settings") or {}),
            {
                name: value
                for name, value in (office.get("counters") or {}).items()
                if isinstance(value, int) and not isinstance(value, bool)
            },
            office["former_unit"] if isinstance(office.get("former_unit"), str) else None,
        )
        directory = self._read(self._file("directory"))
        assert isinstance(directory, dict)
        self.directory = directory
        self.clock = HybridClock(self.office.id)
        if not reading_only:
            (self.path / "units").mkdir(exist_ok=True)
        self.units = unit_tree(self.directory, ())

    def _load_unit_files(self) -> None:
        files, backed_up_only = self.units_on_disk()
        for code in sorted(files.keys() | backed_up_only):
            self._load_unit_file(code)
        self._rebuild_units()
        self.records_loaded = True

    def _load_unit_file(self, code: str) -> None:
        self._pairs = None
        backed_up = self._unit_file(code)
        try:
            data = self._read(backed_up)
        except BrokenStoreError:
            if backed_up.backups.is_dir() or self.shared_with is not None:
                raise
            # Never written here (a copy of another unit's file under this name, a stray
            # file): kept aside whole, never read, and the rest of the store opens.
            aside = (
                self.path / "backups" / "stray" / f"{code}-{datetime.now():%Y%m%dT%H%M%S%f}.json"
            )
            aside.parent.mkdir(parents=True, exist_ok=True)
            replace(backed_up.path, aside)
            self.repairs.append(
                f"Tệp units/{code}.json không phải tệp dữ liệu của đơn vị «{code}» do chương "
                "trình ghi (có thể là tệp của đơn vị khác bị chép nhầm tên); đã chuyển nguyên "
                f"vẹn sang {aside.relative_to(self.path)} và không dùng đến."
            )
            return
        assert isinstance(data, dict)
        db = TinyDB(backed_up.path, storage=AtomicJSONStorage, preloaded=data, file=backed_up)
        unit_file = _UnitFile(code, db.storage, db)  # type: ignore[arg-type]
        self._files[code] = unit_file
        stale: dict[str, list[int]] = defaultdict(list)
        latest = ""
        for table, documents in data.items():
            kind = kind_of_table(table)
            if kind is None:
                continue
            entries = self._index[kind]
            for doc_id, document in documents.items():
                share_values(document)
                key = document["id"]
                latest = max(latest, document["v"])
                entry = _Entry(document, code, table, int(doc_id))
                other = entries.get(key)
                if other is None:
                    entries[key] = entry
                    continue
                # Two copies after a move was cut short: keep the later version; of two copies
                # of one version, the one in its owner's file.
                keep, drop = (entry, other) if _rank(entry) > _rank(other) else (other, entry)
                entries[key] = keep
                if drop.file == code:
                    stale[drop.table].append(drop.doc_id)
                elif self.shared_with is None:
                    self._remove_copies(drop.file, {drop.table: [drop.doc_id]})
                self.repairs.append(
                    f"{KINDS[kind].label} mã {key}: bỏ bản cũ còn sót ở tệp {drop.file}"
                )
        if latest:
            self.clock.observe(latest)
        if stale and self.shared_with is None:
            self._remove_copies(code, stale)

    def _remove_copies(self, code: str, doc_ids: Mapping[str, list[int]]) -> None:
        unit_file = self._files[code]
        with unit_file.storage.batch():
            for table, ids in doc_ids.items():
                unit_file.db.table(table).remove(doc_ids=ids)

    def _rebuild_units(self) -> None:
        self.units = unit_tree(self.directory, (e.record for e in self._index["unit"].values()))

    # ----------------------------------------------------------------- reading

    def get(self, kind: str, key: str) -> dict | None:
        """The current record (tombstones included) with its envelope and every field, or None."""
        self.load_records()
        entry = self._index[kind].get(key)
        if entry is None:
            return None
        stored = entry.record
        envelope = {"id": stored["id"], "owner": stored["owner"], "v": stored["v"],
                    "prev": stored.get("prev"), "deleted": bool(stored.get("deleted")),
                    "by": stored["by"]}  # fmt: skip
        return {**envelope, **KINDS[kind].complete(stored)}

    def stored(self, kind: str, key: str) -> Mapping | None:
        """The stored document of a record (its envelope with `history` included, fields that
        are None or False left out), read-only; None when there is no such record."""
        self.load_records()
        entry = self._index[kind].get(key)
        return None if entry is None else entry.record

    def records(self, kind: str, *, live: bool = True) -> Iterator[dict]:
        """The stored records of a kind, read-only; tombstones only when `live` is False.

        These are the stored documents: a field that is None or False may be absent, so read
        them with `.get()` (or `KINDS[kind].complete(record)`). They are those of the moment
        the iteration starts: a save meanwhile does not change what it yields."""
        self.load_records()
        with self._moment:
            entries = list(self._index[kind].values())
        for entry in entries:
            if not live or not entry.record.get("deleted"):
                yield entry.record

    def count(self, kind: str, *, live: bool = True) -> int:
        self.load_records()
        if not live:
            return len(self._index[kind])
        return sum(1 for _ in self.records(kind))

    def dataset(self) -> Dataset:
        """Every record, tombstones included, for the tallies (read-only, cached until a save).

        Records are the stored documents: fields that are None or False may be absent. A worker
        may ask for it while the interface saves: it gets the records of one moment."""
        self.load_records()
        with self._moment:
            if self._dataset is None:
                lists = {
                    KINDS[kind].collection: [e.record for e in self._index[kind].values()]
                    for kind in KIND_ORDER
                    if kind != "unit"
                }
                self._dataset = Dataset(units=self.units, **lists)
            return self._dataset

    def newest_version(self) -> str | None:
        """The latest version of any record held here (by its time, of any width)."""
        with self._moment:
            if self._newest is None:
                versions = (
                    e.record["v"] for entries in self._index.values() for e in entries.values()
                )
                self._newest = max(versions, key=hlc.order, default="")
            return self._newest or None

    def fix_future_versions(self) -> int:
        """Give every record whose version is more than a day ahead of this computer's clock
        (made on a PC whose clock was wrong) a new version made now on top of it, so that it
        replaces the wrong one wherever it travels and no longer wins every conflict. One
        commit; returns how many records were given one."""
        now = hlc.now_ms()
        changes = []
        for kind in KIND_ORDER:
            for key, entry in self._index[kind].items():
                record = entry.record
                if hlc.is_ahead(record["v"], now):
                    change = self._change(
                        kind, key, data_of(kind, record), record["owner"], [record["v"]]
                    )
                    assert change is not None  # a version named in `replaces` always makes one
                    changes.append(change)
        if changes:
            self._write(changes)
        return len(changes)

    def files(self) -> list[Path]:
        """The unit files, in code order."""
        return [self._files[code].storage.path for code in sorted(self._files)]

    # ----------------------------------------------------------------- writing

    def save(self, kind: str, record: Mapping, *, replaces: Iterable[str] = ()) -> dict:
        """Validate and save one record (new or changed) in one durable write; returns it stored.

        `replaces`: versions of this record held outside the unit files (kept conflicts, a
        version held in quarantine) that the new version replaces besides the current one. It
        names them in its history, so that every office holding one sees it replaced; with
        them, a new version is written even when the fields are those of the current one."""
        replaced = list(replaces)
        for version in replaced:
            self.clock.observe(version)  # the new version must come after every one it replaces
        ((prepared_kind, prepared),) = self._prepared([(kind, record, None)])
        self._apply([(prepared_kind, prepared)], replaced)
        stored = self.get(kind, prepared[KINDS[kind].key])
        assert stored is not None
        return stored

    def delete(self, kind: str, key: str) -> dict:
        """Replace a record by its tombstone: kept, never counted, travels like any edit."""
        current = self.get(kind, key)
        if current is None:
            raise KeyError(key)
        if not KINDS[kind].can_be_deleted:
            raise ValueError(f"{kind} records cannot be deleted")
        # A text stored before control characters were refused is kept as it was shown (its
        # placeholders), so that such a record can always be deleted.
        data = {name: visible(value, lines=True) if isinstance(value, str) else value
                for name, value in data_of(kind, current).items()}  # fmt: skip
        return self.save(kind, {**data, "deleted": True})

    def save_many(
        self,
        items: Iterable[tuple[str, Mapping] | tuple[str, Mapping, int]],
        *,
        stamp: Stamp | None = None,
    ) -> int:
        """Validate a batch; if anything is wrong save nothing and raise ValidationError listing
        every problem; else write each touched unit file once. An item may carry its position in
        a file (named in messages). Returns how many records changed.

        `stamp` gives the new versions instead of this office's clock: for a change that other
        offices make alike from the same versions (store/reform.py), so that they make the
        same versions and a merge finds nothing new."""
        batch = [(item[0], item[1], item[2] if len(item) > 2 else None) for item in items]
        return self._apply(self._prepared(batch), stamp=stamp)

    def _prepared(self, batch: Sequence[tuple[str, Mapping, int | None]]) -> list[tuple[str, dict]]:
        records, problems = self.check(batch)
        if problems:
            raise ValidationError(problems)
        return records

    def check(
        self, batch: Sequence[tuple[str, Mapping, int | None]]
    ) -> tuple[list[tuple[str, dict]], list[Problem]]:
        """Normalise and validate a batch against the store and itself, without saving."""
        units: dict[str, Mapping] = dict(self.units.as_mapping())
        addresses = _Records(self._index["address"])
        helpers = _Records(self._index["helper"])
        new_addresses, new_helpers = addresses.batch, helpers.batch
        known = Known(units, addresses, helpers, self.today())
        scope = self.office.units_served(self.units)
        by_kind: dict[str, list[tuple[Mapping, int | None]]] = defaultdict(list)
        for kind, raw, position in batch:
            if kind not in KINDS:
                raise ValueError(f"unknown record kind {kind!r}")
            by_kind[kind].append((raw, position))
        problems: list[Problem] = []
        prepared: list[tuple[str, dict]] = []
        seen: set[tuple[str, str]] = set()
        for kind in KIND_ORDER:
            key_field = KINDS[kind].key
            for raw, position in by_kind.get(kind, []):
                record, found = check(kind, raw, known, position)
                problems.extend(found)
                if record is None or record[key_field] is None:
                    continue
                key = record[key_field]
                if (kind, key) in seen:
                    problems.append(
                        Problem(
                            kind,
                            key,
                            key_field,
                            f"{schema.describe(kind, record)}: mã «{key}» bị trùng "
                            "với một bản ghi khác cùng loại trong dữ liệu nhập.",
                        )
                    )
                    continue
                seen.add((kind, key))
                if kind == "unit":
                    official = self._official_unit(record, problems)
                    units.setdefault(key, record)
                    if official:
                        continue
                    if record["parent"] in scope:
                        scope.add(key)
                elif kind == "address":
                    new_addresses[key] = record
                elif kind == "helper":
                    new_helpers[key] = record
                if not found:
                    owner = self._owner(kind, record, addresses)
                    if owner is not None and owner not in scope:
                        problems.append(
                            Problem(
                                kind,
                                key,
                                None,
                                (
                                    f"{schema.describe(kind, record)}: thuộc đơn vị «{owner}», "
                                    "không nằm trong phạm vi của văn phòng "
                                    f"{self.units.name(self.office.unit)}."
                                ),
                            )
                        )
                prepared.append((kind, record))
        new_units = {record["code"]: record for kind, record in prepared if kind == "unit"}
        for code, other in case_clashes([*self.units.as_mapping(), *new_units]).items():
            if code not in new_units:
                continue  # a clash the store had already: `check` reports it
            problems.append(
                Problem(
                    "unit",
                    code,
                    "code",
                    f"{schema.describe('unit', new_units[code])}: mã «{code}» chỉ khác mã "
                    f"«{other}» ở chữ hoa, chữ thường; trên Windows hai mã này là một tên tệp. "
                    "Hãy chọn mã khác.",
                )
            )
        attachments = [record for kind, record in prepared if kind == "attachment"]
        if attachments:  # one helper attached twice to one address at once (RECORDS.md)
            stored = self._attachments_of((a.get("helper"), a.get("address")) for a in attachments)
            problems.extend(overlapping_attachments(attachments, stored, known))
        return prepared, problems

    def _official_unit(self, record: dict, problems: list[Problem]) -> bool:
        """True when a unit of a batch is already in the directory (problems if it differs)."""
        listed = next((u for u in self.directory["units"] if u["code"] == record["code"]), None)
        if listed is None:
            return False
        if (listed["kind"], listed["parent"]) != (record["kind"], record["parent"]):
            problems.append(
                Problem(
                    "unit",
                    record["code"],
                    "parent",
                    (
                        f"{schema.describe('unit', record)}: đã có trong danh mục là "
                        f"«{listed['name']}» "
                        f"thuộc đơn vị «{listed['parent']}», khác với dữ liệu nhập."
                    ),
                )
            )
        return True

    @staticmethod
    def _owner(kind: str, record: Mapping, addresses: Mapping[str, Mapping]) -> str | None:
        if kind == "unit":
            return record["parent"]
        if kind in ("attachment", "aid", "review"):
            address = addresses.get(record["address"])
            return address["unit"] if address else None
        return record["unit"]

    def _apply(
        self,
        records: list[tuple[str, dict]],
        replaces: Sequence[str] = (),
        forgets: Collection[str] = (),
        stamp: Stamp | None = None,
    ) -> int:
        addresses = _Records(
            self._index["address"], {r["id"]: r for k, r in records if k == "address"}
        )
        changes: list[_Change] = []
        planned: set[tuple[str, str]] = set()
        for kind, record in records:
            key = record[KINDS[kind].key]
            planned.add((kind, key))
            owner = self._owner(kind, record, addresses)
            assert owner is not None
            change = self._change(kind, key, record, owner, replaces, forgets, stamp)
            if change is not None:
                changes.append(change)
        moved = [
            change
            for change in changes
            if change.kind == "address"
            and change.entry
            and change.entry.file != change.document["owner"]
        ]
        if moved:
            changes.extend(self._follow_moves(moved, planned, stamp))
        if stamp is not None and changes:  # an edit made after them comes after them
            self.clock.observe(max((c.document["v"] for c in changes), key=hlc.order))
        if changes:
            before = [
                (c.kind, c.key, data_of(c.kind, c.entry.record) if c.entry else None,
                 c.document["v"])
                for c in changes
            ]  # fmt: skip
            self._write(changes)
            if not self._undoing:
                self.journal.append(_Step(before))
                del self.journal[:-UNDO_STEPS]
        return len(changes)

    # ----------------------------------------------------------------- undo

    def undo(self) -> list[tuple[str, dict]]:
        """Take back the last save or deletion made by this program since the store was opened
        (a save_many counts as one): each record it changed gets back its fields as a new
        version (a record it made gets a tombstone), which travels like any edit. Refused
        (StoreError, nothing changed) when one of them was changed since, by a bundle or a
        later save. Returns the records as they are now, as (kind, fields)."""
        if not self.journal:
            raise StoreError("Không còn việc nào để hoàn tác.")
        step = self.journal[-1]
        batch = []
        for kind, key, before, written in step.changes:
            current = self._index[kind].get(key)
            if current is None or current.record["v"] != written:
                raise StoreError(
                    f"Không hoàn tác được: {KINDS[kind].label.lower()} mã «{key}» đã được sửa "
                    "sau đó (có thể bởi một gói dữ liệu vừa nhận)."
                )
            if before is None:
                if not KINDS[kind].can_be_deleted:
                    raise StoreError(
                        f"Không hoàn tác được: {KINDS[kind].label.lower()} không xoá được."
                    )
                data = data_of(kind, current.record)
                before = {**data, "deleted": True}
            batch.append((kind, before, None))
        self._undoing = True
        try:
            if step.settled is None:
                self._apply(self._prepared(batch))
            else:
                self._unsettle(step, self._prepared(batch))
        finally:
            self._undoing = False
        self.journal.pop()
        # The records are back as the step before wrote them, under new versions: that step
        # can be undone in its turn.
        for kind, key, _before, _written in step.changes:
            now = self._index[kind][key].record["v"]
            for earlier in reversed(self.journal):
                found = [i for i, item in enumerate(earlier.changes) if item[:2] == (kind, key)]
                if found:
                    item = earlier.changes[found[0]]
                    earlier.changes[found[0]] = (item[0], item[1], item[2], now)
                    break
        return [(kind, fields) for kind, fields, _ in batch]

    def _unsettle(self, step: _Step, batch: list[tuple[str, dict]]) -> None:
        """Undo a resolution: the record gets back the fields it had, as a version made on
        top of the resolution but no longer descending from the versions that were kept
        aside; they go back to conflicts.json, for a person to choose again. An office that
        already had the resolution keeps its choice; one that holds a kept version sees the
        conflict again, as before the resolution."""
        assert step.settled is not None
        kind, key, kept, theirs = step.settled
        with self.transaction():
            self._apply(batch, forgets=theirs)
            conflicts = dict(self._conflict_index())
            present = conflicts.get((kind, key), ())
            known = {document["v"] for document in present}
            conflicts[(kind, key)] = (*present, *(d for d in kept if d["v"] not in known))
            self._write_conflicts(conflicts)

    def _change(
        self,
        kind: str,
        key: str,
        data: dict,
        owner: str,
        replaces: Sequence[str] = (),
        forgets: Collection[str] = (),
        stamp: Stamp | None = None,
    ) -> _Change | None:
        """The new version of a record, or None when nothing would change. It descends from
        the current version and from `replaces`; the versions `forgets` leave its ancestry
        (the undo of a resolution)."""
        entry = self._index[kind].get(key)
        content = _compact(data)  # `deleted` included when it is set
        content.pop("id", None)
        if entry is not None and not replaces and not forgets:
            current = entry.record
            if current["owner"] == owner and content == {
                name: value for name, value in current.items() if name not in _ENVELOPE_ONLY
            }:
                return None
        # Every version keeps the versions it descends from, so that an office that holds an
        # older one knows this one replaces it (see store/merge.py).
        previous, history = ancestry(entry.record if entry else None, replaces)
        if forgets:
            history = [version for version in history if version not in forgets]
        document = _compact(
            {
                "id": key,
                "owner": owner,
                "v": "" if stamp else self.clock.tick(),
                "prev": previous,
                "history": history or None,
                "deleted": content.pop("deleted", False),
                "by": "" if stamp else self.office.id,
            }
        )
        document.update(content)
        if stamp is not None:  # made from the document, `v` and `by` still empty
            document["v"] = stamp(kind, key, entry.record if entry else None, document)
            document["by"] = document["v"].split("-", 2)[2]
        return _Change(kind, key, entry, document, table_of(kind, document))

    def _follow_moves(
        self, moved: list[_Change], planned: set[tuple[str, str]], stamp: Stamp | None = None
    ) -> list[_Change]:
        """Addresses moved to other units: their attachments, aid and reviews move with them.
        One pass over each kind, whatever the number of addresses moved (a migration to the
        2025 units moves every address of a province at once)."""
        owners = {change.key: change.document["owner"] for change in moved}
        follow = []
        for kind in ("attachment", "aid", "review"):
            for key, entry in self._index[kind].items():
                owner = owners.get(entry.record["address"])
                if owner is not None and (kind, key) not in planned:
                    change = self._change(
                        kind, key, data_of(kind, entry.record), owner, stamp=stamp
                    )
                    if change is not None:
                        follow.append(change)
        return follow

    def _write(self, changes: list[_Change]) -> None:
        if not self.records_loaded and (
            self._scope is None or any(c.document["owner"] not in self._scope for c in changes)
        ):  # what the changes were made against was never read
            raise RuntimeError("a store opened without its records was written to")
        updates: dict[str, dict[str, dict[int, dict]]] = defaultdict(lambda: defaultdict(dict))
        inserts: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        removes: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for change in changes:
            owner, entry = change.document["owner"], change.entry
            if entry is not None and entry.file == owner and entry.table == change.table:
                updates[owner][change.table][entry.doc_id] = change.document
            else:
                inserts[owner][change.table].append(change.document)
                if entry is not None:
                    removes[entry.file][entry.table].append(entry.doc_id)
        if self._newest is not None:
            self._newest = max([self._newest, *(c.document["v"] for c in changes)], key=hlc.order)
        # Every file the change touches is replaced in one commit: all of them, or none.
        order = list(dict.fromkeys([*updates, *inserts, *removes]))
        try:
            with self.transaction():
                for code in order:
                    self._write_unit_file(
                        code, updates.get(code, {}), removes.get(code, {}), inserts.get(code, {})
                    )
        finally:
            self._dataset = None
        if any(change.kind == "unit" for change in changes):
            self._rebuild_units()

    def _write_unit_file(
        self,
        code: str,
        updates: Mapping[str, dict[int, dict]],
        removes: Mapping[str, list[int]],
        inserts: Mapping[str, list[dict]],
    ) -> None:
        """One unit file's part of a change: documents replaced, removed, inserted.

        Written into the storage's tables directly (TinyDB's own insert rebuilds the whole
        table twice and copies each document): each table changed is a new dictionary, never
        the old one changed, so a reader holding the old one still holds a whole version of
        it, and the storage serialises again only the tables that changed."""
        unit_file = self._files.get(code) or self._new_file(code)
        tables = unit_file.storage.read()
        assert tables is not None
        for table in dict.fromkeys([*updates, *removes, *inserts]):
            replaced = dict(tables.get(table) or {})
            entries = self._index[kind_of_table(table)]  # type: ignore[index]
            for doc_id in removes.get(table, ()):
                replaced.pop(str(doc_id), None)
            for doc_id, document in updates.get(table, {}).items():
                replaced[str(doc_id)] = document
                entries[document["id"]] = _Entry(document, code, table, doc_id)
                self._paired(table, document)
            if table in inserts:
                # As TinyDB numbers documents: one more than the highest number in the table.
                doc_id = max(map(int, replaced), default=0)
                for document in inserts[table]:
                    doc_id += 1
                    replaced[str(doc_id)] = document
                    entries[document["id"]] = _Entry(document, code, table, doc_id)
                    self._paired(table, document)
            tables[table] = replaced
        unit_file.storage.write(tables)

    def _paired(self, table: str, document: Mapping) -> None:
        """Keep `_pairs` holding an attachment just written."""
        if self._pairs is not None and table == _ATTACHMENTS:
            ids = self._pairs.setdefault((document.get("helper"), document.get("address")), [])
            if document["id"] not in ids:
                ids.append(document["id"])

    def _attachments_of(self, pairs: Iterable[tuple[object, object]]) -> list[dict]:
        """The stored attachments of these (helper, address) pairs: what an attachment saved
        or imported may overlap, found without passing over every attachment of the store
        (a province's import did, for each of its communes' bundles)."""
        if self._pairs is None:
            self._pairs = defaultdict(list)
            for key, entry in self._index["attachment"].items():
                record = entry.record
                self._pairs[record.get("helper"), record.get("address")].append(key)
        entries, found = self._index["attachment"], []
        for pair in set(pairs):
            for key in self._pairs.get(pair, ()):
                entry = entries.get(key)
                if entry is not None and (
                    (entry.record.get("helper"), entry.record.get("address")) == pair
                ):  # not changed since
                    found.append(entry.record)
        return found

    def _new_file(self, code: str) -> _UnitFile:
        backed_up = self._unit_file(code)
        meta = {"1": {"format": "nhandao-unit", "version": FORMAT_VERSION, "unit": code}}
        db = TinyDB(
            backed_up.path, storage=AtomicJSONStorage, preloaded={_META: meta}, file=backed_up
        )
        unit_file = _UnitFile(code, db.storage, db)  # type: ignore[arg-type]
        self._files[code] = unit_file
        return unit_file

    # ----------------------------------------------------------------- merging

    def merge(self, incoming: Sequence[tuple[str, dict]], *, dry_run: bool = False) -> MergeResult:
        """Merge versions made elsewhere (from a bundle) as they are, without new versions.

        Each item is (kind, document): a stored document with its envelope (`id`, `owner`,
        `v`, `prev`, `history`, `deleted`, `by`) and normalised fields, already validated, its
        repeated values shared (`share_values`) as `sync.incoming` makes them. Per record: a
        version seen before changes nothing; one made on top of the current version replaces
        it; concurrent versions leave the one with the later clock current and keep the other
        in conflicts.json (see store/merge.py). A version with the `v` of one held here but
        other content is reported as MISMATCH and not merged.

        conflicts.json and each touched unit file are written in one commit, so that a version
        that stops being current is never only in memory. With `dry_run` nothing is written.
        """
        conflicts = self._conflict_index()
        pending: dict[tuple[str, str], dict] = {}  # records changed earlier in this batch
        touched: dict[tuple[str, str], tuple[Mapping, ...]] = {}
        result = MergeResult()
        outcomes = result.outcomes
        latest = ""
        for kind, document in incoming:
            key, version = document["id"], document["v"]
            pair = (kind, key)
            entry = self._index[kind].get(key)
            if entry is None and pair not in pending and pair not in conflicts:
                # The common case of a first import: a record new here, nothing to compare.
                pending[pair] = document
                status = NEW
                latest = version if version > latest else latest
            else:
                current = pending.get(pair) or (entry.record if entry else None)
                kept = touched.get(pair, conflicts.get(pair, ()))
                status = self._same_version(current, kept, document)  # type: ignore[assignment]
                if status is None:
                    decision = decide(current, kept, document)
                    status = decision.status
                    if decision.changes_current(current):
                        pending[pair] = decision.current  # type: ignore[assignment]
                    if decision.conflicts != tuple(kept):
                        # Copies: the stored document of a version that stops being current
                        # is rewritten in place when its successor is written.
                        touched[pair] = tuple(dict(d) for d in decision.conflicts)
                    latest = version if version > latest else latest
            outcomes.append(Merged(kind, key, document["owner"], version, status))
        result.changed = len(pending)
        if dry_run or not (pending or touched):
            return result
        changes = []
        for (kind, key), document in pending.items():
            changes.append(
                _Change(kind, key, self._index[kind].get(key), document, table_of(kind, document))
            )
        with self.transaction():
            if touched:
                conflicts.update(touched)
                self._write_conflicts(conflicts)
            if changes:
                self._write(changes)
        if latest:
            self.clock.observe(latest)
        return result

    @staticmethod
    def _same_version(
        current: Mapping | None, kept: Sequence[Mapping], document: dict
    ) -> str | None:
        """UNCHANGED or MISMATCH when a version with the same `v` is held here, else None."""
        for held in (current, *kept):
            if held is not None and held["v"] == document["v"]:
                return UNCHANGED if dict(held) == document else MISMATCH
        return None

    def conflicts(self) -> list[tuple[str, dict]]:
        """Versions that lost to a concurrent edit, as (kind, document), by kind, key, version."""
        index = self._conflict_index()
        order = {kind: position for position, kind in enumerate(KIND_ORDER)}
        return [
            (kind, dict(document))
            for (kind, _key) in sorted(index, key=lambda pair: (order[pair[0]], pair[1]))
            for document in index[(kind, _key)]
        ]

    def conflict_versions(self, kind: str, key: str) -> list[dict]:
        """Every version of a record in conflict, as `get` gives them (envelope and every
        field), to show side by side: the current one first, then the kept ones by version.
        Empty when the record has no conflict."""
        kept = self._conflict_index().get((kind, key), ())
        current = self.get(kind, key)
        if not kept or current is None:
            return []
        return [current, *(self._as_record(kind, d) for d in sorted(kept, key=lambda d: d["v"]))]

    @staticmethod
    def _as_record(kind: str, stored: Mapping) -> dict:
        envelope = {"id": stored["id"], "owner": stored["owner"], "v": stored["v"],
                    "prev": stored.get("prev"), "deleted": bool(stored.get("deleted")),
                    "by": stored["by"]}  # fmt: skip
        return {**envelope, **KINDS[kind].complete(stored)}

    def resolve_conflict(self, kind: str, key: str, keep: str) -> dict:
        """Settle a record in conflict: keep the version `keep` (the current one or one kept in
        conflicts.json), as a new version of this office made on top of the current version
        and of every kept one, so that it replaces all of them wherever it travels. The
        record's entries leave conflicts.json. Validated like a save (ValidationError);
        returns the record as `get` does."""
        entry = self._index[kind].get(key)
        kept = self._conflict_index().get((kind, key), ())
        if entry is None or not kept:
            raise StoreError(
                f"{KINDS[kind].label} mã «{key}» không còn xung đột nào (có thể đã được giải "
                "quyết, hoặc một gói mới đã thay nó). Hãy mở lại danh sách xung đột."
            )
        chosen = next((d for d in (entry.record, *kept) if d["v"] == keep), None)
        if chosen is None:
            raise StoreError(
                f"{KINDS[kind].label} mã «{key}» không có bản {keep} trong các bản đang xung "
                "đột; danh sách có thể đã thay đổi. Hãy mở lại danh sách xung đột rồi chọn lại."
            )
        replaced = [version for document in kept for version in lineage(document)]
        with self.transaction():
            saved = self.save(kind, data_of(kind, chosen), replaces=replaced)
            conflicts = {
                pair: docs for pair, docs in self._conflict_index().items() if pair != (kind, key)
            }
            self._write_conflicts(conflicts)
        if self.journal and self.journal[-1].changes[0][3] == saved["v"]:
            theirs = frozenset(replaced) - set(lineage(entry.record))
            self.journal[-1].settled = (kind, key, kept, theirs)
        return saved

    def _conflict_index(self) -> dict[tuple[str, str], tuple[Mapping, ...]]:
        if self._conflicts is None:
            self._conflicts = {}
            file = self._file("conflicts")
            if file.path.exists() or file.backups.is_dir():
                data = self._read(file)
                assert isinstance(data, dict)
                grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
                for item in data.get("records", []):
                    kind, document = item["kind"], item["record"]
                    entry = self._index[kind].get(document["id"])
                    # A version the current one replaced is settled: left behind by a crash
                    # between writing a unit file and conflicts.json (resolve_conflict).
                    if entry is not None and descends_from(entry.record, document["v"]):
                        continue
                    grouped[(kind, document["id"])].append(document)
                self._conflicts = {pair: tuple(docs) for pair, docs in grouped.items()}
        return self._conflicts

    def _write_conflicts(self, conflicts: dict[tuple[str, str], tuple[Mapping, ...]]) -> None:
        order = {kind: position for position, kind in enumerate(KIND_ORDER)}
        items = [
            {"kind": kind, "record": document}
            for (kind, key) in sorted(conflicts, key=lambda pair: (order[pair[0]], pair[1]))
            for document in conflicts[(kind, key)]
        ]
        payload = {"format": "nhandao-conflicts", "version": FORMAT_VERSION, "records": items}
        try:
            self._file("conflicts").write(orjson.dumps(payload))
        except OSError as error:
            self._conflicts = None  # read the file again next time
            raise StoreWriteError(self.path / "conflicts.json", error) from error
        self._conflicts = {pair: docs for pair, docs in conflicts.items() if docs}

    # ----------------------------------------------------------------- the directory

    def replace_directory(self, directory: dict) -> None:
        """Use a new directory (units and enrolled keys), written durably first."""
        if directory.get("format") != "nhandao-directory":
            raise ValueError("not a directory")
        UnitTree(directory["units"])  # refuses a unit listed twice
        try:
            self._file("directory").write(orjson.dumps(directory))
        except OSError as error:
            raise StoreWriteError(self.path / "directory.json", error) from error
        self.directory = directory
        self._rebuild_units()
        self._dataset = None

    # ----------------------------------------------------------------- checking

    def verify(self) -> list[str]:
        """Everything wrong with the files and records of the store, as Vietnamese sentences."""
        problems = self.verify_tree()
        known = Known(
            self.units.as_mapping(),
            _Records(self._index["address"]),
            _Records(self._index["helper"]),
            self.today(),
        )
        for code, unit_file in sorted(self._files.items()):
            problems += file_problems(code, unit_file.storage.read() or {}, known)
        now = hlc.now_ms()
        ahead = sum(
            hlc.is_ahead(e.record["v"], now)
            for entries in self._index.values()
            for e in entries.values()
        )
        if ahead:
            problems.append(ahead_problem(ahead))
        return problems

    def verify_tree(self) -> list[str]:
        """What `verify` finds outside the unit files: the conflicts file (restored from its
        backup when broken), and unit codes Windows would take for one."""
        self._conflicts = None
        self._conflict_index()  # read conflicts.json again: restored from its backup if broken
        return [
            f"Đơn vị «{code}» và «{other}»: hai mã chỉ khác nhau ở chữ hoa, chữ thường, nên "
            "kho này không chép sang máy Windows được (ở đó chúng là một tên tệp)."
            for code, other in case_clashes(self.units.as_mapping()).items()
        ]

    # ----------------------------------------------------------------- settings

    def counter(self, name: str) -> int:
        """The highest value a never-decreasing number of this office has reached (0: none)."""
        return self.office.counters.get(name, 0)

    def raise_counter(self, name: str, value: int) -> None:
        """Note that `name` reached `value` (office.json; in the caller's transaction)."""
        if value > self.counter(name):
            self.office.counters[name] = value
            self._file("office").write(orjson.dumps(self.office.to_json()))

    def is_province_office(self) -> bool:
        """Whether this office heads the directory's tree (the province, or the central
        office), before or after its move to the 2025 units."""
        return self.directory.get("province") in (self.office.unit, self.office.former_unit)

    def write_office(self) -> None:
        """Write office.json as memory holds it (in the caller's transaction, if any)."""
        self._file("office").write(orjson.dumps(self.office.to_json()))

    def update_settings(self, **changes: Any) -> None:
        """Change office settings (names in documents, period, deadline) in one durable write."""
        self.office.settings.update(changes)
        self._file("office").write(orjson.dumps(self.office.to_json()))

    # ----------------------------------------------------------------- messages

    def describe_recovery(self, recovery: Recovery) -> str:
        """A Vietnamese sentence saying which file was restored and what was lost."""
        name = recovery.path.relative_to(self.path)
        code = recovery.path.stem
        if recovery.path.parent.name == "units" and code in self.units:
            name = f"{name} (dữ liệu của {self.units.name(code)})"
        lost = "không rõ thời điểm"
        if recovery.broken_saved_at is not None:
            lost = f"lưu lần cuối lúc {_when(recovery.broken_saved_at)}"
        if recovery.reason:  # what was wrong, when it can be said: a key twice, a field's type
            lost = f"{recovery.reason}; {lost}"
        kept = (
            f" Tệp hỏng được giữ lại ở {recovery.broken_copy.relative_to(self.path)}."
            if recovery.broken_copy
            else " Tệp đã bị mất."
        )
        return (
            f"Tệp {name} không đọc được ({lost}). Đã khôi phục từ bản sao lưu lúc "
            f"{_when(recovery.restored_saved_at)}: những gì lưu sau thời điểm đó đã mất, "
            f"hãy nhập lại.{kept}"
        )


def file_problems(code: str, data: Mapping[str, Mapping], known: Known) -> list[str]:
    """Everything wrong with one unit file's data (as read from `units/<code>.json`): its
    description, its unit, each stored document's envelope and table, then each record by the
    rules of `campaign/validation.py`, kind after kind, the references looked up in `known`."""
    name = f"units/{code}.json"
    problems: list[str] = []
    meta = data.get(_META, {}).get("1", {})
    if meta.get("format") != "nhandao-unit" or meta.get("unit") != code:
        problems.append(f"Tệp {name}: thiếu phần mô tả tệp hoặc ghi sai mã đơn vị.")
    if code not in known.units:
        problems.append(f"Tệp {name}: đơn vị «{code}» không có trong danh mục đơn vị.")
    tables: dict[str, list[Mapping]] = defaultdict(list)
    for table, documents in data.items():
        if table == _META:
            continue
        kind = kind_of_table(table)
        if kind is None:
            problems.append(f"Tệp {name}: có bảng lạ «{table}».")
            continue
        tables[kind].append(documents)
        for document in documents.values():
            problems.extend(_envelope_problems(name, kind, table, code, document))
    for kind in KIND_ORDER:
        for documents in tables.get(kind, ()):
            for document in documents.values():
                _record, found = check(kind, data_of(kind, document), known)
                problems.extend(problem.message for problem in found)
    return problems


def ahead_problem(ahead: int) -> str:
    """The sentence of `verify` for `ahead` records whose version is more than a day ahead."""
    return (
        f"{format_number(ahead)} bản ghi mang giờ ghi muộn hơn giờ của máy này hơn một "
        "ngày (do một máy đặt sai giờ): chúng thắng mọi sửa đổi cùng lúc. Nếu giờ máy "
        "này đúng, hãy chạy «nhandao check --fix-clock»."
    )


def _envelope_problems(name: str, kind: str, table: str, code: str, document: dict) -> list[str]:
    label = f"Tệp {name}: {KINDS[kind].label} mã «{document.get('id')}»"
    missing = [f for f in ("id", "owner", "v", "by") if not document.get(f)]
    if missing:
        return [f"{label} thiếu {', '.join(missing)} trong phần bao bản ghi."]
    problems = []
    try:
        hlc.parse(document["v"])
    except ValueError:
        problems.append(f"{label} có phiên bản «{document['v']}» không hợp lệ.")
    if document["owner"] != code:
        problems.append(
            f"{label} ghi thuộc đơn vị «{document['owner']}» nhưng nằm trong tệp của «{code}»."
        )
    try:
        expected = table_of(kind, document)
    except (KeyError, TypeError):
        expected = table
    if expected != table:
        problems.append(f"{label} nằm ở bảng «{table}», đúng ra phải ở «{expected}».")
    return problems


def _repair_refused(path: Path, error: OSError) -> BrokenStoreError:
    return BrokenStoreError(
        f"Kho {path} cần được sửa khi mở (một lần ghi bị ngắt, hay một tệp hỏng cần "
        f"khôi phục) nhưng không ghi được vào thư mục ({error.strerror or error}). Hãy "
        "mở khoá chống ghi của thẻ nhớ, hoặc giải phóng chỗ trống trên đĩa, rồi mở lại."
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the garbage collector while records load, then freeze what was loaded.

    Loading makes millions of objects, and each few thousand would otherwise start a collection
    scanning all of them again (40 % of the time of an open at province scale). Records live
    until the store closes and hold no reference cycles, so no later full collection needs to
    scan them (`gc.freeze`): at province scale one took a quarter of a second, landing in a
    keystroke."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
    gc.freeze()


def unit_tree(directory: Mapping, records: Iterable[Mapping]) -> UnitTree:
    """The directory's units, then the live unit records' units it does not list."""
    units: list[schema.Unit] = list(directory["units"])
    known = {u["code"] for u in units}
    for record in records:
        if not record.get("deleted") and record["code"] not in known:
            units.append(
                {
                    "code": record["code"],
                    "name": record["name"],
                    "kind": record["kind"],
                    "parent": record.get("parent"),
                }
            )
    return UnitTree(units)


def _stamps(path: Path) -> tuple[tuple[str, int, int, int], ...] | None:
    """Size, time and identity of every file a store is read from, to tell whether a read
    overlapped a write; None while a commit is under way (its journal is on disk)."""
    if (path / commit.JOURNAL).exists():
        return None
    stamps = []
    for file in (*path.glob("*.json"), *(path / "units").glob("*.json")):
        try:
            stat = file.stat()
        except OSError:
            continue
        stamps.append((str(file), stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return tuple(sorted(stamps))


def _when(moment: datetime) -> str:
    return f"{moment:%H:%M:%S} ngày {format_date(moment.date())}"
