"""The store: saving, versions, tombstones, moves, scope, and everything surviving a reopen."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import orjson
import pytest
from factories import TODAY, address, aid, helper

from campaign.tally import tally
from store.errors import NoStoreError, StoreError, StoreExistsError, ValidationError
from store.hlc import parse
from store.store import Store


def reopen(path: Path) -> Store:
    return Store.open(path, today=lambda: TODAY)


def test_a_new_store_knows_its_office_and_the_whole_province(store: Store) -> None:
    assert store.office.unit == "72"
    assert store.office.id.startswith("72-")
    assert len(store.units) == 105
    assert store.office.settings["organisation"] == "HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH"
    assert store.office.settings["province_name"] == "Tây Ninh"


def test_saved_records_carry_an_envelope_and_survive_a_reopen(
    store: Store, store_path: Path
) -> None:
    store.save("helper", helper())
    saved = store.save("address", address())
    assert saved["owner"] == "25456" and saved["prev"] is None and saved["deleted"] is False
    assert saved["by"] == store.office.id
    parse(saved["v"])
    store.save("aid", aid())
    store.close()
    with reopen(store_path) as again:
        assert again.get("address", "a1") == saved
        assert again.get("aid", "x1")["value"] == 500_000
        assert (store_path / "units" / "25456.json").exists()


def test_an_edit_is_a_new_version_that_names_the_one_it_replaced(store: Store) -> None:
    first = store.save("address", address())
    second = store.save("address", address(people=1, place="Khu phố 2"))
    assert second["prev"] == first["v"] and second["v"] > first["v"]
    assert second["place"] == "Khu phố 2"


def test_saving_the_same_record_again_changes_nothing(store: Store, store_path: Path) -> None:
    first = store.save("address", address())
    before = (store_path / "units" / "25456.json").read_bytes()
    assert store.save("address", address()) == first
    assert (store_path / "units" / "25456.json").read_bytes() == before


def test_text_typed_in_decomposed_form_is_stored_precomposed(store: Store) -> None:
    nfd = unicodedata.normalize("NFD", "Lê Thị Hường")
    saved = store.save(
        "address", address(name=nfd, place=unicodedata.normalize("NFD", "Ấp Bàu Sen"))
    )
    assert saved["name"] == "Lê Thị Hường" and saved["place"] == "Ấp Bàu Sen"


def test_deleting_writes_a_tombstone_that_is_kept_and_not_counted(
    store: Store, store_path: Path
) -> None:
    store.save("address", address())
    store.save("aid", aid(helper=None))
    tombstone = store.delete("aid", "x1")
    assert tombstone["deleted"] is True and tombstone["value"] == 500_000
    assert store.count("aid") == 0 and store.count("aid", live=False) == 1
    assert tally(store.dataset(), "72").total.value == 0
    store.close()
    with reopen(store_path) as again:
        assert again.get("aid", "x1")["deleted"] is True


def test_an_invalid_batch_saves_nothing_and_lists_every_problem(
    store: Store, store_path: Path
) -> None:
    store.save("address", address())
    before = {p: p.read_bytes() for p in store_path.rglob("*.json")}
    with pytest.raises(ValidationError) as refused:
        store.save_many([("address", address("a2", people=0)), ("aid", aid(address="zz", helper=None)),
                         ("aid", aid("x2", value=-5, helper=None))])  # fmt: skip
    assert len(refused.value.problems) == 3
    assert "Có 3 lỗi trong dữ liệu, chưa lưu gì" in str(refused.value)
    assert {p: p.read_bytes() for p in store_path.rglob("*.json")} == before


def test_duplicate_keys_in_one_batch_are_refused(store: Store) -> None:
    with pytest.raises(ValidationError, match="mã «a1» bị trùng"):
        store.save_many([("address", address()), ("address", address(name="Khác"))])


def test_one_batch_writes_each_unit_file_once(store: Store, store_path: Path) -> None:
    records = [("address", address(f"a{i}")) for i in range(50)]
    records += [("aid", aid(f"x{i}", address=f"a{i}", helper=None)) for i in range(50)]
    assert store.save_many(records) == 100
    # One write: the file's only backup is the copy made at its first write, the file itself.
    unit_file = store_path / "units" / "25456.json"
    backups = store_path / "backups" / "unit-25456"
    assert [p.name for p in backups.iterdir()] == ["last.json"]
    assert (backups / "last.json").read_bytes() == unit_file.read_bytes()


def test_moving_an_address_to_another_commune_takes_its_aid_along(
    store: Store, store_path: Path
) -> None:
    store.save("address", address())
    store.save("aid", aid(helper=None))
    moved = store.save("address", address(unit="25459"))
    assert moved["owner"] == "25459"
    assert store.get("aid", "x1")["owner"] == "25459"
    store.close()
    with reopen(store_path) as again:
        assert again.get("aid", "x1")["owner"] == "25459"
        assert again.count("aid") == 1
        rows = {r.unit: r for r in tally(again.dataset(), "703").rows}
        assert rows["25459"].value == 500_000 and rows["25456"].value == 0


def test_a_school_added_below_travels_as_a_record_owned_by_its_parent(
    store: Store, store_path: Path
) -> None:
    school = {"code": "703-TH1", "name": "Trường THPT Tây Ninh", "kind": "school", "parent": "703"}
    store.save_many([("unit", school), ("address", address(unit="703-TH1"))])
    assert store.get("unit", "703-TH1")["owner"] == "703"
    store.close()
    with reopen(store_path) as again:
        assert again.units.name("703-TH1") == "Trường THPT Tây Ninh"
        assert [r.unit for r in tally(again.dataset(), "703").rows][-1] == "703-TH1"


def test_a_commune_office_cannot_save_another_communes_records(tmp_path: Path) -> None:
    with Store.create(tmp_path / "commune", "25456", today=lambda: TODAY) as commune:
        commune.save("address", address())
        with pytest.raises(ValidationError, match="không nằm trong phạm vi của văn phòng Phường 1"):
            commune.save("address", address("a2", unit="25459"))


def test_opening_a_folder_without_a_store_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(NoStoreError, match="nhandao init --unit"):
        Store.open(tmp_path / "nowhere")


def test_a_store_is_never_created_over_another(store: Store, store_path: Path) -> None:
    with pytest.raises(StoreExistsError, match="không tạo đè"):
        Store.create(store_path, "72")


def test_an_unknown_unit_code_is_refused_at_creation(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="nhandao units --search"):
        Store.create(tmp_path / "x", "99999999")


def test_stored_files_are_utf8_json_without_escapes(store: Store, store_path: Path) -> None:
    store.save("address", address(name="Đỗ Thị Ửng"))
    payload = (store_path / "units" / "25456.json").read_bytes()
    assert "Đỗ Thị Ửng".encode() in payload and b"\\u" not in payload
    assert orjson.loads(payload)["meta"]["1"] == {
        "format": "nhandao-unit",
        "version": 1,
        "unit": "25456",
    }


def test_aid_and_reviews_are_kept_in_yearly_tables(store: Store, store_path: Path) -> None:
    store.save("address", address())
    store.save("aid", aid(on="2015-04-01", helper=None))
    store.save("review", {"id": "r1", "address": "a1", "year": 2016, "on": "2016-12-01",
                          "outcome": "continue"})  # fmt: skip
    tables = orjson.loads((store_path / "units" / "25456.json").read_bytes())
    assert set(tables) == {"meta", "addresses", "aid.2015", "reviews.2016"}
    # Changing the date moves the record to its new year's table.
    store.save("aid", aid(on="2016-01-02", helper=None))
    tables = orjson.loads((store_path / "units" / "25456.json").read_bytes())
    assert len(tables["aid.2015"]) == 0 and len(tables["aid.2016"]) == 1


def test_verify_finds_nothing_wrong_in_a_store_written_by_the_program(store: Store) -> None:
    store.save_many([("helper", helper()), ("address", address()), ("aid", aid())])
    assert store.verify() == []


def test_verify_reports_records_edited_by_hand(store: Store, store_path: Path) -> None:
    store.save_many([("address", address()), ("aid", aid(helper=None))])
    store.close()
    path = store_path / "units" / "25456.json"
    data = orjson.loads(path.read_bytes())
    data["addresses"]["1"]["people"] = 0
    data["aid.2010"]["1"]["owner"] = "25459"
    path.write_bytes(orjson.dumps(data))
    with reopen(store_path) as again:
        problems = again.verify()
    assert any("«Số người» phải từ 1 trở lên" in p for p in problems)
    assert any("ghi thuộc đơn vị «25459» nhưng nằm trong tệp của «25456»" in p for p in problems)


def test_an_attachment_may_not_overlap_another_of_its_pair_after_edits(store: Store) -> None:
    """The store finds the attachments an attachment may overlap by their (helper, address),
    kept as attachments are saved: an attachment edited onto another address is found there,
    and no longer where it was."""
    store.save_many([("helper", helper()), ("address", address()), ("address", address("a2")),
                     ("address", address("a3"))])  # fmt: skip

    def attach(id: str, at: str, start: str) -> dict:
        return {"id": id, "address": at, "helper": "h1", "from": start}

    store.save("attachment", attach("g1", "a1", "2010-01-01"))
    store.save("attachment", attach("g2", "a2", "2010-01-01"))
    with pytest.raises(ValidationError, match=r"trùng thời gian.*mã g1"):
        store.save("attachment", attach("g3", "a1", "2012-01-01"))
    with pytest.raises(ValidationError, match=r"trùng thời gian.*mã g1"):
        store.save("attachment", attach("g2", "a1", "2011-01-01"))  # g2 moved onto a1
    store.save("attachment", attach("g1", "a3", "2010-01-01"))  # g1 leaves a1 for a3
    store.save("attachment", attach("g4", "a1", "2012-01-01"))  # a1 is free now
    with pytest.raises(ValidationError, match=r"trùng thời gian.*mã g1"):
        store.save("attachment", attach("g5", "a3", "2015-01-01"))  # g1 is found at a3
    assert {a["id"]: a["address"] for a in store.records("attachment")} == {
        "g1": "a3",
        "g2": "a2",
        "g4": "a1",
    }
