"""Award scores, proposals and candidates: every criterion on hand-computed cases and its edges."""

from __future__ import annotations

import pytest
from factories import address, aid, dataset_of, helper

from campaign.awards import CENTRAL, PROVINCIAL, Share, awards
from campaign.dataset import Dataset
from campaign.dates import Period
from campaign.tally import helped_addresses, tally

PERIOD = Period(2008, 2018)


def assessment(unit: str = "25456", **flags: bool) -> dict:
    record = {"unit": unit, "steering_board": True, "directive": True, "typical_model": True,
              "followed_guidance": True}  # fmt: skip
    record.update(flags)
    return record


def attachment(id: str, address: str, helper: str, start: str = "2010-01-01", **fields) -> dict:  # type: ignore[no-untyped-def]
    record = {"id": id, "address": address, "helper": helper, "from": start, "until": None,
              "stop_reason": None}  # fmt: skip
    record.update(fields)
    return record


def review(address: str, year: int, **fields) -> dict:  # type: ignore[no-untyped-def]
    record = {"id": f"r-{address}-{year}", "address": address, "year": year,
              "on": f"{year}-12-01", "outcome": "continue"}  # fmt: skip
    record.update(fields)
    return record


def score(result, code):  # type: ignore[no-untyped-def]
    return next(s for s in result.units if s.unit == code)


def surveyed_and_helped(total: int, helped: int, unit: str = "25456") -> dict[str, list[dict]]:
    """`total` addresses surveyed in 2009, the first `helped` of them helped in 2010."""
    addresses = [address(f"{unit}-a{i}", unit=unit) for i in range(total)]
    aids = [aid(f"{unit}-x{i}", address=f"{unit}-a{i}") for i in range(helped)]
    return {"addresses": addresses, "aid": aids}


# ----------------------------------------------------------------------- steering, model, guidance


@pytest.mark.parametrize(
    ("board", "directive", "points"),
    [(True, True, 20), (True, False, 0), (False, True, 0), (False, False, 0)],
)
def test_steering_needs_both_the_board_and_the_directive(
    board: bool, directive: bool, points: int
) -> None:
    result = awards(
        dataset_of(assessments=[assessment(steering_board=board, directive=directive)]), "703"
    )
    phuong = score(result, "25456")
    assert phuong.points("steering") == points
    assert phuong.criteria["steering"].detail == (
        f"Ban Chỉ đạo: {'có' if board else 'chưa'}; "
        f"văn bản chỉ đạo của UBND: {'có' if directive else 'chưa'}"
    )


def test_model_and_guidance_each_follow_their_own_flag() -> None:
    result = awards(dataset_of(assessments=[
        assessment("25456", typical_model=True, followed_guidance=False),
        assessment("25459", typical_model=False, followed_guidance=True),
    ]), "703")  # fmt: skip
    assert (score(result, "25456").points("model"), score(result, "25456").points("guidance")) == (
        20,
        0,
    )
    assert (score(result, "25459").points("model"), score(result, "25459").points("guidance")) == (
        0,
        10,
    )


def test_a_chapter_without_assessment_gets_zero_for_three_criteria_and_a_note() -> None:
    result = awards(dataset_of(**surveyed_and_helped(10, 10)), "703")
    phuong = score(result, "25456")
    assert phuong.assessment is None
    assert [phuong.points(k) for k in ("steering", "model", "guidance")] == [0, 0, 0]
    assert phuong.points("helped") == 40
    assert any("Chưa có bản đánh giá của đơn vị" in note for note in phuong.notes)


# ----------------------------------------------------------------------- helped / surveyed


@pytest.mark.parametrize(
    ("total", "helped", "points"),
    [
        (10, 10, 40),
        (10, 7, 40),  # exactly 70%
        (1000, 699, 20),  # 69,9%
        (3, 2, 20),  # 66,7%
        (10, 5, 20),  # exactly 50%
        (1000, 499, 10),  # 49,9%
        (10, 0, 10),
    ],
)
def test_helped_share_bars_are_at_least_70_and_at_least_50(
    total: int, helped: int, points: int
) -> None:
    phuong = score(awards(dataset_of(**surveyed_and_helped(total, helped)), "703"), "25456")
    assert (phuong.surveyed.part, phuong.surveyed.whole) == (helped, total)
    assert phuong.points("helped") == points


