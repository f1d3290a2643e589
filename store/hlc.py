"""Hybrid logical clocks: record versions that sort as text and follow causality across offices.

A version reads `<milliseconds since 1970, 13 digits>-<counter, 4 digits>-<office id>`, e.g.
`1733000000000-0000-72-a91f`. It never goes backwards on one office, even when the computer's
clock does, and after seeing a version from elsewhere the next local one is later than it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

# The time part is 13 digits until the year 2286; a version from a clock set absurdly far
# ahead may have more, and must still be read (to be held back, never to stop the program).
_VERSION = re.compile(r"(\d{1,20})-(\d{4})-(.+)")
_MAX_COUNTER = 9999
# A time this far ahead of this computer's clock comes from a computer whose clock is wrong.
AHEAD_MS = 24 * 60 * 60 * 1000


def now_ms() -> int:
    """This computer's clock, in milliseconds since 1970 (tests replace it)."""
    return time.time_ns() // 1_000_000


def is_ahead(version: str, now: int | None = None) -> bool:
    """True when `version` was made more than a day after this computer's time."""
    limit = (now_ms() if now is None else now) + AHEAD_MS
    if version[13:14] == "-" and version[:13].isdigit():  # the usual width: no regex
        return int(version[:13]) > limit
    return parse(version)[0] > limit


def parse(version: str) -> tuple[int, int, str]:
    """(milliseconds, counter, office id) of a version; ValueError when it is not one."""
    match = _VERSION.fullmatch(version)
    if not match:
        raise ValueError(f"not a version: {version!r}")
    return int(match.group(1)), int(match.group(2)), match.group(3)


def order(version: str) -> tuple[int, str]:
    """A sort key putting versions in time order whatever the width of their time part (as
    text, a 14-digit time would sort before a 13-digit one)."""
    return version.find("-"), version


# What `parse` reads, with no white space anywhere (`\S` is what `str.isspace` is not).
_WELL_FORMED = re.compile(r"\d{1,20}-\d{4}-\S+")


def is_version(value: object) -> bool:
    """True for a well-formed version: text that parses, with no white space in it."""
    return isinstance(value, str) and _WELL_FORMED.fullmatch(value) is not None


def format_version(milliseconds: int, counter: int, node: str) -> str:
    return f"{milliseconds:013d}-{counter:04d}-{node}"


class HybridClock:
    """Issues versions for one office (`node`)."""

    def __init__(self, node: str, wall_ms: Callable[[], int] | None = None) -> None:
        if not node or any(ch.isspace() for ch in node):
            raise ValueError(f"bad office id {node!r}")
        self.node = node
        self._wall_ms = wall_ms or (lambda: now_ms())
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
        """Take a version seen in the store or a bundle into account; one more than a day
        ahead of this computer's clock is not followed, so that a PC with a wrong clock cannot
        drag every office's versions into its future."""
        milliseconds, counter, _node = parse(version)
        if milliseconds > self._wall_ms() + AHEAD_MS:
            return
        if (milliseconds, counter) > (self._ms, self._counter):
            self._ms, self._counter = milliseconds, counter
