"""Shared fixtures: a fresh store per test, fixed dates, no host configuration leaking in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import PROVINCE, TODAY

from store.store import STORE_ENV, Store


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep tests away from the user's real store and configuration."""
    monkeypatch.delenv(STORE_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    """A new province office store for Tây Ninh, open, with today fixed."""
    with Store.create(store_path, PROVINCE, today=lambda: TODAY) as opened:
        yield opened
