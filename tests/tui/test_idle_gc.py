"""Full garbage collections wait for a pause in the typing (tui/idle_gc.py): none lands while
keys come, the one that is due is made at the first pause, and Python's own thresholds come
back when the interface closes."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from factories import address
from pilots import settle

from store.store import Store
from tui import idle_gc
from tui.app import NhandaoApp
from tui.idle_gc import IdleCollector


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    """The full collections made while the test runs, whoever made them."""
    made: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            made.append(info["collected"])

    gc.callbacks.append(seen)
    yield made
    gc.callbacks.remove(seen)


def _younger_collections(count: int) -> None:
    for _ in range(count):
        gc.collect(1)  # each counts towards the next full collection


def test_python_makes_no_full_collection_of_its_own_while_started() -> None:
    thresholds = gc.get_threshold()
    collector = IdleCollector()
    collector.start()
    try:
        assert gc.get_threshold()[:2] == thresholds[:2]
        assert gc.get_threshold()[2] > 10**6
    finally:
        collector.stop()
    assert gc.get_threshold() == thresholds


def test_the_due_collection_waits_for_a_second_without_keys(
    full_collections: list[int],
) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    collector.start()
    try:
        gc.collect()
        full_collections.clear()
        assert not collector.tick()  # nothing due yet
        _younger_collections(idle_gc.FULL_EVERY)
        collector.touched()
        clock.now += 0.5
        assert not collector.tick() and not full_collections  # typing: it waits
        clock.now += idle_gc.IDLE_SECONDS
        assert collector.tick() and len(full_collections) == 1
        assert gc.get_count()[2] == 0
        assert not collector.tick()  # made: nothing due again
    finally:
        collector.stop()


def test_keys_that_never_pause_still_get_one_in_the_end(full_collections: list[int]) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    collector.start()
    try:
        gc.collect()
        _younger_collections(idle_gc.FULL_AT_LATEST - 1)
        collector.touched()
        assert not collector.tick()
        _younger_collections(1)
        full_collections.clear()
        assert collector.tick() and len(full_collections) == 1
    finally:
        collector.stop()


async def test_no_full_collection_lands_while_a_clerk_types(
    store: Store, full_collections: list[int]
) -> None:
    store.save_many([("address", address(f"a{n}", name=f"Nguyễn Văn {n}")) for n in range(50)])
    thresholds = gc.get_threshold()
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        clock = Clock()
        app.collector._clock = clock
        gc.collect()  # nothing due while the keys are seen to reach the collector
        clock.now += 60
        await pilot.press("n")
        assert app.collector.last_input == clock.now
        await pilot.press("backspace")
        full_collections.clear()
        for _ in range(3):
            _younger_collections(idle_gc.FULL_EVERY)  # a full one is due, and more than due
            await pilot.press(*"nguyen van 1", *["backspace"] * 12)
            await pilot.pause(0.3)  # the timer ticks; the clock says keys came just now
        assert full_collections == []
        clock.now += idle_gc.IDLE_SECONDS  # the clerk stops typing
        await pilot.pause(0.3)
        assert len(full_collections) == 1 and app.collector.collections == 1
    assert gc.get_threshold() == thresholds
