"""Full garbage collections while nobody types, rather than in the middle of a keystroke.

A full collection walks every object the interface has made since the store was loaded and
frozen (`Store._load`): Textual's widgets, caches and the lists' entries, about 35 ms at
province scale. Python starts one by itself after ten younger collections, which at province
scale fell on one search keystroke in twenty (p99 of a key 87 ms against a median of 19 ms).
The interface turns those off while it runs and makes them itself, at the same pace, at the
first moment no key or click came for a second; a flood of keys that never pauses gets one
anyway after twenty times the usual count, so memory never grows without bound.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_SECONDS = 1.0  # since the last key or click
FULL_EVERY = 10  # younger collections between two full ones: Python's own default
FULL_AT_LATEST = 20 * FULL_EVERY
_NEVER = 2**31 - 1


class IdleCollector:
    """Started when the interface mounts, `tick`ed by a timer, `touched` by each key."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._saved: tuple[int, int, int] | None = None
        self.last_input = clock()
        self.collections = 0

    def start(self) -> None:
        """Python's own full collections off (the younger ones go on as before)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            first, second, _third = self._saved
            gc.set_threshold(first, second, _NEVER)

    def stop(self) -> None:
        """Python's thresholds as they were."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def touched(self) -> None:
        self.last_input = self._clock()

    def tick(self) -> bool:
        """Make the full collection that is due, if nobody is typing; True when it was made."""
        due = gc.get_count()[2]  # younger collections since the last full one
        idle = self._clock() - self.last_input >= IDLE_SECONDS
        if due < FULL_EVERY or (not idle and due < FULL_AT_LATEST):
            return False
        gc.collect()
        self.collections += 1
        return True
