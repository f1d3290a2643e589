"""Bundles along the chain: commune → district → province, directories down, acks back."""

from __future__ import annotations

import json
import random
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import orjson
import pytest
from craft import Key
from factories import TODAY, address, aid, helper
from offices import Chain, chain, files_of, make_office

from campaign.tally import tally
from store.store import Store
from sync import keys, minisign, send
from sync.receive import Progress, import_bundle, import_bundles


@pytest.fixture
def offices(tmp_path: Path) -> Iterator[Chain]:
    with chain(tmp_path / "offices") as made:
        yield made


@pytest.fixture
def province(offices: Chain) -> Store:
    return offices.province


@pytest.fixture
def district(offices: Chain) -> Store:
    return offices.district


@pytest.fixture
def commune(offices: Chain) -> Store:
    return offices.commune


SCHOOL = {"code": "25456-TH1", "name": "Trường Tiểu học Phường 1", "kind": "school",
          "parent": "25456"}  # fmt: skip


def export(store: Store, folder: Path, **options: object) -> Path:
    folder.mkdir(exist_ok=True)
    sent = send.export_records(store, folder, **options)  # type: ignore[arg-type]
    assert sent is not None
    return sent.path


def acknowledge(receiver: Store, sender: Store, folder: Path) -> None:
    """The receiver acknowledges; the sender takes the acknowledgement in."""
    folder.mkdir(exist_ok=True)
    ack = send.export_ack(receiver, folder, sender.office.unit)
    assert import_bundle(sender, ack.path).status == "merged"


def records_in(path: Path) -> int:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return sum(f["records"] for f in json.loads(archive.read("manifest.json"))["files"])


def test_records_travel_up_the_chain_with_units_created_below(
    province: Store, district: Store, commune: Store, tmp_path: Path
) -> None:
    commune.save_many([("unit", SCHOOL), ("helper", helper()), ("address", address()),
                       ("address", address("a2", unit="25456-TH1")), ("aid", aid())])  # fmt: skip
    up = import_bundle(district, export(commune, tmp_path / "c"))
    assert up.status == "merged" and up.total("new") == 5
    assert district.units.name("25456-TH1") == "Trường Tiểu học Phường 1"
    district.save("address", address("a3", unit="25459", name="Trần Văn Ba"))
    report = import_bundle(province, export(district, tmp_path / "d"))
    assert report.status == "merged" and report.sender == "703" and report.total("new") == 6
    assert province.stored("unit", "25456-TH1")["owner"] == "25456"  # type: ignore[index]
    assert (
        tally(province.dataset(), "703").summary_json()
        == tally(district.dataset(), "703").summary_json()
    )
    rows = {row["unit"]: row for row in tally(province.dataset(), "25456").summary_json()}
    assert "25456-TH1" in rows


def test_after_an_acknowledgement_only_changes_travel(
    district: Store, commune: Store, tmp_path: Path
) -> None:
    commune.save_many([("helper", helper()), ("address", address()), ("aid", aid())])
    first = export(commune, tmp_path / "1")
    assert records_in(first) == 3
    # Not acknowledged yet: the next bundle carries everything again.
    commune.save("address", address(place="Khu phố 2"))
    assert records_in(export(commune, tmp_path / "2")) == 3
    assert import_bundle(district, first).status == "merged"
    acknowledge(district, commune, tmp_path / "ack")
    commune.save("aid", aid(value=600_000))
    third = export(commune, tmp_path / "3")
    # The address changed after the acknowledged bundle, and the aid: those two only.
    assert records_in(third) == 2
    assert records_in(export(commune, tmp_path / "4", full=True)) == 3
    report = import_bundle(district, third)
    assert report.total("updated") == 2 and report.total("conflict") == 0
    assert district.get("aid", "x1")["value"] == 600_000  # type: ignore[index]


def test_nothing_new_writes_no_bundle(district: Store, commune: Store, tmp_path: Path) -> None:
    commune.save("address", address())
    assert import_bundle(district, export(commune, tmp_path / "1")).status == "merged"
    acknowledge(district, commune, tmp_path / "ack")
    assert send.export_records(commune, tmp_path / "1") is None


