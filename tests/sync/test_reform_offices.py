"""Offices during the change to the 2025 units (docs/RECORDS.md, «Offices during the change»).

Tây Ninh's province (72) and the office of Phường 1 (25456), which went whole to Phường Tân
Ninh (25459-2025), as is Phường 3 (25459); both communes' keys are enrolled at the province.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest
from craft import Key, bundle
from factories import address, aid, helper
from offices import files_of, make_office

from store import reform
from store.store import Store
from sync import directory as directory_bundle
from sync import keys, send
from sync.receive import ImportReport, import_bundle

KINDS = ("helper", "address", "aid")


@dataclass
class Offices:
    province: Store
    commune: Store  # Phường 1
    folder: Path

    def up(self, office: Store, to: str | None = None) -> ImportReport:
        """A records bundle of `office` imported at the province."""
        sent = send.export_records(office, self.folder, to=to)
        assert sent is not None
        report = import_bundle(self.province, sent.path)
        assert report.status == "merged", report.refusal
        return report

    def directory_down(self, office: Store) -> ImportReport:
        sent = send.export_directory(self.province, self.folder / "directory.zip", again=True)
        assert sent is not None
        report = import_bundle(office, sent.path)
        assert report.status == "merged", report.refusal
        return report


@pytest.fixture
def offices(tmp_path: Path) -> Iterator[Offices]:
    with (
        make_office(tmp_path / "tinh", "72") as province,
        make_office(tmp_path / "phuong-1", "25456", province) as commune,
    ):
        keys.enrol(province, keys.office_key(commune).public, "25456")
        commune.save("helper", helper("h1"))
        for key in ("a1", "a2"):
            commune.save("address", address(key))
        commune.save("aid", aid("x1", address="a1", on="2016-03-01"))
        commune.save("aid", aid("x2", address="a2", on="2024-03-01", value=200_000))
        folder = tmp_path / "gói"
        folder.mkdir()
        result = Offices(province, commune, folder)
        result.up(commune, to="72")
        yield result


def migrate(store: Store) -> int:
    plan = reform.plan(store)
    assert plan.ready, plan.questions
    return reform.apply(store, plan)


def held_alike(one: Store, other: Store) -> list[str]:
    """The records of `one` that `other` holds in another version."""
    return [
        f"{kind} {record['id']}"
        for kind in KINDS
        for record in one.records(kind)
        if other.stored(kind, record["id"]) != record
    ]


def test_a_commune_and_its_province_that_both_migrate_make_the_same_versions(
    offices: Offices,
) -> None:
    province, commune = offices.province, offices.commune
    assert send.export_directory(province, offices.folder / "before.zip") is not None
    revision = province.directory["revision"]
    assert migrate(province) > 0
    # A new revision of the directory, sent as any other.
    assert province.directory["revision"] == revision + 1
    assert send.export_directory(province, offices.folder / "after.zip") is not None
    # The province's directory carries the new tree, and tells the commune what to do.
    report = offices.directory_down(commune)
    assert any("«nhandao units migrate --to 2025», hoặc phím u" in w for w in report.warnings)
    assert commune.directory["reform"]["province"] == "80-2025"
    assert migrate(commune) == 5  # a helper, two addresses, their aid
    assert (commune.office.unit, commune.office.former_unit) == ("25459-2025", "25456")
    assert held_alike(commune, province) == []
    assert commune.get("address", "a1")["unit"] == "25459-2025"
    # Its next bundle, to the province's new unit, holds nothing new and no conflict.
    report = offices.up(commune)
    assert report.total("unchanged") == 5 and report.total("new") == 0
    assert report.conflicts == [] and report.held == [] and province.conflicts() == []
    # And what it does after the migration reaches the province as any edit.
    commune.save(
        "address", address("a2", unit="25459-2025", former_unit="25456", name="Nguyễn Văn Ân")
    )
    report = offices.up(commune)
    assert report.total("updated") == 1 and province.get("address", "a2")["name"] == "Nguyễn Văn Ân"
    assert held_alike(province, commune) == [] and province.conflicts() == []


def test_a_bundle_made_before_the_migration_imports_after_it(offices: Offices) -> None:
    province, commune = offices.province, offices.commune
    commune.save("address", address("a3", place="Khu phố 2"))
    commune.save("aid", aid("x3", address="a1", on="2026-02-01", value=300_000))  # moved there
    sent = send.export_records(commune, offices.folder, to="72")  # before the province migrates
    assert sent is not None
    migrate(province)
    report = import_bundle(province, sent.path)
    assert report.status == "merged" and report.held == [], report.refusal
    assert any("chuyển sang đơn vị mới" in w for w in report.warnings)
    a3, x3 = province.stored("address", "a3"), province.stored("aid", "x3")
    assert a3 is not None and x3 is not None
    assert (a3["unit"], a3["former_unit"], a3["owner"]) == ("25459-2025", "25456", "25459-2025")
    assert x3["owner"] == "25459-2025"
    assert {record["unit"] for record in province.records("address")} == {"25459-2025"}
    # The commune, migrating in turn, makes the versions the province made of them.
    offices.directory_down(commune)
    migrate(commune)
    assert held_alike(commune, province) == []


def test_an_old_communes_office_hands_its_records_to_the_new_communes(
    offices: Offices, tmp_path: Path
) -> None:
    province, commune = offices.province, offices.commune
    with make_office(tmp_path / "phuong-3", "25459", province) as old:
        old_key = keys.office_key(old).public
        keys.enrol(province, old_key, "25459")
        old.save("helper", helper("h3", unit="25459"))
        old.save("address", address("b1", unit="25459", name="Lê Thị Cúc"))
        old.save("aid", aid("y1", address="b1", helper="h3", on="2023-05-01"))
        migrate(province)
        offices.directory_down(commune)  # with the old commune's key
        migrate(commune)
        offices.directory_down(old)  # the new units, for it to send to
        # Phường 3 sends its records to the office of the unit it went to.
        sent = send.export_records(old, offices.folder, to="25459-2025")
        assert sent is not None
        report = import_bundle(commune, sent.path)
        assert report.status == "merged" and report.held == [], report.refusal
        b1 = commune.get("address", "b1")
        assert (b1["unit"], b1["former_unit"]) == ("25459-2025", "25459")
        assert commune.stored("aid", "y1")["owner"] == "25459-2025"
        # Then the province ends the period: the old key revoked, its bundles refused.
        keys.revoke(province, old_key.id_text)
        offices.directory_down(commune)
        old.save("address", address("b2", unit="25459"))
        sent = send.export_records(old, offices.folder, to="25459-2025")
        assert sent is not None
        report = import_bundle(commune, sent.path)
        assert report.refused and "thu hồi" in str(report.refusal)
        assert commune.get("address", "b2") is None


def test_an_office_made_on_the_2025_list_takes_in_an_old_communes_store(
    offices: Offices, tmp_path: Path
) -> None:
    """Phường Tân Ninh's office, made on the 2025 list, takes its province's directory (old
    tree and new) and Phường 1's records, moved as the province moved them."""
    province, commune = offices.province, offices.commune
    migrate(province)
    with make_office(tmp_path / "tan-ninh", "25459-2025", province) as new:
        assert new.directory["province"] == "80-2025"
        keys.enrol(province, keys.office_key(new).public, "25459-2025")
        offices.directory_down(new)
        assert "25456" in new.units and new.directory["reform"]["province"] == "80-2025"
        offices.directory_down(commune)
        sent = send.export_records(commune, offices.folder, to="25459-2025")
        assert sent is not None
        report = import_bundle(new, sent.path)
        assert report.status == "merged" and report.held == [], report.refusal
        assert {record["unit"] for record in new.records("address")} == {"25459-2025"}
        assert held_alike(new, province) == []  # the versions the province made