def test_no_surveyed_address_gives_zero_and_a_note() -> None:
    result = awards(dataset_of(addresses=[address("a1", surveyed_on=None, dossier_on="2009-02-01")],
                         aid=[aid("x1")]), "703")  # fmt: skip
    phuong = score(result, "25456")
    assert phuong.points("helped") == 0
    assert (phuong.surveyed.part, phuong.surveyed.whole) == (0, 0)
    assert any(
        note.startswith("Không có địa chỉ nào được khảo sát đến ngày 31/12/2018")
        for note in phuong.notes
    )


def test_surveyed_means_on_or_before_the_last_day_and_helped_means_as_in_the_table() -> None:
    addresses = [
        address("early", surveyed_on="2005-03-01", dossier_on="2005-04-01"),  # before the period
        address("last-day", surveyed_on="2018-12-31", dossier_on=None),
        address("after", surveyed_on="2019-01-02", dossier_on=None),  # not surveyed by the end
        address("never", surveyed_on=None, dossier_on=None),  # helped, but never surveyed
        address("gone", deleted=True),
        address("excluded-only"),
        address("outside-period"),
        address("helped"),
    ]
    aids = [
        aid("x1", address="early", on="2008-01-01"),
        aid("x2", address="last-day", on="2018-12-31"),
        aid("x3", address="never", on="2012-01-01"),
        aid("x4", address="gone"),
        aid("x5", address="excluded-only", excluded="emergency"),
        aid("x6", address="outside-period", on="2007-12-31"),
        aid("x7", address="outside-period", on="2019-01-01"),
        aid("x8", address="helped", helper=None),
        aid("x9", address="helped", deleted=True),
    ]
    phuong = score(awards(dataset_of(addresses=addresses, aid=aids), "703"), "25456")
    # Surveyed: early, last-day, excluded-only, outside-period, helped; helped among them:
    # early, last-day, helped.
    assert (phuong.surveyed.part, phuong.surveyed.whole) == (3, 5)
    assert phuong.points("helped") == 20
    assert phuong.criteria["helped"].detail == "3/5 địa chỉ khảo sát được trợ giúp (60,0%)"


def test_helped_is_the_summary_tables_column_6_address_for_address() -> None:
    dataset = dataset_of(
        addresses=[address("a1"), address("a2", unit="25459"), address("a3", deleted=True),
                   address("a4", unit="25486")],
        helpers=[helper("h1"), helper("h2", side="outside", kind="organisation", deleted=True)],
        aid=[aid("x1"), aid("x2", address="a2", helper="h2", on="2018-12-31"),
             aid("x3", address="a3"), aid("x4", address="a4", excluded="other_campaign")],
    )  # fmt: skip
    helped = helped_addresses(dataset, PERIOD)
    assert helped == {"a1", "a2"}
    assert len(helped) == tally(dataset, "72", PERIOD).total.helped


# ----------------------------------------------------------------------- reviewed every year


def reviewed_case(reviewed_pairs: int) -> Dataset:
    """Five addresses active in each of 2015–2018: 20 pairs, the first `reviewed_pairs` reviewed."""
    addresses = [
        address(f"a{i}", surveyed_on="2014-01-01", dossier_on="2014-06-01") for i in range(5)
    ]
    pairs = [(f"a{i}", year) for i in range(5) for year in range(2015, 2019)]
    return dataset_of(
        addresses=addresses, reviews=[review(a, y) for a, y in pairs[:reviewed_pairs]]
    )


@pytest.mark.parametrize(("reviewed", "points"), [(20, 10), (19, 0), (18, 0), (0, 0)])
def test_reviewed_share_must_be_above_95_percent(reviewed: int, points: int) -> None:
    phuong = score(awards(reviewed_case(reviewed), "703", Period(2015, 2018)), "25456")
    assert (phuong.reviewed.part, phuong.reviewed.whole) == (reviewed, 20)
    assert phuong.points("reviewed") == points


def test_exactly_95_percent_shows_95_and_gets_nothing() -> None:
    phuong = score(awards(reviewed_case(19), "703", Period(2015, 2018)), "25456")
    assert phuong.criteria["reviewed"].detail == "19/20 lượt địa chỉ - năm được rà soát (95,0%)"