def test_a_record_held_at_the_receiver_is_sent_again_once_corrected(
    tmp_path: Path, province: Store, district: Store
) -> None:
    # The commune's computer thinks it is a year later: an aid «today» is in the district's future.
    later = date(TODAY.year + 1, 1, 15)
    with Store.create(tmp_path / "wrong-clock", "25456", today=lambda: later) as commune:
        keys.pin_province_key(commune, keys.office_key(province).public)
        assert (
            import_bundle(
                commune, send.export_directory(province, tmp_path, again=True).path
            ).status
            == "merged"
        )
        keys.enrol(district, keys.office_key(commune).public, "25456")
        commune.save_many([("address", address()), ("aid", aid(helper=None, on=later.isoformat()))])
        report = import_bundle(district, export(commune, tmp_path / "1"))
        assert [(h.kind, h.id) for h in report.held] == [("aid", "x1")]
        assert district.get("aid", "x1") is None and district.get("address", "a1") is not None
        acknowledge(district, commune, tmp_path / "ack")
        commune.save("aid", aid(helper=None, on="2018-05-05"))
        again = export(commune, tmp_path / "2")
        assert records_in(again) == 1  # the address was acknowledged; the aid was not
        report = import_bundle(district, again)
        assert report.total("new") == 1 and not report.held
        quarantine = json.loads((district.path / "quarantine.json").read_bytes())
        assert quarantine["records"] == []  # the correction was made on the held version


def test_concurrent_edits_keep_the_later_and_the_other_in_conflicts(
    district: Store, commune: Store, tmp_path: Path
) -> None:
    commune.save("address", address())
    assert import_bundle(district, export(commune, tmp_path / "1")).status == "merged"
    mine = district.save("address", address(place="Khu phố 7"))  # the district corrects it…
    theirs = commune.save("address", address(place="Khu phố 8"))  # …and so does the commune
    report = import_bundle(district, export(commune, tmp_path / "2"))
    assert report.total("conflict") == 1
    later, other = sorted([mine, theirs], key=lambda saved: saved["v"], reverse=True)
    assert district.get("address", "a1")["place"] == later["place"]  # type: ignore[index]
    kept = json.loads((district.path / "conflicts.json").read_bytes())["records"]
    assert [(k["kind"], k["record"]["v"], k["record"]["place"]) for k in kept] == [
        ("address", other["v"], other["place"])
    ]


def test_a_deletion_travels_as_a_tombstone(district: Store, commune: Store, tmp_path: Path) -> None:
    commune.save_many([("address", address()), ("aid", aid(helper=None))])
    import_bundle(district, export(commune, tmp_path / "1"))
    commune.delete("aid", "x1")
    assert import_bundle(district, export(commune, tmp_path / "2")).total("updated") >= 1
    assert district.get("aid", "x1")["deleted"] is True  # type: ignore[index]
    assert tally(district.dataset(), "703").total.value == 0


def test_a_dry_run_counts_per_unit_and_changes_nothing(
    district: Store, commune: Store, tmp_path: Path
) -> None:
    commune.save_many([("unit", SCHOOL), ("address", address()),
                       ("address", address("a2", unit="25456-TH1"))])  # fmt: skip
    path = export(commune, tmp_path / "1")
    before = files_of(district.path)
    report = import_bundle(district, path, dry_run=True)
    assert report.status == "checked"
    assert {unit: dict(counts) for unit, counts in report.counts.items()} == {
        "25456": {"new": 2}, "25456-TH1": {"new": 1}}  # fmt: skip
    assert report.unit_name(district, "25456-TH1") == "Trường Tiểu học Phường 1"
    assert files_of(district.path) == before


def test_the_directory_flows_down_and_keeps_local_enrolments_and_revocations(
    province: Store, district: Store, commune: Store, tmp_path: Path
) -> None:
    # The district trusts Phường 1's key (fixture) and revokes a stolen key of Phường 3.
    stolen = minisign.parse_public_key(Key().pub_file())
    keys.enrol(district, stolen, "25459")
    keys.revoke(district, stolen.id_text)
    keys.enrol(province, stolen, "25459")  # the province has not heard of the theft
    path = send.export_directory(province, tmp_path).path
    assert province.directory["revision"] == 2
    assert import_bundle(district, path).status == "merged"
    assert district.directory["revision"] == 2
    listed = {e.key: e for e in keys.enrolments(district)}
    assert listed[keys.office_key(commune).public.id_text].by == "703"
    assert listed[stolen.id_text].revoked is not None
    assert import_bundle(commune, path).status == "merged"
    # The commune now knows the district's key: it can read the district's acknowledgements.
    assert keys.signer_of(commune, keys.office_key(district).public.key_id).unit == "703"
    assert import_bundle(district, path).status == "already"