def test_the_province_answers_travel_with_its_directory(tmp_path: Path) -> None:
    """Phường 4 (25462) is divided between Phường Long An and Phường Tân Ninh: the province's
    answer for each of its places is the commune's too, so both move alike."""
    with (
        make_office(tmp_path / "tinh", "72") as province,
        make_office(tmp_path / "phuong-4", "25462", province) as commune,
    ):
        keys.enrol(province, keys.office_key(commune).public, "25462")
        commune.save("helper", helper("h4", unit="25462"))
        commune.save("address", address("c1", unit="25462", place="Khu phố 1"))
        commune.save("address", address("c2", unit="25462", place="Khu phố 2"))
        sent = send.export_records(commune, tmp_path, to="72")
        assert sent is not None and import_bundle(province, sent.path).status == "merged"
        questions = reform.plan(province).questions
        chosen = {"khu pho 1": "27694-2025", "khu pho 2": "25459-2025", "": "25459-2025"}
        answers = {q.key: chosen.get(q.key[2], q.candidates[0]) for q in questions}
        reform.apply(province, reform.plan(province, answers))
        directory = send.export_directory(province, tmp_path / "directory.zip")
        assert directory is not None and import_bundle(commune, directory.path).status == "merged"
        plan = reform.plan(commune)  # only its own unit asked: the province answered the rest
        assert [question.part for question in plan.questions] == [reform.OFFICE]
        office_question = reform.plan(commune, {("25462", reform.OFFICE, ""): "25459-2025"})
        assert office_question.ready
        reform.apply(commune, office_question)
        assert commune.get("address", "c1")["unit"] == "27694-2025"
        assert commune.get("address", "c2")["unit"] == "25459-2025"
        assert held_alike(commune, province) == []


