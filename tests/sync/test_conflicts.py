"""Settling a conflict: the version a person keeps becomes a new version that replaces every
version in the conflict, here and at every office it travels to."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import address
from offices import Chain, chain, files_of, reopen

from store import commit
from store.errors import StoreError, StoreWriteError
from store.store import Store
from sync import keys, send
from sync.receive import import_bundle


@dataclass
class Conflict:
    offices: Chain
    folder: Path
    commune_bundle: Path  # the commune's edit, as the district received it
    at_district: dict  # the district's edit
    at_commune: dict  # the commune's edit, made at the same time

    def export(self, store: Store, name: str, **options: object) -> Path:
        sent = send.export_records(store, self.folder / name, **options)  # type: ignore[arg-type]
        assert sent is not None
        return sent.path

    @property
    def lost(self) -> dict:
        """The edit that lost at the district (the earlier clock)."""
        return min(self.at_district, self.at_commune, key=lambda saved: saved["v"])

    @property
    def won(self) -> dict:
        return max(self.at_district, self.at_commune, key=lambda saved: saved["v"])


@pytest.fixture
def conflict(tmp_path: Path) -> Iterator[Conflict]:
    """Phường 1 and the district both correct the same address; the province has heard of
    both edits too: the district's through the district, the commune's sent to it directly."""
    with chain(tmp_path / "offices") as offices:
        province, district, commune = offices.province, offices.district, offices.commune
        keys.enrol(province, keys.office_key(commune).public, "25456")
        made = Conflict(offices, tmp_path, tmp_path / "unused", {}, {})
        commune.save("address", address())
        assert import_bundle(district, made.export(commune, "c1.zip")).status == "merged"
        assert import_bundle(province, made.export(district, "d1.zip")).status == "merged"
        made.at_district = district.save("address", address(place="Khu phố 7"))
        made.at_commune = commune.save("address", address(place="Khu phố 8"))
        assert import_bundle(province, made.export(district, "d2.zip")).status == "merged"
        direct = import_bundle(province, made.export(commune, "c2-province.zip", to="72"))
        made.commune_bundle = made.export(commune, "c2.zip")
        report = import_bundle(district, made.commune_bundle)
        assert report.total("conflict") == 1 and direct.total("conflict") == 1
        yield made


def test_both_versions_can_be_shown_side_by_side(conflict: Conflict) -> None:
    district = conflict.offices.district
    current, other = district.conflict_versions("address", "a1")
    assert (current["v"], current["place"]) == (conflict.won["v"], conflict.won["place"])
    assert (other["v"], other["place"]) == (conflict.lost["v"], conflict.lost["place"])
    assert current.keys() == other.keys() and "by" in other and "name" in other
    assert [(kind, d["v"]) for kind, d in district.conflicts()] == [("address", other["v"])]


def test_keeping_the_version_that_lost_makes_a_new_version_that_replaces_both(
    conflict: Conflict,
) -> None:
    district = conflict.offices.district
    kept = district.resolve_conflict("address", "a1", conflict.lost["v"])
    assert kept["place"] == conflict.lost["place"] and kept["by"] == district.office.id
    assert kept["v"] > conflict.won["v"] and kept["prev"] == conflict.won["v"]
    stored = district.stored("address", "a1")
    assert stored is not None and conflict.lost["v"] in stored["history"]
    assert district.conflicts() == [] and district.conflict_versions("address", "a1") == []
    assert json.loads((district.path / "conflicts.json").read_bytes())["records"] == []


def test_after_resolving_the_losing_bundle_again_changes_nothing(conflict: Conflict) -> None:
    district, commune = conflict.offices.district, conflict.offices.commune
    district.resolve_conflict("address", "a1", conflict.won["v"])
    before = files_of(district.path)
    assert import_bundle(district, conflict.commune_bundle).status == "already"
    again = import_bundle(district, conflict.export(commune, "c3.zip", full=True))
    assert again.status == "merged" and again.total("conflict") == 0
    assert again.total("unchanged") == 1
    after = files_of(district.path)
    assert {n: d for n, d in after.items() if n.startswith("units/") or n == "conflicts.json"} == {
        n: d for n, d in before.items() if n.startswith("units/") or n == "conflicts.json"
    }
    assert district.conflicts() == []
    assert district.get("address", "a1")["place"] == conflict.won["place"]  # type: ignore[index]


@pytest.mark.parametrize("keep", ["lost", "won"])
def test_the_resolution_travels_up_and_settles_the_conflict_there(
    conflict: Conflict, keep: str
) -> None:
    province, district = conflict.offices.province, conflict.offices.district
    assert [d["id"] for _kind, d in province.conflicts()] == ["a1"]
    chosen = getattr(conflict, keep)
    district.resolve_conflict("address", "a1", chosen["v"])
    report = import_bundle(province, conflict.export(district, "d3.zip"))
    assert report.status == "merged" and report.total("conflict") == 0
    assert province.conflicts() == []
    assert province.get("address", "a1")["place"] == chosen["place"]  # type: ignore[index]
    assert province.get("address", "a1") == district.get("address", "a1")


def test_a_version_not_in_the_conflict_or_a_record_without_one_is_refused(
    conflict: Conflict,
) -> None:
    district = conflict.offices.district
    before = files_of(district.path)
    with pytest.raises(StoreError, match="không có bản 1733000000000-0000-x"):
        district.resolve_conflict("address", "a1", "1733000000000-0000-x")
    with pytest.raises(StoreError, match="không còn xung đột nào"):
        district.resolve_conflict("helper", "h1", conflict.lost["v"])
    assert files_of(district.path) == before
    district.resolve_conflict("address", "a1", conflict.lost["v"])
    with pytest.raises(StoreError, match="Hãy mở lại danh sách xung đột"):
        district.resolve_conflict("address", "a1", conflict.lost["v"])


def test_a_full_disk_while_resolving_changes_nothing_and_the_conflict_stays(
    conflict: Conflict, monkeypatch: pytest.MonkeyPatch
) -> None:
    district = conflict.offices.district
    before = files_of(district.path)
    current = district.get("address", "a1")

    def full_disk(path: Path, payload: bytes) -> None:
        if path.name.startswith(".conflicts.json"):
            raise OSError(28, "No space left on device")
        write(path, payload)

    write = commit._write_durably
    monkeypatch.setattr(commit, "_write_durably", full_disk)
    with pytest.raises(StoreWriteError, match="No space left on device"):
        district.resolve_conflict("address", "a1", conflict.lost["v"])
    assert files_of(district.path) == before
    assert district.get("address", "a1") == current and len(district.conflicts()) == 1
    district.close()
    with reopen(district.path) as again:
        assert len(again.conflicts()) == 1 and again.get("address", "a1") == current
        monkeypatch.undo()
        again.resolve_conflict("address", "a1", conflict.lost["v"])
        assert again.conflicts() == []
        assert again.get("address", "a1")["place"] == conflict.lost["place"]  # type: ignore[index]


@pytest.mark.parametrize("keep", ["lost", "won"])
def test_undoing_a_resolution_brings_the_conflict_back_to_choose_again(
    conflict: Conflict, keep: str
) -> None:
    district = conflict.offices.district
    chosen = getattr(conflict, keep)
    district.resolve_conflict("address", "a1", chosen["v"])
    assert district.conflicts() == []
    district.undo()
    current, other = district.conflict_versions("address", "a1")
    assert current["place"] == conflict.won["place"]  # in use again, as a new version
    assert (other["v"], other["place"]) == (conflict.lost["v"], conflict.lost["place"])
    assert [(kind, d["v"]) for kind, d in district.conflicts()] == [("address", other["v"])]
    district.close()
    with reopen(district.path) as again:  # on disk, not only in memory
        assert [d["v"] for _kind, d in again.conflicts()] == [conflict.lost["v"]]
        # …and it can be settled again
        kept = again.resolve_conflict("address", "a1", conflict.lost["v"])
        assert kept["place"] == conflict.lost["place"] and again.conflicts() == []


def test_the_undone_resolution_travels_and_the_province_keeps_its_conflict(
    conflict: Conflict,
) -> None:
    """The province, which holds both edits as a conflict of its own, receives the district's
    resolution and then its undo: the undo descends from the district's own edit but not from
    the commune's, so the province's conflict is as it was, not settled by the district."""
    district, province = conflict.offices.district, conflict.offices.province
    district.resolve_conflict("address", "a1", conflict.lost["v"])
    district.undo()
    report = import_bundle(province, conflict.export(district, "d3.zip"))
    assert report.status == "merged"
    assert len(province.conflicts()) == 1
    assert province.get("address", "a1")["place"] == conflict.won["place"]  # type: ignore[index]
