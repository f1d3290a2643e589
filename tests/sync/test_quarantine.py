"""Records held in quarantine: listed with their reasons, fixed and accepted, or dropped; and
what the office above receives afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from craft import Key, bundle, jsonl, line, version
from factories import TODAY, address, aid, helper
from offices import Chain, chain, files_of

from campaign.records import KINDS
from store.errors import ValidationError
from store.store import Store, data_of
from sync import keys, quarantine, send
from sync.errors import SyncError
from sync.quarantine import HeldRecord
from sync.receive import import_bundle


@dataclass
class Office:
    """The district office, receiving bundles signed with Phường 1's real key."""

    offices: Chain
    folder: Path
    commune_key: Key
    sequence: int = 100

    @property
    def district(self) -> Store:
        return self.offices.district

    def receive(self, lines: list[dict]) -> list[HeldRecord]:
        """Phường 1 sends these lines to the district; what is held afterwards."""
        self.sequence += 1
        payload = bundle(self.commune_key, "25456", {"records/25456.jsonl": jsonl(lines)},
                         to="703", sequence=self.sequence)  # fmt: skip
        path = self.folder / f"{self.sequence}.zip"
        path.write_bytes(payload)
        report = import_bundle(self.district, path)
        assert report.status == "merged", report.refusal
        return quarantine.held(self.district)

    def send_up(self, name: str) -> None:
        sent = send.export_records(self.district, self.folder / name)
        assert sent is not None
        report = import_bundle(self.offices.province, sent.path)
        assert report.status == "merged" and not report.held


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    with chain(tmp_path / "offices") as offices:
        yield Office(offices, tmp_path, Key(keys.office_key(offices.commune).private))


BAD = [
    line("helper", helper(), "25456", version(1)),
    line("address", address(people=-3, groups=["aliens"]), "25456", version(2)),
    line("aid", aid(), "25456", version(3)),
]


def _units(store: Store) -> dict[str, str]:
    return {n: d for n, d in files_of(store.path).items() if n.startswith("units/")}


def test_held_records_show_why_who_sent_them_and_when(office: Office) -> None:
    held = {item.kind: item for item in office.receive(BAD)}
    assert set(held) == {"address", "aid"}
    item = held["address"]
    assert (item.key, item.version, item.sender, item.owner) == ("a1", version(2), "25456", "25456")
    assert item.received == TODAY.isoformat()
    assert any("«Số người» phải từ 1 trở lên" in reason for reason in item.reasons)
    assert any("«aliens»" in reason for reason in item.reasons)
    assert item.document["people"] == -3 and item.document["name"] == "Nguyễn Văn An"
    assert set(item.document) == set(KINDS["address"].field_names)  # named as in RECORDS.md


def test_a_fix_that_is_still_wrong_lists_every_problem_and_saves_nothing(office: Office) -> None:
    item = next(i for i in office.receive(BAD) if i.kind == "address")
    before = files_of(office.district.path)
    with pytest.raises(ValidationError) as raised:
        quarantine.accept(office.district, item, {**item.document, "people": 0, "kind": "robot"})
    messages = " ".join(str(p) for p in raised.value.problems)
    assert "«Số người» phải từ 1 trở lên" in messages and "«aliens»" in messages
    assert "robot" in messages
    assert files_of(office.district.path) == before
    with pytest.raises(ValidationError, match="mã phải giữ là «a1»"):
        quarantine.accept(office.district, item, {**item.document, "id": "a9", "people": 1})


def test_an_accepted_fix_replaces_the_held_version_and_travels_up(office: Office) -> None:
    held = {item.kind: item for item in office.receive(BAD)}
    fixed = {**held["address"].document, "people": 1, "groups": ["elderly"]}
    saved = quarantine.accept(office.district, held["address"], fixed)
    assert saved["people"] == 1 and saved["by"] == office.district.office.id
    assert saved["prev"] == version(2)  # made on top of the held version
    assert [i.kind for i in quarantine.held(office.district)] == ["aid"]
    # The aid was held only because its address was: as sent, it is now valid.
    aid_item = quarantine.held(office.district)[0]
    assert quarantine.accept(office.district, aid_item, aid_item.document)["value"] == 500_000
    assert quarantine.held(office.district) == []
    stored = json.loads((office.district.path / "quarantine.json").read_bytes())
    assert stored["records"] == []
    office.send_up("up.zip")
    assert office.offices.province.get("address", "a1")["people"] == 1  # type: ignore[index]
    # Phường 1 sends the held versions again: seen before and replaced, they change nothing.
    before = _units(office.district)
    assert office.receive(BAD) == []
    assert _units(office.district) == before


def test_dropping_a_record_the_store_does_not_hold_writes_nothing(office: Office) -> None:
    item = next(i for i in office.receive(BAD) if i.kind == "address")
    before = _units(office.district)
    quarantine.drop(office.district, item)
    assert _units(office.district) == before
    assert [i.kind for i in quarantine.held(office.district)] == ["aid"]
    assert office.district.get("address", "a1") is None
    with pytest.raises(SyncError, match="không còn bị giữ lại"):
        quarantine.drop(office.district, item)


def test_dropping_a_held_update_deletes_the_record_everywhere(office: Office) -> None:
    good = line("address", address(), "25456", version(10))
    assert office.receive([good]) == []
    office.send_up("first.zip")
    bad = line("address", address(people=-1), "25456", version(11), prev=version(10))
    (item,) = office.receive([bad])
    quarantine.drop(office.district, item)
    stored = office.district.stored("address", "a1")
    assert stored is not None and stored["deleted"] is True
    assert stored["prev"] == version(10) and version(11) in stored["history"]
    assert quarantine.held(office.district) == []
    office.send_up("second.zip")
    assert office.offices.province.get("address", "a1")["deleted"] is True  # type: ignore[index]
    # The dropped version sent again is replaced by the tombstone: nothing is held.
    assert office.receive([bad]) == []
    assert office.district.get("address", "a1")["deleted"] is True  # type: ignore[index]


def test_a_held_tombstone_fixed_stays_deleted(office: Office) -> None:
    assert office.receive([line("address", address(), "25456", version(10))]) == []
    gone = line("address", address(people=0), "25456", version(12), prev=version(10),
                deleted=True)  # fmt: skip
    (item,) = office.receive([gone])
    assert item.document["deleted"] is True
    fixed = {name: value for name, value in item.document.items() if name != "deleted"}
    saved = quarantine.accept(office.district, item, {**fixed, "people": 1})
    assert saved["deleted"] is True and data_of("address", saved)["people"] == 1
