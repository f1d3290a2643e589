"""The tallies: columns 3–8, exclusions, year flows, groups, helper kinds and the survey."""

from __future__ import annotations

from factories import address, aid, dataset_of, helper

from campaign.dates import Period
from campaign.tally import NO_HELPER, tally
from campaign.vocab import NO_STOP_REASON, NOT_HELPED


def row(result, code):  # type: ignore[no-untyped-def]
    return next(r for r in result.rows if r.unit == code)


def test_rows_are_the_children_in_directory_order_with_a_totals_row() -> None:
    result = tally(dataset_of(), "72")
    assert [r.unit for r in result.rows] == ["703", "705"]
    assert result.total.unit is None and result.total.name == "Tổng cộng"
    assert [r.unit for r in tally(dataset_of(), "703").rows] == ["25456", "25459", "703-TH1"]


def test_an_address_helped_by_both_sides_counts_once_on_the_red_cross_side() -> None:
    result = tally(dataset_of(
        addresses=[address("a1", kind="collective", people=4)],
        helpers=[helper("h1"), helper("h2", side="outside", kind="organisation")],
        aid=[aid("x1", helper="h1", value=100), aid("x2", helper="h2", value=200, on="2011-01-01")],
    ), "703")  # fmt: skip
    assert row(result, "25456").columns() == {"3": 1, "4": 1, "5": 0, "6": 1, "7": 4, "8": 300}


def test_excluded_aid_is_totalled_apart_and_does_not_make_an_address_helped() -> None:
    result = tally(dataset_of(
        addresses=[address("a1")], helpers=[helper("h1")],
        aid=[aid("x1", excluded="emergency", value=1_000), aid("x2", excluded="emergency", value=500),
             aid("x3", excluded="communication", value=70)],
    ), "703")  # fmt: skip
    phuong = row(result, "25456")
    assert phuong.helped == 0 and phuong.value == 0
    assert phuong.excluded["emergency"].count == 2 and phuong.excluded["emergency"].value == 1_500
    assert result.total.excluded_total.value == 1_570


def test_tombstones_of_any_kind_are_never_counted() -> None:
    result = tally(dataset_of(
        addresses=[address("a1"), address("a2", deleted=True)],
        helpers=[helper("h1", deleted=True)],
        aid=[aid("x1", address="a1"), aid("x2", address="a1", deleted=True, value=9),
             aid("x3", address="a2")],
    ), "703")  # fmt: skip
    # The aid's helper is a tombstone: the address counts as helped by others (column 5).
    assert row(result, "25456").columns() == {"3": 1, "4": 0, "5": 1, "6": 1, "7": 1, "8": 500_000}


def test_only_aid_within_the_period_counts_and_the_edges_are_inside() -> None:
    result = tally(dataset_of(
        addresses=[address("a1", surveyed_on="2005-01-01", dossier_on="2005-02-01")],
        helpers=[helper("h1")],
        aid=[aid("x1", on="2007-12-31", value=1), aid("x2", on="2008-01-01", value=10),
             aid("x3", on="2018-12-31", value=100), aid("x4", on="2019-01-01", value=1_000)],
    ), "703")  # fmt: skip
    assert row(result, "25456").value == 110
    assert (
        row(
            tally(
                dataset_of(addresses=[address("a1")], aid=[aid("x1", on="2019-06-01")]),
                "703",
                Period(2019, 2019),
            ),
            "25456",
        ).value
        == 500_000
    )


def test_column_3_counts_dossiers_opened_by_the_end_of_the_period() -> None:
    result = tally(dataset_of(addresses=[
        address("a1", dossier_on="2018-12-31"), address("a2", dossier_on="2019-01-01"),
        address("a3", dossier_on=None),
    ]), "703", Period(2008, 2018))  # fmt: skip
    assert row(result, "25456").dossiers == 1


def test_year_flows_classify_new_continued_resumed_and_stopped() -> None:
    addresses = [
        address("a1", stopped_on="2012-05-01", stop_reason="Đã thoát nghèo"),
        address("a2"),
        address("a3"),
    ]
    aids = [
        aid("x1", address="a1", on="2010-01-05"), aid("x2", address="a1", on="2011-01-05"),
        aid("x3", address="a2", on="2009-06-01"), aid("x4", address="a2", on="2011-06-01"),
        aid("x5", address="a3", on="2011-03-01"), aid("x6", address="a3", on="2012-03-01"),
    ]  # fmt: skip
    flows = {
        f.year: f
        for f in tally(dataset_of(addresses=addresses, aid=aids), "72", Period(2010, 2013)).years
    }
    assert (flows[2010].helped, flows[2010].new, flows[2010].continued, flows[2010].resumed) == (
        1,
        1,
        0,
        0,
    )
    # a2 was helped in 2009 (before the period), not in 2010, and has no stop: not a stop.
    assert flows[2010].stopped == []
    assert [(s.id, s.reason) for s in flows[2010].lapsed] == [("a2", NOT_HELPED)]
    assert (flows[2011].helped, flows[2011].new, flows[2011].continued, flows[2011].resumed) == (
        3,
        1,
        1,
        1,
    )
    # a1 stopped on 2012-05-01: a stop of 2012 with its reason, not also a lapse. a2 was not
    # helped in 2012 and has no stop recorded.
    assert [(s.id, s.reason) for s in flows[2012].stopped] == [("a1", "Đã thoát nghèo")]
    assert [s.id for s in flows[2012].lapsed] == ["a2"]
    assert flows[2012].stop_reasons == {"Đã thoát nghèo": 1}
    assert flows[2013].stopped == [] and [s.id for s in flows[2013].lapsed] == ["a3"]
    assert flows[2013].helped == 0


