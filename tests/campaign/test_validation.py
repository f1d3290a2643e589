"""Validation: every problem of a record at once, each a Vietnamese sentence naming the field."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from factories import address, aid, helper
from hypothesis import given
from hypothesis import strategies as st

from campaign.records import KINDS
from campaign.validation import (
    _FIELDS,
    _PLAN,
    Known,
    _Checker,
    _field,
    check,
    overlapping_attachments,
)

TODAY = date(2026, 11, 29)
UNITS = {
    "72": {"code": "72", "kind": "province", "parent": None, "name": "Tỉnh Tây Ninh"},
    "703": {"code": "703", "kind": "district", "parent": "72", "name": "Thành phố Tây Ninh"},
    "25456": {"code": "25456", "kind": "commune", "parent": "703", "name": "Phường 1"},
}


def known(**overrides: object) -> Known:
    values = {"units": UNITS, "addresses": {"a1": address()}, "helpers": {"h1": helper()},
              "today": TODAY}  # fmt: skip
    values.update(overrides)
    return Known(**values)  # type: ignore[arg-type]


def messages(kind: str, raw: object, **overrides: object) -> list[str]:
    _record, problems = check(kind, raw, known(**overrides))
    return [str(p) for p in problems]


def test_a_valid_address_has_no_problem_and_comes_back_normalised() -> None:
    raw = address(name=unicodedata.normalize("NFD", "  Trần   Thị Hằng "), groups=["poor", "poor"])
    record, problems = check("address", raw, known())
    assert problems == []
    assert record is not None
    assert record["name"] == "Trần Thị Hằng"
    assert record["groups"] == ["poor"]


def test_every_problem_of_a_record_is_reported_at_once() -> None:
    raw = address(name="", unit="99999", kind="individual", people=3, groups=["elderly", "rich"],
                  surveyed_on="2031-01-01", dossier_on="1999-05-05")  # fmt: skip
    found = messages("address", raw)
    assert len(found) >= 5
    joined = "\n".join(found)
    assert "«Tên địa chỉ» không được để trống" in joined
    assert "«Đơn vị» «99999» không có trong danh mục" in joined
    assert "địa chỉ cá nhân có «Số người» là 1 (đang là 3)" in joined
    assert "nhóm đối tượng «rich» không có trong danh mục" in joined
    assert "«Ngày khảo sát» 01/01/2031 là ngày trong tương lai" in joined
    assert "«Ngày lập hồ sơ» 05/05/1999 trước năm 2000" in joined
    # Every message names the record it is about.
    assert all(m.startswith("Địa chỉ (mã a1)") for m in found)


def test_messages_name_the_position_in_a_file() -> None:
    _record, problems = check("address", address(people=0), known(), position=7)
    assert str(problems[0]).startswith(
        "Địa chỉ thứ 7 «Nguyễn Văn An» (mã a1): «Số người» phải từ 1"
    )


def test_a_collective_of_one_person_is_fine_but_an_individual_of_two_is_not() -> None:
    assert messages("address", address(kind="collective", people=1)) == []
    assert messages("address", address(kind="individual", people=2)) != []
    assert messages("address", address(kind="collective", people=0)) != []
    assert "quá lớn" in messages("address", address(kind="collective", people=50_000))[0]


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("people", "3", "«Số người» phải là một số nguyên"),
        ("people", 2.5, "«Số người» phải là một số nguyên"),
        ("kind", "family", "«Loại địa chỉ» không nhận giá trị «family»"),
        ("groups", "poor", "«Nhóm đối tượng» phải là một danh sách"),
        ("surveyed_on", "10/01/2009", "không phải ngày theo dạng năm-tháng-ngày"),
        ("surveyed_on", "2009-02-30", "không có trong lịch"),
        ("name", 12, "«Tên địa chỉ» phải là chữ"),
        ("id", None, "thiếu «Mã»"),
        ("id", ["a"], "phải là một mã dạng chữ"),
    ],
)
def test_wrong_types_are_named_in_vietnamese(field: str, value: object, says: str) -> None:
    assert any(says in m for m in messages("address", address(**{field: value})))


def test_dossier_cannot_come_before_the_survey() -> None:
    found = messages("address", address(surveyed_on="2010-05-01", dossier_on="2010-04-01"))
    assert found == [
        "Địa chỉ «Nguyễn Văn An» (mã a1): «Ngày lập hồ sơ» 01/04/2010 trước "
        "«Ngày khảo sát» (01/05/2010)."
    ]


def test_aid_before_the_address_was_surveyed_is_refused() -> None:
    found = messages("aid", aid(on="2008-12-31"))
    assert found == [
        "Lần trợ giúp (mã x1): «Ngày trợ giúp» 31/12/2008 trước «Ngày khảo sát» "
        "của địa chỉ (10/01/2009)."
    ]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (-1, "không được âm"),
        (10_000_000_001, "quá lớn cho một lần trợ giúp"),
        (1.5, "phải là một số nguyên"),
        ("1.500.000", "phải là một số nguyên"),
        (True, "số nguyên"),
    ],
)
def test_aid_values_must_be_whole_non_negative_dong(value: object, says: str) -> None:
    assert any(says in m for m in messages("aid", aid(value=value)))


def test_an_integral_float_value_is_read_as_dong() -> None:
    record, problems = check("aid", aid(value=1_500_000.0), known())
    assert problems == [] and record is not None and record["value"] == 1_500_000


def test_aid_must_refer_to_known_address_and_helper_but_helper_may_be_empty() -> None:
    assert messages("aid", aid(helper=None)) == []
    found = messages("aid", aid(address="zz", helper="yy"))
    assert "không tìm thấy địa chỉ mang mã «zz»" in found[0]
    assert "không tìm thấy người trợ giúp mang mã «yy»" in found[1]


def test_the_five_exclusion_reasons_are_accepted_and_nothing_else() -> None:
    for reason in ("emergency", "unaddressed", "organisation", "communication", "other_campaign"):
        assert messages("aid", aid(excluded=reason)) == []
    assert (
        "«Lý do không tính» không nhận giá trị «gift»" in messages("aid", aid(excluded="gift"))[0]
    )


def test_a_helper_kind_must_belong_to_its_side() -> None:
    assert messages("helper", helper(side="outside", kind="organisation")) == []
    found = messages("helper", helper(side="outside", kind="member"))
    assert found == [
        "Người trợ giúp «Trần Thị Bình» (mã h1): loại «Hội viên» thuộc phía "
        "«Hội Chữ thập đỏ», không thuộc phía «Tổ chức, cá nhân khác»."
    ]


def test_unknown_fields_are_reported_so_typos_lose_nothing() -> None:
    raw = address()
    raw["dosier_on"] = raw.pop("dossier_on")
    assert messages("address", raw) == [
        "Địa chỉ «Nguyễn Văn An» (mã a1): có trường «dosier_on» không thuộc định dạng; "
        "hãy kiểm tra tên trường."
    ]


def test_a_record_that_is_not_an_object_is_refused() -> None:
    record, problems = check("aid", ["x"], known(), position=2)
    assert record is None
    assert (
        str(problems[0])
        == "Lần trợ giúp thứ 2: bản ghi phải là một đối tượng JSON {...}, không phải một danh sách."
    )


def test_tombstones_are_recognised_and_deleted_must_be_boolean() -> None:
    record, problems = check("aid", aid(deleted=True), known())
    assert problems == [] and record is not None and record["deleted"] is True
    assert "«deleted» phải là true hoặc false" in messages("aid", aid(deleted="yes"))[0]
    assert "có trường «deleted»" in messages("assessment", {"unit": "25456", "deleted": True})[0]


def test_units_must_hang_from_a_parent_of_the_right_level() -> None:
    school = {"code": "703-TH1", "name": "Trường THPT Tây Ninh", "kind": "school", "parent": "703"}
    assert messages("unit", school) == []
    assert "phải thuộc" in messages("unit", {**school, "kind": "district", "parent": "703"})[0]
    assert "phải có «Đơn vị cấp trên»" in messages("unit", {**school, "parent": None})[0]
    assert "chỉ được gồm chữ không dấu" in messages("unit", {**school, "code": "Trường 1"})[0]


def test_reviews_need_a_year_within_the_campaign_and_a_date_in_that_year_or_later() -> None:
    review = {"id": "r1", "address": "a1", "year": 2015, "on": "2015-12-20", "outcome": "continue"}
    assert messages("review", review) == []
    assert (
        "«Năm rà soát» 2030 phải từ 2000 đến 2026"
        in messages("review", {**review, "year": 2030})[0]
    )
    assert "trước năm được rà soát (2016)" in messages("review", {**review, "year": 2016})[0]
    assert "«Kết quả rà soát» không nhận" in messages("review", {**review, "outcome": "ok"})[0]


def test_attachment_cannot_end_before_it_starts() -> None:
    attachment = {"id": "g1", "address": "a1", "helper": "h1", "from": "2012-01-01", "until": "2011-01-01",
                  "stop_reason": None}  # fmt: skip
    assert (
        "«Đến ngày» 01/01/2011 trước «Từ ngày» (01/01/2012)"
        in messages("attachment", attachment)[0]
    )


def test_assessment_flags_default_to_false_and_must_be_booleans() -> None:
    record, problems = check("assessment", {"unit": "25456"}, known())
    assert problems == [] and record is not None
    assert record["steering_board"] is False
    assert (
        "phải là true hoặc false" in messages("assessment", {"unit": "25456", "directive": "có"})[0]
    )


TEXT_FIELDS = [
    (kind, spec.name, spec.type)
    for kind, kind_spec in KINDS.items()
    for spec in kind_spec.fields
    if spec.type in ("text", "line", "prose")
]


@pytest.mark.parametrize(("kind", "name", "type_"), TEXT_FIELDS)
@pytest.mark.parametrize(
    ("bad", "code"),
    [("\x1b[2J", "U+001B"), ("\x00", "U+0000"), ("\u202e", "U+202E"), ("\x9b31m", "U+009B")],
)
def test_a_control_or_direction_character_in_any_text_is_refused_naming_it(
    kind: str, name: str, type_: str, bad: str, code: str
) -> None:
    raw = {"name": "x", name: f"Chữ {bad} cuối"}
    _record, problems = check(kind, raw, known())
    said = [p for p in problems if p.field == name]
    assert len(said) == 1, problems
    assert code in said[0].detail and "«" in said[0].detail
    assert "vị trí 5" in said[0].detail
    assert bad not in str(said[0])  # the message itself carries no control character


@pytest.mark.parametrize(("kind", "name", "type_"), TEXT_FIELDS)
def test_brackets_and_emoji_codes_are_kept_literally_and_zero_width_dropped(
    kind: str, name: str, type_: str
) -> None:
    record, problems = check(kind, {name: "Trường [cơ sở 2] [/] :fire:\u200b"}, known())
    assert not [p for p in problems if p.field == name]
    assert record is not None and record[name] == "Trường [cơ sở 2] [/] :fire:"


def test_prose_may_hold_line_breaks_but_a_line_folds_them() -> None:
    record, _ = check("model", {"objective": "Dòng 1\r\nDòng 2"}, known())
    assert record is not None and record["objective"] == "Dòng 1\nDòng 2"
    record, problems = check("aid", aid(note="gạo\nmuối"), known())
    assert problems == []
    assert record is not None and record["note"] == "gạo muối"


def test_a_huge_name_is_named_shortly_in_the_message() -> None:
    said = messages("address", address(name="Nguyễn " * 200_000 + "\x1b"))
    assert said and all(len(message) < 1_000 for message in said)
    assert any("1.400.001 ký tự" in message for message in said)


# ----------------------------------------------------------------------- the award choices

DONOR = helper("o1", side="outside", kind="organisation", name="Công ty An Bình")
PROPOSAL = {"id": "p1", "unit": "703", "year_from": 2008, "year_to": 2018, "award": "central",
            "chapter": "25456", "helper": None}  # fmt: skip


def test_a_link_joins_two_helpers_of_one_side_or_one_with_itself() -> None:
    helpers = {"h1": helper(), "h2": helper("h2"), "o1": DONOR}
    assert messages("link", {"helper": "h2", "unit": "703", "same_as": "h1"}, helpers=helpers) == []
    assert messages("link", {"helper": "o1", "unit": "72", "same_as": "o1"}, helpers=helpers) == []
    (across,) = messages("link", {"helper": "h1", "unit": "703", "same_as": "o1"}, helpers=helpers)
    assert "một người của Hội và một nhà tài trợ ngoài Hội không thể là cùng một người" in across
    found = messages("link", {"helper": "h9", "unit": "99", "same_as": "o9"}, helpers=helpers)
    assert len(found) == 3
    assert any("không tìm thấy người trợ giúp mang mã «h9»" in m for m in found)
    assert any("không tìm thấy người trợ giúp mang mã «o9»" in m for m in found)
    assert any("«Đơn vị» «99» không có trong danh mục" in m for m in found)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"helper": "h1"}, "ghi đúng một tập thể"),
        ({"chapter": None}, "ghi đúng một tập thể"),
        ({"award": "gold"}, "«Hình thức khen thưởng»"),
        ({"year_from": 2019}, "giai đoạn 2019-2018 không hợp lệ"),
        ({"year_to": 2031}, "giai đoạn 2008-2031 không hợp lệ"),
        ({"chapter": "99"}, "«Đơn vị» «99» không có trong danh mục"),
        ({"chapter": None, "helper": "h9"}, "không tìm thấy người trợ giúp mang mã «h9»"),
        ({"year_to": "2018"}, "«Đến năm»"),
    ],
)
def test_a_proposal_names_one_chapter_or_one_helper_over_a_sound_period(
    change: dict, says: str
) -> None:
    assert messages("proposal", PROPOSAL) == []
    found = messages("proposal", {**PROPOSAL, **change})
    assert any(says in m for m in found), found
    assert all(m.startswith("Đề nghị khen thưởng") for m in found)


def attachment(id: str, start: str, until: str | None = None, **fields: object) -> dict:
    record = {"id": id, "address": "a1", "helper": "h1", "from": start, "until": until,
              "stop_reason": "Chuyển nơi ở" if until else None}  # fmt: skip
    record.update(fields)
    return record


def test_one_helper_attached_twice_at_once_to_one_address_is_refused_naming_both() -> None:
    first = attachment("g1", "2012-01-01", "2014-06-30")
    overlapping = attachment("g2", "2014-06-30")
    problems = overlapping_attachments([overlapping], [first], known())
    assert [(p.key, p.field) for p in problems] == [("g2", "from")]
    assert str(problems[0]) == (
        "Gắn địa chỉ (mã g2): «Từ ngày» 30/06/2014–nay trùng thời gian với lần gắn "
        "khác của «Trần Thị Bình» với địa chỉ «Nguyễn Văn An» (01/01/2012–30/06/2014, mã g1); "
        "hãy ghi «Đến ngày» cho lần gắn trước, hoặc sửa lần gắn đó thay vì gắn lại."
    )


def test_attachments_that_follow_one_another_or_differ_in_helper_or_address_are_fine() -> None:
    stored = [attachment("g1", "2012-01-01", "2014-06-30"), attachment("g3", "2013-01-01", helper="h2"),
              attachment("g4", "2013-01-01", address="a2"),
              attachment("g5", "2013-01-01", deleted=True)]  # fmt: skip
    after = attachment("g2", "2014-07-01")
    assert overlapping_attachments([after], stored, known()) == []
    # the attachment being corrected is not compared with its own stored version
    assert overlapping_attachments([attachment("g1", "2012-01-01")], stored, known()) == []
    # two new ones of one batch are compared with each other
    twice = [attachment("g6", "2015-01-01"), attachment("g7", "2016-01-01")]
    assert len(overlapping_attachments(twice, [], known())) == 2


# Values of every shape a file may hold in a field: stored forms, and each way off them.
_ODD = [
    None, "", "   ", " a1 ", "a1", "25486", "2549a", "x" * 65, "mã\u0301", "ma\u0303",
    "e\u0301", "Nguyễn Văn A", "Nguyễn  Văn A", " Nguyễn", "Nguyễn\u200bVăn", "a\x1bb",
    "a\nb", "dòng một\ndòng hai", "\u202eabc", "y" * 501, "2018-09-06", "2018-02-30",
    " 2018-09-06", "2018-9-6", "\u0661\u0669\u0669\u0660-01-01", "2999-01-01",
    "1999-12-31", 0, 1, -5, 7, 3.0, 2.5, True, False, [], ["poor"], ["poor", "poor"],
    ["poor", " elderly"], ["nobody"], [1], {}, {"a": 1}, "individual", "collective",
    "red_cross", "continue", "Tiền mặt", 10**20, "a/b", "a b", "z" * 33, "..",
]  # fmt: skip


def _same_as_one_by_one(kind: str, raw: dict) -> None:
    fast, slow = _Checker(kind, raw, 3), _Checker(kind, raw, 3)
    record = _FIELDS[kind](raw.get, fast)
    expected = {step[0]: _field(slow, step, raw.get(step[0])) for step in _PLAN[kind]}
    assert record == expected, raw
    # A list is the record's own, never the one read from the file.
    assert not any(value is raw.get(name) for name, value in record.items() if type(value) is list)
    assert [type(value) for value in record.values()] == [type(v) for v in expected.values()]
    assert [str(problem) for problem in fast.problems] == [str(p) for p in slow.problems]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_odd_value_in_each_field_gives_what_its_normaliser_gives(kind):
    """`check` keeps a value already in stored form without a call; anything else goes
    through the field's own normaliser. Both give the same record and the same problems."""
    for spec in KINDS[kind].fields:
        for value in _ODD:
            _same_as_one_by_one(kind, {spec.name: value})


@given(st.sampled_from(sorted(KINDS)), st.data())
def test_fields_kept_as_is_or_normalised_one_by_one_give_the_same_record(kind, data):
    raw = {
        spec.name: value
        for spec in KINDS[kind].fields
        if (value := data.draw(st.sampled_from(_ODD), label=spec.name)) is not None
        or data.draw(st.booleans(), label=f"{spec.name} null")
    }
    _same_as_one_by_one(kind, raw)


def test_a_stored_record_is_kept_as_it_is():
    """The values of a record as the store keeps it are its normalised fields, unchanged."""
    known = Known(
        addresses={"a1": {"id": "a1", "surveyed_on": "2018-01-01"}},
        helpers={"h1": {"id": "h1", "side": "red_cross"}},
        today=date(2026, 12, 3),
    )
    raw = {"id": "g1", "address": "a1", "helper": "h1", "on": "2019-03-04",
           "form": "Gạo, nhu yếu phẩm", "value": 410000}  # fmt: skip
    record, problems = check("aid", raw, known)
    assert problems == []
    assert record == {**raw, "excluded": None, "note": None}
    assert all(record[name] is raw[name] for name in raw)
