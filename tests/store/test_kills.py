"""Killed (SIGKILL) at any moment, `records import`, `bundle import` and `demo` leave the store
holding the whole batch or none of it, counted record by record against the source.

Each command runs as a process of its own and is killed after a delay drawn from the time a
whole run took just before, so that the kills fall all along the command: starting, reading,
validating, writing the temporaries, the journal, the renames. The delays only spread the
kills; nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import orjson
import pytest

from campaign.records import KIND_ORDER, KINDS
from store.demo import write_demo
from store.errors import NoStoreError
from store.records_file import export_records
from store.store import Store
from sync import keys, send
from sync.ledger import Ledger

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RUN = "import sys; from tui.cli import main; sys.exit(main())"


def start(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", RUN, *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip


def writing(store_path: Path) -> bool:
    """True once the command has begun to write the store: a temporary or a journal is there."""
    for folder in (store_path, store_path / "units"):
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name == "commit.json" or (
                    name.startswith(".") and name.endswith((".tmp", ".new"))
                ):
                    return True
    return False


def timed(store_path: Path, *args: str) -> tuple[float, float]:
    """How long a whole run takes here, and how long its writing lasts (to spread the kills
    over them); the run must succeed."""
    began = time.monotonic()
    process = start(*args)
    wrote = None
    while process.poll() is None:
        if wrote is None and writing(store_path):
            wrote = time.monotonic()
        time.sleep(0.0005)
    _out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()
    assert wrote is not None, "the run was not seen writing"
    ended = time.monotonic()
    return ended - began, ended - wrote


def killed(store_path: Path, when: tuple[str, float], *args: str) -> None:
    """Kill the command `delay` seconds after it starts, or after it begins to write."""
    after, delay = when
    process = start(*args)
    if after == "writing":
        while process.poll() is None and not writing(store_path):
            time.sleep(0.0005)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=600)


def kill_points(timing: tuple[float, float], kills: int, seed: int) -> list[tuple[str, float]]:
    """Half the kills over the whole run, from before the program starts to after it ends;
    half while it writes, where a batch could be cut in two."""
    total, window = timing
    draw = random.Random(seed)
    anywhere = [("start", draw.uniform(0, total * 1.1)) for _ in range(kills // 2)]
    writes = [("writing", draw.uniform(0, window)) for _ in range(kills - kills // 2)]
    return anywhere + writes


def keys_of(records: dict) -> set[tuple[str, str]]:
    """(kind, key) of every record of a records file but its units (the directory has them)."""
    return {
        (kind, record[KINDS[kind].key])
        for kind in KIND_ORDER
        if kind != "unit"
        for record in records.get(KINDS[kind].collection, [])
    }


def held(store: Store, wanted: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    return {(kind, key) for kind, key in wanted if store.get(kind, key) is not None}


def outcome(store_path: Path, wanted: set[tuple[str, str]]) -> str:
    """'none' or 'whole'; fails on anything between."""
    with Store.open(store_path) as store:
        found = held(store, wanted)
        assert store.verify() == []
    assert found in (set(), wanted), f"{len(found)} of {len(wanted)} records after a kill"
    return "whole" if found else "none"


@pytest.fixture(scope="module")
def district_records(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set]:
    """A records file of the demo district: 12 unit files, about 36,000 records."""
    folder = tmp_path_factory.mktemp("source")
    with write_demo(folder / "demo", scale="district") as demo:
        path = folder / "records.json"
        export_records(demo, path)
    return path, keys_of(orjson.loads(path.read_bytes()))


def test_a_killed_records_import_leaves_all_or_nothing(
    tmp_path: Path, district_records: tuple[Path, set]
) -> None:
    source, wanted = district_records
    template = tmp_path / "template"
    Store.create(template, "72").close()
    whole = tmp_path / "whole"
    shutil.copytree(template, whole)
    timing = timed(whole, "records", "import", str(source), "--store", str(whole))
    assert outcome(whole, wanted) == "whole"
    for n, when in enumerate(kill_points(timing, 14, seed=12)):
        target = tmp_path / f"kill-{n}"
        shutil.copytree(template, target)
        killed(target, when, "records", "import", str(source), "--store", str(target))
        outcome(target, wanted)
        shutil.rmtree(target)


def test_a_killed_bundle_import_leaves_all_or_nothing(
    tmp_path: Path, district_records: tuple[Path, set]
) -> None:
    # The demo district's bundle to the province: 12 unit files and the ledger in one commit.
    shutil.copytree(district_records[0].parent / "demo", tmp_path / "district")
    with Store.open(tmp_path / "district") as district:
        (tmp_path / "usb").mkdir()
        bundle = send.export_records(district, tmp_path / "usb").path
        sender, public = district.office.unit, keys.office_key(district).public
    wanted = district_records[1]
    template = tmp_path / "template"
    with Store.create(template, "72") as province:
        keys.enrol(province, public, sender)
    whole = tmp_path / "whole"
    shutil.copytree(template, whole)
    timing = timed(whole, "bundle", "import", str(bundle), "--store", str(whole))
    assert outcome(whole, wanted) == "whole"
    for n, when in enumerate(kill_points(timing, 12, seed=13)):
        target = tmp_path / f"kill-{n}"
        shutil.copytree(template, target)
        killed(target, when, "bundle", "import", str(bundle), "--store", str(target))
        found = outcome(target, wanted)
        with Store.open(target) as province:
            # The ledger entry is part of the same commit as the records it accounts for.
            assert len(Ledger(province).received) == (1 if found == "whole" else 0)
        shutil.rmtree(target)


def test_a_killed_demo_leaves_the_earlier_demo_nothing_or_the_new_one(tmp_path: Path) -> None:
    def addresses(path: Path) -> set[tuple[str, str]]:
        with Store.open(path) as store:
            return {("address", a["id"]) for a in store.dataset().addresses}

    earlier = tmp_path / "earlier"
    write_demo(earlier, seed=2, scale="commune").close()
    new = tmp_path / "new"
    total = time.monotonic()
    write_demo(new, seed=1, scale="commune").close()
    total = time.monotonic() - total
    before, after = addresses(earlier), addresses(new)
    assert before and after and not before & after
    draw = random.Random(14)
    for n in range(6):
        target = tmp_path / f"kill-{n}" / "store"
        shutil.copytree(earlier, target)
        # The demo is written in a folder beside the store: its kills are spread over the run.
        when = ("start", draw.uniform(0, total * 1.5))
        killed(target, when, "demo", "--no-open", "--scale", "commune", "--store", str(target))
        try:
            found = addresses(target)
        except NoStoreError:
            found = set()
        assert found in (before, after, set()), f"{len(found)} addresses after a kill"
        # Whatever was left, the next demo runs and writes a whole store.
        write_demo(target, seed=1, scale="commune").close()
        assert addresses(target) == after
        assert [p.name for p in target.parent.iterdir()] == ["store"]
        shutil.rmtree(target.parent)
