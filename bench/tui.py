"""Interface: time to the first usable screen, and per keystroke of the address search.

Each against a reference in the same run: the start against importing Textual plus loading the
store; a keystroke against a plain Python substring scan over the same names.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is called tui.py like the package it measures: Python puts bench/ first on the path,
# where `import tui` would find this file. The project's root goes there instead.
sys.path[0] = str(ROOT)
QUERY = "nguyen thi h"
# Start the app on the store; when the home screen has been painted (it then starts counting
# its figures in a thread: that moment), print the seconds since the parent started this
# process (argv[2], wall clock), and quit.
START = """
import sys, time
from store.store import Store
from tui.app import NhandaoApp
from tui.screens.home import HomeScreen
def painted(screen):
    print(time.time() - float(sys.argv[2]), flush=True)
    screen.app.exit()
HomeScreen.refresh_figures = painted
store = Store.open(sys.argv[1])
NhandaoApp(store, cursor_blink=False).run(headless=True, size=(80, 24))
store.close()
"""
# The reference: what any start must do, import Textual and load the store.
REFERENCE = """
import sys, time
import textual.app
from store.store import Store
Store.open(sys.argv[1]).close()
print(time.time() - float(sys.argv[2]), flush=True)
"""


def timed_process(code: str, store: Path) -> float:
    """Seconds from starting a Python process to the moment it says it is ready (what happens
    after, such as waiting for the home screen's counting thread to end, is not start time)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, str(store), repr(started)],
        check=True, env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    return float(done.stdout.strip().splitlines()[-1])


async def keystrokes(store_path: Path, rounds: int = 1) -> tuple[list[float], int]:
    """Seconds per key typed in the address search: from the key event to the list searched and
    the rows on screen drawn again.

    Pilot's `press` is no stopwatch (it waits for the whole app to be idle, about 0.1 s a key
    whatever the key does), so the key is posted as a terminal would, and the clock stops when
    the search has run and the visible rows are drawn. Waiting for Textual's next frame (at most
    1/60 s) is not the program's work and is left out.
    """
    from textual import events

    from store.store import Store
    from tui.app import NhandaoApp
    from tui.screens.addresses import AddressesScreen
    from tui.widgets.record_table import RecordTable

    searches = 0
    search = AddressesScreen.apply_search

    def counted(screen: AddressesScreen) -> None:
        nonlocal searches
        search(screen)
        searches += 1

    AddressesScreen.apply_search = counted  # type: ignore[method-assign]
    try:
        with Store.open(store_path) as store:
            app = NhandaoApp(store, cursor_blink=False)
            times: list[float] = []
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.press("a")
                await pilot.pause()
                table = app.screen.query_one("#addresses", RecordTable)
                addresses = table.row_count
                for key in [*QUERY, *["backspace"] * len(QUERY)] * rounds:
                    before = searches
                    character = None if key == "backspace" else key
                    start = time.perf_counter()
                    app.post_message(events.Key(key, character))
                    while searches == before:
                        await asyncio.sleep(0)
                    for y in range(table.size.height):
                        table.render_line(y)
                    times.append(time.perf_counter() - start)
                    await pilot.pause()
    finally:
        AddressesScreen.apply_search = search  # type: ignore[method-assign]
    return times, addresses


def substring_scan(store_path: Path) -> list[float]:
    """The reference: a plain scan of the same names for each prefix of the query."""
    from campaign.text import fold
    from store.store import Store

    with Store.open(store_path) as store:
        names = [fold(a["name"]) for a in store.records("address")]
    prefixes = [QUERY[: i + 1] for i in range(len(QUERY))]
    prefixes += [QUERY[:i] for i in range(len(QUERY) - 1, -1, -1)]
    times = []
    for prefix in prefixes:
        start = time.perf_counter()
        [name for name in names if prefix in name]
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="commune scale, 2 starts: to keep it working in CI")  # fmt: skip
    parser.add_argument("--store", type=Path, help="use this store instead of making a demo")
    parser.add_argument("--starts", type=int, default=5, help="starts of each kind (default 5)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="the query typed and deleted N times (default 5)"
    )
    args = parser.parse_args(argv)
    starts = 2 if args.quick else args.starts
    with tempfile.TemporaryDirectory(prefix="nhandao-bench-tui-") as folder:
        store = args.store
        if store is None:
            from store.demo import write_demo

            store = Path(folder) / "store"
            made = time.perf_counter()
            write_demo(store, seed=1, scale="commune" if args.quick else "province").close()
            print(f"Demo store made in {time.perf_counter() - made:.1f} s: {store}")
        print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs\n")
        ours, reference = [], []
        for _ in range(starts):  # interleaved, so that noise falls on both alike
            reference.append(timed_process(REFERENCE, store))
            ours.append(timed_process(START, store))
        keys, addresses = asyncio.run(keystrokes(store, 1 if args.quick else args.rounds))
        scan = substring_scan(store)
    start_ratio = statistics.median(ours) / statistics.median(reference)
    print(f"{'what':46} {'median':>9} {'max':>9}")
    print(f"{'start to the home screen (ours)':46} {_ms(statistics.median(ours))} {_ms(max(ours))}")
    print(f"{'import textual + load the store (reference)':46} "
          f"{_ms(statistics.median(reference))} {_ms(max(reference))}")  # fmt: skip
    spread = f"p90 {_ms(_pct(keys, 0.9))}, p99 {_ms(_pct(keys, 0.99))}, {len(keys)} keys"
    print(f"{f'keystroke, search over {addresses:,} addresses':46} "
          f"{_ms(statistics.median(keys))} {_ms(max(keys))}  ({spread})")  # fmt: skip
    print(f"{'substring scan of the names (reference)':46} "
          f"{_ms(statistics.median(scan))} {_ms(max(scan))}")  # fmt: skip
    print(f"\nstart: {start_ratio:.2f}× the reference (target ≤ 1.5×): "
          f"{'met' if start_ratio <= 1.5 else 'MISSED'}")  # fmt: skip
    for what, figure, target in (
        ("median", statistics.median(keys), 50),
        ("p99", _pct(keys, 0.99), 50),
        ("worst", max(keys), 100),
    ):
        ms = figure * 1000
        print(f"keystroke {what}: {ms:.1f} ms (target ≤ {target} ms): "
              f"{'met' if ms <= target else 'MISSED'}")  # fmt: skip
    return 0


def _pct(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    return sorted(values)[max(0, round(share * len(values)) - 1)]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
