"""One program at a time on a store: the second one is told clearly, and nothing is touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from disk import run_cli

from store.errors import StoreLockedError
from store.store import Store


def test_a_second_process_is_told_the_store_is_open_elsewhere(
    store: Store, store_path: Path
) -> None:
    """A command that writes (a command that only reads reads what is saved:
    test_reading_a_held_store.py)."""
    result = run_cli("settings", "set", "place", "Tân Biên", "--store", str(store_path))
    assert result.returncode == 1
    assert "đang được mở bởi một chương trình nhandao khác" in result.stderr
    assert f"chương trình số {os.getpid()}" in result.stderr
    assert "Hãy đóng chương trình đó rồi thử lại" in result.stderr


def test_the_same_process_cannot_open_a_store_twice(store: Store, store_path: Path) -> None:
    with pytest.raises(StoreLockedError):
        Store.open(store_path)


def test_the_store_opens_again_once_closed(store: Store, store_path: Path) -> None:
    store.close()
    with Store.open(store_path) as again:
        assert again.office.unit == "72"
    result = run_cli("summary", "--store", str(store_path), "--json")
    assert result.returncode == 0, result.stderr
