"""A process killed in the middle of writing leaves the store readable, holding the last save."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factories import TODAY, address, aid

from store.store import Store

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import sys
from datetime import date
from store.store import Store
with Store.open(sys.argv[1], today=lambda: date(2026, 11, 29)) as store:
    print("ready", flush=True)
    for count in range(1, 100_000):
        record = store.get("address", "a1")
        record = {k: record[k] for k in ("id", "unit", "name", "kind", "people", "place", "groups",
                                         "surveyed_on", "dossier_on", "stopped_on", "stop_reason")}
        record["people"] = count % 10_000 or 1
        record["place"] = f"Lần lưu {count}"
        store.save("address", record)
        print(count, flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("seed", range(6))
def test_a_writer_killed_mid_save_leaves_the_last_completed_save(
    store_path: Path, seed: int
) -> None:
    with Store.create(store_path, "72", today=lambda: TODAY) as store:
        # Enough records that every save takes a few milliseconds: the kill lands inside one.
        batch = [("address", address(kind="collective", people=1))]
        batch += [("address", address(f"b{i}")) for i in range(1500)]
        batch += [("aid", aid(f"x{i}", address=f"b{i % 1500}", helper=None)) for i in range(6000)]
        store.save_many(batch)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store_path)], cwd=ROOT, stdout=subprocess.PIPE,
        text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready"
    time.sleep(random.Random(seed).uniform(0.05, 0.6))
    writer.send_signal(signal.SIGKILL)
    printed = [line.strip() for line in writer.stdout.read().splitlines()]
    writer.wait()
    completed = int(printed[-1]) if printed else 0
    with Store.open(store_path, today=lambda: TODAY) as after:
        assert after.recoveries == []
        place = after.get("address", "a1")["place"]
        # The save in progress may have reached the disk before its line was printed.
        assert place in {f"Lần lưu {completed}", f"Lần lưu {completed + 1}"} or (
            completed == 0 and place == "Khu phố 1"
        )
        assert after.count("address") == 1501 and after.count("aid") == 6000
        assert not list((store_path / "units").glob(".*.tmp"))