def test_active_years_run_from_the_dossier_to_the_year_help_stops() -> None:
    addresses = [
        # Dossier on the last day of 2012: active 2012–2018 (7 years).
        address("late", surveyed_on="2012-12-01", dossier_on="2012-12-31"),
        # Stopped on 1 January 2015: active 2010–2015 (6 years), not after.
        address("stopped", surveyed_on="2009-12-01", dossier_on="2010-05-01",
                stopped_on="2015-01-01", stop_reason="Đã thoát nghèo"),
        # Stopped on the last day of 2014: active 2010–2014 (5 years).
        address("stopped-2014", surveyed_on="2009-12-01", dossier_on="2010-05-01",
                stopped_on="2014-12-31"),
        address("no-dossier", dossier_on=None),  # never active
        address("after", surveyed_on="2019-02-01", dossier_on="2019-03-01"),  # after the period
        address("gone", deleted=True),
    ]  # fmt: skip
    reviews = [
        *[review("late", y) for y in range(2012, 2019)],
        *[review("stopped", y) for y in range(2010, 2016)],
        *[review("stopped-2014", y) for y in range(2010, 2015)],
        review("late", 2011),  # a review of a year the address was not active: not counted
        review("no-dossier", 2012),
        review("gone", 2012),
    ]
    phuong = score(awards(dataset_of(addresses=addresses, reviews=reviews), "703"), "25456")
    assert (phuong.reviewed.part, phuong.reviewed.whole) == (18, 18)
    assert phuong.points("reviewed") == 10


def test_a_deleted_review_does_not_count() -> None:
    addresses = [address("a1", surveyed_on="2016-01-01", dossier_on="2016-02-01")]
    reviews = [review("a1", 2016), review("a1", 2017), review("a1", 2018, deleted=True)]
    phuong = score(awards(dataset_of(addresses=addresses, reviews=reviews), "703"), "25456")
    assert (phuong.reviewed.part, phuong.reviewed.whole) == (2, 3)
    assert phuong.points("reviewed") == 0


def test_no_active_address_gives_zero_and_a_note() -> None:
    phuong = score(awards(dataset_of(addresses=[address("a1", dossier_on=None)]), "703"), "25456")
    assert phuong.points("reviewed") == 0
    assert phuong.reviewed.whole == 0
    assert any(note.startswith("Không có địa chỉ nào đang được theo dõi") for note in phuong.notes)


# ----------------------------------------------------------------------- chapters, ranks, proposals


def test_the_chapters_are_the_children_each_counted_over_its_subtree() -> None:
    dataset = dataset_of(
        addresses=[address("a1"), address("a2", unit="25459"), address("a3", unit="25486")],
        aid=[aid("x1", address="a1")],
        assessments=[assessment("703"), assessment("25456")],
    )
    province = awards(dataset, "72")
    assert [s.unit for s in sorted(province.units, key=lambda s: s.unit)] == ["703", "705"]
    city = score(province, "703")
    # The district's own assessment, and its communes' addresses.
    assert city.assessment is not None and city.points("steering") == 20
    assert (city.surveyed.part, city.surveyed.whole) == (1, 2)
    commune = awards(dataset, "25456")
    assert [s.unit for s in commune.units] == ["25456"]
    assert (commune.units[0].surveyed.part, commune.units[0].surveyed.whole) == (1, 1)


def test_ranked_by_total_with_ties_sharing_a_rank_and_the_threshold_included() -> None:
    dataset = dataset_of(**surveyed_and_helped(10, 7, "25456"))  # 40 points for Phường 1
    dataset.assessments = [
        assessment("25456"),  # 20 + 20 + 40 + 0 + 10 = 90
        assessment("25459", typical_model=False),  # 20 + 0 + 0 + 0 + 10 = 30
        assessment("703-TH1", typical_model=False),  # 30
    ]
    result = awards(dataset, "703")
    assert [(s.unit, s.total, s.rank) for s in result.units] == [
        ("25456", 90, 1), ("25459", 30, 2), ("703-TH1", 30, 2),
    ]  # fmt: skip
    assert [s.eligible for s in result.units] == ["central", "provincial", "provincial"]
    assert [s.eligible for s in awards(dataset, "703", threshold=91).units] == ["provincial"] * 3
    assert [s.eligible for s in awards(dataset, "703", threshold=30).units] == ["central"] * 3
    # Reaching the bar is not a proposal: nothing is proposed until the office chooses.
    assert [s.proposal for s in result.units] == ["", "", ""]
    assert CENTRAL == "Đề nghị Trung ương Hội tặng Bằng khen"
    assert PROVINCIAL == "Đề nghị Tỉnh Hội tặng Giấy khen"


