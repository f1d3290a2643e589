"""The unit tree and the national list of units shipped with the program."""

from __future__ import annotations

from campaign.units import UnitTree
from store import gazetteer


def tay_ninh() -> UnitTree:
    return UnitTree(gazetteer.province_units("72"))


def test_tay_ninh_2018_has_nine_districts_and_95_communes() -> None:
    tree = tay_ninh()
    districts = tree.children("72")
    assert len(districts) == 9
    assert districts[0]["name"] == "Thành phố Tây Ninh"
    assert sum(len(tree.children(d["code"])) for d in districts) == 95
    assert len(tree.grassroots("72")) == 95


def test_the_whole_country_ships_with_the_program() -> None:
    units = gazetteer.all_units()
    kinds = [u["kind"] for u in units]
    assert (kinds.count("province"), kinds.count("district"), kinds.count("commune")) == (
        63,
        713,
        11053,
    )
    assert gazetteer.province_of("00001") == "01"  # Phường Phúc Xá, Hà Nội
    assert gazetteer.province_of("nope") is None


def test_subtree_rows_and_ancestry() -> None:
    tree = tay_ninh()
    assert tree.subtree("703")[:3] == ["703", "25456", "25459"]
    rows = tree.row_of("72")
    assert rows["25456"] == "703" and rows["703"] == "703" and rows["72"] == "72"
    assert tree.is_within("25456", "72") and not tree.is_within("25456", "705")
    assert tree.path("25456") == "Phường 1, Thành phố Tây Ninh, Tỉnh Tây Ninh"


def test_units_are_found_by_name_without_accents() -> None:
    # Without accents «Hòa Thành» and «Hòa Thạnh» look alike: both are offered.
    assert [u["name"] for u in tay_ninh().search("hoa thanh")] == [
        "Xã Hòa Thạnh", "Huyện Hòa Thành", "Thị trấn Hòa Thành",
    ]  # fmt: skip
    assert [u["code"] for u in tay_ninh().search("25456")] == ["25456"]
