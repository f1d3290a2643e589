"""Hybrid logical clocks: record versions that sort as text and follow causality across offices.

A version reads `<milliseconds since 1970, 13 digits>-<counter, 4 digits>-<office id>`, e.g.
`1733000000000-0000-72-a91f`. It never goes backwards on one office, even when the computer's
clock does, and after seeing a version from elsewhere the next local one is later than it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

_VERSION = re.compile(r"(\d{13})-(\d{4})-(.+)")
_MAX_COUNTER = 9999


def parse(version: str) -> tuple[int, int, str]:
    """(milliseconds, counter, office id) of a version; ValueError when it is not one."""
    match = _VERSION.fullmatch(version)
    if not match:
        raise ValueError(f"not a version: {version!r}")
    return int(match.group(1)), int(match.group(2)), match.group(3)


def format_version(milliseconds: int, counter: int, node: str) -> str:
    return f"{milliseconds:013d}-{counter:04d}-{node}"


class HybridClock:
    """Issues versions for one office (`node`)."""

    def __init__(self, node: str, wall_ms: Callable[[], int] | None = None) -> None:
        if not node or any(ch.isspace() for ch in node):
            raise ValueError(f"bad office id {node!r}")
        self.node = node
        self._wall_ms = wall_ms or (lambda: time.time_ns() // 1_000_000)
        self._ms = 0
        self._counter = 0

    def tick(self) -> str:
        """A new version, later than every version issued or observed so far."""
        now = self._wall_ms()
        if now > self._ms:
            self._ms, self._counter = now, 0
        elif self._counter < _MAX_COUNTER:
            self._counter += 1
        else:
            self._ms, self._counter = self._ms + 1, 0
        return format_version(self._ms, self._counter, self.node)

    def observe(self, version: str) -> None:
        """Take a version seen in the store or a bundle into account."""
        milliseconds, counter, _node = parse(version)
        if (milliseconds, counter) > (self._ms, self._counter):
            self._ms, self._counter = milliseconds, counter