def test_a_full_score_is_100() -> None:
    dataset = dataset_of(
        addresses=[address("a1", surveyed_on="2017-01-01", dossier_on="2017-02-01")],
        aid=[aid("x1", on="2017-03-01")],
        reviews=[review("a1", 2017), review("a1", 2018)],
        assessments=[assessment()],
    )
    phuong = score(awards(dataset, "703"), "25456")
    assert [c.points for c in phuong.criteria.values()] == [20, 20, 40, 10, 10]
    assert phuong.total == 100 and phuong.notes == []


# ----------------------------------------------------------------------- people and donors


def people_case(count: int, kind: str = "member", side: str = "red_cross") -> Dataset:
    addresses = [address(f"a{i}") for i in range(count)]
    return dataset_of(
        addresses=addresses,
        helpers=[helper("h1", side=side, kind=kind, name="Lê Văn Tư")],
        attachments=[attachment(f"t{i}", f"a{i}", "h1") for i in range(count)],
    )


@pytest.mark.parametrize(("count", "candidate"), [(4, False), (5, True), (6, True)])
def test_an_individual_needs_five_addresses(count: int, candidate: bool) -> None:
    result = awards(people_case(count), "703")
    assert [(p.name, p.addresses) for p in result.individuals] == (
        [("Lê Văn Tư", count)] if candidate else []
    )
    if candidate:
        assert result.individuals[0].eligible == "central"
        assert result.individuals[0].proposal == ""  # eligible, not proposed


@pytest.mark.parametrize(
    ("kind", "side", "counted"),
    [("staff", "red_cross", True), ("member", "red_cross", True), ("volunteer", "red_cross", True),
     ("youth", "red_cross", True), ("individual", "outside", False), ("chapter", "red_cross", False),
     ("organisation", "outside", False)],
)  # fmt: skip
def test_only_red_cross_people_are_individual_candidates(
    kind: str, side: str, counted: bool
) -> None:
    result = awards(people_case(5, kind, side), "703")
    assert bool(result.individuals) is counted
    # An outside individual is a donor, listed once: never on both lists.
    assert [p.id for p in result.donors] == (["h1"] if side == "outside" else [])


def test_attachments_count_when_they_overlap_the_period_edges_included() -> None:
    dataset = people_case(4)
    dataset.addresses += [address(f"b{i}") for i in range(6)] + [address("gone", deleted=True)]
    dataset.attachments += [
        attachment("e1", "b0", "h1", start="2005-01-01", until="2008-01-01"),  # ends on day one
        attachment("e2", "b1", "h1", start="2018-12-31"),  # starts on the last day
        attachment("e3", "b2", "h1", start="2005-01-01", until="2007-12-31"),  # ends before
        attachment("e4", "b3", "h1", start="2019-01-01"),  # starts after
        attachment("e5", "b4", "h1", deleted=True),  # a tombstone
        attachment("e6", "a0", "h1", start="2012-01-01"),  # the same address again
        attachment("e7", "gone", "h1"),  # an address that was deleted
    ]
    result = awards(dataset, "703")
    # a0–a3, b0, b1: six distinct addresses.
    assert [(p.id, p.addresses) for p in result.individuals] == [("h1", 6)]
    # Without the two edge attachments: 4 addresses, not a candidate.
    dataset.attachments = [t for t in dataset.attachments if t["id"] not in ("e1", "e2")]
    assert awards(dataset, "703").individuals == []


def test_candidates_are_listed_by_count_then_by_given_name() -> None:
    dataset = dataset_of(
        addresses=[address(f"a{i}") for i in range(6)],
        helpers=[helper("h1", name="Trần Văn Bảy"), helper("h2", name="Nguyễn Thị An"),
                 helper("h3", name="Lê Văn Cường")],
        attachments=[*[attachment(f"t1{i}", f"a{i}", "h1") for i in range(5)],
                     *[attachment(f"t2{i}", f"a{i}", "h2") for i in range(5)],
                     *[attachment(f"t3{i}", f"a{i}", "h3") for i in range(6)]],
    )  # fmt: skip
    assert [p.name for p in awards(dataset, "703").individuals] == [
        "Lê Văn Cường", "Nguyễn Thị An", "Trần Văn Bảy",
    ]  # fmt: skip


