"""The summary table counted from the derived index (store/index.py) is the tally's table, the
index follows every change of the unit files, and whatever it cannot vouch for (a damaged file,
a record in two files, a store another program holds) is counted from the loaded records."""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
from pathlib import Path

import orjson
import pytest
from disk import files_of, run_cli
from factories import TODAY, UNITS, address, aid, dataset_of, helper
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from campaign.dates import Period
from campaign.tally import Tally, tally
from campaign.vocab import EXCLUSION_REASONS
from exporters.terminal import excluded_note, summary_table
from store import index as index_module
from store.demo import write_demo
from store.index import SummaryIndex
from store.store import Store, table_of

PERIODS = [Period(2008, 2018), Period(2012, 2014), Period(2018, 2018), Period(2008, 2008)]


def _table(store: Store, unit: str, period: Period) -> list[dict]:
    index = store.summary_index()
    assert index is not None, "the index was not used"
    counted = index.table(store.units, unit, period)
    assert counted is not None
    return _figures(counted)


def _figures(counted: Tally) -> list[dict]:
    """What a user reads of a table: its rows (columns 3–8), totals, and excluded aid."""
    excluded = {r: (a.count, a.value) for r, a in sorted(counted.total.excluded.items())}
    return [*counted.summary_json(), {"excluded": excluded}]


def _tally(store_path: Path, unit: str, period: Period) -> list[dict]:
    with Store.open(store_path, reading=True) as loaded:
        return _figures(tally(loaded.dataset(), unit, period))


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("index") / "district"
    write_demo(path, seed=3, scale="district").close()
    return path


def test_the_index_counts_the_demo_as_the_tally_does(district: Path) -> None:
    with Store.open(district, reading=True) as loaded:
        units = loaded.units
        office = loaded.office.unit
        expected = {
            (unit, period): _figures(tally(loaded.dataset(), unit, period))
            for unit in (office, *(u["code"] for u in units.children(office)[:3]))
            for period in PERIODS
        }
    with Store.open(district, reading=True, records=False) as lazy:
        assert not lazy.records_loaded
        for (unit, period), figures in expected.items():
            assert _table(lazy, unit, period) == figures, (unit, period)
        assert not lazy.records_loaded  # no record was read into memory
    assert (district / "cache" / "index.sqlite").is_file()


def test_the_terminal_table_is_the_same_from_the_index(district: Path) -> None:
    def shown(counted: Tally | None) -> str:
        assert counted is not None
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(summary_table(counted))
        console.print(excluded_note(counted))
        return console.export_text()

    with Store.open(district, reading=True) as loaded:
        full = shown(tally(loaded.dataset(), loaded.office.unit, Period()))
    with Store.open(district, reading=True, records=False) as lazy:
        index = lazy.summary_index()
        assert index is not None
        assert shown(index.table(lazy.units, lazy.office.unit, Period())) == full


# ---------------------------------------------------------------- generated records


def _unit_file(code: str, kinds_records: list[tuple[str, dict]]) -> dict:
    data: dict[str, dict] = {"meta": {"1": {"format": "nhandao-unit", "version": 1, "unit": code}}}
    for number, (kind, record) in enumerate(kinds_records, start=1):
        document = {
            **{k: v for k, v in record.items() if v is not None and v is not False},
            "owner": code,
            "v": f"1733000000000-{number:04d}-72",
            "by": "72",
        }
        data.setdefault(table_of(kind, record), {})[str(number)] = document
    return data


_DATES = st.sampled_from(
    ["2007-12-31", "2008-01-01", "2010-06-15", "2012-12-31", "2013-01-01", "2014-12-31",
     "2015-01-01", "2018-12-31", "2019-01-01"]
)  # fmt: skip
_UNITS = st.sampled_from(["72", "703", "25456", "25459", "703-TH1", "705", "25486"])


