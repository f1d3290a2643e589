"""One process at a time on a store: a lock file, and a clear message for the second one."""

from __future__ import annotations

import contextlib
import os
import socket
from datetime import datetime
from pathlib import Path

import orjson
from filelock import FileLock, Timeout

from store import strict_json
from store.errors import StoreLockedError, StoreNotWritableError

LOCK_NAME = "nhandao.lock"
INFO_NAME = "nhandao.lock.json"


class StoreLock:
    """An exclusive lock on a store folder, held while the store is open."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = FileLock(folder / LOCK_NAME, timeout=0)

    def acquire(self, *, reading: bool = False) -> bool:
        """Take the lock; True when held. With `reading` (a command that only reads), a folder
        where the lock file cannot be written (a write-protected USB stick, a full disk) is
        opened without it: nothing can write there anyway. Raises StoreLockedError when
        another program holds it."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise StoreLockedError(self.folder, self._holder()) from None
        except OSError as error:
            if reading:
                return False
            raise StoreNotWritableError(self.folder, error) from error
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now().isoformat(),
        }
        # Who holds the lock, for the message the next program shows: helpful, not needed.
        with contextlib.suppress(OSError):
            (self.folder / INFO_NAME).write_bytes(orjson.dumps(info))
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            with contextlib.suppress(OSError):
                (self.folder / INFO_NAME).unlink(missing_ok=True)
            self._lock.release()

    def _holder(self) -> dict:
        try:
            info = strict_json.loads((self.folder / INFO_NAME).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return {}
        return info if isinstance(info, dict) else {}