def test_three_offices_bundles_in_shuffled_repeated_order_give_identical_provinces(
    tmp_path: Path, province: Store, district: Store, commune: Store
) -> None:
    with make_office(tmp_path / "phuong3", "25459", province) as phuong3:
        keys.enrol(district, keys.office_key(phuong3).public, "25459")
        bundles = []
        commune.save_many([("helper", helper()), ("address", address()), ("aid", aid())])
        phuong3.save_many([("address", address("b1", unit="25459")),
                           ("aid", aid("y1", address="b1", helper=None))])  # fmt: skip
        for office in (commune, phuong3):
            path = export(office, tmp_path / office.office.unit)
            assert import_bundle(district, path).status == "merged"
        district.save("address", address(place="Khu phố 5"))  # concurrent with the next one
        commune.save("address", address(place="Khu phố 6"))
        commune.delete("aid", "x1")
        bundles.append(export(district, tmp_path / "d1"))
        assert import_bundle(district, export(commune, tmp_path / "c2")).status == "merged"
        bundles.append(export(district, tmp_path / "d2"))
        keys.enrol(province, keys.office_key(phuong3).public, "25459")  # it also sends direct
        phuong3.save("address", address("b1", unit="25459", people=1, place="Ấp Bàu Sen"))
        bundles.append(export(phuong3, tmp_path / "p3", to="72"))
        states = []
        for number in range(3):
            with make_office(tmp_path / f"province-{number}", "72") as again:
                keys.enrol(again, keys.office_key(district).public, "703")
                keys.enrol(again, keys.office_key(phuong3).public, "25459")
                order = bundles * 2
                random.Random(number).shuffle(order)
                reports = import_bundles(again, order)
                assert not any(r.refused for r in reports)
                current = {(kind, d["id"]): d["v"] for kind in ("address", "aid", "helper")
                           for d in again.records(kind, live=False)}  # fmt: skip
                states.append((current, tally(again.dataset(), "72").summary_json()))
        assert states[0] == states[1] == states[2]


def test_an_old_store_gets_its_key_at_its_first_export(district: Store, tmp_path: Path) -> None:
    with Store.create(tmp_path / "old", "25456", today=lambda: TODAY) as old:
        old.save("address", address())
        assert not (old.path / "keys" / "office.key").exists()
        sent = send.export_records(old, tmp_path)
        assert sent is not None and sent.key_created
        if sys.platform != "win32":
            assert (old.path / "keys" / "office.key").stat().st_mode & 0o777 == 0o600
        keys.enrol(district, keys.office_key(old).public, "25456")
        assert import_bundle(district, sent.path).status == "merged"


def test_imports_run_in_a_worker_thread_and_report_progress(
    district: Store, commune: Store, tmp_path: Path
) -> None:
    paths = []
    for number in range(3):
        commune.save("address", address(f"a{number}"))
        paths.append(export(commune, tmp_path / str(number)))
    seen: list[Progress] = []
    worker = threading.Thread(target=lambda: import_bundles(district, paths, progress=seen.append))
    worker.start()
    worker.join()
    assert [(p.done, p.total) for p in seen] == [(1, 3), (2, 3), (3, 3)]
    assert all(p.report.status == "merged" for p in seen)
    assert district.get("address", "a2") is not None


@pytest.mark.parametrize("kind", ["records", "directory"])
def test_a_province_and_a_commune_refuse_what_they_cannot_send(
    province: Store, commune: Store, tmp_path: Path, kind: str
) -> None:
    from sync.errors import SyncError

    with pytest.raises(SyncError) as refused:
        if kind == "records":
            send.export_records(province, tmp_path)
        else:
            send.export_directory(commune, tmp_path)
    if kind == "records":  # above a province is the central office, once its key is pinned
        assert "cấp trên" not in str(refused.value)
        assert str(refused.value).startswith(
            "Văn phòng Tỉnh Hội chưa ghim khoá của Trung ương Hội nên chưa gửi dữ liệu lên được."
        )
        assert "«nhandao keys pin TỆP --national»" in str(refused.value)


def test_a_bundle_sent_again_in_full_changes_no_unit_file(
    district: Store, commune: Store, tmp_path: Path
) -> None:
    commune.save_many([("helper", helper()), ("address", address()), ("aid", aid())])
    assert import_bundle(district, export(commune, tmp_path / "1")).status == "merged"
    units_before = {k: v for k, v in files_of(district.path).items() if k.startswith("units/")}
    report = import_bundle(district, export(commune, tmp_path / "2", full=True))
    assert report.status == "merged" and report.total("unchanged") == 3
    assert {
        k: v for k, v in files_of(district.path).items() if k.startswith("units/")
    } == units_before