def test_a_stop_counts_in_the_year_of_its_date_helped_that_year_or_not() -> None:
    """Most addresses get aid in the year they stop: the stop and its reason belong to the year
    of the stop date. The lapse of the year before the stop is counted apart, once."""
    addresses = [
        address("a1", stopped_on="2011-09-01", stop_reason="Đã thoát nghèo"),  # helped in 2011
        address("a2", stopped_on="2012-03-01", stop_reason="Chuyển nơi ở khác"),  # lapsed 2011
        address("a3", stopped_on="2011-02-01"),  # never helped, no reason written
        address("a4", stopped_on="2019-01-01", stop_reason="Đã mất"),  # after the period
    ]
    aids = [
        aid("x1", address="a1", on="2010-01-05"), aid("x2", address="a1", on="2011-03-05"),
        aid("x3", address="a2", on="2010-06-01"),
    ]  # fmt: skip
    flows = {
        f.year: f
        for f in tally(dataset_of(addresses=addresses, aid=aids), "72", Period(2010, 2013)).years
    }
    assert [(s.id, s.reason) for s in flows[2011].stopped] == [
        ("a1", "Đã thoát nghèo"),
        ("a3", NO_STOP_REASON),
    ]
    assert [s.id for s in flows[2011].lapsed] == ["a2"]  # its stop is only in 2012
    assert [(s.id, s.reason) for s in flows[2012].stopped] == [("a2", "Chuyển nơi ở khác")]
    assert flows[2012].lapsed == []  # a1 stopped in 2011, a2 in 2012: stops, not lapses
    assert all(not f.stopped for y, f in flows.items() if y not in (2011, 2012))


def test_helped_addresses_by_group_kind_and_helper_kind() -> None:
    result = tally(dataset_of(
        addresses=[address("a1", groups=["elderly", "poor"]),
                   address("a2", kind="collective", people=5, groups=[]),
                   address("a3", groups=["poor"])],
        helpers=[helper("h1", kind="youth"), helper("h2", side="outside", kind="individual")],
        aid=[aid("x1", address="a1", helper="h1"), aid("x2", address="a1", helper="h2"),
             aid("x3", address="a2", helper=None)],
    ), "703")  # fmt: skip
    phuong = row(result, "25456")
    assert phuong.groups == {"elderly": 1, "poor": 1}
    assert phuong.ungrouped == 1
    assert (phuong.helped_individuals, phuong.helped_collectives, phuong.collective_people) == (
        1,
        1,
        5,
    )
    assert phuong.helper_kinds == {"youth": 1, "individual": 1, NO_HELPER: 1}
    assert phuong.helpers == {"red_cross": 1, "outside": 1}
    assert phuong.active_helpers == {"red_cross": 1, "outside": 1}


def test_survey_counts_grassroots_units_with_a_surveyed_address() -> None:
    result = tally(dataset_of(addresses=[
        address("a1", unit="25456"), address("a2", unit="25456", kind="collective", people=3),
        address("a3", unit="703-TH1", surveyed_on="2019-02-01", dossier_on=None),
    ]), "72")  # fmt: skip
    city = row(result, "703")
    assert (city.grassroots, city.grassroots_surveyed) == (3, 1)
    assert (city.dossier_individuals, city.dossier_collectives, city.dossier_people) == (1, 1, 4)
    assert (result.total.grassroots, result.total.grassroots_surveyed) == (4, 1)


def test_records_of_the_unit_itself_get_their_own_row_only_when_there_are_some() -> None:
    assert [r.unit for r in tally(dataset_of(), "703").rows] == ["25456", "25459", "703-TH1"]
    result = tally(dataset_of(addresses=[address("a1", unit="703")], aid=[aid("x1")]), "703")
    own = result.rows[-1]
    assert own.unit == "703" and own.name == "Thành phố Tây Ninh (trực tiếp)"
    assert own.value == result.total.value == 500_000


def test_summary_json_has_the_numbered_columns_and_a_totals_row() -> None:
    result = tally(dataset_of(addresses=[address("a1")], aid=[aid("x1")]), "703")
    rows = result.summary_json()
    assert rows[0] == {"unit": "25456", "name": "Phường 1", "3": 1, "4": 0, "5": 1, "6": 1, "7": 1,
                       "8": 500_000}  # fmt: skip
    assert rows[-1]["unit"] is None and rows[-1]["8"] == 500_000


def test_a_commune_is_its_own_only_row_even_when_empty() -> None:
    result = tally(dataset_of(), "25456")
    assert [(r.unit, r.name) for r in result.rows] == [("25456", "Phường 1")]
    surveyed_only = tally(dataset_of(addresses=[address("a1", dossier_on=None)]), "25456")
    assert surveyed_only.rows[0].columns() == {"3": 0, "4": 0, "5": 0, "6": 0, "7": 0, "8": 0}


def test_a_district_with_only_surveyed_addresses_of_its_own_shows_them() -> None:
    result = tally(dataset_of(addresses=[address("a1", unit="703", dossier_on=None)]), "703")
    assert result.rows[-1].name == "Thành phố Tây Ninh (trực tiếp)"
    assert result.rows[-1].addresses == 1 and result.rows[-1].dossiers == 0