@st.composite
def _records(draw: st.DrawFn) -> dict[str, list[dict]]:
    helpers = [
        helper(
            f"h{n}",
            unit=draw(_UNITS),
            side=draw(st.sampled_from(["red_cross", "outside"])),
            deleted=draw(st.booleans()),
        )
        for n in range(draw(st.integers(0, 4)))
    ]
    addresses = [
        address(
            f"a{n}",
            unit=draw(_UNITS),
            people=draw(st.integers(1, 9)),
            dossier_on=draw(st.none() | _DATES),
            deleted=draw(st.booleans()),
        )
        for n in range(draw(st.integers(0, 4)))
    ]
    known = [a["id"] for a in addresses] + ["a-unknown"]
    people = [h["id"] for h in helpers] + [None, "h-unknown"]
    gifts = [
        aid(
            f"x{n}",
            address=draw(st.sampled_from(known)),
            helper=draw(st.sampled_from(people)),
            on=draw(_DATES),
            value=draw(st.integers(0, 10**9)),
            excluded=draw(st.none() | st.sampled_from(sorted(EXCLUSION_REASONS))),
            deleted=draw(st.booleans()),
        )
        for n in range(draw(st.integers(0, 20)))
    ]
    return {"helpers": helpers, "addresses": addresses, "aid": gifts}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_records(), st.sampled_from(["72", "703", "25456"]), st.sampled_from(PERIODS))
def test_the_index_counts_any_records_as_the_tally_does(
    records: dict[str, list[dict]], unit: str, period: Period
) -> None:
    kinds = {"helpers": "helper", "addresses": "address", "aid": "aid"}
    # Records spread over two files, as a province holds its communes' and its own.
    files: dict[str, list[tuple[str, dict]]] = {"72": [], "703": []}
    for collection, kind in kinds.items():
        for number, record in enumerate(records[collection]):
            files["72" if number % 2 else "703"].append((kind, record))
    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder)
        (store_path / "units").mkdir()
        paths = {}
        for code, items in files.items():
            paths[code] = store_path / "units" / f"{code}.json"
            paths[code].write_bytes(orjson.dumps(_unit_file(code, items)))
        index = SummaryIndex.open(store_path)
        assert index is not None
        try:
            assert index.refresh(paths)
            counted = index.table(UNITS, unit, period)
        finally:
            index.close()
    assert counted is not None
    assert _figures(counted) == _figures(tally(dataset_of(**records), unit, period))


# ---------------------------------------------------------------- following the files


def _lazy(store_path: Path) -> Store:
    return Store.open(store_path, reading=True, records=False, today=lambda: TODAY)


def test_every_save_and_deletion_is_in_the_next_table(store: Store, store_path: Path) -> None:
    store.save("helper", helper("h1"))
    store.save("address", address("a1"))
    store.save("aid", aid("g1", address="a1", value=500_000))
    store.close()
    with _lazy(store_path) as lazy:
        assert _table(lazy, "72", Period())[-2]["8"] == 500_000
    with Store.open(store_path, today=lambda: TODAY) as writing:
        writing.save("aid", aid("g2", address="a1", value=250_000, on="2011-01-01"))
        writing.save("address", address("a2", unit="25486", dossier_on=None))
    with _lazy(store_path) as lazy:
        total = _table(lazy, "72", Period())[-2]
        assert (total["3"], total["6"], total["8"]) == (1, 1, 750_000)
    with Store.open(store_path, today=lambda: TODAY) as writing:
        writing.delete("aid", "g1")
        writing.delete("helper", "h1")  # a deleted helper counts as none: outside the Red Cross
    with _lazy(store_path) as lazy:
        total = _table(lazy, "72", Period())[-2]
        assert (total["4"], total["5"], total["8"]) == (0, 1, 250_000)
        assert _table(lazy, "72", Period())[:-1] == _tally(store_path, "72", Period())[:-1]


def test_a_unit_made_by_a_record_is_a_row(store: Store, store_path: Path) -> None:
    store.save("unit", {"code": "72-NEW", "name": "Trường Mới", "kind": "school", "parent": "72"})
    store.save("address", address("a1", unit="72-NEW"))
    store.close()
    with _lazy(store_path) as lazy:
        rows = {row["unit"]: row for row in _table(lazy, "72", Period())[:-2]}
        assert rows["72-NEW"]["name"] == "Trường Mới" and rows["72-NEW"]["3"] == 1


def test_a_damaged_unit_file_is_restored_and_counted(store: Store, store_path: Path) -> None:
    store.save("address", address("a1"))
    store.save("aid", aid("g1", address="a1", helper=None))
    store.save("aid", aid("g2", address="a1", helper=None, value=1_000))  # a backup with g1
    store.close()
    expected = _tally(store_path, "72", Period())
    unit_file = store_path / "units" / "25456.json"
    unit_file.write_bytes(unit_file.read_bytes()[:-40])  # cut short
    result = run_cli("summary", "--store", str(store_path), "--json")
    assert result.returncode == 0, result.stderr
    assert "25456.json" in result.stderr and "bản sao lưu" in result.stderr
    shown = json.loads(result.stdout)
    # The backup before the last save: the address and its first aid, without the second.
    total = shown[-1]
    assert (total["3"], total["6"], total["8"]) == (1, 1, 500_000)
    assert shown[-1] != expected[-2]