def test_a_ledger_restored_from_an_older_backup_never_reuses_a_sequence(
    district: Store, commune: Store, tmp_path: Path
) -> None:
    commune.save("address", address())
    first = export(commune, tmp_path / "1")
    commune.save("address", address("a2", name="Lê Văn Hai"))
    second = export(commune, tmp_path / "2")
    # ledger.json lost its last write: a power cut, a copy from last week's backup.
    path = commune.path
    commune.close()
    ledger_file = path / "ledger.json"
    ledger_file.write_bytes((path / "backups" / "ledger" / "last.json").read_bytes())
    assert json.loads(ledger_file.read_bytes())["next_sequence"] == 2
    with Store.open(path, today=lambda: TODAY) as again:
        again.save("address", address("a3", name="Võ Thị Ba"))
        third = export(again, tmp_path / "3", full=True)
    assert "-00003-" in third.name
    for bundle_path in (first, second, third):
        assert import_bundle(district, bundle_path).status == "merged"
    assert district.get("address", "a3") is not None


def test_a_province_directory_restored_from_a_backup_never_reuses_a_revision(
    province: Store, tmp_path: Path
) -> None:
    stolen = minisign.parse_public_key(Key().pub_file())
    keys.enrol(province, stolen, "25459")
    made = province.directory["revision"]
    path = province.path
    province.close()
    (path / "directory.json").write_bytes(
        (path / "backups" / "directory" / "last.json").read_bytes()
    )
    with Store.open(path, today=lambda: TODAY) as again:
        assert again.directory["revision"] == made - 1  # the older copy, without the key
        keys.enrol(again, stolen, "25459")
        assert again.directory["revision"] == made + 1  # not `made` again, with other content


def test_the_award_choices_travel_up_like_any_record(
    province: Store, district: Store, tmp_path: Path
) -> None:
    from campaign.awards import awards, proposal_record

    period = district.office.period
    district.save_many([
        ("helper", helper("o1", side="outside", kind="organisation", name="Công ty An Bình")),
        ("helper", helper("o2", side="outside", kind="organisation", name="Cty An Binh",
                          unit="25459")),
        ("address", address()),
        ("attachment", {"id": "t1", "address": "a1", "helper": "o1", "from": "2012-01-01"}),
        ("attachment", {"id": "t2", "address": "a1", "helper": "o2", "from": "2012-01-01"}),
        ("link", {"helper": "o2", "unit": "703", "same_as": "o1"}),
        ("proposal", proposal_record("703", period, "o1", "provincial", chapter=False)),
    ])  # fmt: skip
    assert import_bundle(province, export(district, tmp_path / "d")).status == "merged"
    # The province sees the district's donor as the district does: one, chosen.
    (there,) = awards(province.dataset(), "703", period).donors
    assert (there.helpers, there.proposed) == (("o1", "o2"), "provincial")
    # Taking the link back and the proposal travel as tombstones.
    district.delete("link", "o2")
    district.delete("proposal", proposal_record("703", period, "o1", "x", chapter=False)["id"])
    assert import_bundle(province, export(district, tmp_path / "e")).status == "merged"
    donors = awards(province.dataset(), "703", period).donors
    assert sorted(d.helpers for d in donors) == [("o1",), ("o2",)]
    assert all(d.proposed is None for d in donors)


def test_records_taken_in_share_their_repeated_values_and_are_written_as_held(
    district: Store, commune: Store, tmp_path: Path
) -> None:
    """A province holds millions of aid records: the address, the day and the form they
    repeat are one object each in memory once taken in, and the unit file holds what the
    store holds."""
    commune.save_many([("helper", helper()), ("address", address()),
                       ("aid", aid("x1")), ("aid", aid("x2", value=700_000))])  # fmt: skip
    assert import_bundle(district, export(commune, tmp_path / "c")).status == "merged"
    first, second = district.stored("aid", "x1"), district.stored("aid", "x2")
    assert first is not None and second is not None
    for name in ("owner", "by", "address", "helper", "on", "form"):
        assert first[name] is second[name], name
    written = orjson.loads((district.path / "units" / "25456.json").read_bytes())
    on_disk = {
        d["id"]: d for t, docs in written.items() if t.startswith("aid.") for d in docs.values()
    }
    assert on_disk == {"x1": dict(first), "x2": dict(second)}
