"""A TinyDB storage that writes durably (temp file, fsync, replace) with orjson and keeps backups.

It plays the part of TinyDB's `JSONStorage`, but never rewrites a file in place, keeps the
parsed data in memory between operations (TinyDB reads the whole storage before every change)
and can gather several operations into one write with `batch()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
from tinydb.storages import Storage

from store.files import BackedUpFile


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file, replaced atomically on every write."""

    def __init__(
        self, path: str | Path, backups: str | Path | None = None, preloaded: dict | None = None
    ) -> None:
        path = Path(path)
        self.file = BackedUpFile(
            path, Path(backups) if backups else path.parent / "backups" / path.stem
        )
        self._data: dict | None = preloaded
        self._batch_depth = 0
        self._dirty = False

    @property
    def path(self) -> Path:
        return self.file.path

    def read(self) -> dict | None:
        if self._data is None:
            try:
                self._data = orjson.loads(self.file.path.read_bytes())
            except FileNotFoundError:
                return None
        return self._data

    def write(self, data: dict) -> None:
        self._data = data
        if self._batch_depth:
            self._dirty = True
            return
        self._flush()

    def _flush(self) -> None:
        assert self._data is not None
        try:
            self.file.write(orjson.dumps(self._data))
        except BaseException:
            # What is in memory may now differ from the file: read the file again next time.
            self._data = None
            raise
        finally:
            self._dirty = False

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Gather the writes of the enclosed operations into one durable write at the end.

        If the block raises, nothing is written and the in-memory copy is dropped.
        """
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._dirty = False
                self._data = None
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0 and self._dirty:
            self._flush()

    def close(self) -> None:
        pass