def test_a_record_in_two_files_is_counted_once(store: Store, store_path: Path) -> None:
    store.save("address", address("a1"))
    store.save("aid", aid("g1", address="a1", helper=None, value=700_000))
    store.close()
    # A move cut short: the same aid left in another unit's file too.
    source = orjson.loads((store_path / "units" / "25456.json").read_bytes())
    copy = {"meta": {"1": {**source["meta"]["1"], "unit": "25459"}}, "aid.2010": source["aid.2010"]}
    (store_path / "units" / "25459.json").write_bytes(orjson.dumps(copy))
    with _lazy(store_path) as lazy:
        assert lazy.summary_index() is None  # the loader settles which copy counts
        assert lazy.records_loaded
        assert tally(lazy.dataset(), "72", Period()).total.value == 700_000


def test_a_damaged_index_is_made_again(store: Store, store_path: Path) -> None:
    store.save("address", address("a1"))
    store.close()
    with _lazy(store_path) as lazy:
        expected = _table(lazy, "72", Period())
    made = store_path / "cache" / "index.sqlite"
    made.write_bytes(b"not an SQLite file, or one half overwritten" * 100)
    with _lazy(store_path) as lazy:
        assert _table(lazy, "72", Period()) == expected
    with sqlite3.connect(made) as db:
        assert db.execute("SELECT count(*) FROM address").fetchone() == (1,)
    db.close()


def test_an_index_of_another_version_is_made_again(
    store: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save("address", address("a1"))
    store.close()
    with _lazy(store_path) as lazy:
        expected = _table(lazy, "72", Period())
    monkeypatch.setattr(index_module, "SCHEMA_VERSION", index_module.SCHEMA_VERSION + 1)
    with _lazy(store_path) as lazy:
        assert _table(lazy, "72", Period()) == expected
    with sqlite3.connect(store_path / "cache" / "index.sqlite") as db:
        found = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    db.close()
    assert found == (index_module.SCHEMA_VERSION,)


def test_a_reader_of_a_held_store_writes_no_index(store: Store, store_path: Path) -> None:
    store.save("address", address("a1"))
    store.save("aid", aid("g1", address="a1", helper=None))
    # The interface (this process) holds the store; summary runs beside it, twice: no index is
    # made, and the figures come from the records it read.
    before = files_of(store_path)
    for _ in range(2):
        result = run_cli("summary", "--store", str(store_path), "--json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)[-1]["8"] == 500_000
    assert files_of(store_path) == before
    assert not (store_path / "cache").exists()


def test_a_held_store_uses_an_index_that_is_fresh_and_leaves_it_alone(
    store: Store, store_path: Path
) -> None:
    store.save("address", address("a1"))
    store.save("aid", aid("g1", address="a1", helper=None))
    store.close()
    with _lazy(store_path) as lazy:  # the index made while nobody held the store
        assert _table(lazy, "72", Period())[-2]["8"] == 500_000
    with Store.open(store_path, today=lambda: TODAY) as holder:
        before = files_of(store_path)
        with _lazy(store_path) as reader:
            assert reader.shared_with is not None
            assert _table(reader, "72", Period())[-2]["8"] == 500_000
        holder.save("aid", aid("g2", address="a1", helper=None, value=1))
        after_save = files_of(store_path)
        with _lazy(store_path) as reader:  # stale now, and not to be written: the records
            assert reader.summary_index() is None and reader.records_loaded
            assert tally(reader.dataset(), "72", Period()).total.value == 500_001
        assert files_of(store_path) == after_save
    assert before["cache/index.sqlite"] == after_save["cache/index.sqlite"]


def test_a_folder_that_takes_no_writes_counts_from_the_records(
    store: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save("address", address("a1"))
    store.close()
    monkeypatch.setattr(SummaryIndex, "open", classmethod(lambda cls, path, **kw: None))
    with _lazy(store_path) as lazy:
        assert lazy.summary_index() is None
        assert lazy.records_loaded and lazy.count("address") == 1


def test_a_store_opened_without_records_reads_them_when_asked(
    store: Store, store_path: Path
) -> None:
    store.save("address", address("a1"))
    store.close()
    with _lazy(store_path) as lazy:
        assert not lazy.records_loaded
        assert lazy.get("address", "a1")["name"] == "Nguyễn Văn An"
        assert lazy.records_loaded