def _rows_of_three(reform_: dict) -> dict:
    return {**reform_, "answers": [["25462", "ấp, khu phố", "khu pho 1"]]}


def _answer_outside(reform_: dict) -> dict:
    return {**reform_, "answers": [["25462", "ấp, khu phố", "khu pho 1", "00004-2025"]]}


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (None, None),
        (lambda r: ["2025"], "«reform» phải có đúng các mục list, province, answers"),
        (lambda r: {**r, "extra": 1}, "«reform» phải có đúng các mục list, province, answers"),
        (lambda r: {**r, "list": "2019"}, "«reform» phải nêu một tỉnh của danh mục năm 2025"),
        (lambda r: {**r, "province": "72"}, "«reform» phải nêu một tỉnh của danh mục năm 2025"),
        (lambda r: {**r, "province": "01-2025"}, "danh mục thiếu đơn vị gốc 01-2025"),
        (_rows_of_three, "mỗi lựa chọn trong «reform» gồm đúng bốn chuỗi"),
        (_answer_outside, "«reform» chọn một đơn vị không có trong danh mục"),
    ],
    ids=["control: taken", "not an object", "a field more", "list 2019", "an old province",
         "another province", "a row of three", "an answer outside the units"],
)  # fmt: skip
def test_a_directory_with_a_wrong_reform_is_refused_and_changes_nothing(
    offices: Offices, damage: object, says: str | None
) -> None:
    province, commune = offices.province, offices.commune
    migrate(province)
    content = orjson.loads(directory_bundle.content(province)[0])
    content["revision"] += 100
    if damage is not None:
        content["reform"] = damage(content["reform"])  # type: ignore[operator]
    payload = bundle(Key(keys.office_key(province).private), "80-2025",
                     {"directory.json": orjson.dumps(content, option=orjson.OPT_INDENT_2) + b"\n"},
                     kind="directory", to=None, sequence=900)  # fmt: skip
    path = offices.folder / "d.zip"
    path.write_bytes(payload)
    before = files_of(commune.path)
    report = import_bundle(commune, path)
    if says is None:
        assert report.status == "merged", report.refusal
        assert commune.directory["reform"]["province"] == "80-2025"
        return
    assert report.refusal is not None and report.refusal.reason == "directory"
    assert f"Gói danh mục không dùng được: {says}." in str(report.refusal)
    assert files_of(commune.path) == before