def test_donors_are_outside_helpers_attached_in_the_period_and_candidates_when_awarded() -> None:
    dataset = dataset_of(
        addresses=[address("a1"), address("a2")],
        helpers=[
            helper("o1", side="outside", kind="organisation", name="Công ty A", awarded_before=True),
            helper("o2", side="outside", kind="individual", name="Bà Lê Thị Hoa"),
            helper("o3", side="outside", kind="organisation", name="Công ty C", awarded_before=True),
            helper("o4", side="outside", kind="organisation", name="Công ty D", deleted=True),
            helper("m1", kind="member"),
        ],
        attachments=[
            attachment("t1", "a1", "o1"), attachment("t2", "a2", "o2"),
            attachment("t3", "a1", "o3", start="2019-02-01"),  # after the period: not a donor
            attachment("t4", "a1", "o4"), attachment("t5", "a1", "m1"),
        ],
    )  # fmt: skip
    donors = awards(dataset, "703").donors
    assert [(d.id, d.awarded_before, d.candidate, d.eligible) for d in donors] == [
        ("o1", True, True, "central"),
        ("o2", False, False, "provincial"),
    ]


def test_people_of_another_branch_are_not_listed() -> None:
    dataset = people_case(5)
    assert awards(dataset, "705").individuals == []
    assert [p.id for p in awards(dataset, "72").individuals] == ["h1"]


# ----------------------------------------------------------------------- shown figures


def test_percentages_never_cross_a_bar_when_shown() -> None:
    assert Share(6996, 10000).percent() == "69,9%"
    assert Share(7, 10).percent() == "70,0%"
    assert Share(9504, 10000).percent("up") == "95,1%"
    assert Share(19, 20).percent("up") == "95,0%"
    assert Share(2, 3).percent() == "66,6%" and Share(2, 3).percent("nearest") == "66,7%"
    assert Share(0, 0).percent() == ""


def test_the_json_has_each_criterion_and_the_total_per_unit() -> None:
    result = awards(dataset_of(**surveyed_and_helped(10, 5), assessments=[assessment()]), "703")
    first = result.units_json()[0]
    assert {k: first[k] for k in ("unit", "name", "steering", "model", "helped", "reviewed",
                                  "guidance", "total")} == {
        "unit": "25456", "name": "Phường 1", "steering": 20, "model": 20, "helped": 20,
        "reviewed": 0, "guidance": 10, "total": 70,
    }  # fmt: skip
    assert first["surveyed_addresses"] == 10 and first["surveyed_addresses_helped"] == 5


# ----------------------------------------------------------------------- one candidate each


def donor(id: str, unit: str, name: str = "Công ty Điện lực Tây Ninh", **fields) -> dict:  # type: ignore[no-untyped-def]
    return helper(id, unit=unit, side="outside", kind=fields.pop("kind", "organisation"),
                  name=name, **fields)  # fmt: skip


def test_a_donor_registered_by_several_units_is_one_candidate_with_its_addresses_summed() -> None:
    dataset = dataset_of(
        addresses=[address("a1"), address("a2"), address("a3", unit="25459")],
        helpers=[
            donor("d1", "25456"),
            donor("d2", "25459", name="CÔNG TY  điện lực Tây Ninh", awarded_before=True),
            donor("d3", "703-TH1", name="Công ty Điện lực Tây Ninh", kind="individual"),
            donor("d4", "25459", name="Công ty Điện lục Tây Ninh"),  # another word: another
        ],
        attachments=[attachment("t1", "a1", "d1"), attachment("t2", "a2", "d1"),
                     attachment("t3", "a1", "d2"), attachment("t4", "a3", "d2"),
                     attachment("t5", "a3", "d3"), attachment("t6", "a3", "d4")],
    )  # fmt: skip
    donors = {d.id: d for d in awards(dataset, "703").donors}
    assert set(donors) == {"d1", "d3", "d4"}
    one = donors["d1"]
    # a1 counted once though both helpers are attached to it.
    assert (one.helpers, one.units, one.addresses) == (("d1", "d2"), ("25456", "25459"), 3)
    assert one.awarded_before and one.eligible == "central"
    assert one.units_label == "Phường 1 và 1 đơn vị khác"
    assert donors["d3"].helpers == ("d3",)  # the same name, another kind
    assert donors["d4"].helpers == ("d4",)


def test_the_same_name_keeps_its_letters_and_tones_but_not_where_the_tone_sits() -> None:
    dataset = dataset_of(
        addresses=[address("a1")],
        helpers=[donor("d1", "25456", name="Bà Lê Thị Hoà", kind="individual"),
                 donor("d2", "25459", name="Bà Lê Thị Hòa", kind="individual"),
                 donor("d3", "25459", name="Bà Lê Thị Hoa", kind="individual")],
        attachments=[attachment(f"t{i}", "a1", f"d{i}") for i in (1, 2, 3)],
    )  # fmt: skip
    assert sorted(d.helpers for d in awards(dataset, "703").donors) == [("d1", "d2"), ("d3",)]


def test_red_cross_namesakes_stay_two_people_until_linked() -> None:
    dataset = dataset_of(
        addresses=[address(f"a{i}") for i in range(6)],
        helpers=[helper("m1", name="Nguyễn Thị Ánh"), helper("m2", name="Nguyễn Thị Ánh",
                                                              unit="25459")],
        attachments=[*[attachment(f"t{i}", f"a{i}", "m1") for i in range(3)],
                     *[attachment(f"u{i}", f"a{i}", "m2") for i in range(2, 6)]],
    )  # fmt: skip
    assert awards(dataset, "703").individuals == []  # 3 and 4 addresses: neither reaches five
    dataset.links = [{"helper": "m2", "unit": "703", "same_as": "m1"}]
    (person,) = awards(dataset, "703").individuals
    assert (person.id, person.helpers, person.addresses) == ("m1", ("m1", "m2"), 6)
    dataset.links = [{"helper": "m2", "unit": "703", "same_as": "m1", "deleted": True}]
    assert awards(dataset, "703").individuals == []  # the link taken back


def test_a_link_to_itself_separates_a_donor_from_its_namesakes_and_links_follow_through() -> None:
    dataset = dataset_of(
        addresses=[address("a1"), address("a2")],
        helpers=[donor("d1", "25456", name="Hội Cựu chiến binh xã"),
                 donor("d2", "25459", name="Hội Cựu chiến binh xã"),
                 donor("d3", "25459", name="Hội CCB xã"), donor("d4", "25456", name="HCCB")],
        attachments=[attachment(f"t{i}", "a1", f"d{i}") for i in (1, 2, 3, 4)],
    )  # fmt: skip
    dataset.links = [
        {"helper": "d2", "unit": "72", "same_as": "d2"},  # alone
        {"helper": "d3", "unit": "72", "same_as": "d2"},  # with d2 (which is alone)
        {"helper": "d4", "unit": "72", "same_as": "d3"},  # with d3, so with d2
    ]
    groups = sorted(d.helpers for d in awards(dataset, "703").donors)
    assert groups == [("d1",), ("d4", "d2", "d3")]  # by unit, then id: d4 is in Phường 1
    # A loop of links, or a link to a helper that is gone, stops where it is.
    dataset.links = [{"helper": "d3", "unit": "72", "same_as": "d4"},
                     {"helper": "d4", "unit": "72", "same_as": "d3"},
                     {"helper": "d1", "unit": "72", "same_as": "nobody"}]  # fmt: skip
    groups = sorted(d.helpers for d in awards(dataset, "703").donors)
    assert groups == [("d1", "d2"), ("d3",), ("d4",)]


def test_only_the_office_s_choices_are_proposals_for_its_level_and_period() -> None:
    from campaign.awards import proposal_record

    dataset = dataset_of(
        addresses=[address("a1")],
        helpers=[donor("d1", "25456"), donor("d2", "25459"), helper("m1")],
        attachments=[attachment("t1", "a1", "d1"), attachment("t2", "a1", "m1")],
    )
    period = Period(2008, 2018)
    dataset.proposals = [
        proposal_record("703", period, "25459", "central", chapter=True),
        proposal_record("703", period, "d2", "provincial", chapter=False),  # names d1's group
        proposal_record("703", period, "m1", "provincial", chapter=False),  # below five: allowed
        proposal_record("703", Period(2010, 2018), "25456", "central", chapter=True),  # other
        proposal_record("72", period, "703", "central", chapter=True),  # another level
        {**proposal_record("703", period, "703-TH1", "central", chapter=True), "deleted": True},
    ]
    result = awards(dataset, "703", period)
    assert {s.unit: s.proposed for s in result.units} == {
        "25456": None, "25459": "central", "703-TH1": None,
    }  # fmt: skip
    assert [(p.id, p.proposed) for p in result.proposed] == [
        ("d1", "provincial"),
        ("m1", "provincial"),
    ]
    chapters, people, donors = result.chosen("provincial")
    assert (chapters, [p.id for p in people], [p.id for p in donors]) == ([], ["m1"], ["d1"])
    assert [s.unit for s in result.chosen("central")[0]] == ["25459"]
    # The same target proposed again is the same record.
    again = proposal_record("703", period, "25459", "provincial", chapter=True)
    assert again["id"] == dataset.proposals[0]["id"]
